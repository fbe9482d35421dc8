// Package hcrt is the runtime that hookcontract's generated packages
// import. It needs only the standard library. It holds:
//
//   - validation and decoding: a JSON scanner over []byte that builds a
//     tape, the validators' state and error types, pointer building,
//     format checkers, exact number comparison and the decoders' helpers;
//   - receiving: the handler (NewReceiver) with its Gate, options and
//     verdicts, event detection (Events), signature verifiers and signers,
//     dedupe (Deduper, MemoryDeduper, Provider.DeliveryKey), the
//     recommended server, and the value types generated code uses
//     (Nullable, DateTime, IntOrString, BoolOrString, StringBool).
//
// People use it through a generated package, which names every type here
// they need as its own (type aliases) and binds the rest to its events and
// its provider. Its exported API serves generated code: it changes with
// the generator under the version check of EnforceVersion, not under the
// compatibility promise a module's users usually get.
package hcrt

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// Violation is one failed rule of a schema.
//
// Its JSON form is the one every report of hookcontract writes:
// {"pointer", "keyword", "message", "grade"}.
type Violation struct {
	Pointer string `json:"pointer"` // RFC 6901 JSON pointer into the payload ("" for the root)
	Keyword string `json:"keyword"` // the JSON Schema keyword that failed: type, required, enum, ...
	Message string `json:"message"` // what was expected and what was found
	Grade   Grade  `json:"grade"`   // GradeGuaranteed (the payload fails) or GradeExpected (drift)
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
	KNull uint8 = iota + 1
	KFalse
	KTrue
	KNumber
	KString
	KArray
	KObject
)

// MaxViolations is how many violations a ValidationError lists; one more,
// keyword "limit", counts the rest.
const MaxViolations = 100

// hcMaxDepth is the deepest nesting of arrays and objects accepted.
const hcMaxDepth = 10000

// Node is one JSON value (or object key) of a parsed payload. Nodes are
// stored in document order: a container is followed by its children; an
// object's children are its keys, each followed by its value.
type Node struct {
	Start int32 // strings: first byte after the quote; others: first byte
	End   int32 // strings: the closing quote; others: one past the last byte
	Next  int32 // next element, or next key of an object (0: none)
	N     int32 // containers: number of elements or members; keys of large objects: hcKeyPrint
	Kind  uint8
	Flag  uint8 // strings: has escapes; numbers: plain integer literal
}

// hcViolation is a violation before its pointer is built.
type hcViolation struct {
	node    int32  // the instance node (a key node points at its member)
	suffix  string // an extra unescaped token appended to the pointer (required)
	keyword string
	msg     string
}

// State is the scratch space of one validation; it is pooled.
type State struct {
	Data   []byte
	Nodes  []Node
	open   []int32  // while parsing: the containers enclosing the innermost open one
	marks  []uint64 // while parsing: each enclosing object's key map (see parse)
	Quiet  int      // > 0: record nothing, stop at the first failure
	Secret int      // > 0: inside a value marked x-hookcontract-secret
	viols  []hcViolation
	// dropped counts the violations record dropped from viols (badDropped
	// those of bad): they are beyond the first MaxViolations.
	dropped, badDropped int
	Scope               []int32 // resources of the dynamic scope, outermost first
	Ev                  []int32 // evaluated keys and items (-(c+2): all of container c)
	buf                 []byte  // unescaped string scratch
	arena               []byte  // the bytes of the strings one decoding makes (see decode.go)
	text                int     // the bytes of the tape's string values and numbers, as written
	idx                 []int32
	hashes              []uint64
	table               []int32 // the duplicate-key check's hash table

	Pending []Pending // expectations to check once every guarantee held

	Parsed bool          // the data parsed: the tape is whole
	bad    []hcViolation // why it did not parse

	fault   string // malformed JSON: what is wrong (see Refusals)
	faultAt int    // and where

	maxNodes int // the bound of ScanBounded (0: none); cap(Nodes) <= maxNodes while parsing

	noDrift bool // the caller discards drift (see DiscardDrift)
}

// Pending is an expectation noted on the evaluation path: check (the
// expectation's schema) or walk (a matching union branch's expectations)
// at node, in the secret context it was met in.
type Pending struct {
	Node   int32
	Check  func(*State, int32) bool
	Walk   func(*State, int32)
	Secret int
}

var hcPool = sync.Pool{New: func() any { return new(State) }}

// Run parses data and validates it with v (a root validator on the
// tape: see check).
func Run(data []byte, v func(*State) *ValidationError) *ValidationError {
	st := Scan(data)
	err := v(st)
	st.Release()
	return err
}

// Scan parses data once into the tape of a pooled state: event
// detection (lookup) and any number of validators (check) then read that
// tape. The caller returns the state with release; data must not change
// until then.
func Scan(data []byte) *State { return ScanBounded(data, 0) }

// ScanBounded is Scan with a bound on the nodes of the tape (each value
// and each object key is one): data that holds more than maxNodes stops
// parsing at the node beyond the bound, before its tape grows further,
// with one refusal of keyword "limit" (see Refusals); 0 means no bound.
// A reader of untrusted bodies far larger than its schemas' payloads (the
// contract test runner reads lines of up to 16 MiB) bounds with it the
// memory a body makes the scan take, whatever the pooled state holds.
func ScanBounded(data []byte, maxNodes int) *State {
	st := hcPool.Get().(*State)
	st.Data = data
	st.Nodes = st.Nodes[:0]
	st.maxNodes = max(maxNodes, 0)
	if st.maxNodes > 0 && cap(st.Nodes) > st.maxNodes {
		// the growth checks compare with cap: hide the rest
		st.Nodes = st.Nodes[:0:st.maxNodes]
	}
	st.viols = st.viols[:0]
	st.dropped = 0
	st.fault, st.faultAt = "", 0
	st.text = 0
	st.noDrift = false
	st.Parsed = st.parse()
	if !st.Parsed {
		st.bad = append(st.bad[:0], st.viols...)
		st.badDropped = st.dropped
	}
	return st
}

