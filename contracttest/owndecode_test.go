package contracttest

// The runner's own JSON decoder before it read hcrt's tape, kept for
// the side-by-side benchmark and the differential fuzz target.

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// ownMaxDepth is the deepest nesting of arrays and objects a payload may have;
// encoding/json enforces the same limit.
const ownMaxDepth = 10000

// ownSyntaxError is a payload that is not JSON, or JSON that cannot be read
// without ambiguity (duplicate keys).
type ownSyntaxError struct {
	Line, Column int    // 1-based position in the payload
	Pointer      string // for duplicate keys: the repeated ownMember
	Keyword      string // "json", "duplicate-key" or "number-size"
	Msg          string
}

func (e *ownSyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// ownDecode parses exactly one JSON value from data into the raw form that
// jsonschema/v5 validates: map[string]any, []any, string, json.Number, bool
// and nil. Numbers keep every digit. Unlike encoding/json it rejects invalid
// UTF-8, a byte order mark, duplicate object keys and nesting deeper than
// ownMaxDepth, and it reports the line and column of the first problem.
func ownDecode(data []byte) (any, error) {
	var d ownDecoder
	return d.decode(data)
}

// ownDecoder decodes payloads. One ownDecoder serves one goroutine at a time and
// keeps its scratch space between payloads.
//
// Every string of a result, key or value, is a substring of one copy of
// the payload made at the start (str), unless it holds escapes. A result
// therefore never aliases the caller's byte slice, and all its strings cost
// one allocation.
//
// With recycle set, the ownDecoder also keeps the maps it made for a payload's
// objects, and reset clears them for the next payload: the caller promises
// that nothing refers to the previous result any more.
type ownDecoder struct {
	data []byte
	str  string // immutable copy of data
	pos  int

	members []ownMember // open objects' members, innermost last
	items   []any       // open arrays' items, innermost last
	path    []step      // where the value being decoded is, for error pointers
	buf     []byte      // unescaping

	recycle bool
	made    []map[string]any   // maps of the current result
	spare   [][]map[string]any // cleared maps by size class
}

type ownMember struct {
	key   string
	value any
	at    int // offset of the key, for error positions
}

// Size classes of recycled maps: at most 8, 16, 32 and 64 members.
var ownMapClasses = [...]int{8, 16, 32, 64}

const ownMaxSpare = 1024 // maps kept per size class

// reset makes the ownDecoder forget the previous payload and its result.
func (d *ownDecoder) reset() {
	// Objects and arrays clear their scratch entries when they close;
	// after an error the open ones are left up to len.
	clear(d.members)
	clear(d.items)
	d.members, d.items, d.path = d.members[:0], d.items[:0], d.path[:0]
	d.data, d.str = nil, ""
	if cap(d.buf) > 1<<16 {
		d.buf = nil
	}
	if cap(d.members) > 1<<12 {
		d.members = nil
	}
	if cap(d.items) > 1<<12 {
		d.items = nil
	}
	if d.spare == nil {
		d.spare = make([][]map[string]any, len(ownMapClasses))
	}
	for _, m := range d.made {
		c := ownMapClass(len(m))
		if c < 0 || len(d.spare[c]) >= ownMaxSpare {
			continue
		}
		clear(m)
		d.spare[c] = append(d.spare[c], m)
	}
	clear(d.made)
	d.made = d.made[:0]
}

func ownMapClass(n int) int {
	for i, c := range ownMapClasses {
		if n <= c {
			return i
		}
	}
	return -1
}

func (d *ownDecoder) newMap(n int) map[string]any {
	if !d.recycle {
		return make(map[string]any, n)
	}
	var m map[string]any
	if c := ownMapClass(n); c < 0 {
		m = make(map[string]any, n)
	} else if k := len(d.spare[c]); k > 0 {
		m = d.spare[c][k-1]
		d.spare[c][k-1] = nil
		d.spare[c] = d.spare[c][:k-1]
	} else {
		m = make(map[string]any, ownMapClasses[c])
	}
	d.made = append(d.made, m)
	return m
}

func (d *ownDecoder) decode(data []byte) (any, error) {
	d.data, d.pos = data, 0
	if d.recycle && d.spare == nil {
		d.spare = make([][]map[string]any, len(ownMapClasses))
	}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		return nil, d.fail(0, "json", "byte order mark before the JSON value (JSON text must not start with U+FEFF)")
	}
	d.ws()
	if d.pos == len(d.data) {
		return nil, d.fail(d.pos, "json", "empty payload: expected a JSON value")
	}
	d.str = string(data)
	v, err := d.value(0)
	if err != nil {
		return nil, err
	}
	d.ws()
	if d.pos != len(d.data) {
		return nil, d.fail(d.pos, "json", fmt.Sprintf("unexpected %s after the JSON value", d.describe(d.pos)))
	}
	return v, nil
}

