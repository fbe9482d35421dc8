// Package rt is the runtime that generated validators call. Its source is
// copied into every generated package (see schemagen.Runtime), so it needs
// only the standard library and keeps every identifier but Violation and
// ValidationError unexported and prefixed with hc. exported.go, which is
// not copied, exports checks the runner shares with the generated code.
package rt

import (
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Violation is one failed rule of a schema.
type Violation struct {
	Pointer string // RFC 6901 JSON pointer into the payload ("" for the root)
	Keyword string // the JSON Schema keyword that failed: type, required, enum, ...
	Message string // what was expected and what was found
	Grade   Grade  // GradeGuaranteed (the payload fails) or GradeExpected (drift)
}

// Grade tells what breaking a constraint means.
type Grade string

// Grades. An expected constraint is one written under
// x-hookcontract-expect: the provider's examples suggest it, its document
// does not promise it.
const (
	GradeGuaranteed Grade = "guaranteed" // the payload breaks the contract
	GradeExpected   Grade = "expected"   // the payload drifts from what was seen so far
)

// Drift reports whether e holds expectation violations only: the payload
// satisfies every guarantee.
func (e *ValidationError) Drift() bool {
	for _, v := range e.Violations {
		if v.Grade != GradeExpected {
			return false
		}
	}
	return len(e.Violations) > 0
}

// ValidationError lists every violation found in a payload.
type ValidationError struct {
	Violations []Violation
}

// Error joins the violations, one per clause.
func (e *ValidationError) Error() string {
	var b strings.Builder
	switch len(e.Violations) {
	case 0:
		return "invalid payload"
	case 1:
		b.WriteString("invalid payload: ")
	default:
		b.WriteString("invalid payload (")
		b.WriteString(strconv.Itoa(len(e.Violations)))
		b.WriteString(" violations): ")
	}
	for i, v := range e.Violations {
		if i > 0 {
			b.WriteString("; ")
		}
		p := v.Pointer
		if p == "" {
			p = "(root)"
		}
		b.WriteString(p)
		b.WriteString(": ")
		b.WriteString(v.Keyword)
		b.WriteString(": ")
		b.WriteString(v.Message)
	}
	return b.String()
}

// JSON value kinds of a tape node.
const (
	hcKNull uint8 = iota + 1
	hcKFalse
	hcKTrue
	hcKNumber
	hcKString
	hcKArray
	hcKObject
)

// hcMaxDepth is the deepest nesting of arrays and objects accepted.
const hcMaxDepth = 10000

// hcNode is one JSON value (or object key) of a parsed payload. Nodes are
// stored in document order: a container is followed by its children; an
// object's children are its keys, each followed by its value.
type hcNode struct {
	start int32 // strings: first byte after the quote; others: first byte
	end   int32 // strings: the closing quote; others: one past the last byte
	next  int32 // next element, or next key of an object (0: none)
	n     int32 // containers: number of elements or members
	kind  uint8
	flag  uint8 // strings: has escapes; numbers: plain integer literal
}

// hcViolation is a violation before its pointer is built.
type hcViolation struct {
	node    int32  // the instance node (a key node points at its member)
	suffix  string // an extra unescaped token appended to the pointer (required)
	keyword string
	msg     string
}

// hcState is the scratch space of one validation; it is pooled.
type hcState struct {
	data   []byte
	nodes  []hcNode
	open   []int32 // open containers while parsing
	last   []int32 // last child of each open container
	quiet  int     // > 0: record nothing, stop at the first failure
	secret int     // > 0: inside a value marked x-hookcontract-secret
	viols  []hcViolation
	scope  []int32 // resources of the dynamic scope, outermost first
	ev     []int32 // evaluated keys and items (-(c+2): all of container c)
	buf    []byte  // unescaped string scratch
	arena  []byte  // the bytes of the strings one decoding makes (see decode.go)
	idx    []int32
	hashes []uint64

	pending []hcPending // expectations to check once every guarantee held
}

// hcPending is an expectation noted on the evaluation path: check (the
// expectation's schema) or walk (a matching union branch's expectations)
// at node, in the secret context it was met in.
type hcPending struct {
	node   int32
	check  func(*hcState, int32) bool
	walk   func(*hcState, int32)
	secret int
}

var hcPool = sync.Pool{New: func() any { return new(hcState) }}

// hcRun parses data and, when it is well-formed JSON, validates its root
// value with root.
func hcRun(data []byte, root func(*hcState, int32) bool) *ValidationError {
	verr, _ := hcRunThen(data, root, nil)
	return verr
}

// hcRunThen is hcRun that, when then is not nil and every guarantee holds
// (drift aside), calls then on the same tape before the state is reused,
// and returns its error.
func hcRunThen(data []byte, root func(*hcState, int32) bool, then func(*hcState) error) (*ValidationError, error) {
	st := hcPool.Get().(*hcState)
	st.data = data
	st.nodes = st.nodes[:0]
	st.viols = st.viols[:0]
	st.ev = st.ev[:0]
	st.scope = st.scope[:0]
	st.pending = st.pending[:0]
	st.quiet, st.secret = 0, 0
	grade := GradeGuaranteed
	if st.parse() && root(st, 0) && len(st.viols) == 0 && len(st.pending) > 0 {
		// Every guarantee holds: check the expectations noted on the way.
		grade = GradeExpected
		for _, p := range st.pending {
			st.secret = p.secret
			if p.check != nil {
				p.check(st, p.node)
			} else {
				p.walk(st, p.node)
			}
		}
		st.secret = 0
	}
	var err *ValidationError
	if len(st.viols) > 0 {
		// document order; violations of one value keep the order found
		slices.SortStableFunc(st.viols, func(a, b hcViolation) int { return int(a.node) - int(b.node) })
		err = &ValidationError{Violations: make([]Violation, len(st.viols))}
		for i, v := range st.viols {
			p := st.pointer(v.node)
			if v.suffix != "" || v.keyword == "required" || v.keyword == "dependentRequired" {
				p += "/" + hcEscapeToken(v.suffix)
			}
			err.Violations[i] = Violation{Pointer: p, Keyword: v.keyword, Message: v.msg, Grade: grade}
		}
	}
	var terr error
	if then != nil && (err == nil || err.Drift()) {
		terr = then(st)
		st.arena = nil // the decoded strings own it now
	}
	st.data = nil
	if cap(st.nodes) <= 1<<20 {
		hcPool.Put(st)
	}
	return err, terr
}

// enter puts resource r in the dynamic scope unless it is innermost.
func (st *hcState) enter(r int32) bool {
	if n := len(st.scope); n > 0 && st.scope[n-1] == r {
		return false
	}
	st.scope = append(st.scope, r)
	return true
}

// leave undoes enter.
func (st *hcState) leave(pushed bool) {
	if pushed {
		st.scope = st.scope[:len(st.scope)-1]
	}
}

// evaluated reports whether key or item node k of container c was
// evaluated since mark.
func (st *hcState) evaluated(k, c int32, mark int) bool {
	all := -(c + 2)
	for _, x := range st.ev[mark:] {
		if x == k || x == all {
			return true
		}
	}
	return false
}

// fail records a violation at node i unless the state is quiet.
func (st *hcState) fail(i int32, keyword, msg string) {
	st.viols = append(st.viols, hcViolation{node: i, keyword: keyword, msg: msg})
}

// failAt records a violation at the member name of object node i.
func (st *hcState) failAt(i int32, name, keyword, msg string) {
	st.viols = append(st.viols, hcViolation{node: i, suffix: name, keyword: keyword, msg: msg})
}

// --- parsing ---------------------------------------------------------------

func (st *hcState) syntaxError(pos int, what string) bool {
	line, col := 1, 1
	d := st.data
	if pos > len(d) {
		pos = len(d)
	}
	for j := 0; j < pos; {
		if d[j] == '\n' {
			line++
			col = 1
			j++
			continue
		}
		_, size := utf8.DecodeRune(d[j:pos])
		j += size
		col++
	}
	st.viols = append(st.viols[:0], hcViolation{node: -1, keyword: "json",
		msg: "invalid JSON at line " + strconv.Itoa(line) + ", column " + strconv.Itoa(col) + ": " + what})
	return false
}

func hcDescribeByte(d []byte, pos int) string {
	if pos >= len(d) {
		return "unexpected end of input"
	}
	c := d[pos]
	if c >= 0x20 && c < 0x7f {
		return "unexpected character " + strconv.QuoteRune(rune(c))
	}
	if pos == 0 && len(d) >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf {
		return "unexpected byte order mark"
	}
	r, size := utf8.DecodeRune(d[pos:])
	if r == utf8.RuneError && size <= 1 {
		return "invalid UTF-8 byte 0x" + strconv.FormatUint(uint64(c), 16)
	}
	return "unexpected character " + strconv.QuoteRune(r)
}

func hcSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// parse builds the tape; it records a json violation and returns false on
// malformed input, and records duplicate-key and number-size violations.
func (st *hcState) parse() bool {
	d := st.data
	if len(d) > 1<<31-2 {
		st.viols = append(st.viols[:0], hcViolation{node: -1, keyword: "json", msg: "payload too large"})
		return false
	}
	st.open = st.open[:0]
	st.last = st.last[:0]
	i := 0
	n := len(d)
	for {
		// expect a value at i
		for i < n && hcSpace(d[i]) {
			i++
		}
		if i >= n {
			return st.syntaxError(i, "unexpected end of input")
		}
		idx := int32(len(st.nodes))
		st.link(idx)
		c := d[i]
		switch {
		case c == '{' || c == '[':
			if len(st.open) >= hcMaxDepth {
				return st.syntaxError(i, "nesting depth exceeds "+strconv.Itoa(hcMaxDepth))
			}
			k := hcKArray
			if c == '{' {
				k = hcKObject
			}
			st.nodes = append(st.nodes, hcNode{start: int32(i), kind: k})
			st.open = append(st.open, idx)
			st.last = append(st.last, -1)
			i++
			for i < n && hcSpace(d[i]) {
				i++
			}
			if i < n && d[i] == c+2 { // '}' or ']'
				st.nodes[idx].end = int32(i + 1)
				st.open = st.open[:len(st.open)-1]
				st.last = st.last[:len(st.last)-1]
				i++
				break
			}
			if c == '{' {
				var ok bool
				if i, ok = st.key(i); !ok {
					return false
				}
			}
			continue
		case c == '"':
			var ok bool
			if i, ok = st.str(i, hcKString); !ok {
				return false
			}
		case c == '-' || (c >= '0' && c <= '9'):
			var ok bool
			if i, ok = st.number(i); !ok {
				return false
			}
		case c == 't':
			if !hcLit(d, i, "true") {
				return st.syntaxError(i, "invalid literal")
			}
			st.nodes = append(st.nodes, hcNode{start: int32(i), end: int32(i + 4), kind: hcKTrue})
			i += 4
		case c == 'f':
			if !hcLit(d, i, "false") {
				return st.syntaxError(i, "invalid literal")
			}
			st.nodes = append(st.nodes, hcNode{start: int32(i), end: int32(i + 5), kind: hcKFalse})
			i += 5
		case c == 'n':
			if !hcLit(d, i, "null") {
				return st.syntaxError(i, "invalid literal")
			}
			st.nodes = append(st.nodes, hcNode{start: int32(i), end: int32(i + 4), kind: hcKNull})
			i += 4
		default:
			return st.syntaxError(i, hcDescribeByte(d, i))
		}
		// after a value: close containers or move to the next member
		for {
			for i < n && hcSpace(d[i]) {
				i++
			}
			if len(st.open) == 0 {
				if i < n {
					return st.syntaxError(i, "unexpected data after the top-level value")
				}
				sized := len(st.viols) == 0 // no number-size violation
				return st.checkDuplicates() && sized
			}
			top := st.open[len(st.open)-1]
			if i >= n {
				return st.syntaxError(i, "unexpected end of input")
			}
			c := d[i]
			isObj := st.nodes[top].kind == hcKObject
			if c == ',' {
				i++
				if isObj {
					for i < n && hcSpace(d[i]) {
						i++
					}
					var ok bool
					if i, ok = st.key(i); !ok {
						return false
					}
				}
				break
			}
			if (isObj && c == '}') || (!isObj && c == ']') {
				st.nodes[top].end = int32(i + 1)
				st.open = st.open[:len(st.open)-1]
				st.last = st.last[:len(st.last)-1]
				i++
				continue
			}
			if isObj {
				return st.syntaxError(i, "expected ',' or '}' after an object member, found "+hcShort(d, i))
			}
			return st.syntaxError(i, "expected ',' or ']' after an array element, found "+hcShort(d, i))
		}
	}
}

func hcShort(d []byte, i int) string {
	if i >= len(d) {
		return "end of input"
	}
	return hcDescribeByte(d, i)[len("unexpected "):]
}

// link makes node idx the next child of the innermost open container; keys
// of objects are linked, their values are not.
func (st *hcState) link(idx int32) {
	if len(st.open) == 0 {
		return
	}
	top := len(st.open) - 1
	c := st.open[top]
	if st.nodes[c].kind == hcKObject {
		return // values follow their key
	}
	if l := st.last[top]; l >= 0 {
		st.nodes[l].next = idx
	}
	st.last[top] = idx
	st.nodes[c].n++
}

// key parses `"name" :` at i (after whitespace) and links the key node.
func (st *hcState) key(i int) (int, bool) {
	d := st.data
	if i >= len(d) || d[i] != '"' {
		if i >= len(d) {
			return i, st.syntaxError(i, "unexpected end of input")
		}
		return i, st.syntaxError(i, "expected a string for an object key, found "+hcShort(d, i))
	}
	idx := int32(len(st.nodes))
	top := len(st.open) - 1
	c := st.open[top]
	if l := st.last[top]; l >= 0 {
		st.nodes[l].next = idx
	}
	st.last[top] = idx
	st.nodes[c].n++
	i, ok := st.str(i, hcKString)
	if !ok {
		return i, false
	}
	for i < len(d) && hcSpace(d[i]) {
		i++
	}
	if i >= len(d) || d[i] != ':' {
		if i >= len(d) {
			return i, st.syntaxError(i, "unexpected end of input")
		}
		return i, st.syntaxError(i, "expected ':' after an object key, found "+hcShort(d, i))
	}
	return i + 1, true
}

func hcLit(d []byte, i int, lit string) bool {
	return len(d)-i >= len(lit) && string(d[i:i+len(lit)]) == lit
}

// str scans the string starting at the quote at i and appends its node.
func (st *hcState) str(i int, kind uint8) (int, bool) {
	d := st.data
	start := i + 1
	var flag uint8
	i++
	for {
		if i >= len(d) {
			return i, st.syntaxError(i, "unterminated string")
		}
		c := d[i]
		switch {
		case c == '"':
			st.nodes = append(st.nodes, hcNode{start: int32(start), end: int32(i), kind: kind, flag: flag})
			return i + 1, true
		case c == '\\':
			flag = 1
			if i+1 >= len(d) {
				return i, st.syntaxError(i+1, "unterminated string")
			}
			switch d[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				for j := i + 2; j < i+6; j++ {
					if j >= len(d) {
						return j, st.syntaxError(j, "unterminated string")
					}
					if hcHex(d[j]) < 0 {
						return j, st.syntaxError(j, "invalid \\u escape")
					}
				}
				i += 6
			default:
				return i, st.syntaxError(i, "invalid escape \\"+string(rune(d[i+1]))[:1])
			}
		case c < 0x20:
			return i, st.syntaxError(i, "control character in string")
		case c < 0x80:
			i++
		default:
			r, size := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && size <= 1 {
				return i, st.syntaxError(i, "invalid UTF-8 in string")
			}
			i += size
		}
	}
}

func hcHex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// number scans a number literal at i.
func (st *hcState) number(i int) (int, bool) {
	d := st.data
	start := i
	plain := uint8(1)
	if d[i] == '-' {
		i++
	}
	if i >= len(d) || d[i] < '0' || d[i] > '9' {
		return i, st.syntaxError(i, "invalid number")
	}
	if d[i] == '0' {
		i++
	} else {
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	if i < len(d) && d[i] == '.' {
		plain = 0
		i++
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			return i, st.syntaxError(i, "invalid number: expected a digit after '.'")
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
		}
	}
	mantissa, exp := i-start, 0
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		plain = 0
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || d[i] < '0' || d[i] > '9' {
			return i, st.syntaxError(i, "invalid number: expected a digit in the exponent")
		}
		for i < len(d) && d[i] == '0' && i+1 < len(d) && d[i+1] >= '0' && d[i+1] <= '9' {
			i++ // leading zeros of the exponent
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
			exp++
		}
	}
	if msg := hcNumberSize(d[start:i], mantissa, exp); msg != "" {
		st.viols = append(st.viols, hcViolation{node: int32(len(st.nodes)), keyword: "number-size", msg: msg})
	}
	st.nodes = append(st.nodes, hcNode{start: int32(start), end: int32(i), kind: hcKNumber, flag: plain})
	return i, true
}

