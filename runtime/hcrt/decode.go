package hcrt

import (
	"encoding/json"
	"strconv"
	"unsafe"
)

// Decoding from the tape: the generated decoders read the nodes the
// scanner built (and the validators checked) into the package's Go types,
// with no reflection and no second scan of the bytes. A node of the wrong
// JSON type for its Go type is an error naming its pointer; JSON null
// leaves a value that cannot be nil as it is, as encoding/json does.
//
// The strings of one decoding share one allocation (st.arena), as a rule:
// a string unescaped is never longer than its JSON form, so the bytes of
// the string values and numbers the scanner counted (st.text) hold every
// string and number a decoding into structs keeps. Map keys and raw
// values are not counted: when they overflow it, a second arena holds the
// rest of the payload, which holds whatever is decoded after. An arena is
// written once, never reused, and lives as long as any of its strings.

// hcAnyValue is the root of a decode without validation: the scanner's
// checks (well-formed JSON, no duplicate keys, bounded numbers) only.
func hcAnyValue(*State, int32) bool { return true }

// DecodeOnly decodes data with decode after the scanner's checks alone:
// the UnmarshalJSON methods of the generated types use it.
func DecodeOnly(data []byte, decode func(*State) error) error {
	verr, err := RunThen(data, func(st *State) *ValidationError { return st.Check(hcAnyValue) }, decode)
	if verr != nil {
		return verr
	}
	return err
}

// hcDecodeError is a value whose JSON type its Go type cannot hold.
type hcDecodeError struct {
	Pointer string // RFC 6901 JSON pointer of the value
	Msg     string
}

func (e *hcDecodeError) Error() string {
	p := e.Pointer
	if p == "" {
		p = "(root)"
	}
	return "decode " + p + ": " + e.Msg
}

// mismatch reports that node i is not of the JSON type want.
func (st *State) Mismatch(i int32, want string) error {
	return &hcDecodeError{Pointer: st.Pointer(i), Msg: "expected " + want + ", found " + st.Found(i)}
}

// isNull reports whether node i is JSON null.
func (st *State) IsNull(i int32) bool { return st.Nodes[i].Kind == KNull }

// decString decodes string node i into v (a null leaves v as it is).
func (st *State) DecString(i int32, v *string) error {
	nd := &st.Nodes[i]
	switch nd.Kind {
	case KString:
		b := st.Data[nd.Start:nd.End] // Text, in place
		if nd.Flag != 0 {
			b = st.Unescaped(i)
		}
		*v = st.keep(b, nd.Start)
		return nil
	case KNull:
		return nil
	}
	return st.Mismatch(i, "a string")
}

// keep returns b as a string stored in the arena; start is the offset in
// the payload of the node b comes from.
func (st *State) keep(b []byte, start int32) string {
	if len(b) == 0 {
		return ""
	}
	off := st.reserve(len(b), start)
	st.arena = append(st.arena, b...)
	return unsafe.String(&st.arena[off], len(b))
}

// reserve makes room for n more bytes in the arena and returns where they
// go. The first arena of a decoding holds the text of the tape's string
// values and numbers (st.text, spent once it is made); a later one the rest
// of the payload from start, the offset of the node being decoded: the
// values decoded after it come from disjoint parts of that rest, none
// longer decoded than in the payload.
func (st *State) reserve(n int, start int32) int {
	if cap(st.arena)-len(st.arena) < n {
		size := st.text
		if size < n {
			size = max(len(st.Data)-int(start)+1, n)
		}
		st.text = 0
		st.arena = make([]byte, 0, size)
	}
	return len(st.arena)
}

// Plain returns the text of node i when it is a string without escapes,
// as written in the payload, for a decoder that keeps a constant equal to
// it instead of a copy (an enum's declared value, an event's name); ok is
// false for any other node, which the decoder copies as it does any string.
// The text is the payload's: it must not be kept.
func (st *State) Plain(i int32) (text []byte, ok bool) {
	nd := &st.Nodes[i]
	if nd.Kind != KString || nd.Flag != 0 {
		return nil, false
	}
	return st.Data[nd.Start:nd.End:nd.End], true
}

