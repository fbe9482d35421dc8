package schemagen

import (
	"regexp/syntax"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"
)

// segment is one piece of a path-like pattern; see rt/segments.go.
type segment struct {
	lit  string
	stop byte
	run  bool
}

// pathSegments recognises patterns anchored at both ends that are a
// sequence of literals and runs of "any character but one ASCII byte"
// ([^/]+), where every run is followed by the end or by a literal starting
// with that byte. Such a pattern matches exactly when cutting each run at
// its first stop byte matches, which hcMatchSegs checks without a regexp.
func pathSegments(pattern string) ([]segment, bool) {
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
		switch {
		case s.Op == syntax.OpLiteral && s.Flags&syntax.FoldCase == 0:
			var b []byte
			for _, r := range s.Rune {
				b = utf8.AppendRune(b, r)
			}
			if n := len(segs); n > 0 && !segs[n-1].run {
				segs[n-1].lit += string(b)
			} else {
				segs = append(segs, segment{lit: string(b)})
			}
		case s.Op == syntax.OpPlus && len(s.Sub) == 1 && s.Sub[0].Op == syntax.OpCharClass:
			c, ok := allButOne(s.Sub[0].Rune)
			if !ok {
				return nil, false
			}
			segs = append(segs, segment{stop: c, run: true})
		default:
			return nil, false
		}
	}
	for i, g := range segs {
		if !g.run {
			continue
		}
		if i+1 < len(segs) && (segs[i+1].run || segs[i+1].lit == "" || segs[i+1].lit[0] != g.stop) {
			return nil, false
		}
	}
	return segs, len(segs) > 0
}

// allButOne reports whether a character class is every rune but one ASCII
// byte, and which.
func allButOne(ranges []rune) (byte, bool) {
	if len(ranges) != 4 || ranges[0] != 0 || ranges[3] != unicode.MaxRune || ranges[1]+2 != ranges[2] {
		return 0, false
	}
	c := ranges[1] + 1
	if c >= utf8.RuneSelf {
		return 0, false
	}
	return byte(c), true
}

// segVar declares the segments of a path-like pattern once.
func (e *emitter) segVar(pattern string, segs []segment) string {
	name := e.ident("hcSegs", "segs:"+pattern)
	if _, ok := e.vars[name]; !ok {
		var vals []jen.Code
		for _, g := range segs {
			if g.run {
				vals = append(vals, jen.Values(jen.Dict{jen.Id("stop"): jen.Lit(g.stop), jen.Id("run"): jen.True()}))
			} else {
				vals = append(vals, jen.Values(jen.Dict{jen.Id("lit"): jen.Lit(g.lit)}))
			}
		}
		e.vars[name] = jen.Comment("path-like pattern " + pattern).Line().Var().Id(name).Op("=").Index().Id("hcSeg").Values(vals...)
	}
	return name
}

// asciiRun recognises patterns that are one run of an ASCII character
// class anchored at both ends (^[0-9]+$, ^[a-z_]*$), with the class as a
// 128-bit set and whether the run may be empty.
func asciiRun(pattern string) (set [2]uint64, empty bool, ok bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil || re.Op != syntax.OpConcat || len(re.Sub) != 3 ||
		re.Sub[0].Op != syntax.OpBeginText || re.Sub[2].Op != syntax.OpEndText {
		return set, false, false
	}
	run := re.Sub[1]
	if (run.Op != syntax.OpPlus && run.Op != syntax.OpStar) || len(run.Sub) != 1 || run.Sub[0].Op != syntax.OpCharClass {
		return set, false, false
	}
	r := run.Sub[0].Rune
	for i := 0; i+1 < len(r); i += 2 {
		if r[i+1] >= utf8.RuneSelf {
			return set, false, false
		}
		for c := r[i]; c <= r[i+1]; c++ {
			set[c>>6] |= 1 << (c & 63)
		}
	}
	return set, run.Op == syntax.OpStar, true
}

// patternMatch is the expression that tells whether text matches pattern.
func (e *emitter) patternMatch(pattern string, text jen.Code) jen.Code {
	if segs, ok := pathSegments(pattern); ok {
		return jen.Id("hcMatchSegs").Call(text, jen.Id(e.segVar(pattern, segs)))
	}
	if set, empty, ok := asciiRun(pattern); ok {
		return jen.Id("hcMatchASCIIRun").Call(text, jen.Lit(set[0]), jen.Lit(set[1]), jen.Lit(empty))
	}
	return jen.Id(e.reVar(pattern)).Dot("Match").Call(text)
}
