package hcrt

// Val is a JSON value written in a schema (const, enum).
type Val struct {
	kind  uint8
	s     string // strings
	num   Num    // numbers
	items []Val
	keys  []string // objects: member names; items holds their values
}

func CNull() Val          { return Val{kind: KNull} }
func CStr(s string) Val   { return Val{kind: KString, s: s} }
func CNum(lit string) Val { return Val{kind: KNumber, s: lit, num: NumStr(lit)} }
func CArr(v ...Val) Val   { return Val{kind: KArray, items: v} }
func CBool(b bool) Val {
	if b {
		return Val{kind: KTrue}
	}
	return Val{kind: KFalse}
}

// CObj builds an object from alternating names and values.
func CObj(keys []string, vals ...Val) Val {
	return Val{kind: KObject, keys: keys, items: vals}
}

// eqVal reports whether node i equals c as JSON values (1 == 1.0, member
// order irrelevant, strings compared after unescaping).
func (st *State) EqVal(i int32, c *Val) bool {
	nd := &st.Nodes[i]
	if nd.Kind != c.kind {
		return false
	}
	switch nd.Kind {
	case KNumber:
		return st.cmpNum(i, &c.num) == 0
	case KString:
		return st.strEq(i, c.s)
	case KArray:
		if int(nd.N) != len(c.items) {
			return false
		}
		e := i + 1
		for k := range c.items {
			if !st.EqVal(e, &c.items[k]) {
				return false
			}
			e = st.Nodes[e].Next
		}
		return true
	case KObject:
		if int(nd.N) != len(c.keys) {
			return false
		}
		for k, name := range c.keys {
			v := st.Member(i, name)
			if v < 0 || !st.EqVal(v, &c.items[k]) {
				return false
			}
		}
		return true
	}
	return true
}

// eqNode reports whether nodes a and b are equal JSON values.
func (st *State) eqNode(a, b int32) bool {
	na, nb := &st.Nodes[a], &st.Nodes[b]
	if na.Kind != nb.Kind {
		return false
	}
	switch na.Kind {
	case KNumber:
		x, y := st.Num(a), st.Num(b)
		return CmpNum(&x, &y) == 0
	case KString:
		return st.keyEqual(a, b)
	case KArray:
		if na.N != nb.N {
			return false
		}
		if na.N == 0 {
			return true
		}
		for x, y := a+1, b+1; x != 0; x, y = st.Nodes[x].Next, st.Nodes[y].Next {
			if !st.eqNode(x, y) {
				return false
			}
		}
		return true
	case KObject:
		if na.N != nb.N {
			return false
		}
		if na.N == 0 {
			return true
		}
		for k := a + 1; k != 0; k = st.Nodes[k].Next {
			found := false
			for q := b + 1; q != 0; q = st.Nodes[q].Next {
				if st.keyEqual(k, q) {
					if !st.eqNode(k+1, q+1) {
						return false
					}
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	}
	return true
}

// hashNode hashes node i consistently with eqNode.
func (st *State) hashNode(i int32, h uint64) uint64 {
	mix := func(h uint64, c uint64) uint64 { return (h ^ c) * 1099511628211 }
	nd := &st.Nodes[i]
	h = mix(h, uint64(nd.Kind))
	switch nd.Kind {
	case KNumber:
		n := st.Num(i)
		return n.hash(h)
	case KString:
		return st.strHash(i, h)
	case KArray:
		if nd.N == 0 {
			return h
		}
		for e := i + 1; e != 0; e = st.Nodes[e].Next {
			h = st.hashNode(e, mix(h, ','))
		}
		return h
	case KObject:
		var sum uint64
		if nd.N > 0 {
			for k := i + 1; k != 0; k = st.Nodes[k].Next {
				sum += st.hashNode(k+1, st.strHash(k, 14695981039346656037))
			}
		}
		return mix(h, sum)
	}
	return h
}

// unique reports the first pair of equal elements of array node i, if any.
func (st *State) Unique(i int32) (int, int, bool) {
	nd := &st.Nodes[i]
	if nd.N < 2 {
		return 0, 0, true
	}
	if nd.N <= 16 {
		x := 0
		for a := i + 1; a != 0; a = st.Nodes[a].Next {
			y := 0
			for b := i + 1; b != a; b = st.Nodes[b].Next {
				if st.eqNode(a, b) {
					return y, x, false
				}
				y++
			}
			x++
		}
		return 0, 0, true
	}
	st.idx = st.idx[:0]
	st.hashes = st.hashes[:0]
	for e := i + 1; e != 0; e = st.Nodes[e].Next {
		st.idx = append(st.idx, e)
		st.hashes = append(st.hashes, st.hashNode(e, 14695981039346656037))
	}
	hcSortByHash(st.idx, st.hashes)
	for a := 0; a < len(st.idx); {
		b := a + 1
		for b < len(st.idx) && st.hashes[b] == st.hashes[a] {
			b++
		}
		for x := a + 1; x < b; x++ {
			for y := a; y < x; y++ {
				if st.eqNode(st.idx[y], st.idx[x]) {
					return st.position(i, min(st.idx[x], st.idx[y])), st.position(i, max(st.idx[x], st.idx[y])), false
				}
			}
		}
		a = b
	}
	return 0, 0, true
}

// position is the index of element node e in array node a.
func (st *State) position(a, e int32) int {
	n := 0
	for x := a + 1; x != e && x != 0; x = st.Nodes[x].Next {
		n++
	}
	return n
}