// Spare tells the decoding that string node i is kept as a constant, not
// copied (see Plain): while the decoding's first arena is not made, the
// room counted for it is not made either.
func (st *State) Spare(i int32) {
	if st.text > 0 {
		nd := &st.Nodes[i]
		st.text = max(st.text-int(nd.End-nd.Start), 0)
	}
}

// decBool decodes boolean node i into v.
func (st *State) DecBool(i int32, v *bool) error {
	switch st.Nodes[i].Kind {
	case KTrue:
		*v = true
	case KFalse:
		*v = false
	case KNull:
	default:
		return st.Mismatch(i, "a boolean")
	}
	return nil
}

// decNumber decodes number node i into v, keeping its literal.
func (st *State) DecNumber(i int32, v *json.Number) error {
	nd := &st.Nodes[i]
	switch nd.Kind {
	case KNumber:
		*v = json.Number(st.keep(st.Data[nd.Start:nd.End], nd.Start))
	case KNull:
	default:
		return st.Mismatch(i, "a number")
	}
	return nil
}

// decRaw copies the bytes of node i (null included) into v, as
// json.RawMessage does, in the arena (capped: appending to v copies it).
func (st *State) DecRaw(i int32, v *json.RawMessage) error {
	b := st.raw(i)
	off := st.reserve(len(b), st.Nodes[i].Start)
	st.arena = append(st.arena, b...)
	*v = st.arena[off : off+len(b) : off+len(b)]
	return nil
}

// raw returns the bytes of node i as they appear in the payload.
func (st *State) raw(i int32) []byte {
	nd := &st.Nodes[i]
	if nd.Kind == KString {
		return st.Data[nd.Start-1 : nd.End+1]
	}
	return st.Data[nd.Start:nd.End]
}

// decInt decodes number node i into v. JSON Schema counts 1.0 and 1e3 as
// integers, so they decode as the integers they are; a fraction, or an
// integer beyond int64, is a *ValidationError at the node's pointer: the
// payload cannot be held, and sending it again will not change that.
func (st *State) DecInt(i int32, v *int64) error {
	nd := &st.Nodes[i]
	switch nd.Kind {
	case KNumber:
	case KNull:
		return nil
	default:
		return st.Mismatch(i, "an integer")
	}
	lit := st.Data[nd.Start:nd.End]
	if nd.Flag == 1 && len(lit) <= 18 {
		// a plain literal of at most 18 characters always fits
		var n int64
		neg, digits := lit[0] == '-', lit
		if neg {
			digits = lit[1:]
		}
		for _, c := range digits {
			n = n*10 + int64(c-'0')
		}
		if neg {
			n = -n
		}
		*v = n
		return nil
	}
	n, msg := hcIntOf(lit)
	if msg != "" {
		return &ValidationError{Violations: []Violation{{Pointer: st.Pointer(i), Keyword: "type", Message: msg, Grade: GradeGuaranteed}}}
	}
	*v = n
	return nil
}

// hcIntOf returns the int64 that number literal lit denotes, or why it
// cannot: it is not an integer, or it does not fit.
func hcIntOf(lit []byte) (int64, string) {
	x := hcParseNum(lit)
	if !x.isInt() {
		return 0, "number " + hcShortLit(lit) + " is not an integer"
	}
	tooBig := "integer " + hcShortLit(lit) + " does not fit the int64 this package decodes it into"
	if x.nd == 0 {
		return 0, ""
	}
	if x.adj > 19 {
		return 0, tooBig
	}
	// the digits, then the zeros the exponent adds: at most 19 digits
	var u uint64
	for k := 0; k < int(x.adj); k++ {
		d := uint64(0)
		if k < x.nd {
			d = uint64(x.digit(k))
		}
		if u > (1<<64-1-d)/10 {
			return 0, tooBig
		}
		u = u*10 + d
	}
	switch {
	case !x.neg && u <= 1<<63-1:
		return int64(u), ""
	case x.neg && u <= 1<<63:
		return int64(-u), ""
	}
	return 0, tooBig
}

