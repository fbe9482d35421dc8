package schemagen

import (
	"fmt"
	"regexp/syntax"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"
)

// segment is one piece of a simple anchored pattern; see rt/segments.go.
type segment struct {
	lit      string
	run      bool
	set      [4]uint64 // the bytes a run takes
	min, max int       // how many (max -1: no limit)
}

func (g segment) String() string {
	if !g.run {
		return fmt.Sprintf("%q", g.lit)
	}
	return fmt.Sprintf("run(%s){%d,%d}", setText(g.set), g.min, g.max)
}

// byteSegments recognises patterns anchored at both ends that are a
// sequence of literals and runs of one character class ([0-9]+,
// [A-Za-z0-9_-]{1,64}, \d{26}, [^/]+, .*), where no run can end where the
// next piece begins: the bytes a run takes never start what follows it
// (the next literal, or the runs up to and including the next one that
// must take at least one byte). Then taking every byte a run can, up to
// its maximum, is the only way to match, and hcMatchSegs gives the answer
// regexp would give with one pass over the bytes. A class with
// characters beyond ASCII must hold every one of them (it then takes every
// byte of a UTF-8 sequence, and an invalid byte, which regexp reads as
// U+FFFD) and bound nothing but "at least one"; counts of an ASCII class
// are byte counts, equal to character counts.
func byteSegments(pattern string) ([]segment, bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil || re.Op != syntax.OpConcat || len(re.Sub) < 3 {
		return nil, false
	}
	subs := re.Sub
	if subs[0].Op != syntax.OpBeginText || subs[len(subs)-1].Op != syntax.OpEndText {
		return nil, false
	}
	var segs []segment
	for _, s := range subs[1 : len(subs)-1] {
		if s.Op == syntax.OpLiteral {
			if s.Flags&syntax.FoldCase != 0 {
				return nil, false
			}
			var b []byte
			for _, r := range s.Rune {
				if r == utf8.RuneError {
					return nil, false // regexp matches it on invalid bytes
				}
				b = utf8.AppendRune(b, r)
			}
			if n := len(segs); n > 0 && !segs[n-1].run {
				segs[n-1].lit += string(b)
			} else {
				segs = append(segs, segment{lit: string(b)})
			}
			continue
		}
		g, ok := runOf(s)
		if !ok {
			return nil, false
		}
		segs = append(segs, g)
	}
	// what may start the rest of the pattern after each run
	var follow [4]uint64
	for i := len(segs) - 1; i >= 0; i-- {
		g := segs[i]
		if g.run {
			for w := range follow {
				if g.set[w]&follow[w] != 0 {
					return nil, false
				}
			}
			if g.min > 0 {
				follow = g.set
			} else {
				for w := range follow {
					follow[w] |= g.set[w]
				}
			}
			continue
		}
		follow = [4]uint64{}
		follow[g.lit[0]>>6] |= 1 << (g.lit[0] & 63)
	}
	return segs, len(segs) > 0
}

// runOf reads a repeated character class: C+ C* C? C{n,m}, with C a class,
// a single character or . (not matching newline).
func runOf(s *syntax.Regexp) (segment, bool) {
	g := segment{run: true}
	switch s.Op {
	case syntax.OpPlus:
		g.min, g.max = 1, -1
	case syntax.OpStar:
		g.min, g.max = 0, -1
	case syntax.OpQuest:
		g.min, g.max = 0, 1
	case syntax.OpRepeat:
		g.min, g.max = s.Min, s.Max
	default:
		return g, false
	}
	if len(s.Sub) != 1 {
		return g, false
	}
	var ranges []rune
	switch c := s.Sub[0]; c.Op {
	case syntax.OpCharClass:
		ranges = c.Rune
	case syntax.OpLiteral:
		if len(c.Rune) != 1 || c.Flags&syntax.FoldCase != 0 {
			return g, false
		}
		ranges = []rune{c.Rune[0], c.Rune[0]}
	case syntax.OpAnyCharNotNL:
		ranges = []rune{0, '\n' - 1, '\n' + 1, unicode.MaxRune}
	case syntax.OpAnyChar:
		ranges = []rune{0, unicode.MaxRune}
	default:
		return g, false
	}
	wide := false // the class holds characters beyond ASCII
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
			g.set[r>>6] |= 1 << (r & 63)
		}
		if hi >= utf8.RuneSelf {
			if max(lo, utf8.RuneSelf) != utf8.RuneSelf && !wide {
				return g, false // part of the characters beyond ASCII
			}
			if hi != unicode.MaxRune {
				return g, false
			}
			wide = true
		}
	}
	if wide {
		if g.max != -1 || g.min > 1 {
			return g, false // a count of characters, not of bytes
		}
		g.set[2], g.set[3] = ^uint64(0), ^uint64(0)
	}
	return g, true
}

// setText renders a byte set for comments: [0-9A-Z_a-z] style.
func setText(set [4]uint64) string {
	var b strings.Builder
	b.WriteByte('[')
	for c := 0; c < 256; {
		if set[c>>6]&(1<<(c&63)) == 0 {
			c++
			continue
		}
		e := c
		for e+1 < 256 && set[(e+1)>>6]&(1<<((e+1)&63)) != 0 {
			e++
		}
		b.WriteString(byteText(c))
		if e > c {
			b.WriteString("-" + byteText(e))
		}
		c = e + 1
	}
	b.WriteByte(']')
	return b.String()
}

func byteText(c int) string {
	if c > ' ' && c < 0x7f && !strings.ContainsRune(`-[]\`, rune(c)) {
		return string(rune(c))
	}
	return fmt.Sprintf(`\x%02x`, c)
}

// segVar declares the segments of a simple pattern once.
func (e *emitter) segVar(pattern string, segs []segment) string {
	name := e.ident("hcSegs", "segs:"+pattern)
	if _, ok := e.vars[name]; !ok {
		var vals []jen.Code
		for _, g := range segs {
			if g.run {
				set := make([]jen.Code, 4)
				for i, w := range g.set {
					set[i] = jen.Op(fmt.Sprintf("%#x", w)) // typed by the array
				}
				vals = append(vals, jen.Values(jen.Dict{
					jen.Id("Run"): jen.True(),
					jen.Id("Set"): jen.Index(jen.Lit(4)).Uint64().Values(set...),
					jen.Id("Min"): jen.Lit(g.min),
					jen.Id("Max"): jen.Lit(g.max),
				}))
			} else {
				vals = append(vals, jen.Values(jen.Dict{jen.Id("Lit"): jen.Lit(g.lit)}))
			}
		}
		e.vars[name] = jen.Comment("pattern "+strings.ReplaceAll(pattern, "\n", `\n`)+", matched byte by byte").Line().Var().Id(name).Op("=").Index().Qual(RuntimePath, "Seg").Values(vals...)
	}
	return name
}

// patternMatch is the expression that tells whether text matches pattern.
func (e *emitter) patternMatch(pattern string, text jen.Code) jen.Code {
	if segs, ok := byteSegments(pattern); ok {
		return jen.Qual(RuntimePath, "MatchSegs").Call(text, jen.Id(e.segVar(pattern, segs)))
	}
	return jen.Id(e.reVar(pattern)).Dot("Match").Call(text)
}