// release returns st to the pool; nothing read from it may be used after.
func (st *State) Release() {
	st.Data = nil
	st.trim()
	hcPool.Put(st)
}

// hcKeepBytes bounds each scratch buffer a pooled state keeps: a body that
// grew one beyond it (a deep, wide or long one, up to the handler's body
// limit) leaves it to the collector rather than to the pool, which holds
// a state for every request served at once until the next collections. The
// bound (104 857 nodes) is well above what the tape of a 256 KB payload
// needs (the bench's 256 KB installation has about 23 000 nodes, its 64 KB
// one 5 667), so common bodies reuse their buffers and Validate allocates
// nothing on them; a tape of a node every ten bytes is kept up to 1 MB.
const hcKeepBytes = 2 << 20

// trim drops the scratch buffers larger than hcKeepBytes and the arena
// (whose strings decoded values own).
func (st *State) trim() {
	hcKeep(&st.Nodes)
	hcKeep(&st.open)
	hcKeep(&st.marks)
	hcKeep(&st.viols)
	hcKeep(&st.Scope)
	hcKeep(&st.Ev)
	hcKeep(&st.buf)
	hcKeep(&st.idx)
	hcKeep(&st.hashes)
	hcKeep(&st.table)
	hcKeep(&st.Pending)
	hcKeep(&st.bad)
	if st.arena != nil { // (a validation made none)
		st.arena = nil
	}
}

// hcKeep empties *s, or drops it when its backing array is over
// hcKeepBytes. Emptying stores the length alone: a slice stored whole into
// the pooled state would pass the write barrier, twelve times a release.
func hcKeep[T any](s *[]T) {
	if hcCapBytes(*s) > hcKeepBytes {
		*s = nil
		return
	}
	*s = (*s)[:0]
}

// hcCapBytes is the bytes of s's backing array.
func hcCapBytes[T any](s []T) uintptr { return uintptr(cap(s)) * unsafe.Sizeof(*new(T)) }

// check validates the root value of the parsed tape with root and returns
// every violation (nil when there is none). When the bytes did not parse
// (malformed JSON, a duplicate key, a number beyond the bounds) it returns
// those violations, whatever root is. A tape can be checked more than
// once.
func (st *State) Check(root func(*State, int32) bool) *ValidationError {
	st.viols = st.viols[:0]
	st.dropped = 0
	st.Ev = st.Ev[:0]
	st.Scope = st.Scope[:0]
	st.Pending = st.Pending[:0]
	st.Quiet, st.Secret = 0, 0
	grade := GradeGuaranteed
	if !st.Parsed {
		st.viols = append(st.viols, st.bad...)
		st.dropped = st.badDropped
	} else if root(st, 0) && len(st.viols) == 0 && len(st.Pending) > 0 {
		// Every guarantee holds: check the expectations noted on the way.
		grade = GradeExpected
		for _, p := range st.Pending {
			st.Secret = p.Secret
			if p.Check != nil {
				p.Check(st, p.Node)
			} else {
				p.Walk(st, p.Node)
			}
		}
		st.Secret = 0
	}
	if len(st.viols) == 0 {
		return nil
	}
	hcSortViolations(st.viols)
	// The first MaxViolations are listed: each pointer walks the tape
	// from the root, so listing every one of a body made of thousands of
	// duplicate keys or bad items would cost time quadratic in its size.
	n := min(len(st.viols), MaxViolations)
	err := &ValidationError{Violations: make([]Violation, n, n+1)}
	for i, v := range st.viols[:n] {
		p := st.Pointer(v.node)
		if v.suffix != "" || v.keyword == "required" || v.keyword == "dependentRequired" {
			p += "/" + EscapeToken(v.suffix)
		}
		err.Violations[i] = Violation{Pointer: p, Keyword: v.keyword, Message: st.message(v), Grade: grade}
	}
	if more := len(st.viols) - n + st.dropped; more > 0 {
		err.Violations = append(err.Violations, Violation{Keyword: "limit", Message: hcLimitMessage(more), Grade: grade})
	}
	return err
}

// RunThen is Run that, when then is not nil and every guarantee holds
// (drift aside), calls then on the same tape before the state is reused,
// and returns its error: the bytes are scanned once for both.
func RunThen(data []byte, v func(*State) *ValidationError, then func(*State) error) (*ValidationError, error) {
	st := Scan(data)
	err, terr := st.Then(v, then)
	st.Release()
	return err, terr
}

// then validates the parsed tape with v and, when every guarantee holds
// (drift aside) and then is not nil, calls then on the same tape; it
// returns both errors. A caller that has read the tape already (to find
// the event) validates and decodes it without another scan.
func (st *State) Then(v func(*State) *ValidationError, then func(*State) error) (*ValidationError, error) {
	err := v(st)
	var terr error
	if then != nil && (err == nil || err.Drift()) {
		terr = then(st)
		st.arena = nil // the decoded strings own it now
	}
	return err, terr
}

// lookup finds the value at the JSON pointer tokens path in the parsed
// tape, the way the event detection reads a body: an object member by its
// (unescaped) name, an array item by its decimal index. It reports whether
// the value exists and whether it is a string; value is the string's
// unescaped content or, for another type, the value's JSON text. Nothing
// exists in a payload that did not parse. It allocates only for a string
// holding escapes.
func (st *State) Lookup(path []string) (value []byte, isString, ok bool) {
	if !st.Parsed {
		return nil, false, false
	}
	i := int32(0)
	for _, tok := range path {
		nd := &st.Nodes[i]
		switch nd.Kind {
		case KObject:
			if i = st.Member(i, tok); i < 0 {
				return nil, false, false
			}
		case KArray:
			n, isIndex := hcIndex(tok)
			if !isIndex || n >= int(nd.N) {
				return nil, false, false
			}
			i++
			for ; n > 0; n-- {
				i = st.Nodes[i].Next
			}
		default:
			return nil, false, false
		}
	}
	nd := &st.Nodes[i]
	if nd.Kind == KString && nd.Flag == 0 {
		return st.Data[nd.Start:nd.End], true, true
	}
	if nd.Kind == KString {
		return st.unescape(i, nil), true, true
	}
	return st.Data[nd.Start:nd.End], false, true
}