func (d *ownDecoder) fail(at int, keyword, msg string) *ownSyntaxError {
	line, col := 1, 1
	for i := 0; i < at && i < len(d.data); i++ {
		if d.data[i] == '\n' {
			line++
			col = 1
		} else if d.data[i]&0xC0 != 0x80 {
			col++
		}
	}
	return &ownSyntaxError{Line: line, Column: col, Keyword: keyword, Msg: msg}
}

// describe names the byte at offset at for a message, without quoting more
// than one character of the payload (which could be part of a secret).
func (d *ownDecoder) describe(at int) string {
	if at >= len(d.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(d.data[at:])
	if r == utf8.RuneError || r < 0x20 || r == 0x7f {
		return fmt.Sprintf("byte 0x%02x", d.data[at])
	}
	return strconv.QuoteRune(r)
}

func (d *ownDecoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// separator reads what follows a ownMember or an element: a ',' (another
// one follows: more is true) or the container's closing byte.
func (d *ownDecoder) separator(closing byte) (more bool, err error) {
	d.ws()
	if d.pos >= len(d.data) {
		return false, d.fail(d.pos, "json", fmt.Sprintf("unexpected end of input: expected ',' or '%c'", closing))
	}
	switch d.data[d.pos] {
	case ',':
		d.pos++
		return true, nil
	case closing:
		d.pos++
		return false, nil
	}
	return false, d.fail(d.pos, "json", fmt.Sprintf("unexpected %s: expected ',' or '%c'", d.describe(d.pos), closing))
}

func (d *ownDecoder) value(depth int) (any, error) {
	if d.pos >= len(d.data) {
		return nil, d.fail(d.pos, "json", "unexpected end of input: expected a value")
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.object(depth + 1)
	case c == '[':
		return d.array(depth + 1)
	case c == '"':
		return d.string()
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	default:
		return nil, d.fail(d.pos, "json", fmt.Sprintf("unexpected %s: expected a value", d.describe(d.pos)))
	}
}

func (d *ownDecoder) literal(word string) error {
	if len(d.data)-d.pos >= len(word) && string(d.data[d.pos:d.pos+len(word)]) == word {
		d.pos += len(word)
		return nil
	}
	return d.fail(d.pos, "json", fmt.Sprintf("unexpected %s: expected %q", d.describe(d.pos), word))
}

func (d *ownDecoder) object(depth int) (any, error) {
	if depth > ownMaxDepth {
		return nil, d.fail(d.pos, "json", fmt.Sprintf("nesting deeper than %d levels", ownMaxDepth))
	}
	d.pos++ // {
	d.ws()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return d.newMap(0), nil
	}
	base := len(d.members)
	d.path = append(d.path, step{index: -1})
	level := len(d.path) - 1
	for {
		d.ws()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return nil, d.fail(d.pos, "json", fmt.Sprintf("unexpected %s: expected a string key", d.describe(d.pos)))
		}
		keyAt := d.pos
		key, err := d.string()
		if err != nil {
			return nil, err
		}
		d.ws()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return nil, d.fail(d.pos, "json", fmt.Sprintf("unexpected %s: expected ':' after object key", d.describe(d.pos)))
		}
		d.pos++
		d.ws()
		d.path[level].key = key
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		d.members = append(d.members, ownMember{key: key, value: v, at: keyAt})
		if more, err := d.separator('}'); err != nil {
			return nil, err
		} else if more {
			continue
		}
		break
	}
	ms := d.members[base:]
	m := d.newMap(len(ms))
	for i := range ms {
		m[ms[i].key] = ms[i].value
	}
	if len(m) != len(ms) {
		return nil, d.duplicate(ms, level)
	}
	clear(ms)
	d.members = d.members[:base]
	d.path = d.path[:level]
	return m, nil
}

// duplicate reports the first ownMember of ms whose key an earlier ownMember has.
func (d *ownDecoder) duplicate(ms []ownMember, level int) error {
	seen := make(map[string]bool, len(ms))
	for _, x := range ms {
		if seen[x.key] {
			d.path = append(d.path[:level], step{key: x.key, index: -1})
			e := d.fail(x.at, "duplicate-key", fmt.Sprintf("key %q appears more than once in the same object; parsers disagree on which value wins", x.key))
			e.Pointer = pathPointer(d.path)
			return e
		}
		seen[x.key] = true
	}
	return d.fail(ms[0].at, "duplicate-key", "duplicate key")
}

