package hcrt

import (
	"math/rand"
	"regexp"
	"testing"
)

// class builds the byte set of the ASCII characters in chars, plus every
// byte from 0x80 when wide.
func class(chars string, wide bool) [4]uint64 {
	var set [4]uint64
	for i := 0; i < len(chars); i++ {
		set[chars[i]>>6] |= 1 << (chars[i] & 63)
	}
	if wide {
		set[2], set[3] = ^uint64(0), ^uint64(0)
	}
	return set
}

func allBut(c byte) [4]uint64 {
	var set [4]uint64
	for b := 0; b < 256; b++ {
		if byte(b) != c {
			set[b>>6] |= 1 << (b & 63)
		}
	}
	return set
}

// TestMatchSegsAgreesWithRegexp: on the patterns the compiler cuts into
// segments, MatchSegs answers as regexp does, on chosen inputs and on
// random strings over each pattern's alphabet (newlines, non-ASCII and
// invalid UTF-8 included).
func TestMatchSegsAgreesWithRegexp(t *testing.T) {
	digits := class("0123456789", false)
	lowerDigit := class("abcdefghijklmnopqrstuvwxyz0123456789", false)
	ident := class("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", false)
	cases := map[string][]Seg{
		`^/v0/tickets/[^/]+$`:                {{Lit: "/v0/tickets/"}, {Run: true, Set: allBut('/'), Min: 1, Max: -1}},
		`^/v0/tickets/[^/]+/messages/[^/]+$`: {{Lit: "/v0/tickets/"}, {Run: true, Set: allBut('/'), Min: 1, Max: -1}, {Lit: "/messages/"}, {Run: true, Set: allBut('/'), Min: 1, Max: -1}},
		`^a[^,]+,b$`:                         {{Lit: "a"}, {Run: true, Set: allBut(','), Min: 1, Max: -1}, {Lit: ",b"}},
		`^[0-9]+$`:                           {{Run: true, Set: digits, Min: 1, Max: -1}},
		`^[A-Za-z0-9_-]{1,64}$`:              {{Run: true, Set: ident, Min: 1, Max: 64}},
		`^sub_[a-z\d]{26}$`:                  {{Lit: "sub_"}, {Run: true, Set: lowerDigit, Min: 26, Max: 26}},
		`^[0-9]{2,4}-[a-z]*X?$`:              {{Run: true, Set: digits, Min: 2, Max: 4}, {Lit: "-"}, {Run: true, Set: class("abcdefghijklmnopqrstuvwxyz", false), Min: 0, Max: -1}, {Run: true, Set: class("X", false), Max: 1}},
		// not one the compiler makes ([a-z]* takes the x), so it must
		// disagree somewhere: the test can tell a wrong matcher
		`^[a-z]*x$`: {{Run: true, Set: class("abcdefghijklmnopqrstuvwxyz", false), Max: -1}, {Lit: "x"}},
	}
	broken := `^[a-z]*x$`
	inputs := []string{"", "/", "/v0/tickets/", "/v0/tickets/x", "/v0/tickets/x/", "/v0/tickets/x/y",
		"/v0/tickets/debde69a/messages/39697476", "/v0/tickets/a/messages/", "/v0/tickets/a/messages/b/c",
		"/v0/tickets/\n", "/v0/tickets/\xff", "/v0/tickets/é", "a,b", "ax,b", "ax,b,", "abc", "a/b", "\n", "x\n",
		"0", "0123456789", "12a", "１２", "sub_01234567890123456789abcdef", "sub_01234567890123456789abcde",
		"sub_01234567890123456789abcdefg", "sub_0123456789012345678ABCDEF", "12-abx", "12-ab", "12-abX", "12345-a", "1-a", "abx", "x",
	}
	rng := rand.New(rand.NewSource(7))
	alphabet := []string{"0", "9", "a", "z", "A", "_", "-", "/", ",", "x", "X", "s", "u", "b", "\n", "é", "\xff", "1"}
	for n := 0; n < 20000; n++ {
		var b []byte
		for k := rng.Intn(70); k > 0; k-- {
			b = append(b, alphabet[rng.Intn(len(alphabet))]...)
		}
		inputs = append(inputs, string(b))
	}
	for i := 0; i < 64; i++ {
		inputs = append(inputs, "sub_"+randomFrom(rng, "abz09", 24+rng.Intn(4)), randomFrom(rng, "aZ_-9", 60+rng.Intn(8)))
	}
	sawBroken := false
	for p, segs := range cases {
		re := regexp.MustCompile(p)
		for _, in := range inputs {
			got, want := MatchSegs([]byte(in), segs), re.MatchString(in)
			if p == broken {
				sawBroken = sawBroken || got != want
				continue
			}
			if got != want {
				t.Errorf("%s on %q: segments say %v, regexp %v", p, in, got, want)
			}
		}
	}
	if !sawBroken {
		t.Error("a run followed by what it can take went unnoticed: the inputs are too weak")
	}
}

func randomFrom(rng *rand.Rand, chars string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[rng.Intn(len(chars))]
	}
	return string(b)
}

// BenchmarkPattern compares the byte loop with regexp on the same
// patterns and inputs.
func BenchmarkPattern(b *testing.B) {
	for _, c := range []struct {
		pattern, input string
		segs           []Seg
	}{
		{`^sub_[a-z\d]{26}$`, "sub_01h8bx5ek2eqxfcp4dfbp6ckxy", []Seg{{Lit: "sub_"}, {Run: true, Set: class("abcdefghijklmnopqrstuvwxyz0123456789", false), Min: 26, Max: 26}}},
		{`^[A-Za-z0-9_-]{1,64}$`, "evt_Abc-123_xyz", []Seg{{Run: true, Set: class("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", false), Min: 1, Max: 64}}},
		{`^[0-9]+$`, "40526000000002040", []Seg{{Run: true, Set: class("0123456789", false), Min: 1, Max: -1}}},
	} {
		in := []byte(c.input)
		re := regexp.MustCompile(c.pattern)
		b.Run(c.pattern+"/segments", func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if !MatchSegs(in, c.segs) {
					b.Fatal("no match")
				}
			}
		})
		b.Run(c.pattern+"/regexp", func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if !re.Match(in) {
					b.Fatal("no match")
				}
			}
		})
	}
}
