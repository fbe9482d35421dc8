package rt

// hcSeg is one piece of a simple anchored pattern (^sub_[a-z\d]{26}$,
// ^/v0/tickets/[^/]+$): a literal, or a run of min to max bytes (max -1:
// no limit) from set, a bitmap of byte values.
type hcSeg struct {
	lit      string
	run      bool
	set      [4]uint64
	min, max int
}

// hcMatchSegs reports whether s is exactly the concatenation segs
// describes. The compiler uses it only where no run can end where the
// next piece begins, so that taking every byte a run can (up to its
// maximum) is the only way to match: the answer is the one regexp would
// give, without running it.
func hcMatchSegs(s []byte, segs []hcSeg) bool {
	i := 0
	for k := range segs {
		g := &segs[k]
		if !g.run {
			if len(s)-i < len(g.lit) || string(s[i:i+len(g.lit)]) != g.lit {
				return false
			}
			i += len(g.lit)
			continue
		}
		j := i
		if g.max < 0 {
			for j < len(s) && g.set[s[j]>>6]&(1<<(s[j]&63)) != 0 {
				j++
			}
		} else {
			for j < len(s) && g.set[s[j]>>6]&(1<<(s[j]&63)) != 0 && j-i < g.max {
				j++
			}
		}
		if j-i < g.min {
			return false
		}
		i = j
	}
	return i == len(s)
}