func (d *ownDecoder) array(depth int) (any, error) {
	if depth > ownMaxDepth {
		return nil, d.fail(d.pos, "json", fmt.Sprintf("nesting deeper than %d levels", ownMaxDepth))
	}
	d.pos++ // [
	d.ws()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		return []any{}, nil
	}
	base := len(d.items)
	d.path = append(d.path, step{})
	level := len(d.path) - 1
	for {
		d.ws()
		d.path[level].index = len(d.items) - base
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		d.items = append(d.items, v)
		if more, err := d.separator(']'); err != nil {
			return nil, err
		} else if more {
			continue
		}
		break
	}
	a := make([]any, len(d.items)-base)
	copy(a, d.items[base:])
	clear(d.items[base:])
	d.items = d.items[:base]
	d.path = d.path[:level]
	return a, nil
}

func (d *ownDecoder) number() (any, error) {
	start := d.pos
	if d.data[d.pos] == '-' {
		d.pos++
	}
	if d.pos < len(d.data) && d.data[d.pos] == '0' {
		d.pos++
	} else if d.digits() == 0 {
		return nil, d.fail(d.pos, "json", fmt.Sprintf("unexpected %s: expected a digit", d.describe(d.pos)))
	}
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		if d.digits() == 0 {
			return nil, d.fail(d.pos, "json", fmt.Sprintf("unexpected %s: expected a digit after '.'", d.describe(d.pos)))
		}
	}
	mantissa := d.pos - start
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		expStart := d.pos
		if d.digits() == 0 {
			return nil, d.fail(d.pos, "json", fmt.Sprintf("unexpected %s: expected a digit in the exponent", d.describe(d.pos)))
		}
		for expStart < d.pos-1 && d.data[expStart] == '0' {
			expStart++
		}
		if d.pos-expStart > MaxExponentDigits {
			return nil, d.numberSize(start, fmt.Sprintf("number %s has an exponent of %d digits, beyond the %d accepted", ownShortNumber(d.str[start:d.pos]), d.pos-expStart, MaxExponentDigits))
		}
	}
	if mantissa > MaxNumberChars {
		return nil, d.numberSize(start, fmt.Sprintf("number of %d characters before its exponent, beyond the %d accepted", mantissa, MaxNumberChars))
	}
	return json.Number(d.str[start:d.pos]), nil
}

// numberSize reports a number beyond the runner's bounds at its pointer.
func (d *ownDecoder) numberSize(at int, msg string) error {
	e := d.fail(at, "number-size", msg)
	e.Pointer = pathPointer(d.path)
	return e
}

func ownShortNumber(s string) string {
	if len(s) > 24 {
		return s[:20] + "..."
	}
	return s
}

func (d *ownDecoder) digits() int {
	n := 0
	for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
		d.pos++
		n++
	}
	return n
}

// ownPlain tells the bytes a string can hold that need no second look: not
// a quote, a backslash, a control character or the start of a multi-byte
// UTF-8 sequence.
var ownPlain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// string reads a string: a substring of d.str when it holds no escape.
func (d *ownDecoder) string() (string, error) {
	d.pos++ // opening quote
	start := d.pos
	data := d.data
	for i := d.pos; i < len(data); {
		for i < len(data) && ownPlain[data[i]] {
			i++
		}
		if i == len(data) {
			break
		}
		c := data[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return d.str[start:i], nil
		case c == '\\':
			d.pos = i
			return d.slowString(start)
		case c < 0x20:
			return "", d.fail(i, "json", fmt.Sprintf("control character 0x%02x in string", c))
		case c < utf8.RuneSelf:
			i++
		default:
			r, n := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && n <= 1 {
				return "", d.fail(i, "json", fmt.Sprintf("invalid UTF-8 byte 0x%02x in string", c))
			}
			i += n
		}
	}
	return "", d.fail(len(data), "json", "unexpected end of input in string")
}