// Bounds on the numbers of a payload, the same as the contract test
// runner's (contracttest.MaxNumberChars, contracttest.MaxExponentDigits):
// a number beyond them is refused with a number-size violation at its
// pointer, before its cost (exact comparison grows with its size) is
// paid.
const (
	hcMaxNumberChars    = 1000 // the sign, digits and fraction
	hcMaxExponentDigits = 4    // an exponent within -9999..9999
)

// hcNumberSize says why number literal lit, of mantissa characters before
// its exponent and exp exponent digits (leading zeros aside), is beyond
// the bounds, or "" when it is not.
func hcNumberSize(lit []byte, mantissa, exp int) string {
	if exp > hcMaxExponentDigits {
		short := string(lit)
		if len(short) > 24 {
			short = short[:20] + "..."
		}
		return "number " + short + " has an exponent of " + strconv.Itoa(exp) + " digits, beyond the " + strconv.Itoa(hcMaxExponentDigits) + " accepted"
	}
	if mantissa > hcMaxNumberChars {
		return "number of " + strconv.Itoa(mantissa) + " characters before its exponent, beyond the " + strconv.Itoa(hcMaxNumberChars) + " accepted"
	}
	return ""
}

// checkDuplicates reports every member whose key repeats an earlier key of
// the same object (compared after unescaping).
func (st *hcState) checkDuplicates() bool {
	ok := true
	for o := range st.nodes {
		nd := &st.nodes[o]
		if nd.kind != hcKObject || nd.n < 2 {
			continue
		}
		if nd.n <= 16 {
			for k := int32(o) + 1; k != 0; k = st.nodes[k].next {
				for p := int32(o) + 1; p != k; p = st.nodes[p].next {
					if st.keyEqual(p, k) {
						ok = st.dup(k)
						break
					}
				}
			}
			continue
		}
		st.hashes = st.hashes[:0]
		st.idx = st.idx[:0]
		for k := int32(o) + 1; k != 0; k = st.nodes[k].next {
			st.idx = append(st.idx, k)
			st.hashes = append(st.hashes, st.strHash(k, 14695981039346656037))
		}
		if !st.dupsByHash() {
			ok = false
		}
	}
	return ok
}