// hcShortLit shortens a number literal for a message.
func hcShortLit(lit []byte) string {
	if len(lit) > 24 {
		return string(lit[:20]) + "..."
	}
	return string(lit)
}

// decIntOrString decodes node i, a JSON number or string, into the digits
// and the form of an integer-or-string value: the number's literal as
// written, or the string unescaped.
func (st *State) DecIntOrString(i int32, digits *string, quoted *bool) error {
	nd := &st.Nodes[i]
	switch nd.Kind {
	case KString:
		*quoted = true
		return st.DecString(i, digits)
	case KNumber:
		*digits, *quoted = st.keep(st.Data[nd.Start:nd.End], nd.Start), false
		return nil
	case KNull:
		*digits, *quoted = "", false
		return nil
	}
	return st.Mismatch(i, "an integer or a string")
}

// decBoolOrString decodes node i, true, false, "true" or "false", into a
// boolean-or-string value.
func (st *State) DecBoolOrString(i int32, value, quoted *bool) error {
	nd := &st.Nodes[i]
	switch {
	case nd.Kind == KTrue || nd.Kind == KFalse:
		*value, *quoted = nd.Kind == KTrue, false
		return nil
	case nd.Kind == KString && st.strEq(i, "true"):
		*value, *quoted = true, true
		return nil
	case nd.Kind == KString && st.strEq(i, "false"):
		*value, *quoted = false, true
		return nil
	case nd.Kind == KNull:
		return nil
	}
	return st.Mismatch(i, `true, false, "true" or "false"`)
}

// decKey returns the unescaped name of key node k, valid until the next
// call (it may use the scratch buffer).
func (st *State) DecKey(k int32) string { return st.keep(st.Text(k), st.Nodes[k].Start) }

// discriminator returns the string value node of member name of object
// node i, or -1 when there is none or it is not a string.
func (st *State) Discriminator(i int32, name string) int32 {
	v := st.Member(i, name)
	if v < 0 || st.Nodes[v].Kind != KString {
		return -1
	}
	return v
}

// unknownBranch reports a discriminator value node d names no branch of.
func (st *State) UnknownBranch(d int32, typ, name string) error {
	return &hcDecodeError{Pointer: st.Pointer(d), Msg: typ + ": expected a known " + strconv.Quote(name) + ", found " + st.Show(d)}
}

// noDiscriminator reports an object node i without the member that tells
// the branches of typ apart.
func (st *State) NoDiscriminator(i int32, typ, name string) error {
	return &hcDecodeError{Pointer: st.Pointer(i), Msg: typ + ": expected the " + strconv.Quote(name) + " member, a string"}
}

// decodeFallback decodes node i into v with encoding/json: the generated
// decoders' one way with a Go type they do not know.
func (st *State) DecodeFallback(i int32, v any) error {
	if err := json.Unmarshal(st.raw(i), v); err != nil {
		return st.rebase(i, err)
	}
	return nil
}

// rebase puts a violation found decoding the bytes of node i on its own
// (its pointers relative to that node) at the node's place in the payload.
func (st *State) rebase(i int32, err error) error {
	if ve, ok := err.(*ValidationError); ok {
		p := st.Pointer(i)
		out := &ValidationError{Violations: make([]Violation, len(ve.Violations))}
		for k, v := range ve.Violations {
			v.Pointer = p + v.Pointer
			out.Violations[k] = v
		}
		return out
	}
	return &hcDecodeError{Pointer: st.Pointer(i), Msg: err.Error()}
}
