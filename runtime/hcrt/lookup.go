// The value types that keep every digit of a number and accept the two
// forms providers send, and the fast event-name lookup that Parse uses
// before it validates.

package hcrt

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/bits"
	"strconv"
)

// IntOrString is an integer sent either as a JSON number or as a string of
// digits (SalesIQ's event_time). It keeps every digit, whatever its size,
// and remembers the form it arrived in.
type IntOrString struct {
	Digits string // the integer's decimal digits, with a leading '-' if negative
	Quoted bool   // true when it arrived as a JSON string
}

// UnmarshalJSON accepts a JSON number or a JSON string.
func (v *IntOrString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("decode integer-or-string: %w", err)
		}
		v.Digits, v.Quoted = s, true
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("decode integer-or-string: %w", err)
	}
	v.Digits, v.Quoted = n.String(), false
	return nil
}

// MarshalJSON writes the value in the form it arrived in.
func (v IntOrString) MarshalJSON() ([]byte, error) {
	if v.Quoted {
		return json.Marshal(v.Digits)
	}
	if v.Digits == "" {
		return []byte("null"), nil
	}
	return []byte(v.Digits), nil
}

// Int64 returns the value as an int64, or an error when it does not fit.
func (v IntOrString) Int64() (int64, error) {
	n, err := strconv.ParseInt(v.Digits, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("integer %q: %w", v.Digits, err)
	}
	return n, nil
}

// String returns the digits.
func (v IntOrString) String() string { return v.Digits }

// BoolOrString is a boolean sent either as a JSON boolean or as the string
// "true" or "false" (Sonar's active).
type BoolOrString struct {
	Value  bool
	Quoted bool // true when it arrived as a JSON string
}

// UnmarshalJSON accepts true, false, "true" and "false".
func (v *BoolOrString) UnmarshalJSON(b []byte) error {
	switch string(bytes.TrimSpace(b)) {
	case "true":
		*v = BoolOrString{Value: true}
	case "false":
		*v = BoolOrString{Value: false}
	case `"true"`:
		*v = BoolOrString{Value: true, Quoted: true}
	case `"false"`:
		*v = BoolOrString{Value: false, Quoted: true}
	default:
		// "true" or "false" written with escapes
		var s string
		if json.Unmarshal(b, &s) == nil && (s == "true" || s == "false") {
			*v = BoolOrString{Value: s == "true", Quoted: true}
			return nil
		}
		return fmt.Errorf("decode boolean-or-string: expected true, false, \"true\" or \"false\", found %.32s", b)
	}
	return nil
}

// MarshalJSON writes the value in the form it arrived in.
func (v BoolOrString) MarshalJSON() ([]byte, error) {
	s := strconv.FormatBool(v.Value)
	if v.Quoted {
		s = strconv.Quote(s)
	}
	return []byte(s), nil
}

// StringBool is a flag sent as the string "true" or "false" (SalesIQ's
// department flags). Its string value is kept; Bool reads it.
type StringBool string

// Bool reports whether the flag is "true".
func (v StringBool) Bool() bool { return v == "true" }

// Known reports whether the value is "true" or "false".
func (v StringBool) Known() bool { return v == "true" || v == "false" }

// skipToItem returns the offset of item tok (a decimal index) of the array
// starting at data[i], or -1 when there is no such item.
func skipToItem(data []byte, i int, tok string) int {
	n, err := strconv.Atoi(tok)
	if err != nil || n < 0 || strconv.Itoa(n) != tok {
		return -1
	}
	i = skipSpace(data, i+1)
	for k := 0; ; k++ {
		if i >= len(data) || data[i] == ']' {
			return -1
		}
		if k == n {
			return i
		}
		if i = skipValue(data, i, 0); i < 0 {
			return -1
		}
		if i = skipSpace(data, i); i >= len(data) || data[i] != ',' {
			return -1
		}
		i = skipSpace(data, i+1)
	}
}

