package gen

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// applyDiff applies a unified diff to a, the way patch does, checking
// every context and removed line against a.
func applyDiff(t *testing.T, a, diff string) string {
	t.Helper()
	x := splitLines(a)
	lines := strings.SplitAfter(diff, "\n")
	var out []string
	pos := 0
	for i := 2; i < len(lines) && lines[i] != ""; i++ {
		h := lines[i]
		if !strings.HasPrefix(h, "@@ -") {
			t.Fatalf("expected a hunk header, found %q in\n%s", h, diff)
		}
		r := strings.Fields(h)[1][1:]
		startS, _, _ := strings.Cut(r, ",")
		start, _ := strconv.Atoi(startS)
		if !strings.Contains(r, ",0") {
			start--
		}
		out = append(out, x[pos:start]...)
		pos = start
		for i+1 < len(lines) && lines[i+1] != "" && !strings.HasPrefix(lines[i+1], "@@") {
			i++
			l := lines[i]
			if strings.HasPrefix(l, `\ No newline`) {
				last := len(out) - 1
				out[last] = strings.TrimSuffix(out[last], "\n")
				continue
			}
			switch l[0] {
			case ' ', '-':
				if x[pos] != l[1:] && x[pos] != strings.TrimSuffix(l[1:], "\n") {
					t.Fatalf("line %d: %q does not match %q", pos+1, l[1:], x[pos])
				}
				if l[0] == ' ' {
					out = append(out, x[pos])
				}
				pos++
			case '+':
				out = append(out, l[1:])
			}
		}
	}
	out = append(out, x[pos:]...)
	return strings.Join(out, "")
}

// TestUnifiedDiffApplies: on random edits of random files the diff, applied
// to the old side, gives the new side.
func TestUnifiedDiffApplies(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gen := func(n int) []string {
		var ls []string
		for range n {
			ls = append(ls, "line "+strconv.Itoa(r.IntN(8))+"\n")
		}
		return ls
	}
	for k := range 500 {
		a := gen(r.IntN(30))
		b := append([]string(nil), a...)
		for range r.IntN(6) {
			switch i := r.IntN(len(b) + 1); r.IntN(3) {
			case 0:
				b = append(b[:i], append(gen(1+r.IntN(3)), b[i:]...)...)
			case 1:
				if i < len(b) {
					b = append(b[:i], b[i+1:]...)
				}
			default:
				if i < len(b) {
					b[i] = "changed " + strconv.Itoa(k) + "\n"
				}
			}
		}
		as, bs := strings.Join(a, ""), strings.Join(b, "")
		if k%7 == 0 && bs != "" {
			bs = strings.TrimSuffix(bs, "\n") // no final newline
		}
		d := unifiedDiff(as, bs, "a", "b", 2)
		if (d == "") != (as == bs) {
			t.Fatalf("case %d: diff %q for %q -> %q", k, d, as, bs)
		}
		if d == "" {
			continue
		}
		if got := applyDiff(t, as, d); got != bs {
			t.Fatalf("case %d: applied diff gives\n%q\nwant\n%q\ndiff:\n%s", k, got, bs, d)
		}
	}
}
