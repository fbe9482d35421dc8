package rt

// hcVal is a JSON value written in a schema (const, enum).
type hcVal struct {
	kind  uint8
	s     string // strings
	num   hcNum  // numbers
	items []hcVal
	keys  []string // objects: member names; items holds their values
}

func hcCNull() hcVal          { return hcVal{kind: hcKNull} }
func hcCStr(s string) hcVal   { return hcVal{kind: hcKString, s: s} }
func hcCNum(lit string) hcVal { return hcVal{kind: hcKNumber, s: lit, num: hcNumStr(lit)} }
func hcCArr(v ...hcVal) hcVal { return hcVal{kind: hcKArray, items: v} }
func hcCBool(b bool) hcVal {
	if b {
		return hcVal{kind: hcKTrue}
	}
	return hcVal{kind: hcKFalse}
}

// hcCObj builds an object from alternating names and values.
func hcCObj(keys []string, vals ...hcVal) hcVal {
	return hcVal{kind: hcKObject, keys: keys, items: vals}
}

// eqVal reports whether node i equals c as JSON values (1 == 1.0, member
// order irrelevant, strings compared after unescaping).
func (st *hcState) eqVal(i int32, c *hcVal) bool {
	nd := &st.nodes[i]
	if nd.kind != c.kind {
		return false
	}
	switch nd.kind {
	case hcKNumber:
		return st.cmpNum(i, &c.num) == 0
	case hcKString:
		return st.strEq(i, c.s)
	case hcKArray:
		if int(nd.n) != len(c.items) {
			return false
		}
		e := i + 1
		for k := range c.items {
			if !st.eqVal(e, &c.items[k]) {
				return false
			}
			e = st.nodes[e].next
		}
		return true
	case hcKObject:
		if int(nd.n) != len(c.keys) {
			return false
		}
		for k, name := range c.keys {
			v := st.member(i, name)
			if v < 0 || !st.eqVal(v, &c.items[k]) {
				return false
			}
		}
		return true
	}
	return true
}

// eqNode reports whether nodes a and b are equal JSON values.
func (st *hcState) eqNode(a, b int32) bool {
	na, nb := &st.nodes[a], &st.nodes[b]
	if na.kind != nb.kind {
		return false
	}
	switch na.kind {
	case hcKNumber:
		x, y := st.num(a), st.num(b)
		return hcCmpNum(&x, &y) == 0
	case hcKString:
		return st.keyEqual(a, b)
	case hcKArray:
		if na.n != nb.n {
			return false
		}
		if na.n == 0 {
			return true
		}
		for x, y := a+1, b+1; x != 0; x, y = st.nodes[x].next, st.nodes[y].next {
			if !st.eqNode(x, y) {
				return false
			}
		}
		return true
	case hcKObject:
		if na.n != nb.n {
			return false
		}
		if na.n == 0 {
			return true
		}
		for k := a + 1; k != 0; k = st.nodes[k].next {
			found := false
			for q := b + 1; q != 0; q = st.nodes[q].next {
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
func (st *hcState) hashNode(i int32, h uint64) uint64 {
	mix := func(h uint64, c uint64) uint64 { return (h ^ c) * 1099511628211 }
	nd := &st.nodes[i]
	h = mix(h, uint64(nd.kind))
	switch nd.kind {
	case hcKNumber:
		n := st.num(i)
		return n.hash(h)
	case hcKString:
		return st.strHash(i, h)
	case hcKArray:
		if nd.n == 0 {
			return h
		}
		for e := i + 1; e != 0; e = st.nodes[e].next {
			h = st.hashNode(e, mix(h, ','))
		}
		return h
	case hcKObject:
		var sum uint64
		if nd.n > 0 {
			for k := i + 1; k != 0; k = st.nodes[k].next {
				sum += st.hashNode(k+1, st.strHash(k, 14695981039346656037))
			}
		}
		return mix(h, sum)
	}
	return h
}

// unique reports the first pair of equal elements of array node i, if any.
func (st *hcState) unique(i int32) (int, int, bool) {
	nd := &st.nodes[i]
	if nd.n < 2 {
		return 0, 0, true
	}
	if nd.n <= 16 {
		x := 0
		for a := i + 1; a != 0; a = st.nodes[a].next {
			y := 0
			for b := i + 1; b != a; b = st.nodes[b].next {
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
	for e := i + 1; e != 0; e = st.nodes[e].next {
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
func (st *hcState) position(a, e int32) int {
	n := 0
	for x := a + 1; x != e && x != 0; x = st.nodes[x].next {
		n++
	}
	return n
}