// LookupMember finds the member at the JSON pointer tokens path in the JSON
// document data without decoding the rest of it. It reports whether the
// member exists and whether it is a string; value is the string's content
// (unescaped) or, for another type, the member's raw JSON text. It does not
// allocate unless a key or the string holds escapes.
func LookupMember(data []byte, path []string) (value []byte, isString, ok bool) {
	i := skipSpace(data, 0)
	for _, tok := range path {
		if i < len(data) && data[i] == '[' {
			// An array item by index (an event name inside the first
			// notification item, say).
			if i = skipToItem(data, i, tok); i < 0 {
				return nil, false, false
			}
			continue
		}
		if i >= len(data) || data[i] != '{' {
			return nil, false, false
		}
		i++
		found := false
		for {
			i = skipSpace(data, i)
			if i >= len(data) || data[i] == '}' {
				return nil, false, false
			}
			if data[i] == ',' {
				i++
				continue
			}
			if data[i] != '"' {
				return nil, false, false
			}
			end := skipString(data, i)
			if end < 0 {
				return nil, false, false
			}
			key := data[i+1 : end-1]
			match := false
			if bytes.IndexByte(key, '\\') < 0 {
				match = string(key) == tok
			} else if k, err := strconv.Unquote(string(data[i:end])); err == nil {
				match = k == tok
			}
			i = skipSpace(data, end)
			if i >= len(data) || data[i] != ':' {
				return nil, false, false
			}
			i = skipSpace(data, i+1)
			if match {
				found = true
				break
			}
			if i = skipValue(data, i, 0); i < 0 {
				return nil, false, false
			}
		}
		if !found {
			return nil, false, false
		}
	}
	if i < len(data) && data[i] == '"' {
		end := skipString(data, i)
		if end < 0 {
			return nil, false, false
		}
		s := data[i+1 : end-1]
		if bytes.IndexByte(s, '\\') >= 0 {
			var u string
			if json.Unmarshal(data[i:end], &u) != nil {
				return nil, false, false
			}
			return []byte(u), true, true
		}
		return s, true, true
	}
	end := skipValue(data, i, 0)
	if end < 0 {
		return nil, false, false
	}
	return data[i:end], false, true
}

func skipSpace(data []byte, i int) int { return hcSkipWS(data, i) }

// skipString returns the index after the string starting at data[i], or -1;
// runs of printable ASCII go eight bytes at a time (see hcPlainEnd).
func skipString(data []byte, i int) int {
	for j := i + 1; ; {
		if j = hcPlainEnd(data, j); j >= len(data) {
			return -1
		}
		switch data[j] {
		case '\\':
			j += 2
		case '"':
			return j + 1
		default:
			j++
		}
	}
}

// hcBracket marks the bytes skipFlat stops at.
var hcBracket = [256]bool{'"': true, '{': true, '}': true, '[': true, ']': true}

// hcZeroByte has the high bit set in the lowest zero byte of x (and maybe
// in bytes above it, never below).
func hcZeroByte(x uint64) uint64 { return (x - hcOnes) &^ x & hcHighs }

// skipFlat skips the object or array at data[i] without recursion: it
// stops only at quotes and brackets, and keeps which bracket each open
// level needs in a bit stack. It returns the index after the value, or -1
// for a closing bracket that does not match; ok is false when the value is
// more than 64 levels deep (skipValue recurses then) or ends early.
func skipFlat(data []byte, i int) (end int, ok bool) {
	var stack uint64 // bit d: level d is an array
	depth := 0
	for i < len(data) {
		// eight bytes at a time past those that are neither quotes nor
		// brackets ('{' and '[', '}' and ']' differ by 0x20 only)
		for i+8 <= len(data) {
			x := binary.LittleEndian.Uint64(data[i:])
			y := x | 0x2020202020202020
			if m := (hcZeroByte(x^'"'*hcOnes) | hcZeroByte(y^'{'*hcOnes) | hcZeroByte(y^'}'*hcOnes)); m != 0 {
				i += bits.TrailingZeros64(m) >> 3
				break
			}
			i += 8
		}
		if i >= len(data) {
			break
		}
		c := data[i]
		if !hcBracket[c] {
			i++
			continue
		}
		switch c {
		case '"':
			if i = skipString(data, i); i < 0 {
				return -1, true
			}
			continue
		case '{', '[':
			if depth == 64 {
				return 0, false
			}
			stack &^= 1 << depth
			if c == '[' {
				stack |= 1 << depth
			}
			depth++
		default:
			depth--
			if isArr := stack>>depth&1 == 1; isArr != (c == ']') {
				return -1, true
			}
			if depth == 0 {
				return i + 1, true
			}
		}
		i++
	}
	return 0, false
}

// skipValue returns the index after the value starting at data[i], or -1.
func skipValue(data []byte, i, depth int) int {
	if i < len(data) && (data[i] == '{' || data[i] == '[') {
		if j, ok := skipFlat(data, i); ok {
			return j
		}
	}
	return skipNested(data, i, depth)
}

// skipNested is skipValue by recursion, byte by byte.
func skipNested(data []byte, i, depth int) int {
	if i >= len(data) || depth > 10000 {
		return -1
	}
	switch data[i] {
	case '"':
		return skipString(data, i)
	case '{', '[':
		close := byte('}')
		if data[i] == '[' {
			close = ']'
		}
		i++
		for {
			i = skipSpace(data, i)
			if i >= len(data) {
				return -1
			}
			switch data[i] {
			case close:
				return i + 1
			case ',', ':':
				i++
				continue
			}
			if i = skipNested(data, i, depth+1); i < 0 {
				return -1
			}
		}
	default:
		j := i
		for j < len(data) {
			c := data[j]
			if c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' {
				break
			}
			j++
		}
		if j == i {
			return -1
		}
		return j
	}
}
