package schemagen

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
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

// segmentsOf recognises patterns anchored at both ends that are a
// sequence of literals and runs of one character class ([0-9]+,
// [A-Za-z0-9_-]{1,64}, \d{26}, [^/]+, .*), where no run can end where the
// next piece begins: the bytes a run takes never start what follows it
// (the next literal, or the runs up to and including the next one that
// must take at least one byte). Then taking every byte a run can, up to
// its maximum, is the only way to match, and hcrt.MatchSegs gives the answer
// regexp would give with one pass over the bytes. A class with
// characters beyond ASCII must hold every one of them (it then takes every
// byte of a UTF-8 sequence, and an invalid byte, which regexp reads as
// U+FFFD) and bound nothing but "at least one"; counts of an ASCII class
// are byte counts, equal to character counts.
func segmentsOf(re *syntax.Regexp) ([]segment, bool) {
	if re.Op != syntax.OpConcat || len(re.Sub) < 3 {
		return nil, false
	}
	subs := re.Sub
	if subs[0].Op != syntax.OpBeginText || subs[len(subs)-1].Op != syntax.OpEndText {
		return nil, false
	}
	var segs []segment
	for _, s := range flatten(subs[1 : len(subs)-1]) {
		if s.Op == syntax.OpLiteral {
			b, ok := literalBytes(s)
			if !ok {
				return nil, false
			}
			if n := len(segs); n > 0 && !segs[n-1].run {
				segs[n-1].lit += string(b)
			} else {
				segs = append(segs, segment{lit: string(b)})
			}
			continue
		}
		if s.Op == syntax.OpEmptyMatch {
			continue // an empty branch of a choice
		}
		if s.Op == syntax.OpCharClass || s.Op == syntax.OpAnyCharNotNL || s.Op == syntax.OpAnyChar {
			s = &syntax.Regexp{Op: syntax.OpRepeat, Min: 1, Max: 1, Sub: []*syntax.Regexp{s}} // one character of the class
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

// flatten splices groups into the sequence they are part of: (abc) and
// (?:a[0-9]+) are their contents, in place.
func flatten(subs []*syntax.Regexp) []*syntax.Regexp {
	var out []*syntax.Regexp
	for _, s := range subs {
		switch s.Op {
		case syntax.OpCapture:
			out = append(out, flatten(s.Sub)...)
		case syntax.OpConcat:
			out = append(out, flatten(s.Sub)...)
		default:
			out = append(out, s)
		}
	}
	return out
}

// literalBytes is the UTF-8 text of a literal that matches exactly its
// bytes: not folding case, and without U+FFFD (which regexp also matches
// on an invalid byte).
func literalBytes(s *syntax.Regexp) ([]byte, bool) {
	if s.Op != syntax.OpLiteral || s.Flags&syntax.FoldCase != 0 {
		return nil, false
	}
	var b []byte
	for _, r := range s.Rune {
		if r == utf8.RuneError {
			return nil, false
		}
		b = utf8.AppendRune(b, r)
	}
	return b, len(b) > 0
}

// alternativesOf recognises a pattern that is a choice of patterns
// segmentsOf recognises: anchored at both ends as a whole, with groups
// of alternatives in it (^(none|[0-9]+)$, ^(sub|ctm)_[a-z]{26}$: every
// combination of their branches, at most maxAlternatives), or a choice of
// patterns each anchored (^a$|^[0-9]+$). The text matches it when it
// matches one of them, whatever their order.
func alternativesOf(re *syntax.Regexp) ([][]segment, bool) {
	var anchored []*syntax.Regexp // each alternative, anchored
	switch {
	case re.Op == syntax.OpAlternate:
		anchored = re.Sub
	case re.Op == syntax.OpConcat && len(re.Sub) >= 3 && re.Sub[0].Op == syntax.OpBeginText && re.Sub[len(re.Sub)-1].Op == syntax.OpEndText:
		seqs := [][]*syntax.Regexp{nil}
		for _, part := range flatten(re.Sub[1 : len(re.Sub)-1]) {
			branches := []*syntax.Regexp{part}
			switch {
			case part.Op == syntax.OpAlternate:
				branches = part.Sub
			case part.Op == syntax.OpQuest && !isRun(part):
				// an optional group: with it, or without
				branches = []*syntax.Regexp{part.Sub[0], {Op: syntax.OpEmptyMatch}}
				if inner := unwrap(part.Sub[0]); inner.Op == syntax.OpAlternate {
					branches = append(slices.Clip(inner.Sub), branches[1])
				}
			}
			if len(seqs)*len(branches) > maxAlternatives {
				return nil, false
			}
			var next [][]*syntax.Regexp
			for _, seq := range seqs {
				for _, b := range branches {
					next = append(next, append(slices.Clip(seq), b))
				}
			}
			seqs = next
		}
		for _, seq := range seqs {
			parts := append(append([]*syntax.Regexp{re.Sub[0]}, seq...), re.Sub[len(re.Sub)-1])
			anchored = append(anchored, &syntax.Regexp{Op: syntax.OpConcat, Sub: parts})
		}
	default:
		return nil, false
	}
	var alts [][]segment
	for _, a := range anchored {
		segs, ok := segmentsOf(a)
		if !ok {
			return nil, false
		}
		alts = append(alts, segs)
	}
	return alts, len(alts) > 1
}

// isRun tells whether s is a repeated character (runOf reads it).
func isRun(s *syntax.Regexp) bool {
	_, ok := runOf(s)
	return ok
}

// unwrap is s without the groups around it.
func unwrap(s *syntax.Regexp) *syntax.Regexp {
	for s.Op == syntax.OpCapture {
		s = s.Sub[0]
	}
	return s
}

// maxAlternatives bounds the sequences alternativesOf makes of one
// pattern: each is one more pass over the text.
const maxAlternatives = 8

// separated is a pattern ^H(cR)*$ whose group starts with a byte c that
// neither H nor R can hold (^[0-9]+(,[0-9]+)*$, ^[a-z0-9]+(?:-[a-z0-9]+)*$,
// ^[0-9]+(\.[0-9]+){0,3}$): every c of a matching text is a separator, so
// the text matches when the piece before its first c matches H and each
// piece after a c matches R, with min to max of them (max -1: no limit).
type separated struct {
	sep        byte
	head, rest []segment
	min, max   int
}

// separatedOf recognises such a pattern, H and R each a sequence
// segmentsOf recognises.
func separatedOf(re *syntax.Regexp) (separated, bool) {
	var sp separated
	if re.Op != syntax.OpConcat || len(re.Sub) < 4 {
		return sp, false
	}
	subs := re.Sub
	begin, end, group := subs[0], subs[len(subs)-1], subs[len(subs)-2]
	if begin.Op != syntax.OpBeginText || end.Op != syntax.OpEndText {
		return sp, false
	}
	var ok bool
	if sp.min, sp.max, ok = repetition(group); !ok {
		return sp, false
	}
	body := flatten([]*syntax.Regexp{group.Sub[0]})
	if len(body) < 2 || body[0].Op != syntax.OpLiteral || body[0].Flags&syntax.FoldCase != 0 || body[0].Rune[0] >= utf8.RuneSelf {
		return sp, false
	}
	sp.sep = byte(body[0].Rune[0])
	restParts := body[1:]
	if len(body[0].Rune) > 1 {
		tail := &syntax.Regexp{Op: syntax.OpLiteral, Rune: body[0].Rune[1:]}
		restParts = append([]*syntax.Regexp{tail}, restParts...)
	}
	anchor := func(parts []*syntax.Regexp) *syntax.Regexp {
		return &syntax.Regexp{Op: syntax.OpConcat, Sub: append(append([]*syntax.Regexp{begin}, parts...), end)}
	}
	if sp.head, ok = segmentsOf(anchor(subs[1 : len(subs)-2])); !ok {
		return sp, false
	}
	if sp.rest, ok = segmentsOf(anchor(restParts)); !ok {
		return sp, false
	}
	for _, g := range append(slices.Clip(sp.head), sp.rest...) {
		if g.run && g.set[sp.sep>>6]&(1<<(sp.sep&63)) != 0 || !g.run && strings.IndexByte(g.lit, sp.sep) >= 0 {
			return sp, false // a piece can hold the separator
		}
	}
	return sp, true
}

// separatedFunc declares the function that matches a separated pattern.
func (e *emitter) separatedFunc(pattern string, sp separated) string {
	name := e.ident("hcSep", "sep:"+pattern)
	if _, ok := e.vars[name]; ok {
		return name
	}
	var head, rest string
	if fmt.Sprint(sp.head) == fmt.Sprint(sp.rest) {
		head = e.segVar(pattern, "each piece", sp.head)
		rest = head
	} else {
		head, rest = e.segVar(pattern, "the piece before a separator", sp.head), e.segVar(pattern, "each piece after a separator", sp.rest)
	}
	match := func(s jen.Code, segs string) *jen.Statement {
		return jen.Qual(RuntimePath, "MatchSegs").Call(s, jen.Id(segs))
	}
	var sepLit jen.Code = jen.LitRune(rune(sp.sep))
	if sp.sep < ' ' || sp.sep == 0x7f {
		sepLit = jen.LitByte(sp.sep)
	}
	index := jen.Id("j").Op("=").Qual("bytes", "IndexByte").Call(jen.Id("s"), sepLit)
	counted := sp.max >= 0 || sp.min > 1 // n, the pieces after a separator so far
	var loop []jen.Code
	loop = append(loop, jen.Id("s").Op("=").Id("s").Index(jen.Id("j").Op("+").Lit(1), jen.Empty()))
	if counted {
		loop = append(loop, jen.Id("n").Op("++"))
	}
	if sp.max >= 0 {
		loop = append(loop, jen.If(jen.Id("n").Op(">").Lit(sp.max)).Block(jen.Return(jen.False())))
	}
	last := match(jen.Id("s"), rest)
	if sp.min > 1 {
		last = jen.Id("n").Op(">=").Lit(sp.min).Op("&&").Add(last)
	}
	loop = append(loop, index.Clone(),
		jen.If(jen.Id("j").Op("<").Lit(0)).Block(jen.Return(last)),
		jen.If(jen.Op("!").Add(match(jen.Id("s").Index(jen.Empty(), jen.Id("j")), rest))).Block(jen.Return(jen.False())),
	)
	var none jen.Code = jen.False() // a text without a separator: H alone
	if sp.min == 0 {
		none = match(jen.Id("s"), head)
	}
	body := []jen.Code{
		jen.Id("j").Op(":=").Qual("bytes", "IndexByte").Call(jen.Id("s"), sepLit),
		jen.If(jen.Id("j").Op("<").Lit(0)).Block(jen.Return(none)),
		jen.If(jen.Op("!").Add(match(jen.Id("s").Index(jen.Empty(), jen.Id("j")), head))).Block(jen.Return(jen.False())),
	}
	if counted {
		body = append(body, jen.Id("n").Op(":=").Lit(0))
	}
	body = append(body, jen.For().Block(loop...))
	e.vars[name] = jen.Commentf("%s matches pattern %s: the pieces between the separators %q byte by byte.", name, strings.ReplaceAll(pattern, "\n", `\n`), string(sp.sep)).Line().
		Func().Id(name).Params(jen.Id("s").Index().Byte()).Bool().Block(body...)
	return name
}

// literalOf recognises a literal anchored at one end or neither
// (\.deleted$, ^evt_, webhook): the bytes.HasSuffix, HasPrefix or
// Contains test that is its meaning, on valid UTF-8 (what a payload's
// strings are).
func literalOf(re *syntax.Regexp) (test string, lit []byte, ok bool) {
	switch {
	case re.Op == syntax.OpLiteral:
		lit, ok = literalBytes(re)
		return "Contains", lit, ok
	case re.Op != syntax.OpConcat || len(re.Sub) != 2:
		return "", nil, false
	case re.Sub[0].Op == syntax.OpBeginText:
		lit, ok = literalBytes(re.Sub[1])
		return "HasPrefix", lit, ok
	case re.Sub[1].Op == syntax.OpEndText:
		lit, ok = literalBytes(re.Sub[0])
		return "HasSuffix", lit, ok
	}
	return "", nil, false
}

// repetition is how many times s repeats what it holds: + * ? {n,m} (max
// -1: no limit).
func repetition(s *syntax.Regexp) (min, max int, ok bool) {
	switch s.Op {
	case syntax.OpPlus:
		return 1, -1, true
	case syntax.OpStar:
		return 0, -1, true
	case syntax.OpQuest:
		return 0, 1, true
	case syntax.OpRepeat:
		return s.Min, s.Max, true
	}
	return 0, 0, false
}

// runOf reads a repeated character class: C+ C* C? C{n,m}, with C a class,
// a single character or . (not matching newline).
func runOf(s *syntax.Regexp) (segment, bool) {
	g := segment{run: true}
	var ok bool
	if g.min, g.max, ok = repetition(s); !ok || len(s.Sub) != 1 {
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

// segVar declares the segments of a simple pattern once, or of the part
// of it part names ("" for the whole pattern).
func (e *emitter) segVar(pattern, part string, segs []segment) string {
	key, what := pattern, "pattern "+strings.ReplaceAll(pattern, "\n", `\n`)
	if part != "" {
		key = pattern + "|" + part
		what = part + " of " + what
	}
	name := e.ident("hcSegs", "segs:"+key)
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
		e.vars[name] = jen.Comment(what+", matched byte by byte").Line().Var().Id(name).Op("=").Index().Qual(RuntimePath, "Seg").Values(vals...)
	}
	return name
}

// patternForm is how a pattern is matched without regexp: one of its
// fields is set, or none (regexp).
type patternForm struct {
	segs []segment   // a sequence of literals and runs (segmentsOf)
	alts [][]segment // a choice of such sequences (alternativesOf)
	sep  *separated  // such sequences between separators (separatedOf)
	test string      // a literal anchored at one end or neither (literalOf)
	lit  []byte
}

// formOf parses pattern once and finds its form, the first that applies.
func formOf(pattern string) patternForm {
	var f patternForm
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return f
	}
	if segs, ok := segmentsOf(re); ok {
		f.segs = segs
		return f
	}
	if alts, ok := alternativesOf(re); ok {
		f.alts = alts
		return f
	}
	if sp, ok := separatedOf(re); ok {
		f.sep = &sp
		return f
	}
	if test, lit, ok := literalOf(re); ok {
		f.test, f.lit = test, lit
	}
	return f
}

// patternMatch is the expression that tells whether text matches pattern,
// in the pattern's form (see formOf; found once per pattern).
func (e *emitter) patternMatch(pattern string, text jen.Code) jen.Code {
	f, ok := e.forms[pattern]
	if !ok {
		f = formOf(pattern)
		if e.forms == nil {
			e.forms = map[string]patternForm{}
		}
		e.forms[pattern] = f
	}
	switch {
	case f.segs != nil:
		return jen.Qual(RuntimePath, "MatchSegs").Call(text, jen.Id(e.segVar(pattern, "", f.segs)))
	case f.alts != nil:
		// text (a variable, or st.Text of a node: the same bytes each
		// time) is tried against each alternative in turn
		or := jen.Null()
		for i, segs := range f.alts {
			if i > 0 {
				or.Op("||")
			}
			or.Qual(RuntimePath, "MatchSegs").Call(text, jen.Id(e.segVar(pattern, fmt.Sprintf("alternative %d", i+1), segs)))
		}
		return jen.Parens(or)
	case f.sep != nil:
		return jen.Id(e.separatedFunc(pattern, *f.sep)).Call(text)
	case f.test != "":
		return jen.Qual("bytes", f.test).Call(text, jen.Id(e.litVar(f.lit)))
	}
	return jen.Id(e.reVar(pattern)).Dot("Match").Call(text)
}

// matches tells whether pattern matches name, a text known when the code
// is generated, by regexp: what every matcher of the pattern agrees with.
// ok is false for a pattern regexp does not compile.
func (e *emitter) matches(pattern, name string) (match, ok bool) {
	re, seen := e.compiled[pattern]
	if !seen {
		re, _ = regexp.Compile(pattern)
		if e.compiled == nil {
			e.compiled = map[string]*regexp.Regexp{}
		}
		e.compiled[pattern] = re
	}
	if re == nil {
		return false, false
	}
	return re.MatchString(name), true
}

// litVar declares the bytes of a pattern's literal once.
func (e *emitter) litVar(lit []byte) string {
	name := e.ident("hcLit", "lit:"+string(lit))
	if _, ok := e.vars[name]; !ok {
		e.vars[name] = jen.Comment("literal of a pattern, matched without regexp").Line().Var().Id(name).Op("=").Index().Byte().Parens(jen.Lit(string(lit)))
	}
	return name
}
