package contracttest

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync/atomic"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
	"github.com/hookcontract/hookcontract/runtime/hcrt"
	"golang.org/x/sync/semaphore"
)

// SyntaxError is a payload that is not JSON, or JSON that cannot be read
// without ambiguity (duplicate keys) or without a cost out of proportion
// (numbers beyond the bounds).
type SyntaxError struct {
	Line, Column int    // 1-based position in the payload
	Pointer      string // for duplicate keys and numbers: the member or the number
	Keyword      string // "json", "duplicate-key", "number-size" or "limit"
	Msg          string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// decode parses exactly one JSON value from data into the raw form that
// jsonschema/v5 validates: map[string]any, []any, string, json.Number, bool
// and nil. Numbers keep every digit. What is JSON is decided by hcrt's
// scanner, the one the generated validators run: it rejects invalid
// UTF-8, a byte order mark, duplicate object keys, numbers beyond
// MaxNumberChars or MaxExponentDigits and nesting deeper than hcrt.MaxDepth.
// The error, a *SyntaxError, gives the line and column of the first
// problem.
func decode(data []byte) (any, error) {
	var d decoder
	defer d.reset()
	return d.decode(data)
}

// decoder decodes payloads: hcrt.Scan reads the bytes into a tape, and the
// values are built from the tape. One decoder serves one goroutine at a
// time and keeps its scratch space between payloads.
//
// Every string of a result, key or value, is a substring of one copy of
// the payload made at the start (str), unless it holds escapes. A result
// therefore never aliases the caller's byte slice, and all its strings cost
// one allocation.
//
// The tape stays with the decoder until reset, so that the violations
// found in the result can be located on it (locateOn) without a second
// scan. With recycle set, the decoder also keeps the maps it made for a
// payload's objects, and reset clears them for the next payload: the
// caller promises that nothing refers to the previous result any more.
type decoder struct {
	st    *hcrt.State    // the tape of the payload decoded last, until reset
	nodes []hcrt.Node    // st.Nodes
	str   string         // immutable copy of the payload
	errs  []*SyntaxError // why it did not parse, in document order

	recycle   bool
	maxValues int                 // the most values a payload may hold (0: no bound)
	budget    *semaphore.Weighted // shared by the runner's checkers: the values being checked at once
	held      int64               // what this decoder holds of budget, until reset
	made      []map[string]any    // maps of the current result
	spare     [][]map[string]any  // cleared maps by size class
}

// Size classes of recycled maps: at most 8, 16, 32 and 64 members.
var mapClasses = [...]int{8, 16, 32, 64}

const maxSpare = 1024 // maps kept per size class

// reset makes the decoder forget the previous payload, its tape and its
// result.
func (d *decoder) reset() {
	d.release()
	if d.st != nil {
		d.st.Release()
	}
	d.st, d.nodes, d.str, d.errs = nil, nil, "", nil
	if !d.recycle {
		return
	}
	if d.spare == nil {
		d.spare = make([][]map[string]any, len(mapClasses))
	}
	for _, m := range d.made {
		c := mapClass(len(m))
		if c < 0 || len(d.spare[c]) >= maxSpare {
			continue
		}
		clear(m)
		d.spare[c] = append(d.spare[c], m)
	}
	clear(d.made)
	d.made = d.made[:0]
}

func mapClass(n int) int {
	for i, c := range mapClasses {
		if n <= c {
			return i
		}
	}
	return -1
}

func (d *decoder) newMap(n int) map[string]any {
	if !d.recycle {
		return make(map[string]any, n)
	}
	var m map[string]any
	if c := mapClass(n); c < 0 {
		m = make(map[string]any, n)
	} else if k := len(d.spare[c]); k > 0 {
		m = d.spare[c][k-1]
		d.spare[c][k-1] = nil
		d.spare[c] = d.spare[c][:k-1]
	} else {
		m = make(map[string]any, mapClasses[c])
	}
	d.made = append(d.made, m)
	return m
}

// decode scans data and builds its value; the tape stays until reset.
func (d *decoder) decode(data []byte) (any, error) {
	d.release()
	if d.st != nil {
		d.st.Release()
	}
	if d.recycle && d.spare == nil {
		d.spare = make([][]map[string]any, len(mapClasses))
	}
	// the scan stops at the value beyond maxValues: a body of millions
	// never builds their tape
	d.st, d.errs = hcrt.ScanBounded(data, d.maxValues), nil
	if !d.st.Parsed {
		if d.errs = d.refused(); len(d.errs) == 0 {
			d.errs = []*SyntaxError{{Line: 1, Column: 1, Keyword: "json", Msg: "not readable as JSON"}}
		}
		return nil, d.errs[0]
	}
	if n := int64(len(d.st.Nodes)); d.budget != nil && n >= budgetFree {
		// the value, and what the reference validator makes of it, cost
		// about 200 bytes a node until reset: wait for room
		if err := d.budget.Acquire(context.Background(), n); err != nil {
			return nil, fmt.Errorf("wait for the values budget: %w", err)
		}
		d.held = n
		now := valuesHeld.Add(n)
		for {
			peak := valuesHeldPeak.Load()
			if now <= peak || valuesHeldPeak.CompareAndSwap(peak, now) {
				break
			}
		}
	}
	d.nodes, d.str = d.st.Nodes, string(data)
	return d.value(0), nil
}

// release gives back what the decoder holds of its budget.
func (d *decoder) release() {
	if d.held > 0 {
		valuesHeld.Add(-d.held)
		d.budget.Release(d.held)
		d.held = 0
	}
}

// The runner's checkers share a budget of MaxPayloadValues values being
// checked at once (runBudget): the values of a payload, and the reference
// validator's work on them, take about 200 bytes each, so two large
// payloads checked at once on two cores took twice the memory of one.
// A payload of fewer than budgetFree values, as most are, takes none of
// it (no lock): jobs*budgetFree values more at most.
const budgetFree = 4096

var runBudget = semaphore.NewWeighted(MaxPayloadValues)

// valuesHeld counts the values of the budget's payloads being checked,
// valuesHeldPeak the most at once, for the test that attacks the budget.
var valuesHeld, valuesHeldPeak atomic.Int64

// MaxPayloadValues is the most JSON values (each object key counts too)
// a payload the runner (Run, CheckPayloads, hookcontract test) checks may
// hold, as MaxPayloadBytes bounds its bytes; a payload with more fails
// with a "limit" violation, unchecked. The reference validator takes about
// 150 bytes a value: a 16 MiB line of 8 million numbers took 1.4 GB and
// 10 s. Suite.Check has no such bound.
const MaxPayloadValues = 1 << 20

// value builds the value of node i of the tape.
func (d *decoder) value(i int32) any {
	nodes := d.nodes
	nd := &nodes[i]
	switch nd.Kind {
	case hcrt.KObject:
		m := d.newMap(int(nd.N))
		if nd.N > 0 {
			for k := i + 1; k != 0; k = nodes[k].Next {
				key := &nodes[k]
				var name string
				if key.Flag == 0 {
					name = d.str[key.Start:key.End]
				} else {
					name = string(d.st.Unescaped(k))
				}
				m[name] = d.value(k + 1)
			}
		}
		return m
	case hcrt.KArray:
		a := make([]any, nd.N)
		e := i + 1
		for j := range a {
			a[j] = d.value(e)
			e = nodes[e].Next
		}
		return a
	case hcrt.KString:
		if nd.Flag == 0 {
			return d.str[nd.Start:nd.End]
		}
		return string(d.st.Unescaped(i))
	case hcrt.KNumber:
		return json.Number(d.str[nd.Start:nd.End])
	case hcrt.KTrue:
		return true
	case hcrt.KFalse:
		return false
	}
	return nil
}

// refused lists why the payload on the tape did not parse (hcrt.Refusals),
// each with its line and column.
func (d *decoder) refused() []*SyntaxError {
	data := d.st.Data
	rs := d.st.Refusals()
	out := make([]*SyntaxError, len(rs))
	for i, r := range rs {
		e := &SyntaxError{Pointer: r.Pointer, Keyword: r.Keyword, Msg: r.Message}
		switch {
		case r.Keyword != "limit":
			e.Line, e.Column = hcrt.LineColumn(data, r.Offset)
		case len(rs) == 1 && d.maxValues > 0:
			// the bound of ScanBounded: said where it was passed
			e.Line, e.Column = hcrt.LineColumn(data, r.Offset)
			e.Msg = fmt.Sprintf("not checked: the payload holds more than the %d JSON values the runner checks (MaxPayloadValues; each object key counts as one)", d.maxValues)
		}
		out[i] = e
	}
	return out
}

// Bounds on the numbers of a payload. The reference validator decides
// whether a number is an integer, and compares it with bounds, through
// math/big, whose cost grows with the number's size: 1e999999 takes tens
// of milliseconds. No provider sends such a number; one beyond either
// bound is refused, before any schema sees it, with a violation (keyword
// "number-size") at its pointer. The generated validators (and so the
// generated handler) apply the same bounds with the same keyword: the
// runner reads payloads with their scanner.
const (
	// MaxNumberChars is the most characters a number may have before its
	// exponent: the sign, the digits and the fraction with its point.
	MaxNumberChars = hcrt.MaxNumberChars
	// MaxExponentDigits is the most digits of an exponent, leading zeros
	// aside: exponents within -9999..9999.
	MaxExponentDigits = hcrt.MaxExponentDigits
)

// locate returns the offset in data at which the value at pointer starts,
// or, when there is no such value (a missing required member), the offset
// of its deepest existing container. data must be valid JSON; otherwise
// it returns 0.
func locate(data []byte, pointer string) int {
	st := hcrt.Scan(data)
	defer st.Release()
	if !st.Parsed {
		return 0
	}
	return locateOn(st, pointer)
}

// locateOn is locate on the parsed tape st.
func locateOn(st *hcrt.State, pointer string) int {
	i := int32(0)
	for _, tok := range jsonpointer.Tokens(pointer) {
		nd := &st.Nodes[i]
		switch nd.Kind {
		case hcrt.KObject:
			m := st.Member(i, tok)
			if m < 0 {
				return st.Offset(i)
			}
			i = m
		case hcrt.KArray:
			n, err := strconv.Atoi(tok)
			if err != nil || n < 0 || n >= int(nd.N) {
				return st.Offset(i)
			}
			i++
			for ; n > 0; n-- {
				i = st.Nodes[i].Next
			}
		default:
			return st.Offset(i)
		}
	}
	return st.Offset(i)
}
