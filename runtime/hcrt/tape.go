package hcrt

import (
	"slices"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting of arrays and objects Scan accepts (as
// encoding/json does): a payload nested deeper does not parse.
const MaxDepth = hcMaxDepth

// Refusal is one reason the bytes a State scanned did not parse, for a
// reader that reports it in its own words (the contract test runner turns
// it into a line and a column): what the generated validators report as a
// violation of keyword json, duplicate-key or number-size.
type Refusal struct {
	// Offset is the byte offset in the data the refusal is about: where
	// malformed JSON breaks, the opening quote of a repeated key, the
	// first byte of a number beyond the bounds.
	Offset  int
	Pointer string // the repeated member or the number; "" for malformed JSON
	Keyword string // "json", "duplicate-key", "number-size"; "limit" counts the refusals not listed, or (alone, Offset set) says ScanBounded's bound was passed
	Message string // what is wrong, without its position
}

// Refusals lists why the data did not parse, nil when it did: one json
// refusal for malformed JSON, one limit refusal for data beyond the bound
// of ScanBounded; otherwise every repeated key and every
// number beyond MaxNumberChars or MaxExponentDigits, in document order.
// As in a ValidationError, the first MaxViolations are listed and one more
// refusal, of keyword "limit", counts the rest.
func (st *State) Refusals() []Refusal {
	if st.Parsed || len(st.bad) == 0 {
		return nil
	}
	bad := slices.Clone(st.bad)
	hcSortViolations(bad)
	n := min(len(bad), MaxViolations)
	out := make([]Refusal, 0, n+1)
	for _, v := range bad[:n] {
		if v.node < 0 {
			r := Refusal{Offset: st.faultAt, Keyword: v.keyword, Message: st.fault}
			if r.Message == "" {
				r.Message = v.msg
			}
			out = append(out, r)
			continue
		}
		out = append(out, Refusal{Offset: st.Offset(v.node), Pointer: st.Pointer(v.node), Keyword: v.keyword, Message: st.message(v)})
	}
	if more := len(bad) - n + st.badDropped; more > 0 {
		out = append(out, Refusal{Keyword: "limit", Message: hcLimitMessage(more)})
	}
	return out
}

// Offset is the byte offset in the data at which node i starts: the
// opening quote of a string or key, the first byte of any other value.
func (st *State) Offset(i int32) int {
	nd := &st.Nodes[i]
	if nd.Kind == KString {
		return int(nd.Start) - 1
	}
	return int(nd.Start)
}

// hcEndOfInput says what the data lacks where it ends before a value: any
// value at all (cur < 0: no container is open), or a container's next one.
func hcEndOfInput(cur int32) string {
	if cur < 0 {
		return "empty payload: expected a JSON value"
	}
	return "unexpected end of input: expected a value"
}

// hcHex2 is byte c in two lowercase hex digits, for messages.
func hcHex2(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

// LineColumn turns a byte offset in data into a 1-based line and column,
// the position a refusal or a violation is reported at: lines end at
// '\n', columns count characters (a byte that is not UTF-8 counts as
// one).
func LineColumn(data []byte, offset int) (line, col int) {
	offset = min(offset, len(data))
	line, col = 1, 1
	for j := 0; j < offset; {
		if data[j] == '\n' {
			line++
			col = 1
			j++
			continue
		}
		_, size := utf8.DecodeRune(data[j:offset])
		j += size
		col++
	}
	return line, col
}
