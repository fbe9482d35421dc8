package hcrt

// Seg is one piece of a simple anchored pattern (^sub_[a-z\d]{26}$,
// ^/v0/tickets/[^/]+$): a literal, or a run of min to max bytes (max -1:
// no limit) from set, a bitmap of byte values.
type Seg struct {
	Lit      string
	Run      bool
	Set      [4]uint64
	Min, Max int
}

// MatchSegs reports whether s is exactly the concatenation segs
// describes. The compiler uses it only where no run can end where the
// next piece begins, so that taking every byte a run can (up to its
// maximum) is the only way to match: the answer is the one regexp would
// give, without running it.
func MatchSegs(s []byte, segs []Seg) bool {
	i := 0
	for k := range segs {
		g := &segs[k]
		if !g.Run {
			if len(s)-i < len(g.Lit) || string(s[i:i+len(g.Lit)]) != g.Lit {
				return false
			}
			i += len(g.Lit)
			continue
		}
		j := i
		if g.Max < 0 {
			for j < len(s) && g.Set[s[j]>>6]&(1<<(s[j]&63)) != 0 {
				j++
			}
		} else {
			for j < len(s) && g.Set[s[j]>>6]&(1<<(s[j]&63)) != 0 && j-i < g.Max {
				j++
			}
		}
		if j-i < g.Min {
			return false
		}
		i = j
	}
	return i == len(s)
}
