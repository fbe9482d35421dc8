package hcrt

import (
	"math/big"
	"math/bits"
)

// Num is an exact view of a JSON number literal: value = ±0.D × 10^adj
// where D are its nd significant digits (no leading or trailing zeros).
// It never allocates; the slow paths of multipleOf use math/big.
type Num struct {
	raw []byte
	neg bool
	d0  int   // index in raw of the first significant digit
	dot int   // index in raw of '.', or -1
	nd  int   // number of significant digits (0: the value is zero)
	adj int64 // decimal exponent of the leading digit, plus one
}

const hcExpLimit = 1 << 40

// hcParseNum reads a valid JSON number literal.
func hcParseNum(raw []byte) Num {
	n := Num{raw: raw, dot: -1}
	i := 0
	if i < len(raw) && raw[i] == '-' {
		n.neg = true
		i++
	}
	intStart := i
	for i < len(raw) && raw[i] >= '0' && raw[i] <= '9' {
		i++
	}
	intEnd := i
	fracStart, fracEnd := i, i
	if i < len(raw) && raw[i] == '.' {
		n.dot = i
		i++
		fracStart = i
		for i < len(raw) && raw[i] >= '0' && raw[i] <= '9' {
			i++
		}
		fracEnd = i
	}
	var exp int64
	if i < len(raw) && (raw[i] == 'e' || raw[i] == 'E') {
		i++
		eneg := false
		if i < len(raw) && (raw[i] == '+' || raw[i] == '-') {
			eneg = raw[i] == '-'
			i++
		}
		for i < len(raw) && raw[i] >= '0' && raw[i] <= '9' {
			if exp < hcExpLimit {
				exp = exp*10 + int64(raw[i]-'0')
			}
			i++
		}
		if eneg {
			exp = -exp
		}
	}
	// first significant digit
	first := -1
	var adj int64
	for j := intStart; j < intEnd; j++ {
		if raw[j] != '0' {
			first = j
			adj = int64(intEnd - j)
			break
		}
	}
	if first < 0 {
		for j := fracStart; j < fracEnd; j++ {
			if raw[j] != '0' {
				first = j
				adj = -int64(j - fracStart)
				break
			}
		}
	}
	if first < 0 {
		n.neg = false
		return n
	}
	// last significant digit
	last := -1
	for j := fracEnd - 1; j >= fracStart && j >= first; j-- {
		if raw[j] != '0' {
			last = j
			break
		}
	}
	if last < 0 {
		for j := intEnd - 1; j >= first; j-- {
			if raw[j] != '0' {
				last = j
				break
			}
		}
	}
	nd := last - first + 1
	if n.dot >= 0 && first < n.dot && last > n.dot {
		nd--
	}
	n.d0 = first
	n.nd = nd
	n.adj = adj + exp
	return n
}

// NumStr parses a number literal of a schema (package initialisation).
func NumStr(s string) Num { return hcParseNum([]byte(s)) }

// digit returns the k-th significant digit (0-based) as a byte value 0-9.
func (n *Num) digit(k int) byte {
	p := n.d0 + k
	if n.dot >= 0 && n.d0 < n.dot && p >= n.dot {
		p++
	}
	return n.raw[p] - '0'
}

// isInt reports whether the number has no fractional part.
func (n *Num) isInt() bool { return n.nd == 0 || n.adj >= int64(n.nd) }

// CmpNum compares two numbers exactly: -1, 0 or +1.
func CmpNum(a, b *Num) int {
	sa, sb := a.sign(), b.sign()
	if sa != sb {
		if sa < sb {
			return -1
		}
		return 1
	}
	if sa == 0 {
		return 0
	}
	c := hcCmpAbs(a, b)
	if sa < 0 {
		return -c
	}
	return c
}

func (n *Num) sign() int {
	switch {
	case n.nd == 0:
		return 0
	case n.neg:
		return -1
	}
	return 1
}

func hcCmpAbs(a, b *Num) int {
	if a.adj != b.adj {
		if a.adj < b.adj {
			return -1
		}
		return 1
	}
	m := min(a.nd, b.nd)
	for k := 0; k < m; k++ {
		x, y := a.digit(k), b.digit(k)
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case a.nd < b.nd:
		return -1
	case a.nd > b.nd:
		return 1
	}
	return 0
}

