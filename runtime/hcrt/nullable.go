package hcrt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Nullable is an optional member that may also be null, where absent and
// null differ: unset (absent), null, or a value. Tagged `omitzero`, an
// unset member is left out when marshaled, a null one is written null, so
// that marshaling what was decoded gives back what was received.
type Nullable[T any] struct {
	value T
	state nullableState
}

type nullableState uint8

const (
	nullableUnset nullableState = iota
	nullableNull
	nullableValue
)

// NewNullable returns a Nullable holding v.
func NewNullable[T any](v T) Nullable[T] { return Nullable[T]{value: v, state: nullableValue} }

// NewNull returns a Nullable holding null.
func NewNull[T any]() Nullable[T] { return Nullable[T]{state: nullableNull} }

// Set makes n hold v.
func (n *Nullable[T]) Set(v T) { *n = NewNullable(v) }

// SetNull makes n hold null.
func (n *Nullable[T]) SetNull() { *n = NewNull[T]() }

// Unset makes n absent.
func (n *Nullable[T]) Unset() { *n = Nullable[T]{} }

// Get returns the value and true when n holds one; the zero value and
// false when n is null or absent.
func (n Nullable[T]) Get() (T, bool) { return n.value, n.state == nullableValue }

// Value returns the value n holds, or the zero value when it is null or
// absent.
func (n Nullable[T]) Value() T { return n.value }

// IsNull reports whether n is present and null.
func (n Nullable[T]) IsNull() bool { return n.state == nullableNull }

// IsSet reports whether n is present: null or a value.
func (n Nullable[T]) IsSet() bool { return n.state != nullableUnset }

// IsZero reports whether n is absent, for the `omitzero` tag option.
func (n Nullable[T]) IsZero() bool { return n.state == nullableUnset }

// MarshalJSON writes null for null (and for absent, when not omitted),
// the value otherwise.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if n.state != nullableValue {
		return []byte("null"), nil
	}
	return json.Marshal(n.value)
}

// UnmarshalJSON reads null as null and anything else as a value, decoded
// as Parse decodes (integers written 1.0 or 1e3 included).
func (n *Nullable[T]) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		n.SetNull()
		return nil
	}
	var v T
	if err := DecodeJSON(data, &v); err != nil {
		return err
	}
	n.Set(v)
	return nil
}

// DateTime is a `format: date-time` string (RFC 3339) with the time it
// names. It keeps the text it was decoded from and marshals it back byte
// for byte while Time is left as decoded: RFC 3339 allows forms a
// time.Time does not remember (`+00:00` or `Z`, a lowercase `t` or `z`,
// any number of fraction digits, a leap second). A leap second (:60) is
// read as the second that follows it. Text that is not a date-time (a
// value the spec only expects to be one) is kept, with a zero Time, so
// that decoding never loses a delivery; Valid tells.
type DateTime struct {
	Time time.Time

	text    string    // the JSON string's contents as received
	raw     []byte    // the JSON string as received, escapes and all (nil from ParseDateTime)
	parsed  time.Time // Time as decoded from text
	decoded bool      // text and parsed hold what was decoded
	invalid bool      // text is not a date-time
}

// NewDateTime returns a DateTime for t, written in RFC 3339 with as many
// fraction digits as it needs.
func NewDateTime(t time.Time) DateTime { return DateTime{Time: t} }

// ParseDateTime reads an RFC 3339 date-time, keeping its text.
func ParseDateTime(s string) (DateTime, error) {
	t, err := parseRFC3339(s)
	if err != nil {
		return DateTime{}, err
	}
	return DateTime{Time: t, text: s, parsed: t, decoded: true}, nil
}

// String returns the text the value was decoded from, while Time is
// unchanged; otherwise Time in RFC 3339.
func (d DateTime) String() string {
	if d.decoded && d.Time == d.parsed {
		return d.text
	}
	return d.Time.Format(time.RFC3339Nano)
}

// Valid reports whether Time holds the time: false only for text that is
// not a date-time, while Time is left as decoded.
func (d DateTime) Valid() bool { return !d.invalid || d.Time != d.parsed }

// IsZero reports whether the value holds neither a time nor text, for
// the `omitzero` tag option.
func (d DateTime) IsZero() bool { return !d.decoded && d.Time.IsZero() }

// MarshalJSON writes the JSON string received, byte for byte, while Time
// is unchanged, and Time in RFC 3339 otherwise.
func (d DateTime) MarshalJSON() ([]byte, error) {
	if d.raw != nil && d.Time == d.parsed {
		return bytes.Clone(d.raw), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads a JSON string; it fails only on anything else.
func (d *DateTime) UnmarshalJSON(data []byte) error {
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("decode date-time: %w", err)
	}
	t, err := parseRFC3339(s)
	*d = DateTime{Time: t, text: s, raw: bytes.Clone(bytes.TrimSpace(data)), parsed: t, decoded: true, invalid: err != nil}
	return nil
}

// parseRFC3339 reads RFC 3339's date-time, which time.Parse reads but for
// a lowercase t or z, and a leap second.
func parseRFC3339(s string) (time.Time, error) {
	norm := s
	if len(norm) > 10 && norm[10] == 't' {
		norm = norm[:10] + "T" + norm[11:]
	}
	if strings.HasSuffix(norm, "z") {
		norm = norm[:len(norm)-1] + "Z"
	}
	leap := false
	if len(norm) > 19 && norm[17:19] == "60" && norm[13] == ':' && norm[16] == ':' {
		norm, leap = norm[:17]+"59"+norm[19:], true
	}
	t, err := time.Parse(time.RFC3339Nano, norm)
	if err != nil {
		return time.Time{}, fmt.Errorf("date-time %q: %w", shorten(s), err)
	}
	if leap {
		t = t.Add(time.Second)
	}
	return t, nil
}

// JSONKind names the JSON type of the value data holds: "object",
// "array", "string", "number", "boolean", "null", or "" when data holds
// none.
func JSONKind(data []byte) string {
	i := skipSpace(data, 0)
	if i >= len(data) {
		return ""
	}
	switch c := data[i]; {
	case c == '{':
		return "object"
	case c == '[':
		return "array"
	case c == '"':
		return "string"
	case c == 't' || c == 'f':
		return "boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "number"
	}
	return ""
}

// HasMembers reports whether the object data holds has every member of
// names.
func HasMembers(data []byte, names ...string) bool {
	for _, n := range names {
		if _, _, ok := LookupMember(data, []string{n}); !ok {
			return false
		}
	}
	return true
}
