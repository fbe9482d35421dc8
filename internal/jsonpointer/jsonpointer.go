// Package jsonpointer is the one implementation of RFC 6901 JSON pointers
// outside the generated runtime: escaping and unescaping reference tokens,
// splitting, joining and checking pointers, and walking a decoded JSON value
// (map[string]any objects, []any arrays) along one.
//
// The runtime generated code imports (runtime/hcrt, a module of its own
// with the standard library only) cannot import this package: Escape is
// its EscapeToken, and tests in gen/schemagen prove the pointers it builds
// from a tape and from byte offsets name their values here.
package jsonpointer

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

// Escape escapes a member name as a reference token: "~" becomes "~0",
// then "/" becomes "~1". It is the runtime's (hcrt.EscapeToken), so that
// the pointers of this module and of generated code are built alike.
func Escape(tok string) string { return hcrt.EscapeToken(tok) }

var unescaper = strings.NewReplacer("~1", "/", "~0", "~")

// Unescape turns a reference token back into the member name: "~1" becomes
// "/", then "~0" becomes "~" (so "~01" is "~1"). A "~" followed by anything
// else is left as written; Split and Valid refuse it.
func Unescape(tok string) string {
	if !strings.Contains(tok, "~") {
		return tok
	}
	return unescaper.Replace(tok)
}

// Split returns the unescaped reference tokens of pointer; "" (the whole
// document) has none. A pointer that does not start with "/", or holds a
// "~" not followed by "0" or "1", is an error.
func Split(pointer string) ([]string, error) {
	if pointer == "" {
		return nil, nil
	}
	if err := check(pointer); err != nil {
		return nil, err
	}
	toks := strings.Split(pointer[1:], "/")
	for i, t := range toks {
		toks[i] = Unescape(t)
	}
	return toks, nil
}

// Tokens is Split for a pointer already checked with Valid (a loaded
// configuration's, say): an invalid pointer has no tokens.
func Tokens(pointer string) []string {
	toks, err := Split(pointer)
	if err != nil {
		return nil
	}
	return toks
}

// Valid reports whether pointer is a JSON pointer: "" or "/" followed by
// tokens in which every "~" is followed by "0" or "1".
func Valid(pointer string) bool {
	return pointer == "" || check(pointer) == nil
}

func check(pointer string) error {
	if !strings.HasPrefix(pointer, "/") {
		return fmt.Errorf("JSON pointer %q does not start with \"/\"", pointer)
	}
	for i := 0; i < len(pointer); i++ {
		if pointer[i] == '~' && (i+1 == len(pointer) || pointer[i+1] != '0' && pointer[i+1] != '1') {
			return fmt.Errorf("JSON pointer %q: \"~\" at offset %d is not followed by \"0\" or \"1\"", pointer, i)
		}
	}
	return nil
}

// Join builds the pointer of unescaped tokens toks; no tokens is "".
func Join(toks ...string) string {
	return Append("", toks...)
}

// Append adds unescaped tokens toks to pointer.
func Append(pointer string, toks ...string) string {
	if len(toks) == 0 {
		return pointer
	}
	var b strings.Builder
	b.WriteString(pointer)
	for _, t := range toks {
		b.WriteByte('/')
		b.WriteString(Escape(t))
	}
	return b.String()
}

// AppendIndex adds an array index to pointer.
func AppendIndex(pointer string, i int) string {
	return pointer + "/" + strconv.Itoa(i)
}

// Display renders pointer for a message: the whole document is "(root)".
func Display(pointer string) string {
	if pointer == "" {
		return "(root)"
	}
	return pointer
}

// Get returns the value at pointer in the decoded JSON value v: an object
// by member, an array by index (decimal, no leading zero; "-", the element
// after the last, is never there).
func Get(v any, pointer string) (any, error) {
	toks, err := Split(pointer)
	if err != nil {
		return nil, err
	}
	return GetTokens(v, toks)
}

// GetTokens is Get with the pointer already split into unescaped tokens.
func GetTokens(v any, toks []string) (any, error) {
	for _, tok := range toks {
		switch x := v.(type) {
		case map[string]any:
			next, ok := x[tok]
			if !ok {
				return nil, fmt.Errorf("no member %q", tok)
			}
			v = next
		case []any:
			i, ok := index(tok)
			if !ok || i >= len(x) {
				return nil, fmt.Errorf("no element %q", tok)
			}
			v = x[i]
		default:
			return nil, fmt.Errorf("cannot descend into %s with %q", typeName(v), tok)
		}
	}
	return v, nil
}

// Lookup is Get reporting only whether the value is there: a malformed
// pointer names nothing.
func Lookup(v any, pointer string) (any, bool) {
	x, err := Get(v, pointer)
	return x, err == nil
}

// LookupTokens is GetTokens reporting only whether the value is there.
func LookupTokens(v any, toks []string) (any, bool) {
	x, err := GetTokens(v, toks)
	return x, err == nil
}

// index parses an array index token: "0", or digits without a leading zero.
func index(tok string) (int, bool) {
	if tok == "" || len(tok) > 1 && tok[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(tok); i++ {
		if tok[i] < '0' || tok[i] > '9' {
			return 0, false
		}
	}
	i, err := strconv.Atoi(tok)
	return i, err == nil
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case string:
		return "a string"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	default:
		return "a number"
	}
}