// hcIndex reads an array index of a JSON pointer: decimal digits without
// a leading zero.
func hcIndex(tok string) (int, bool) {
	if tok == "" || len(tok) > 9 || (tok[0] == '0' && len(tok) > 1) {
		return 0, false
	}
	n := 0
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// enter puts resource r in the dynamic scope unless it is innermost.
func (st *State) Enter(r int32) bool {
	if n := len(st.Scope); n > 0 && st.Scope[n-1] == r {
		return false
	}
	st.Scope = append(st.Scope, r)
	return true
}

// leave undoes enter.
func (st *State) Leave(pushed bool) {
	if pushed {
		st.Scope = st.Scope[:len(st.Scope)-1]
	}
}

// evaluated reports whether key or item node k of container c was
// evaluated since mark.
func (st *State) Evaluated(k, c int32, mark int) bool {
	all := -(c + 2)
	for _, x := range st.Ev[mark:] {
		if x == k || x == all {
			return true
		}
	}
	return false
}

// fail records a violation at node i unless the state is quiet.
func (st *State) Fail(i int32, keyword, msg string) {
	st.record(hcViolation{node: i, keyword: keyword, msg: msg})
}

// failAt records a violation at the member name of object node i.
func (st *State) FailAt(i int32, name, keyword, msg string) {
	st.record(hcViolation{node: i, suffix: name, keyword: keyword, msg: msg})
}

// hcViolsHeld is how many violations a state holds before record keeps
// only the first MaxViolations in document order and counts the rest: a
// body of a million duplicate keys or bad items costs the violations that
// can be listed, not one per fault.
const hcViolsHeld = 8 * MaxViolations

// record adds violation v.
func (st *State) record(v hcViolation) {
	if len(st.viols) >= hcViolsHeld {
		hcSortViolations(st.viols)
		st.dropped += len(st.viols) - MaxViolations
		clear(st.viols[MaxViolations:])
		st.viols = st.viols[:MaxViolations]
	}
	st.viols = append(st.viols, v)
}

// hcSortViolations puts vs in document order; violations of one value
// keep the order they were found in. The first MaxViolations of the
// violations record keeps are those of all it was given.
func hcSortViolations(vs []hcViolation) {
	slices.SortStableFunc(vs, func(a, b hcViolation) int { return int(a.node) - int(b.node) })
}

// hcLimitMessage is the message of the "limit" violation counting the
// more violations not listed.
func hcLimitMessage(more int) string {
	return strconv.Itoa(more) + " more violations not listed (the first " + strconv.Itoa(MaxViolations) + " in document order are)"
}

// --- parsing ---------------------------------------------------------------

func (st *State) syntaxError(pos int, what string) bool {
	if pos > len(st.Data) {
		pos = len(st.Data)
	}
	st.fault, st.faultAt = what, pos
	line, col := LineColumn(st.Data, pos)
	return st.refuseAll("json", "invalid JSON at line "+strconv.Itoa(line)+", column "+strconv.Itoa(col)+": "+what)
}

// refuseAll makes the one violation of data that cannot be read as a
// whole (malformed, too large, beyond ScanBounded's bound) the only one,
// whatever was found before; it returns false, for parse.
func (st *State) refuseAll(keyword, msg string) bool {
	st.dropped = 0
	st.viols = append(st.viols[:0], hcViolation{node: -1, keyword: keyword, msg: msg})
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

// hcWS marks the bytes JSON allows between tokens.
var hcWS = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

// hcSkipWS returns the index of the first byte from i on that is not
// whitespace; a run of spaces (indentation) is measured eight bytes at a
// time.
func hcSkipWS(d []byte, i int) int {
	for i < len(d) && d[i] <= ' ' && hcWS[d[i]] {
		i++
		for i+8 <= len(d) {
			if x := binary.LittleEndian.Uint64(d[i:i+8]) ^ 0x2020202020202020; x != 0 {
				i += bits.TrailingZeros64(x) >> 3
				break
			}
			i += 8
		}
	}
	return i
}

// hcPlain marks the bytes a string holds as they are: printable ASCII but
// the quote and the backslash.
var hcPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// parse builds the tape in one pass over the bytes; it records a json
// violation and returns false on malformed input, and records
// duplicate-key and number-size violations (keys checked as each is
// read, and by checkDuplicates when an object that may repeat one closes;
// numbers as each is read). It moves between three states, by goto: a
// value is expected, a value was read, a key is expected.
func (st *State) parse() bool {
	d := st.Data
	if len(d) > 1<<31-2 {
		return st.refuseAll("json", "payload too large")
	}
	nodes := st.Nodes[:0]
	// cur is the innermost open container, st.open the ones enclosing it,
	// outermost first (pop). What the loop uses once a container rather
	// than once a token (st.open, st.marks, st.text, whether cur is an
	// object: its node's kind) stays in memory: held in registers, it would
	// be moved between them and the stack at every jump between the loop's
	// states. An element's or a member's Next is set when the comma after
	// it is read: idx is then the node of the value just read.
	st.open = st.open[:0]
	cur := int32(-1)
	// The duplicate-key check (ks, in memory as st.open is): seen is a
	// 256-bit map of the keys of the innermost object so far (hcKeyHash);
	// a key is compared with the earlier ones only when the map says they
	// may be equal. recheck says the object needs the whole check of
	// checkDuplicates when it closes: it holds a duplicate, a key with
	// escapes or at the very end of the text, or more than 64 members.
	// st.marks holds, for each enclosing object, its map and its recheck
	// (mark, unmark).
	var ks hcKeyState
	st.marks = st.marks[:0]
	i, n := 0, len(d)
	var (
		idx, end int
		flag     uint8
		msg      string
		c        byte
		w        uint64
		obj      bool
	)
value: // expect a value at i
	if i < n && d[i] <= ' ' {
		for i < n && hcWS[d[i]] {
			i++
		}
	}
	if i >= n {
		return st.broken(nodes, i, hcEndOfInput(cur))
	}
	idx = len(nodes)
	if idx == cap(nodes) {
		if st.maxNodes > 0 && idx >= st.maxNodes {
			return st.overBound(nodes, i)
		}
		nodes = hcGrow(nodes, i, n, st.maxNodes)
	}
	if cur >= 0 && nodes[cur].Kind == KArray { // an element (a member's value follows its key)
		nodes[cur].N++
	}
member: // a member's value at i, d[i] read, room for its node made
	switch c = d[i]; c {
	case '"':
		// a plain string in place (see hcScanString), anything else by
		// hcScanString
		end = hcPlainEnd(d, i+1)
		if flag = 0; end >= n || d[end] != '"' {
			if end, flag, msg = hcScanString(d, i); msg != "" {
				return st.broken(nodes, end, msg)
			}
		}
		nodes = hcPush(nodes, i+1, end, KString, flag)
		st.text += end - i - 1
		i = end + 1
	case '{', '[':
		if len(st.open) >= hcMaxDepth {
			return st.broken(nodes, i, "nesting depth exceeds "+strconv.Itoa(hcMaxDepth))
		}
		k := KArray
		if c == '{' {
			k = KObject
		}
		nodes = hcPush(nodes, i, 0, k, 0)
		st.open = append(st.open, cur)
		cur = int32(idx)
		i++
		if i < n && d[i] <= ' ' {
			for i < n && hcWS[d[i]] {
				i++
			}
		}
		if i < n && d[i] == c+2 { // '}' or ']'
			nodes[idx].End = int32(i + 1)
			i++
			cur = st.pop()
			break
		}
		if c == '{' {
			st.mark(&ks)
			goto key
		}
		goto value
	case 't':
		if n-i < 4 || binary.LittleEndian.Uint32(d[i:]) != 't'|'r'<<8|'u'<<16|'e'<<24 {
			return st.broken(nodes, i, `invalid literal: expected "true"`)
		}
		nodes = hcPush(nodes, i, i+4, KTrue, 0)
		i += 4
	case 'f':
		if n-i < 5 || binary.LittleEndian.Uint32(d[i+1:]) != 'a'|'l'<<8|'s'<<16|'e'<<24 {
			return st.broken(nodes, i, `invalid literal: expected "false"`)
		}
		nodes = hcPush(nodes, i, i+5, KFalse, 0)
		i += 5
	case 'n':
		if n-i < 4 || binary.LittleEndian.Uint32(d[i:]) != 'n'|'u'<<8|'l'<<16|'l'<<24 {
			return st.broken(nodes, i, `invalid literal: expected "null"`)
		}
		nodes = hcPush(nodes, i, i+4, KNull, 0)
		i += 4
	default:
		if c != '-' && (c < '0' || c > '9') {
			return st.broken(nodes, i, hcDescribeByte(d, i))
		}
		// a short integer in place; anything else by hcScanNumber
		j := i
		if c == '-' {
			j++
		}
		if j < n && d[j] >= '0' && d[j] <= '9' {
			k := j + 1
			for d[j] != '0' && k < n && k-j < 19 && d[k] >= '0' && d[k] <= '9' {
				k++
			}
			if k >= n || (d[k] != '.' && d[k] != 'e' && d[k] != 'E' && (d[k] < '0' || d[k] > '9')) {
				nodes = hcPush(nodes, i, k, KNumber, 1)
				st.text += k - i
				i = k
				break
			}
		}
		end, plain, size, msg := hcScanNumber(d, i)
		if msg != "" {
			return st.broken(nodes, end, msg)
		}
		if size != "" {
			st.record(hcViolation{node: int32(idx), keyword: "number-size", msg: size})
		}
		nodes = hcPush(nodes, i, end, KNumber, plain)
		st.text += end - i
		i = end
	}
after: // after a value: close containers or move to the next member
	if i < n && d[i] <= ' ' {
		for i < n && hcWS[d[i]] {
			i++
		}
	}
	if cur < 0 {
		st.Nodes = nodes
		if i < n {
			return st.syntaxError(i, "unexpected data after the top-level value")
		}
		return !ks.dupes && len(st.viols) == 0 // no duplicate key, no number-size violation
	}
	if i >= n {
		return st.broken(nodes, i, "unexpected end of input")
	}
	obj = nodes[cur].Kind == KObject
	switch c = d[i]; {
	case c == ',':
		i++
		if obj {
			nodes[idx-1].Next = int32(len(nodes)) // the member's key
			goto key
		}
		nodes[idx].Next = int32(len(nodes))
		goto value
	case obj && c == '}':
		nodes[cur].End = int32(i + 1)
		if ks.recheck {
			st.Nodes = nodes
			if !st.checkDuplicates(cur) {
				ks.dupes = true
			}
		}
		st.unmark(&ks)
	case !obj && c == ']':
		nodes[cur].End = int32(i + 1)
	case obj:
		return st.broken(nodes, i, "expected ',' or '}' after an object member, found "+hcShort(d, i))
	default:
		return st.broken(nodes, i, "expected ',' or ']' after an array element, found "+hcShort(d, i))
	}
	i++
	idx = int(cur)
	cur = st.pop()
	goto after
key: // expect `"name" :` at i, the next member of object cur
	if i < n && d[i] <= ' ' {
		// indentation, as a rule: a line break and a run of spaces, the
		// first eight of them measured at once
		if d[i] == '\n' && i+9 <= n {
			i += 1 + bits.TrailingZeros64(binary.LittleEndian.Uint64(d[i+1:i+9])^0x2020202020202020)>>3
		}
		for i < n && hcWS[d[i]] {
			i++
		}
	}
	if i >= n {
		return st.broken(nodes, i, "unexpected end of input")
	}
	if d[i] != '"' {
		return st.broken(nodes, i, "expected a string for an object key, found "+hcShort(d, i))
	}
	// a key is short and plain, as a rule: read it in place, and only
	// otherwise by hcScanString; its first word (w) hashes it below
	if i+9 <= n {
		w = binary.LittleEndian.Uint64(d[i+1 : i+9])
		if m := hcStops(w); m != 0 {
			end = i + 1 + bits.TrailingZeros64(m)>>3
		} else {
			end = hcPlainEnd(d, i+9)
		}
	} else {
		end = hcPlainEnd(d, i+1)
	}
	if flag = 0; end >= n || d[end] != '"' {
		if end, flag, msg = hcScanString(d, i); msg != "" {
			return st.broken(nodes, end, msg)
		}
	}
	idx = len(nodes)
	if idx == cap(nodes) {
		if st.maxNodes > 0 && idx >= st.maxNodes {
			return st.overBound(nodes, i)
		}
		nodes = hcGrow(nodes, i, n, st.maxNodes)
	}
	nodes[cur].N++
	nodes = hcPush(nodes, i+1, end, KString, flag)
	if !ks.recheck {
		if flag != 0 || nodes[cur].N > 64 || i+9 > n {
			// escapes, a large object, or a key too near the end of d to
			// have its first word loaded: checked when the object closes
			ks.recheck = true
		} else {
			b := hcKeyHash(d, i+1, end, w)
			at, bit := b>>6&3, uint64(1)<<(b&63)
			if ks.seen[at]&bit != 0 {
				ks.recheck = hcKeyBefore(nodes, d, cur+1, int32(idx))
			}
			ks.seen[at] |= bit
		}
	}
	// the colon right after the key and the value after one space, as a
	// rule: the value is read at once when its node has room
	if i = end + 2; i < n && d[i-1] == ':' {
		if d[i] == ' ' {
			i++
		}
		if i < n && d[i] > ' ' && len(nodes) < cap(nodes) {
			idx = len(nodes)
			goto member
		}
		goto value
	}
	i--
	if i < n && d[i] <= ' ' {
		for i < n && hcWS[d[i]] {
			i++
		}
	}
	if i >= n {
		return st.broken(nodes, i, "unexpected end of input")
	}
	if d[i] != ':' {
		return st.broken(nodes, i, "expected ':' after an object key, found "+hcShort(d, i))
	}
	if i++; i < n && d[i] == ' ' {
		i++
	}
	goto value
}

// pop closes the innermost container of a parse: it returns the
// enclosing one's node.
func (st *State) pop() int32 {
	o := st.open
	cur := o[len(o)-1]
	st.open = o[:len(o)-1]
	return cur
}

// hcKeyState is the duplicate-key check of parse: the key map of the
// innermost object, whether it needs the whole check when it closes, and
// whether a duplicate was found.
type hcKeyState struct {
	seen    [4]uint64
	recheck bool
	dupes   bool
}

// mark saves, as an object opens in a parse, the key map and the recheck
// of the object enclosing it, and clears them.
func (st *State) mark(ks *hcKeyState) {
	r := uint64(0)
	if ks.recheck {
		r = 1
	}
	st.marks = append(st.marks, ks.seen[0], ks.seen[1], ks.seen[2], ks.seen[3], r)
	ks.seen, ks.recheck = [4]uint64{}, false
}

// unmark restores, as an object closes in a parse, the key map and the
// recheck of the object enclosing it.
func (st *State) unmark(ks *hcKeyState) {
	m := st.marks[len(st.marks)-5:]
	ks.seen, ks.recheck = [4]uint64{m[0], m[1], m[2], m[3]}, m[4] != 0
	st.marks = st.marks[:len(st.marks)-5]
}

// hcKeyHash hashes the key d[j:end], without escapes, to the 8 bits of
// the duplicate-key maps (parse's and plainDuplicates'): its length, its
// first eight bytes and its last eight. w is the little-endian word of the
// key's first eight bytes, or of a shorter key's bytes and any after them
// (the caller has it loaded, or reads a key at the end of d with
// hcShortWord). Equal keys hash equal wherever they are in d.
func hcKeyHash(d []byte, j, end int, w uint64) uint32 {
	l := end - j
	switch {
	case l > 8:
		w ^= bits.RotateLeft64(binary.LittleEndian.Uint64(d[end-8:end]), 29)
	case l < 8:
		w &= 1<<(8*uint(l&7)) - 1
	}
	return uint32(((w ^ uint64(l)) * 0x9E3779B97F4A7C15) >> 56)
}

// hcShortWord is the little-endian word of the bytes of b, fewer than
// eight.
func hcShortWord(b []byte) uint64 {
	var x uint64
	for k := len(b) - 1; k >= 0; k-- {
		x = x<<8 | uint64(b[k])
	}
	return x
}

// hcKeyBefore reports whether key node k, without escapes, repeats one of
// the keys before it from first on, all without escapes.
func hcKeyBefore(nodes []Node, d []byte, first, k int32) bool {
	key := d[nodes[k].Start:nodes[k].End]
	for p := first; p != k; p = nodes[p].Next {
		if pn := &nodes[p]; int(pn.End-pn.Start) == len(key) && string(d[pn.Start:pn.End]) == string(key) {
			return true
		}
	}
	return false
}

// hcPush appends a node to nodes field by field: a composite literal
// would be built on the stack and copied, a load that waits on the stores
// just made. The caller has made room for it (hcGrow).
func hcPush(nodes []Node, start, end int, kind, flag uint8) []Node {
	nodes = nodes[:len(nodes)+1]
	nd := &nodes[len(nodes)-1]
	nd.Start = int32(start)
	nd.End = int32(end)
	nd.Next = 0
	nd.N = 0
	nd.Kind = kind
	nd.Flag = flag
	return nodes
}

// hcGrow makes room in the full tape nodes, at byte pos of data of length
// n, for as many nodes as the rest of the data will hold at the rate of
// the bytes read so far (and an eighth more), between 1.25 and 4 times as
// many as it holds, and never more than one a byte (no value is shorter).
// append would grow a large tape by a quarter each time, copying it
// again and again: a 1 MiB array of numbers allocated 56 MB.
//
// A bound (bound > 0, above len(nodes)) caps the room made.
//
//go:noinline
func hcGrow(nodes []Node, pos, n, bound int) []Node {
	have := len(nodes)
	want := have + have/4 + 16
	if pos > 0 {
		est := have + int(int64(have)*int64(n-pos)/int64(pos)) + have/8 + 16
		want = min(max(want, est), 4*have+16)
	}
	want = min(want, have+n-pos+2)
	if bound > 0 {
		want = min(want, bound)
	}
	grown := make([]Node, have, want)
	copy(grown, nodes)
	return grown
}

// overBound keeps the scratch space parse grew and records the refusal
// of data holding more nodes than ScanBounded's bound, at pos, where the
// node beyond it starts.
func (st *State) overBound(nodes []Node, pos int) bool {
	st.Nodes = nodes
	st.fault, st.faultAt = "the payload holds more than "+strconv.Itoa(st.maxNodes)+" JSON values (each object key counts as one)", pos
	return st.refuseAll("limit", st.fault)
}

// broken keeps the scratch space parse grew and records the json
// violation at pos.
func (st *State) broken(nodes []Node, pos int, what string) bool {
	st.Nodes = nodes
	return st.syntaxError(pos, what)
}

func hcShort(d []byte, i int) string {
	if i >= len(d) {
		return "end of input"
	}
	return strings.TrimPrefix(hcDescribeByte(d, i)[len("unexpected "):], "character ")
}

// hcKeyPrint is a 32-bit hash of an object key's unescaped bytes: keys
// that differ in it differ. The duplicate-key check of an object of more
// than 8 members keeps it in the n field of each key node (which strings
// do not use otherwise) and compares whole keys only when their prints are
// equal. The hash is
// seeded per process, so a sender cannot choose keys whose prints collide
// to make the check slow; what it finds does not depend on the seed.
func hcKeyPrint(k []byte) int32 {
	h := maphash.Bytes(hcKeySeed, k)
	return int32(h>>32) ^ int32(h)
}

var hcKeySeed = maphash.MakeSeed()

// keyPrint is hcKeyPrint of the text of key node k, unescaped.
func (st *State) keyPrint(k int32) int32 {
	nd := &st.Nodes[k]
	if nd.Flag == 0 {
		return hcKeyPrint(st.Data[nd.Start:nd.End])
	}
	st.buf = hcUnescape(st.Data[nd.Start:nd.End], st.buf[:0])
	return hcKeyPrint(st.buf)
}

// Masks of the word-at-a-time string scan.
const (
	hcOnes  = 0x0101010101010101
	hcHighs = 0x8080808080808080
)

// hcStops sets the high bit of every byte of x (eight bytes of a string)
// that is < 0x20, '"', '\\' or >= 0x80: the lowest one set is exact (a
// borrow moves up only from a byte that is flagged itself).
func hcStops(x uint64) uint64 {
	return ((x - 0x20*hcOnes) | ((x ^ '"'*hcOnes) - hcOnes) | ((x ^ '\\'*hcOnes) - hcOnes) | x) & hcHighs
}

// hcPlainEnd returns the index of the first byte of d from j on that a
// string does not hold as it is (see hcPlain), or len(d): eight bytes at a
// time, then byte by byte.
func hcPlainEnd(d []byte, j int) int {
	for j+8 <= len(d) {
		if m := hcStops(binary.LittleEndian.Uint64(d[j : j+8])); m != 0 {
			return j + bits.TrailingZeros64(m)>>3
		}
		j += 8
	}
	for j < len(d) && hcPlain[d[j]] {
		j++
	}
	return j
}

// hcScanString scans the string whose opening quote is at d[i]. It returns
// the index of the closing quote and whether the string holds escapes, or,
// for a malformed string, the position of the fault and what it is.
// Eight bytes at a time, it skips the runs of printable ASCII that make up
// most strings.
func hcScanString(d []byte, i int) (end int, flag uint8, msg string) {
	j := i + 1
	for {
		j = hcPlainEnd(d, j)
		if j >= len(d) {
			return j, flag, "unterminated string"
		}
		switch c := d[j]; {
		case c == '"':
			return j, flag, ""
		case c == '\\':
			flag = 1
			if j+1 >= len(d) {
				return j + 1, flag, "unterminated string"
			}
			switch d[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				for k := j + 2; k < j+6; k++ {
					if k >= len(d) {
						return k, flag, "unterminated string"
					}
					if hcHex(d[k]) < 0 {
						return k, flag, "invalid \\u escape"
					}
				}
				j += 6
			default:
				return j, flag, "invalid escape \\" + string(rune(d[j+1]))[:1]
			}
		case c < 0x20:
			return j, flag, "control character 0x" + hcHex2(c) + " in string"
		case c < 0x80:
			j++ // not reached: the loops above pass printable ASCII
		default:
			r, size := utf8.DecodeRune(d[j:])
			if r == utf8.RuneError && size <= 1 {
				return j, flag, "invalid UTF-8 byte 0x" + hcHex2(c) + " in string"
			}
			j += size
		}
	}
}

// hcHex is the value of hex digit c, or -1.
func hcHex(c byte) int { return int(hcHexDigits[c]) }

var hcHexDigits = func() (t [256]int8) {
	for c := range t {
		switch {
		case c >= '0' && c <= '9':
			t[c] = int8(c - '0')
		case c >= 'a' && c <= 'f':
			t[c] = int8(c-'a') + 10
		case c >= 'A' && c <= 'F':
			t[c] = int8(c-'A') + 10
		default:
			t[c] = -1
		}
	}
	return t
}()

// hcScanNumber scans the number literal at d[i]: it returns the index
// after it, whether it is a plain integer literal and, when it is beyond
// the bounds on numbers, why (a number-size violation); or, for a
// malformed number, the position of the fault and what it is.
func hcScanNumber(d []byte, i int) (end int, plain uint8, size, msg string) {
	start := i
	plain = 1
	if d[i] == '-' {
		i++
	}
	if i >= len(d) || d[i] < '0' || d[i] > '9' {
		return i, 0, "", "invalid number"
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
			return i, 0, "", "invalid number: expected a digit after '.'"
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
			return i, 0, "", "invalid number: expected a digit in the exponent"
		}
		for i < len(d) && d[i] == '0' && i+1 < len(d) && d[i+1] >= '0' && d[i+1] <= '9' {
			i++ // leading zeros of the exponent
		}
		for i < len(d) && d[i] >= '0' && d[i] <= '9' {
			i++
			exp++
		}
	}
	if mantissa > MaxNumberChars || exp > MaxExponentDigits {
		size = hcNumberSize(d[start:i], mantissa, exp)
	}
	return i, plain, size, ""
}

// Bounds on the numbers of a payload, the same as the contract test
// runner's (contracttest.MaxNumberChars, contracttest.MaxExponentDigits):
// a number beyond them is refused with a number-size violation at its
// pointer, before its cost (exact comparison grows with its size) is
// paid.
const (
	MaxNumberChars    = 1000 // the sign, digits and fraction
	MaxExponentDigits = 4    // an exponent within -9999..9999
)

// hcNumberSize says why number literal lit, of mantissa characters before
// its exponent and exp exponent digits (leading zeros aside), is beyond
// the bounds, or "" when it is not.
func hcNumberSize(lit []byte, mantissa, exp int) string {
	if exp > MaxExponentDigits {
		short := string(lit)
		if len(short) > 24 {
			short = short[:20] + "..."
		}
		return "number " + short + " has an exponent of " + strconv.Itoa(exp) + " digits, beyond the " + strconv.Itoa(MaxExponentDigits) + " accepted"
	}
	if mantissa > MaxNumberChars {
		return "number of " + strconv.Itoa(mantissa) + " characters before its exponent, beyond the " + strconv.Itoa(MaxNumberChars) + " accepted"
	}
	return ""
}

// checkDuplicates reports every member of object node o whose key repeats
// an earlier key of the object (compared after unescaping): pair by pair
// in a small object, through a hash table of the keys' prints (see
// hcKeyPrint) in a larger one.
func (st *State) checkDuplicates(o int32) bool {
	if st.Nodes[o].N <= 64 {
		if ok, plain := st.plainDuplicates(o); plain {
			return ok
		}
	}
	ok := true
	if st.Nodes[o].N <= 8 {
		for k := o + 1; k != 0; k = st.Nodes[k].Next {
			for p := o + 1; p != k; p = st.Nodes[p].Next {
				if st.keyEqual(p, k) {
					ok = st.dup(k)
					break
				}
			}
		}
		return ok
	}
	size := 16
	for size < 2*int(st.Nodes[o].N) {
		size *= 2
	}
	mask := uint32(size - 1)
	t := st.table
	if cap(t) < size {
		t = make([]int32, size) // 0: empty (no key is node 0)
	} else {
		t = t[:size]
		clear(t)
	}
	st.table = t
	for k := o + 1; k != 0; k = st.Nodes[k].Next {
		kp := st.keyPrint(k)
		st.Nodes[k].N = kp
		h := uint32(kp) & mask
		for {
			p := t[h]
			if p == 0 {
				t[h] = k
				break
			}
			if st.Nodes[p].N == kp && st.keyEqual(p, k) {
				ok = st.dup(k)
				break
			}
			h = (h + 1) & mask
		}
	}
	return ok
}

// plainDuplicates is checkDuplicates for an object whose keys hold no
// escapes (plain is false, and nothing is checked, when one does): a key
// is compared with the earlier ones only when a 256-bit map of their
// hashes (hcKeyHash) says they may be equal.
func (st *State) plainDuplicates(o int32) (ok, plain bool) {
	nodes, d := st.Nodes, st.Data
	for k := o + 1; k != 0; k = nodes[k].Next {
		if nodes[k].Flag != 0 {
			return false, false
		}
	}
	var seen [4]uint64
	ok = true
	for k := o + 1; k != 0; k = nodes[k].Next {
		nd := &nodes[k]
		var x uint64
		if int(nd.Start)+8 <= len(d) {
			x = binary.LittleEndian.Uint64(d[nd.Start:])
		} else {
			x = hcShortWord(d[nd.Start:nd.End])
		}
		b := hcKeyHash(d, int(nd.Start), int(nd.End), x)
		w, bit := b>>6, uint64(1)<<(b&63)
		if seen[w]&bit == 0 {
			seen[w] |= bit
			continue
		}
		key := d[nd.Start:nd.End]
		for p := o + 1; p != k; p = nodes[p].Next {
			if pn := &nodes[p]; pn.End-pn.Start == nd.End-nd.Start && string(d[pn.Start:pn.End]) == string(key) {
				ok = st.dup(k)
				nodes = st.Nodes
				break
			}
		}
	}
	return ok, true
}

// dup records the duplicate-key violation of key node k; its message is
// made only if it is listed (see message).
func (st *State) dup(k int32) bool {
	st.record(hcViolation{node: k, keyword: "duplicate-key"})
	return false
}

// message is the message of violation v.
func (st *State) message(v hcViolation) string {
	if v.keyword == "duplicate-key" && v.msg == "" && v.node >= 0 {
		return "duplicate object key " + strconv.Quote(string(st.unescape(v.node, nil))) + ": a member with this name appears earlier in the object, and parsers disagree on which value wins"
	}
	return v.msg
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
func (st *State) Text(i int32) []byte {
	if nd := &st.Nodes[i]; nd.Flag == 0 {
		return st.Data[nd.Start:nd.End:nd.End]
	}
	return st.Unescaped(i)
}

// unescaped is text for a string holding escapes.
func (st *State) Unescaped(i int32) []byte {
	st.buf = st.unescape(i, st.buf[:0])
	return st.buf
}

// unescape appends the decoded string node i to dst the way encoding/json
// decodes it (lone surrogates become U+FFFD).
func (st *State) unescape(i int32, dst []byte) []byte {
	nd := &st.Nodes[i]
	s := st.Data[nd.Start:nd.End]
	if nd.Flag == 0 {
		return append(dst, s...)
	}
	return hcUnescape(s, dst)
}

// hcUnescape appends the decoded raw (escaped, valid) JSON string s to
// dst.
func hcUnescape(s, dst []byte) []byte {
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
func (st *State) RuneCount(i int32) int {
	nd := &st.Nodes[i]
	s := st.Data[nd.Start:nd.End]
	if nd.Flag == 0 {
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
func (st *State) keyEqual(a, b int32) bool {
	na, nb := &st.Nodes[a], &st.Nodes[b]
	sa, sb := st.Data[na.Start:na.End], st.Data[nb.Start:nb.End]
	if na.Flag == 0 && nb.Flag == 0 {
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
func (st *State) strEq(i int32, s string) bool {
	nd := &st.Nodes[i]
	r := st.Data[nd.Start:nd.End]
	if nd.Flag == 0 {
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

func (st *State) strHash(i int32, h uint64) uint64 {
	nd := &st.Nodes[i]
	s := st.Data[nd.Start:nd.End]
	if nd.Flag == 0 {
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
func (st *State) Member(o int32, name string) int32 {
	if st.Nodes[o].N == 0 {
		return -1
	}
	for k := o + 1; k != 0; k = st.Nodes[k].Next {
		if nd := &st.Nodes[k]; nd.Flag == 0 {
			// the length first: most keys differ in it
			if int(nd.End-nd.Start) == len(name) && string(st.Data[nd.Start:nd.End]) == name {
				return k + 1
			}
		} else if st.strEq(k, name) {
			return k + 1
		}
	}
	return -1
}

// pointer builds the JSON pointer of node target (a key node gives the
// pointer of its member).
func (st *State) Pointer(target int32) string {
	if target <= 0 {
		return ""
	}
	var b strings.Builder
	cur := int32(0)
	for cur != target {
		nd := &st.Nodes[cur]
		if nd.N == 0 || (nd.Kind != KObject && nd.Kind != KArray) {
			break
		}
		if nd.Kind == KObject {
			k := cur + 1
			for st.Nodes[k].Next != 0 && st.Nodes[k].Next <= target {
				k = st.Nodes[k].Next
			}
			b.WriteByte('/')
			b.WriteString(EscapeToken(string(st.unescape(k, nil))))
			if k == target {
				break
			}
			cur = k + 1
		} else {
			e, pos := cur+1, 0
			for st.Nodes[e].Next != 0 && st.Nodes[e].Next <= target {
				e = st.Nodes[e].Next
				pos++
			}
			b.WriteByte('/')
			b.WriteString(strconv.Itoa(pos))
			cur = e
		}
	}
	return b.String()
}

// EscapeToken escapes a reference token of a JSON pointer.
func EscapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	s = strings.ReplaceAll(s, "~", "~0")
	return strings.ReplaceAll(s, "/", "~1")
}

// --- messages --------------------------------------------------------------

func hcKindName(k uint8) string {
	switch k {
	case KNull:
		return "null"
	case KFalse, KTrue:
		return "boolean"
	case KNumber:
		return "number"
	case KString:
		return "string"
	case KArray:
		return "array"
	case KObject:
		return "object"
	}
	return "nothing"
}

// typeName names the JSON type of node i ("integer" for integral numbers).
func (st *State) typeName(i int32) string {
	nd := &st.Nodes[i]
	if nd.Kind == KNumber && st.IsInt(i) {
		return "integer"
	}
	return hcKindName(nd.Kind)
}

// show describes node i for a message: its value when short and not
// secret, otherwise its type.
func (st *State) Show(i int32) string {
	nd := &st.Nodes[i]
	if st.Secret > 0 {
		if nd.Kind == KString {
			return "a string (redacted secret)"
		}
		return "a " + hcKindName(nd.Kind) + " (redacted secret)"
	}
	switch nd.Kind {
	case KString:
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
	case KArray:
		return "an array of " + strconv.Itoa(int(nd.N)) + " items"
	case KObject:
		return "an object"
	}
	r := st.Data[nd.Start:nd.End]
	if len(r) > 64 {
		return string(r[:60]) + "..."
	}
	return string(r)
}

func Itoa(n int) string { return strconv.Itoa(n) }

// found describes node i with its type for a message.
func (st *State) Found(i int32) string {
	nd := &st.Nodes[i]
	switch nd.Kind {
	case KNull:
		return "null"
	case KArray, KObject:
		return st.Show(i)
	}
	if st.Secret > 0 {
		return st.Show(i)
	}
	return st.typeName(i) + " " + st.Show(i)
}

// inEnum reports whether node i equals one of list.
func (st *State) InEnum(i int32, list []Val) bool {
	for k := range list {
		if st.EqVal(i, &list[k]) {
			return true
		}
	}
	return false
}

// union reports a failed anyOf or oneOf at node i: when exactly one
// branch's discriminator (pins) matches, that branch's own violations;
// otherwise one violation with msg.
func (st *State) Union(i int32, kw string, branches, pins []func(*State, int32) bool, msg string) {
	pick := -1
	st.Quiet++
	for b, p := range pins {
		if p != nil && p(st, i) {
			if pick >= 0 {
				pick = -2
				break
			}
			pick = b
		}
	}
	st.Quiet--
	if pick >= 0 {
		branches[pick](st, i)
		return
	}
	st.Fail(i, kw, msg+st.Found(i))
}

// OneTrue reports whether exactly one of b is true (oneOf).
func OneTrue(b ...bool) bool {
	n := 0
	for _, x := range b {
		if x {
			n++
		}
	}
	return n == 1
}

// Accept reports whether the payload parsed and root, a tape acceptor,
// accepts its root value: then no validator finds a violation in it.
func (st *State) Accept(root func(*State, int32) bool) bool {
	return st.Parsed && root(st, 0)
}

// DiscardDrift tells the validators of this scan that their caller keeps
// no drift, only whether a guarantee is broken (Validate, Parse): a root
// with expectations may then be accepted by its acceptor of guarantees
// alone (see AcceptGraded), which spends nothing on expectations whose
// violations would be dropped. A payload that acceptor refuses is still
// walked by the validator, which reports every violation, drift included.
func (st *State) DiscardDrift() { st.noDrift = true }

// AcceptGraded is Accept for a root with expectations: exact accepts a
// value holding no violation at all, guarantees one holding no violation
// of grade guaranteed. The second decides when the caller discards drift
// (see DiscardDrift), the first otherwise.
func (st *State) AcceptGraded(exact, guarantees func(*State, int32) bool) bool {
	if st.noDrift {
		exact = guarantees
	}
	return st.Parsed && exact(st, 0)
}
