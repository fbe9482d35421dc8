package schemagen

import (
	"bytes"
	"fmt"
	"math/rand"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

// TestByteSegments: simple anchored patterns are cut into segments;
// patterns where taking every byte a run can would change the meaning are
// left to regexp.
func TestByteSegments(t *testing.T) {
	want := map[string]string{
		`^/v0/tickets/[^/]+$`:                `["/v0/tickets/" run([\x00-.0-\xff]){1,-1}]`,
		`^/v0/tickets/[^/]+/messages/[^/]+$`: `["/v0/tickets/" run([\x00-.0-\xff]){1,-1} "/messages/" run([\x00-.0-\xff]){1,-1}]`,
		`^a[^,]+,b$`:                         `["a" run([\x00-+\x2d-\xff]){1,-1} ",b"]`,
		`^[^/]+$`:                            `[run([\x00-.0-\xff]){1,-1}]`,
		`^[0-9]+$`:                           `[run([0-9]){1,-1}]`,
		`^[A-Za-z0-9_-]{1,64}$`:              `[run([\x2d0-9A-Z_a-z]){1,64}]`,
		`^sub_[a-z\d]{26}$`:                  `["sub_" run([0-9a-z]){26,26}]`,
		`^ctm_[a-z\d]{26}$`:                  `["ctm_" run([0-9a-z]){26,26}]`,
		`^[0-9]{4}-[0-9]{2}$`:                `[run([0-9]){4,4} "-" run([0-9]){2,2}]`,
		`^[a-z]+[0-9]*$`:                     `[run([a-z]){1,-1} run([0-9]){0,-1}]`,
		`^x.*$`:                              `["x" run([\x00-\x09\x0b-\xff]){0,-1}]`,
		`^é[^/]+$`:                           `["é" run([\x00-.0-\xff]){1,-1}]`,
		`^(pri|pro)_[a-z\d]{26}$`:            `["pr" run([io]){1,1} "_" run([0-9a-z]){26,26}]`,
		`^[a-z][0-9]$`:                       `[run([a-z]){1,1} run([0-9]){1,1}]`,
	}
	notRecognised := []string{
		`/v0/tickets/[^/]+$`, // not anchored at the start
		`^[0-9]+`,            // not anchored at the end
		`^/v0/[^/]+x$`,       // the run takes the x
		`^(?i)abc[^/]+$`,     // case folding
		`^[^/]+[^,]+$`,       // two runs that overlap
		`^[a-z]*[a-c]$`,      // a run followed by what it takes
		`^[a-z]*[0-9]?a$`,    // ... across an optional run
		`^[^é]+$`,            // part of the characters beyond ASCII
		`^[^/]{1,3}$`,        // a count of characters beyond ASCII
		`^(ab)+$`,            // a repeated group
		`^a|b$`,              // alternation
		`^\x{FFFD}$`,         // a literal regexp also matches on invalid bytes
	}
	for p, w := range want {
		segs, ok := byteSegments(p)
		if !ok {
			t.Errorf("%s: not recognised", p)
			continue
		}
		if got := fmt.Sprint(segs); got != w {
			t.Errorf("%s: segments %s, want %s", p, got, w)
		}
	}
	for _, p := range notRecognised {
		if _, ok := byteSegments(p); ok {
			t.Errorf("%s: recognised, but matching it byte by byte is not its meaning", p)
		}
	}
}

// TestByteSegmentsAgreeWithRegexp proves the byte loops equal to regexp
// end to end: validators generated for the patterns byteSegments
// recognises (and for some it leaves to regexp) answer as regexp does on
// chosen and random strings.
func TestByteSegmentsAgreeWithRegexp(t *testing.T) {
	patterns := []string{
		`^/v0/tickets/[^/]+$`, `^[0-9]+$`, `^[A-Za-z0-9_-]{1,64}$`, `^sub_[a-z\d]{26}$`, `^[0-9]{4}-[0-9]{2}$`,
		`^[a-z]+[0-9]*$`, `^x.*$`, `^é[^/]+$`, `^[a-f0-9]{8}-[a-f0-9]{4}$`, `^\d{1,3}$`, `^[^/]+/x$`, `^a?b+$`,
		`^[a-z]*x$`, // left to regexp
		// a choice of sequences, and literals anchored at one end or neither
		`^(none|[0-9]+)$`, `^(?:x|y[a-f]+)$`, `^a$|^[0-9]{2}$`, `^(sub|ctm)_[a-z]{3}$`, `^(a|b)$`, `^(pri|pro)_[a-z\d]{3}$`, `^oauth_(?:(?:token_)|(?:custom_))?[a-z]+$`, `^(evt|ev)_(a|[0-9]+)$`, `^x(ab)?$`,
		`^[0-9]+(,[0-9]+)*$`, `^[a-z0-9]+(?:-[a-z0-9]+)*$`, `^v[0-9]+(\.[0-9]+){1,2}$`, `^[a-z]+(,x[0-9]+)+$`, `^[a-z]+(_[a-z0-9]+)?$`,
		`\.deleted$`, `^sub_`, `ab`, `é$`,
	}
	set := NewSet()
	var roots []Root
	for i, p := range patterns {
		id := fmt.Sprintf("https://x.test/p%d.json", i)
		schema := fmt.Sprintf(`{"pattern": %q}`, p)
		if err := set.Add(id, []byte(schema), fmt.Sprintf("p%d.json", i)); err != nil {
			t.Fatal(err)
		}
		roots = append(roots, Root{URI: id, FuncName: fmt.Sprintf("P%d", i)})
	}
	rng := rand.New(rand.NewSource(11))
	alphabet := []string{"0", "9", "a", "f", "z", "A", "_", "-", "/", "x", "s", "u", "b", "\n", "é", "€", "1"}
	inputs := []string{"", "0", "12345", "sub_0123456789abcdefghijklmnop", "2024-05", "é/", "éa", "abc123", "x\n", "\n", "ab", "b", "bbb",
		"none", "nonee", "none1", "12", "yab", "y", "x", "sub_abc", "ctm_xyz", "ctm_xy", ".deleted", "chat.deleted", "chat.deleted.x", "a", "aé",
		"pri_abc", "pro_a1z", "prx_abc", "oauth_token_x", "oauth_custom_ab", "oauth_x", "oauth_", "oauth_token_", "evt_a", "ev_12", "ev_", "xab", "xa",
		"1,2,3", "1,,2", ",1", "1,", "a-b-c", "a--b", "-a", "v1.2", "v1.2.3", "v1.2.3.4", "v1", "ab,x1,x22", "ab,x", "ab", "ab_c1", "ab_c_d"}
	for n := 0; n < 3000; n++ {
		var b strings.Builder
		if n%3 == 0 {
			b.WriteString([]string{"sub_", "/v0/tickets/", "x", "é", "2024-", "none", "ctm_", "y", "oauth_", "oauth_token_", "pri_", "ev_"}[n%12])
		}
		for k := rng.Intn(40); k > 0; k-- {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		if n%7 == 0 {
			b.WriteString(".deleted")
		}
		inputs = append(inputs, b.String())
	}
	var cases []harnessCase
	var want []bool
	for i, p := range patterns {
		re := regexp.MustCompile(p)
		for _, in := range inputs {
			data := fmt.Sprintf("%q", in)
			if strings.ContainsRune(in, '\n') {
				data = strings.ReplaceAll(data, `\n`, `\u000a`)
			}
			cases = append(cases, harnessCase{fn: fmt.Sprintf("P%d", i), data: []byte(data)})
			want = append(want, re.MatchString(in))
		}
	}
	results := runHarness(t, set, roots, cases)
	bad := 0
	for i, r := range results {
		if r.Valid != want[i] {
			bad++
			if bad <= 10 {
				t.Errorf("%s on %s: generated %v, regexp %v", cases[i].fn, cases[i].data, r.Valid, want[i])
			}
		}
	}
}

// TestPatternForms: the other forms that run without regexp, a choice of
// byte-segment sequences and a literal anchored at one end or neither,
// and patterns of neither form.
func TestPatternForms(t *testing.T) {
	alts := map[string]string{
		`^(none|[0-9]+)$`:       `[["none"] [run([0-9]){1,-1}]]`,
		`^(?:x|y[a-f]+)$`:       `[["x"] ["y" run([a-f]){1,-1}]]`,
		`^a$|^[0-9]{2}$`:        `[["a"] [run([0-9]){2,2}]]`,
		`^(sub|ctm)_[a-z]{3}$`:  `[["sub_" run([a-z]){3,3}] ["ctm_" run([a-z]){3,3}]]`,
		`^(evt|ev)_(a|[0-9]+)$`: `[["evt_a"] ["evt_" run([0-9]){1,-1}] ["ev_a"] ["ev_" run([0-9]){1,-1}]]`,
		// a group made optional, of alternatives: with each, or without
		`^oauth_(?:(?:token_)|(?:custom_))?[a-z]+$`: `[["oauth_token_" run([a-z]){1,-1}] ["oauth_custom_" run([a-z]){1,-1}] ["oauth_" run([a-z]){1,-1}]]`,
		// factored by the parser into pr[io]: one character of a class
		`^(pri|pro)_[a-z\d]{26}$`: "",
	}
	for p, w := range alts {
		got, ok := alternativeSegments(p)
		if w == "" {
			if ok {
				t.Errorf("%s: recognised as %v", p, got)
			}
			continue
		}
		if !ok || fmt.Sprint(got) != w {
			t.Errorf("%s: %v (%v), want %s", p, got, ok, w)
		}
	}
	for _, p := range []string{`^(a|[a-z]+x)$`, `^(a|b)+$`, `^[0-9]+(,[0-9]+)*$`, `a|b`, `^([0-9]+\.?[0-9]*|\.[0-9]+)s$`, `^(a1|b2|c3)(d4|e5|f6)$`} {
		if got, ok := alternativeSegments(p); ok {
			t.Errorf("%s: recognised as %v, but an alternative is not a byte sequence, or there are more than %d", p, got, maxAlternatives)
		}
	}
	seps := map[string]string{
		`^[0-9]+(,[0-9]+)*$`:         `',' [run([0-9]){1,-1}] [run([0-9]){1,-1}] {0,-1}`,
		`^[a-z0-9]+(?:-[a-z0-9]+)*$`: `'-' [run([0-9a-z]){1,-1}] [run([0-9a-z]){1,-1}] {0,-1}`,
		`^v[0-9]+(\.[0-9]+){1,2}$`:   `'.' ["v" run([0-9]){1,-1}] [run([0-9]){1,-1}] {1,2}`,
		`^[a-z]+(,x[0-9]+)+$`:        `',' [run([a-z]){1,-1}] ["x" run([0-9]){1,-1}] {1,-1}`,
		`^[a-z]+(_[a-z0-9]+)?$`:      `'_' [run([a-z]){1,-1}] [run([0-9a-z]){1,-1}] {0,1}`,
	}
	for p, w := range seps {
		sp, ok := separatedSegments(p)
		if got := fmt.Sprintf("%q %v %v {%d,%d}", sp.sep, sp.head, sp.rest, sp.min, sp.max); !ok || got != w {
			t.Errorf("%s: %s (%v), want %s", p, got, ok, w)
		}
	}
	for _, p := range []string{`^[0-9,]+(,[0-9]+)*$`, `^[0-9]+(,[0-9,]+)*$`, `^[0-9]+(,[0-9]+)*x$`, `^[0-9]+(é[0-9]+)*$`, `^(,[0-9]+)*$`, `^[0-9]+(?i:,a)*$`, `^[0-9]+(,)*$`} {
		if sp, ok := separatedSegments(p); ok {
			t.Errorf("%s: recognised as %+v, but a piece can hold the separator, or it is not the form", p, sp)
		}
	}
	lits := map[string]string{
		`\.deleted$`: `HasSuffix ".deleted"`,
		`^evt_`:      `HasPrefix "evt_"`,
		`webhook`:    `Contains "webhook"`,
		`é$`:         `HasSuffix "é"`,
	}
	for p, w := range lits {
		test, lit, ok := literalTest(p)
		if got := fmt.Sprintf("%s %q", test, lit); !ok || got != w {
			t.Errorf("%s: %s (%v), want %s", p, got, ok, w)
		}
	}
	for _, p := range []string{`(?i)abc$`, `^$`, `^abc$`, `a+$`, `\x{FFFD}$`, `^a|b`} {
		if test, lit, ok := literalTest(p); ok {
			t.Errorf("%s: recognised as %s %q", p, test, lit)
		}
	}
}

// FuzzPatternForms attacks the recognisers with patterns and texts: where
// byteSegments, alternativeSegments or literalTest takes a pattern, the
// matcher it stands for (hcrt.MatchSegs, an OR of them, a bytes test)
// answers as regexp does on every valid UTF-8 text (what a payload's
// strings are).
func FuzzPatternForms(f *testing.F) {
	for _, p := range []string{`^(none|[0-9]+)$`, `^oauth_(?:(?:token_)|(?:custom_))?[a-z]+$`, `\.deleted$`, `^sub_[a-z\d]{26}$`,
		`^(pri|pro)_[a-z\d]{3}$`, `^[a-z]*[0-9]?a$`, `^x(ab)?$`, `^a$|^[0-9]{2}$`, `^(a|ab)(c|bcd)$`, `é$`, `^[^/]+/x$`,
		`^[0-9]+(,[0-9]+)*$`, `^[a-z0-9]+(?:-[a-z0-9]+){0,3}$`, `^v[0-9]+(\.[0-9]+)+$`, `(?i)abc`, `(?i)^x`} {
		f.Add(p, "none")
		f.Add(p, "oauth_token_ab")
		f.Add(p, "x.deleted")
		f.Add(p, "abcd")
		f.Add(p, "1,22,333")
		f.Add(p, "a-b-c")
	}
	f.Fuzz(func(t *testing.T, pattern, text string) {
		if !utf8.ValidString(text) || len(pattern) > 64 {
			return
		}
		re, err := regexp.Compile(pattern)
		if err != nil {
			return
		}
		want := re.MatchString(text)
		b := []byte(text)
		if segs, ok := byteSegments(pattern); ok {
			if got := hcrt.MatchSegs(b, runtimeSegs(segs)); got != want {
				t.Fatalf("%q on %q: segments %v say %v, regexp %v", pattern, text, segs, got, want)
			}
		}
		if alts, ok := alternativeSegments(pattern); ok {
			got := false
			for _, segs := range alts {
				got = got || hcrt.MatchSegs(b, runtimeSegs(segs))
			}
			if got != want {
				t.Fatalf("%q on %q: alternatives %v say %v, regexp %v", pattern, text, alts, got, want)
			}
		}
		// the form patternMatch emits: the first that applies, or regexp
		if f := formOf(pattern); f.segs != nil || f.alts != nil || f.sep != nil || f.test != "" {
			if got := matchForm(b, f); got != want {
				t.Fatalf("%q on %q: its form %+v says %v, regexp %v", pattern, text, f, got, want)
			}
		}
		if sp, ok := separatedSegments(pattern); ok {
			if got := matchSeparated(b, sp); got != want {
				t.Fatalf("%q on %q: separated %+v says %v, regexp %v", pattern, text, sp, got, want)
			}
		}
		if test, lit, ok := literalTest(pattern); ok {
			var got bool
			switch test {
			case "HasPrefix":
				got = bytes.HasPrefix(b, lit)
			case "HasSuffix":
				got = bytes.HasSuffix(b, lit)
			case "Contains":
				got = bytes.Contains(b, lit)
			}
			if got != want {
				t.Fatalf("%q on %q: %s %q says %v, regexp %v", pattern, text, test, lit, got, want)
			}
		}
	})
}

// matchForm is what the code patternMatch emits for form f does.
func matchForm(b []byte, f patternForm) bool {
	switch {
	case f.segs != nil:
		return hcrt.MatchSegs(b, runtimeSegs(f.segs))
	case f.alts != nil:
		for _, segs := range f.alts {
			if hcrt.MatchSegs(b, runtimeSegs(segs)) {
				return true
			}
		}
		return false
	case f.sep != nil:
		return matchSeparated(b, *f.sep)
	}
	switch f.test {
	case "HasPrefix":
		return bytes.HasPrefix(b, f.lit)
	case "HasSuffix":
		return bytes.HasSuffix(b, f.lit)
	}
	return bytes.Contains(b, f.lit)
}

// matchSeparated is what the function separatedFunc declares does.
func matchSeparated(s []byte, sp separated) bool {
	parts := bytes.Split(s, []byte{sp.sep})
	if n := len(parts) - 1; n < sp.min || (sp.max >= 0 && n > sp.max) {
		return false
	}
	if !hcrt.MatchSegs(parts[0], runtimeSegs(sp.head)) {
		return false
	}
	for _, p := range parts[1:] {
		if !hcrt.MatchSegs(p, runtimeSegs(sp.rest)) {
			return false
		}
	}
	return true
}

// runtimeSegs is segs as the generated code declares them.
func runtimeSegs(segs []segment) []hcrt.Seg {
	out := make([]hcrt.Seg, len(segs))
	for i, g := range segs {
		out[i] = hcrt.Seg{Lit: g.lit, Run: g.run, Set: g.set, Min: g.min, Max: g.max}
	}
	return out
}

// The recognisers on a pattern's text, for the tests (formOf parses a
// pattern once for all of them).
func parsed(pattern string) (*syntax.Regexp, bool) {
	re, err := syntax.Parse(pattern, syntax.Perl)
	return re, err == nil
}

func byteSegments(pattern string) ([]segment, bool) {
	if re, ok := parsed(pattern); ok {
		return segmentsOf(re)
	}
	return nil, false
}

func alternativeSegments(pattern string) ([][]segment, bool) {
	if re, ok := parsed(pattern); ok {
		return alternativesOf(re)
	}
	return nil, false
}

func separatedSegments(pattern string) (separated, bool) {
	if re, ok := parsed(pattern); ok {
		return separatedOf(re)
	}
	return separated{}, false
}

func literalTest(pattern string) (string, []byte, bool) {
	if re, ok := parsed(pattern); ok {
		return literalOf(re)
	}
	return "", nil, false
}
