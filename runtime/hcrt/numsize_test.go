package hcrt

import (
	"math/rand"
	"strings"
	"testing"
)

// TestNumberSize: the runtime's scanner refuses numbers beyond its bounds
// (and only those), with one number-size violation at the number's
// pointer. That the runner, the generated Validate and the generated
// handler agree on the same numbers is bench's TestNumberBoundsAgree; the
// runner's bounds are these constants (contracttest.MaxNumberChars).
func TestNumberSize(t *testing.T) {
	digits := func(n int) string { return "1" + strings.Repeat("7", n-1) }
	lits := []struct {
		lit     string
		refused bool
	}{
		{digits(1000), false},
		{digits(1001), true},
		{"-" + digits(999), false},
		{"-" + digits(1000), true},
		{"0." + digits(998), false},
		{"0." + digits(999), true},
		{"-0." + digits(997), false},
		{digits(1000) + "e9999", false},
		{digits(1001) + "e1", true},
		{"1e9999", false},
		{"1e-9999", false},
		{"1E+9999", false},
		{"1e10000", true},
		{"1e-10000", true},
		{"1e+10000", true},
		{"1e0000009999", false},
		{"1e00010000", true},
		{"1e0", false},
		{"1e00000", false},
		{"-0.5e-0", false},
		{"1.5e" + strings.Repeat("9", 30), true},
	}
	rng := rand.New(rand.NewSource(6))
	for range 200 {
		lit := digits(990 + rng.Intn(20))
		if rng.Intn(2) == 0 {
			lit = lit[:1+rng.Intn(len(lit)-1)] + "." + lit[len(lit)/2:]
		}
		if rng.Intn(2) == 0 {
			lit += "e" + strings.Repeat("0", rng.Intn(3)) + digits(1+rng.Intn(6))
		}
		lits = append(lits, struct {
			lit     string
			refused bool
		}{lit, false})
	}
	for i, tc := range lits {
		body := `{"a": [true, ` + tc.lit + `]}`
		var rtv []Violation
		for _, v := range run(body) {
			if v.Keyword == "number-size" {
				rtv = append(rtv, v)
			}
		}
		if len(rtv) > 1 {
			t.Errorf("%.30s... (%d characters): %d number-size violations, want at most one", tc.lit, len(tc.lit), len(rtv))
			continue
		}
		if i < len(lits)-200 && (len(rtv) == 1) != tc.refused {
			t.Errorf("%.30s... (%d characters): refused %v, want %v", tc.lit, len(tc.lit), len(rtv) == 1, tc.refused)
		}
		if len(rtv) == 1 && rtv[0].Pointer != "/a/1" {
			t.Errorf("%.30s...: pointer %q, want /a/1", tc.lit, rtv[0].Pointer)
		}
	}
}