func (st *hcState) dup(k int32) bool {
	st.viols = append(st.viols, hcViolation{node: k, keyword: "duplicate-key",
		msg: "duplicate object key " + strconv.Quote(string(st.unescape(k, nil))) + ": a member with this name appears earlier in the object"})
	return false
}

// dupsByHash sorts st.idx by st.hashes and reports, for every key equal to
// an earlier one, the later member.
func (st *hcState) dupsByHash() bool {
	hcSortByHash(st.idx, st.hashes)
	found := false
	for a := 0; a < len(st.idx); {
		b := a + 1
		for b < len(st.idx) && st.hashes[b] == st.hashes[a] {
			b++
		}
		for x := a + 1; x < b; x++ {
			for y := a; y < x; y++ {
				if st.keyEqual(st.idx[y], st.idx[x]) {
					later := max(st.idx[x], st.idx[y])
					st.dup(later)
					found = true
					break
				}
			}
		}
		a = b
	}
	return !found
}

// hcSortByHash sorts idx and hashes together by hash, then index (heap sort:
// no allocation, n log n).
func hcSortByHash(idx []int32, h []uint64) {
	less := func(a, b int) bool {
		if h[a] != h[b] {
			return h[a] < h[b]
		}
		return idx[a] < idx[b]
	}
	swap := func(a, b int) {
		idx[a], idx[b] = idx[b], idx[a]
		h[a], h[b] = h[b], h[a]
	}
	n := len(idx)
	down := func(i, n int) {
		for {
			c := 2*i + 1
			if c >= n {
				return
			}
			if c+1 < n && less(c, c+1) {
				c++
			}
			if !less(i, c) {
				return
			}
			swap(i, c)
			i = c
		}
	}
	for i := n/2 - 1; i >= 0; i-- {
		down(i, n)
	}
	for i := n - 1; i > 0; i-- {
		swap(0, i)
		down(0, i)
	}
}