func (d *ownDecoder) slowString(start int) (string, error) {
	b := append(d.buf[:0], d.data[start:d.pos]...)
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			d.pos++
			d.buf = b
			return string(b), nil
		case c == '\\':
			if d.pos+1 >= len(d.data) {
				return "", d.fail(d.pos, "json", "unexpected end of input in escape")
			}
			e := d.data[d.pos+1]
			switch e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := d.hex4(d.pos + 2)
				if !ok {
					return "", d.fail(d.pos, "json", `invalid \u escape: expected 4 hex digits`)
				}
				d.pos += 6
				if utf16.IsSurrogate(r) {
					if r2, ok := d.hex4(d.pos + 2); ok && d.pos+1 < len(d.data) && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							d.pos += 6
							b = utf8.AppendRune(b, dec)
							continue
						}
					}
					r = utf8.RuneError // lone surrogate, as encoding/json does
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				return "", d.fail(d.pos, "json", fmt.Sprintf("invalid escape %s in string", d.describe(d.pos+1)))
			}
			d.pos += 2
		case c < 0x20:
			return "", d.fail(d.pos, "json", fmt.Sprintf("control character 0x%02x in string", c))
		case c < utf8.RuneSelf:
			b = append(b, c)
			d.pos++
		default:
			r, n := utf8.DecodeRune(d.data[d.pos:])
			if r == utf8.RuneError && n <= 1 {
				return "", d.fail(d.pos, "json", fmt.Sprintf("invalid UTF-8 byte 0x%02x in string", c))
			}
			b = append(b, d.data[d.pos:d.pos+n]...)
			d.pos += n
		}
	}
	return "", d.fail(d.pos, "json", "unexpected end of input in string")
}

func (d *ownDecoder) hex4(at int) (rune, bool) {
	if at+4 > len(d.data) {
		return 0, false
	}
	var r rune
	for _, c := range d.data[at : at+4] {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// ownLocate returns the offset in data at which the value at pointer starts,
// or, when there is no such value (a missing required ownMember), the offset
// of its deepest existing container. data must be valid JSON.
func ownLocate(data []byte, pointer string) int {
	d := ownDecoder{data: data, str: string(data)}
	d.ws()
	at := d.pos
	for _, tok := range jsonpointer.Tokens(pointer) {
		if d.pos >= len(data) {
			break
		}
		at = d.pos
		switch data[d.pos] {
		case '{':
			if !d.findMember(tok) {
				return at
			}
		case '[':
			i, err := strconv.Atoi(tok)
			if err != nil || !d.findItem(i) {
				return at
			}
		default:
			return at
		}
		at = d.pos
	}
	return at
}

// findMember moves from the start of an object to the value of its ownMember
// key, and tells whether there is one.
func (d *ownDecoder) findMember(key string) bool {
	d.pos++
	for {
		d.ws()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return false
		}
		k, err := d.string()
		if err != nil {
			return false
		}
		d.ws()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return false
		}
		d.pos++
		d.ws()
		if k == key {
			return true
		}
		if _, err := d.value(0); err != nil {
			return false
		}
		d.ws()
		if d.pos >= len(d.data) || d.data[d.pos] != ',' {
			return false
		}
		d.pos++
	}
}

// findItem moves from the start of an array to its item i, and tells
// whether there is one.
func (d *ownDecoder) findItem(i int) bool {
	d.pos++
	for n := 0; ; n++ {
		d.ws()
		if n == i {
			return d.pos < len(d.data) && d.data[d.pos] != ']'
		}
		if _, err := d.value(0); err != nil {
			return false
		}
		d.ws()
		if d.pos >= len(d.data) || d.data[d.pos] != ',' {
			return false
		}
		d.pos++
	}
}

// ownLineColumn turns an offset in data into a 1-based line and column
// (columns count characters, not bytes).
func ownLineColumn(data []byte, at int) (line, col int) {
	e := (&ownDecoder{data: data}).fail(at, "", "")
	return e.Line, e.Column
}

// FuzzDecodeOwn: the decoder on hcrt's tape accepts exactly what the
// runner's own decoder accepted, gives the same values, and puts a
// malformed payload's error at the same line and column.
func FuzzDecodeOwn(f *testing.F) {
	for _, data := range fixtureFiles(f) {
		f.Add(data)
	}
	for _, s := range []string{``, ` `, `{}`, `[]`, `"\ud800"`, `{"a":1,"a":2}`, "\xEF\xBB\xBF{}", `-0.0e+1`, `[1,]`, `{"a" 1}`, "\"\xff\"", `01`, `1e`, `"\u00e9"`, `1e99999`, `[{"a":1,"a":2}, x]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decode(data)
		want, ownErr := ownDecode(data)
		if (err == nil) != (ownErr == nil) {
			t.Fatalf("tape: %v; own decoder: %v", err, ownErr)
		}
		if err == nil {
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("tape %#v, own decoder %#v", got, want)
			}
			return
		}
		se, ose := err.(*SyntaxError), ownErr.(*ownSyntaxError)
		if se.Keyword == "json" && ose.Keyword == "json" && (se.Line != ose.Line || se.Column != ose.Column) {
			t.Fatalf("tape %+v, own decoder %+v", se, ose)
		}
	})
}
