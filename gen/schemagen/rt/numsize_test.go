package rt

import (
	"math/rand"
	"regexp"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/contracttest"
)

// TestNumberBoundsAreTheRunners: the runtime's bounds on numbers are the
// contract test runner's documented ones.
func TestNumberBoundsAreTheRunners(t *testing.T) {
	if hcMaxNumberChars != contracttest.MaxNumberChars || hcMaxExponentDigits != contracttest.MaxExponentDigits {
		t.Errorf("runtime bounds %d characters, %d exponent digits; contracttest's %d, %d",
			hcMaxNumberChars, hcMaxExponentDigits, contracttest.MaxNumberChars, contracttest.MaxExponentDigits)
	}
}

var position = regexp.MustCompile(`^(line \d+, )?column \d+: `)

// TestNumberSizeAgreesWithRunner: on numbers at and around the bounds
// (and random ones near them), the runtime's scanner and the contract
// test runner's decoder refuse the same numbers, with the same
// number-size violation at the same pointer and the same message.
func TestNumberSizeAgreesWithRunner(t *testing.T) {
	suite, err := contracttest.Embedded()
	if err != nil {
		t.Fatal(err)
	}
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
		var rtv, runv []Violation
		for _, v := range run(body) {
			if v.Keyword == "number-size" {
				rtv = append(rtv, v)
			}
		}
		for _, v := range suite.Check([]byte(body), contracttest.CheckOptions{}).Violations {
			if v.Keyword == "number-size" {
				// The runner's message starts with the number's position.
				msg := position.ReplaceAllString(v.Message, "")
				runv = append(runv, Violation{Pointer: v.Pointer, Keyword: v.Keyword, Message: msg})
			}
		}
		if len(rtv) != len(runv) || len(rtv) > 1 || (len(rtv) == 1 && rtv[0] != runv[0]) {
			t.Errorf("%.30s... (%d characters): runtime %+v, runner %+v", tc.lit, len(tc.lit), rtv, runv)
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