// mantissa returns the significant digits as an integer when they fit.
func (n *Num) mantissa() (uint64, bool) {
	if n.nd > 19 {
		return 0, false
	}
	var m uint64
	for k := 0; k < n.nd; k++ {
		m = m*10 + uint64(n.digit(k))
	}
	return m, true
}

// MultipleOf reports whether x / d is an integer (d > 0).
func MultipleOf(x, d *Num) bool {
	if x.nd == 0 {
		return true
	}
	if d.nd == 0 {
		return false
	}
	md, okd := d.mantissa()
	// x = mx × 10^qx, d = md × 10^qd
	qx := x.adj - int64(x.nd)
	qd := d.adj - int64(d.nd)
	t := qx - qd
	// beyond the powers of 2 and 5 in md, more factors of ten do not
	// change divisibility
	if limit := int64(4*d.nd + 4); t > limit {
		t = limit
	}
	if okd {
		if t >= 0 {
			// md | mx × 10^t
			r := x.modDigits(md)
			for k := int64(0); k < t && r != 0; k++ {
				r = hcMulMod(r, 10, md)
			}
			return r == 0
		}
		// md × 10^(-t) | mx
		if -t > int64(x.nd) {
			return false // the divisor is larger than x
		}
		den := md
		fits := true
		for k := int64(0); k < -t; k++ {
			hi, lo := bits.Mul64(den, 10)
			if hi != 0 {
				fits = false
				break
			}
			den = lo
		}
		if fits {
			return x.modDigits(den) == 0
		}
	}
	if t < 0 && -t > int64(x.nd) {
		return false
	}
	bx, bd := x.bigMantissa(), d.bigMantissa()
	ten := big.NewInt(10)
	if t >= 0 {
		bx.Mul(bx, new(big.Int).Exp(ten, big.NewInt(t), nil))
	} else {
		bd.Mul(bd, new(big.Int).Exp(ten, big.NewInt(-t), nil))
	}
	return new(big.Int).Rem(bx, bd).Sign() == 0
}

// modDigits is the significant digits of n, read as an integer, modulo m.
func (n *Num) modDigits(m uint64) uint64 {
	var r uint64
	for k := 0; k < n.nd; k++ {
		hi, lo := bits.Mul64(r, 10)
		lo, carry := bits.Add64(lo, uint64(n.digit(k)), 0)
		hi += carry
		_, r = bits.Div64(hi, lo, m)
	}
	return r
}

func hcMulMod(a, b, m uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	_, r := bits.Div64(hi, lo, m)
	return r
}

func (n *Num) bigMantissa() *big.Int {
	b := make([]byte, n.nd)
	for k := range b {
		b[k] = '0' + n.digit(k)
	}
	v, _ := new(big.Int).SetString(string(b), 10)
	return v
}

// hash mixes the exact value of the number into h.
func (n *Num) hash(h uint64) uint64 {
	mix := func(h uint64, c uint64) uint64 { return (h ^ c) * 1099511628211 }
	h = mix(h, 'n')
	if n.nd == 0 {
		return mix(h, 0)
	}
	if n.neg {
		h = mix(h, '-')
	}
	a := uint64(n.adj)
	for k := 0; k < 8; k++ {
		h = mix(h, a&0xff)
		a >>= 8
	}
	for k := 0; k < n.nd; k++ {
		h = mix(h, uint64(n.digit(k)))
	}
	return h
}

// num returns the number view of number node i.
func (st *State) Num(i int32) Num {
	nd := &st.Nodes[i]
	return hcParseNum(st.Data[nd.Start:nd.End])
}

// isInt reports whether node i is a number without fractional part.
func (st *State) IsInt(i int32) bool {
	nd := &st.Nodes[i]
	if nd.Kind != KNumber {
		return false
	}
	if nd.Flag == 1 {
		return true
	}
	n := hcParseNum(st.Data[nd.Start:nd.End])
	return n.isInt()
}

// cmpNum compares number node i with c.
func (st *State) cmpNum(i int32, c *Num) int {
	n := st.Num(i)
	return CmpNum(&n, c)
}
