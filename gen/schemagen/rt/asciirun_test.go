package rt

import (
	"regexp"
	"testing"
)

func TestMatchASCIIRun(t *testing.T) {
	var lo, hi uint64
	for c := '0'; c <= '9'; c++ {
		lo |= 1 << c
	}
	hi |= 1 << ('_' - 64)
	re := regexp.MustCompile(`^[0-9_]+$`)
	for _, s := range []string{"", "0", "123", "12a", "_1", "１２", "12\n", "\x00", "9_9", "é"} {
		if got, want := hcMatchASCIIRun([]byte(s), lo, hi, false), re.MatchString(s); got != want {
			t.Errorf("%q: %v, regexp says %v", s, got, want)
		}
	}
	if !hcMatchASCIIRun(nil, lo, hi, true) || hcMatchASCIIRun(nil, lo, hi, false) {
		t.Error("empty run")
	}
}