// --- strings ---------------------------------------------------------------

// text returns the unescaped bytes of string node i; the result is valid
// until the next call.
func (st *hcState) text(i int32) []byte {
	nd := &st.nodes[i]
	if nd.flag == 0 {
		return st.data[nd.start:nd.end]
	}
	st.buf = st.unescape(i, st.buf[:0])
	return st.buf
}

// unescape appends the decoded string node i to dst the way encoding/json
// decodes it (lone surrogates become U+FFFD).
func (st *hcState) unescape(i int32, dst []byte) []byte {
	nd := &st.nodes[i]
	s := st.data[nd.start:nd.end]
	if nd.flag == 0 {
		return append(dst, s...)
	}
	for j := 0; j < len(s); {
		r, size := hcNextRune(s, j)
		j += size
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// hcNextRune decodes the code point at s[j] of a raw (escaped, valid) JSON
// string and the number of bytes it takes.
func hcNextRune(s []byte, j int) (rune, int) {
	c := s[j]
	if c != '\\' {
		if c < utf8.RuneSelf {
			return rune(c), 1
		}
		return utf8.DecodeRune(s[j:])
	}
	switch s[j+1] {
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
		r := hcU4(s[j+2:])
		if r >= 0xD800 && r < 0xDC00 {
			if j+12 <= len(s) && s[j+6] == '\\' && s[j+7] == 'u' {
				r2 := hcU4(s[j+8:])
				if r2 >= 0xDC00 && r2 < 0xE000 {
					return (r-0xD800)<<10 | (r2 - 0xDC00) + 0x10000, 12
				}
			}
			return utf8.RuneError, 6
		}
		if r >= 0xDC00 && r < 0xE000 {
			return utf8.RuneError, 6
		}
		return r, 6
	default:
		return rune(s[j+1]), 2
	}
}

func hcU4(s []byte) rune {
	return rune(hcHex(s[0])<<12 | hcHex(s[1])<<8 | hcHex(s[2])<<4 | hcHex(s[3]))
}

// runeCount is the length of string node i in code points.
func (st *hcState) runeCount(i int32) int {
	nd := &st.nodes[i]
	s := st.data[nd.start:nd.end]
	if nd.flag == 0 {
		return utf8.RuneCount(s)
	}
	n := 0
	for j := 0; j < len(s); {
		_, size := hcNextRune(s, j)
		j += size
		n++
	}
	return n
}

// keyEqual compares two string nodes after unescaping.
func (st *hcState) keyEqual(a, b int32) bool {
	na, nb := &st.nodes[a], &st.nodes[b]
	sa, sb := st.data[na.start:na.end], st.data[nb.start:nb.end]
	if na.flag == 0 && nb.flag == 0 {
		return string(sa) == string(sb)
	}
	i, j := 0, 0
	for i < len(sa) && j < len(sb) {
		ra, x := hcNextRune(sa, i)
		rb, y := hcNextRune(sb, j)
		if ra != rb {
			return false
		}
		i += x
		j += y
	}
	return i == len(sa) && j == len(sb)
}

// strEq reports whether string node i equals s after unescaping.
func (st *hcState) strEq(i int32, s string) bool {
	nd := &st.nodes[i]
	r := st.data[nd.start:nd.end]
	if nd.flag == 0 {
		return string(r) == s
	}
	j, k := 0, 0
	for j < len(r) && k < len(s) {
		ra, x := hcNextRune(r, j)
		rb, y := utf8.DecodeRuneInString(s[k:])
		if ra != rb {
			return false
		}
		j += x
		k += y
	}
	return j == len(r) && k == len(s)
}

func (st *hcState) strHash(i int32, h uint64) uint64 {
	nd := &st.nodes[i]
	s := st.data[nd.start:nd.end]
	if nd.flag == 0 {
		for _, c := range s {
			h = (h ^ uint64(c)) * 1099511628211
		}
		return h
	}
	var tmp [4]byte
	for j := 0; j < len(s); {
		r, size := hcNextRune(s, j)
		j += size
		n := utf8.EncodeRune(tmp[:], r)
		for _, c := range tmp[:n] {
			h = (h ^ uint64(c)) * 1099511628211
		}
	}
	return h
}

// --- navigation and pointers ----------------------------------------------

// member returns the value node of the member called name of object node
// o, or -1.
func (st *hcState) member(o int32, name string) int32 {
	if st.nodes[o].n == 0 {
		return -1
	}
	for k := o + 1; k != 0; k = st.nodes[k].next {
		if st.strEq(k, name) {
			return k + 1
		}
	}
	return -1
}

// pointer builds the JSON pointer of node target (a key node gives the
// pointer of its member).
func (st *hcState) pointer(target int32) string {
	if target <= 0 {
		return ""
	}
	var b strings.Builder
	cur := int32(0)
	for cur != target {
		nd := &st.nodes[cur]
		if nd.n == 0 || (nd.kind != hcKObject && nd.kind != hcKArray) {
			break
		}
		if nd.kind == hcKObject {
			k := cur + 1
			for st.nodes[k].next != 0 && st.nodes[k].next <= target {
				k = st.nodes[k].next
			}
			b.WriteByte('/')
			b.WriteString(hcEscapeToken(string(st.unescape(k, nil))))
			if k == target {
				break
			}
			cur = k + 1
		} else {
			e, pos := cur+1, 0
			for st.nodes[e].next != 0 && st.nodes[e].next <= target {
				e = st.nodes[e].next
				pos++
			}
			b.WriteByte('/')
			b.WriteString(strconv.Itoa(pos))
			cur = e
		}
	}
	return b.String()
}

// hcEscapeToken escapes a reference token of a JSON pointer.
func hcEscapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	s = strings.ReplaceAll(s, "~", "~0")
	return strings.ReplaceAll(s, "/", "~1")
}

// --- messages --------------------------------------------------------------

func hcKindName(k uint8) string {
	switch k {
	case hcKNull:
		return "null"
	case hcKFalse, hcKTrue:
		return "boolean"
	case hcKNumber:
		return "number"
	case hcKString:
		return "string"
	case hcKArray:
		return "array"
	case hcKObject:
		return "object"
	}
	return "nothing"
}

// typeName names the JSON type of node i ("integer" for integral numbers).
func (st *hcState) typeName(i int32) string {
	nd := &st.nodes[i]
	if nd.kind == hcKNumber && st.isInt(i) {
		return "integer"
	}
	return hcKindName(nd.kind)
}

// show describes node i for a message: its value when short and not
// secret, otherwise its type.
func (st *hcState) show(i int32) string {
	nd := &st.nodes[i]
	if st.secret > 0 {
		if nd.kind == hcKString {
			return "a string (redacted secret)"
		}
		return "a " + hcKindName(nd.kind) + " (redacted secret)"
	}
	switch nd.kind {
	case hcKString:
		s := string(st.unescape(i, nil))
		if utf8.RuneCountInString(s) > 64 {
			n := 0
			for j := range s {
				if n == 60 {
					s = s[:j]
					break
				}
				n++
			}
			return strconv.Quote(s) + "..."
		}
		return strconv.Quote(s)
	case hcKArray:
		return "an array of " + strconv.Itoa(int(nd.n)) + " items"
	case hcKObject:
		return "an object"
	}
	r := st.data[nd.start:nd.end]
	if len(r) > 64 {
		return string(r[:60]) + "..."
	}
	return string(r)
}

func hcItoa(n int) string { return strconv.Itoa(n) }

// found describes node i with its type for a message.
func (st *hcState) found(i int32) string {
	nd := &st.nodes[i]
	switch nd.kind {
	case hcKNull:
		return "null"
	case hcKArray, hcKObject:
		return st.show(i)
	}
	if st.secret > 0 {
		return st.show(i)
	}
	return st.typeName(i) + " " + st.show(i)
}

// inEnum reports whether node i equals one of list.
func (st *hcState) inEnum(i int32, list []hcVal) bool {
	for k := range list {
		if st.eqVal(i, &list[k]) {
			return true
		}
	}
	return false
}

// union reports a failed anyOf or oneOf at node i: when exactly one
// branch's discriminator (pins) matches, that branch's own violations;
// otherwise one violation with msg.
func (st *hcState) union(i int32, kw string, branches, pins []func(*hcState, int32) bool, msg string) {
	pick := -1
	st.quiet++
	for b, p := range pins {
		if p != nil && p(st, i) {
			if pick >= 0 {
				pick = -2
				break
			}
			pick = b
		}
	}
	st.quiet--
	if pick >= 0 {
		branches[pick](st, i)
		return
	}
	st.fail(i, kw, msg+st.found(i))
}
