package contracttest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// maxDepth is the deepest nesting of arrays and objects a payload may have;
// encoding/json enforces the same limit.
const maxDepth = 10000

// SyntaxError is a payload that is not JSON, or JSON that cannot be read
// without ambiguity (duplicate keys).
type SyntaxError struct {
	Line, Column int    // 1-based position in the payload
	Pointer      string // for duplicate keys: the repeated member
	Keyword      string // "json" or "duplicate-key"
	Msg          string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// decode parses exactly one JSON value from data into the raw form that
// jsonschema/v5 validates: map[string]any, []any, string, json.Number, bool
// and nil. Numbers keep every digit. Unlike encoding/json it rejects invalid
// UTF-8, a byte order mark, duplicate object keys and nesting deeper than
// maxDepth, and it reports the line and column of the first problem.
func decode(data []byte) (any, error) {
	d := decoder{data: data}
	if len(data) >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF {
		return nil, d.fail(0, "json", "byte order mark before the JSON value (JSON text must not start with U+FEFF)")
	}
	d.ws()
	if d.pos == len(d.data) {
		return nil, d.fail(d.pos, "json", "empty payload: expected a JSON value")
	}
	v, err := d.value(0, nil)
	if err != nil {
		return nil, err
	}
	d.ws()
	if d.pos != len(d.data) {
		return nil, d.fail(d.pos, "json", fmt.Sprintf("unexpected %s after the JSON value", d.describe(d.pos)))
	}
	return v, nil
}

type decoder struct {
	data []byte
	pos  int
	buf  []byte
}

func (d *decoder) fail(at int, keyword, msg string) *SyntaxError {
	line, col := 1, 1
	for i := 0; i < at && i < len(d.data); i++ {
		if d.data[i] == '\n' {
			line++
			col = 1
		} else if d.data[i]&0xC0 != 0x80 {
			col++
		}
	}
	return &SyntaxError{Line: line, Column: col, Keyword: keyword, Msg: msg}
}

func (d *decoder) describe(at int) string {
	if at >= len(d.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(d.data[at:])
	if r == utf8.RuneError {
		return fmt.Sprintf("byte 0x%02x", d.data[at])
	}
	return strconv.QuoteRune(r)
}

func (d *decoder) ws() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// path is the chain of keys leading to the value being decoded; it is only
// turned into a pointer when a duplicate key is found.
type keyPath struct {
	parent *keyPath
	key    string
	index  int // used when key is empty and isIndex is set
	isIdx  bool
}

func (p *keyPath) pointer() string {
	if p == nil {
		return ""
	}
	if p.isIdx {
		return p.parent.pointer() + "/" + strconv.Itoa(p.index)
	}
	return p.parent.pointer() + "/" + escapeToken(p.key)
}

func (d *decoder) value(depth int, at *keyPath) (any, error) {
	if d.pos >= len(d.data) {
		return nil, d.fail(d.pos, "json", "unexpected end of input: expected a value")
	}
	switch c := d.data[d.pos]; {
	case c == '{':
		return d.object(depth+1, at)
	case c == '[':
		return d.array(depth+1, at)
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

func (d *decoder) literal(word string) error {
	if len(d.data)-d.pos >= len(word) && string(d.data[d.pos:d.pos+len(word)]) == word {
		d.pos += len(word)
		return nil
	}
	return d.fail(d.pos, "json", fmt.Sprintf("unexpected %s: expected %q", d.describe(d.pos), word))
}

func (d *decoder) object(depth int, at *keyPath) (any, error) {
	if depth > maxDepth {
		return nil, d.fail(d.pos, "json", fmt.Sprintf("nesting deeper than %d levels", maxDepth))
	}
	d.pos++ // {
	m := make(map[string]any, 8)
	d.ws()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		return m, nil
	}
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
		child := &keyPath{parent: at, key: key}
		v, err := d.value(depth, child)
		if err != nil {
			return nil, err
		}
		if _, dup := m[key]; dup {
			e := d.fail(keyAt, "duplicate-key", fmt.Sprintf("key %q appears more than once in the same object; parsers disagree on which value wins", key))
			e.Pointer = child.pointer()
			return nil, e
		}
		m[key] = v
		d.ws()
		if d.pos >= len(d.data) {
			return nil, d.fail(d.pos, "json", "unexpected end of input: expected ',' or '}'")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return m, nil
		default:
			return nil, d.fail(d.pos, "json", fmt.Sprintf("unexpected %s: expected ',' or '}'", d.describe(d.pos)))
		}
	}
}

func (d *decoder) array(depth int, at *keyPath) (any, error) {
	if depth > maxDepth {
		return nil, d.fail(d.pos, "json", fmt.Sprintf("nesting deeper than %d levels", maxDepth))
	}
	d.pos++ // [
	a := make([]any, 0, 4)
	d.ws()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		return a, nil
	}
	for {
		d.ws()
		child := keyPath{parent: at, index: len(a), isIdx: true}
		v, err := d.value(depth, &child)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
		d.ws()
		if d.pos >= len(d.data) {
			return nil, d.fail(d.pos, "json", "unexpected end of input: expected ',' or ']'")
		}
		switch d.data[d.pos] {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return a, nil
		default:
			return nil, d.fail(d.pos, "json", fmt.Sprintf("unexpected %s: expected ',' or ']'", d.describe(d.pos)))
		}
	}
}

func (d *decoder) number() (any, error) {
	start := d.pos
	if d.data[d.pos] == '-' {
		d.pos++
	}
	digits := func() int {
		n := 0
		for d.pos < len(d.data) && d.data[d.pos] >= '0' && d.data[d.pos] <= '9' {
			d.pos++
			n++
		}
		return n
	}
	if d.pos < len(d.data) && d.data[d.pos] == '0' {
		d.pos++
	} else if digits() == 0 {
		return nil, d.fail(d.pos, "json", fmt.Sprintf("unexpected %s: expected a digit", d.describe(d.pos)))
	}
	if d.pos < len(d.data) && d.data[d.pos] == '.' {
		d.pos++
		if digits() == 0 {
			return nil, d.fail(d.pos, "json", fmt.Sprintf("unexpected %s: expected a digit after '.'", d.describe(d.pos)))
		}
	}
	if d.pos < len(d.data) && (d.data[d.pos] == 'e' || d.data[d.pos] == 'E') {
		d.pos++
		if d.pos < len(d.data) && (d.data[d.pos] == '+' || d.data[d.pos] == '-') {
			d.pos++
		}
		if digits() == 0 {
			return nil, d.fail(d.pos, "json", fmt.Sprintf("unexpected %s: expected a digit in the exponent", d.describe(d.pos)))
		}
	}
	return json.Number(d.data[start:d.pos]), nil
}

func (d *decoder) string() (string, error) {
	d.pos++ // opening quote
	start := d.pos
	// Fast path: no escapes, ASCII or valid UTF-8.
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		switch {
		case c == '"':
			s := string(d.data[start:d.pos])
			d.pos++
			return s, nil
		case c == '\\':
			return d.slowString(start)
		case c < 0x20:
			return "", d.fail(d.pos, "json", fmt.Sprintf("control character 0x%02x in string", c))
		case c < utf8.RuneSelf:
			d.pos++
		default:
			r, n := utf8.DecodeRune(d.data[d.pos:])
			if r == utf8.RuneError && n <= 1 {
				return "", d.fail(d.pos, "json", fmt.Sprintf("invalid UTF-8 byte 0x%02x in string", c))
			}
			d.pos += n
		}
	}
	return "", d.fail(d.pos, "json", "unexpected end of input in string")
}

func (d *decoder) slowString(start int) (string, error) {
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
				return "", d.fail(d.pos, "json", fmt.Sprintf("invalid escape '\\%c' in string", e))
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

func (d *decoder) hex4(at int) (rune, bool) {
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

func escapeToken(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '~' || s[i] == '/' {
			b := make([]byte, 0, len(s)+2)
			for j := 0; j < len(s); j++ {
				switch s[j] {
				case '~':
					b = append(b, '~', '0')
				case '/':
					b = append(b, '~', '1')
				default:
					b = append(b, s[j])
				}
			}
			return string(b)
		}
	}
	return s
}
