package schemagen

import (
	"regexp"
	"testing"
)

// TestASCIIRun: a recognised pattern's set holds exactly the ASCII bytes
// the regexp accepts as a one-byte string, and its empty flag is whether
// the regexp accepts "". Patterns that are not one anchored ASCII run are
// left to the regexp.
func TestASCIIRun(t *testing.T) {
	for _, p := range []string{`^[0-9]+$`, `^[a-z_]*$`, `^[A-Fa-f0-9]+$`, `^\d+$`, `^[^/]+$`, `^[0-9]+(,[0-9]+)*$`, `^\$?[0-9]+$`, `[0-9]+`, `^[é]+$`, `^(none|[0-9]+)$`, `^[0-9]+$|x`} {
		set, empty, ok := asciiRun(p)
		re := regexp.MustCompile(p)
		want := map[string]bool{`^[0-9]+$`: true, `^[a-z_]*$`: true, `^[A-Fa-f0-9]+$`: true, `^\d+$`: true}[p]
		if ok != want {
			t.Errorf("%s: recognised %v, want %v", p, ok, want)
			continue
		}
		if !ok {
			continue
		}
		if empty != re.MatchString("") {
			t.Errorf("%s: empty %v, regexp says %v", p, empty, re.MatchString(""))
		}
		for c := 0; c < 128; c++ {
			in := set[c>>6]&(1<<(c&63)) != 0
			if in != re.MatchString(string(rune(c))) {
				t.Errorf("%s: byte %q in set %v, regexp says %v", p, rune(c), in, !in)
			}
		}
	}
}
