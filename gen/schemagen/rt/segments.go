package rt

// hcSeg is one piece of a path-like pattern (^/v0/tickets/[^/]+$): a
// literal, or a run of one or more bytes other than stop.
type hcSeg struct {
	lit  string
	stop byte
	run  bool
}

// hcMatchSegs reports whether s is exactly the concatenation segs describes.
// The compiler uses it only where a run is followed by the end or by a
// literal that starts with the run's stop byte, so that ending each run at
// its first stop byte is the only way to match: the answer is the one
// regexp would give, without running it.
func hcMatchSegs(s []byte, segs []hcSeg) bool {
	i := 0
	for _, g := range segs {
		if g.run {
			j := i
			for j < len(s) && s[j] != g.stop {
				j++
			}
			if j == i {
				return false
			}
			i = j
			continue
		}
		if len(s)-i < len(g.lit) || string(s[i:i+len(g.lit)]) != g.lit {
			return false
		}
		i += len(g.lit)
	}
	return i == len(s)
}

// hcMatchASCIIRun reports whether every byte of s is in the ASCII set
// lo|hi (bit c of lo for c < 64, bit c-64 of hi), s being non-empty
// unless empty allows it: the pattern ^[class]+$ (or *) without a regexp.
func hcMatchASCIIRun(s []byte, lo, hi uint64, empty bool) bool {
	if len(s) == 0 {
		return empty
	}
	for _, c := range s {
		switch {
		case c < 64:
			if lo&(1<<c) == 0 {
				return false
			}
		case c < 128:
			if hi&(1<<(c-64)) == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}
