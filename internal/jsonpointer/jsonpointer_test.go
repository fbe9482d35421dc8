package jsonpointer

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// rfcDocument is the example document of RFC 6901, section 5.
const rfcDocument = `{
  "foo": ["bar", "baz"],
  "": 0,
  "a/b": 1,
  "c%d": 2,
  "e^f": 3,
  "g|h": 4,
  "i\\j": 5,
  "k\"l": 6,
  " ": 7,
  "m~n": 8
}`

func TestGetRFC6901(t *testing.T) {
	var doc any
	if err := json.Unmarshal([]byte(rfcDocument), &doc); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pointer string
		want    any
	}{
		{"", doc},
		{"/foo", []any{"bar", "baz"}},
		{"/foo/0", "bar"},
		{"/", 0.0},
		{"/a~1b", 1.0},
		{"/c%d", 2.0},
		{"/e^f", 3.0},
		{"/g|h", 4.0},
		{"/i\\j", 5.0},
		{"/k\"l", 6.0},
		{"/ ", 7.0},
		{"/m~0n", 8.0},
	} {
		got, err := Get(doc, tc.pointer)
		if err != nil {
			t.Errorf("Get(%q): %v", tc.pointer, err)
			continue
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("Get(%q) = %#v, want %#v", tc.pointer, got, tc.want)
		}
	}
}

func TestGetMissing(t *testing.T) {
	var doc any
	if err := json.Unmarshal([]byte(rfcDocument), &doc); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ pointer, want string }{
		{"/nope", `no member "nope"`},
		{"/foo/2", `no element "2"`},
		{"/foo/-", `no element "-"`},
		{"/foo/01", `no element "01"`},
		{"/foo/+1", `no element "+1"`},
		{"/foo/-1", `no element "-1"`},
		{"/foo/0/x", `cannot descend into a string with "x"`},
		{"/a~1b/x", `cannot descend into a number with "x"`},
		{"/m~n", `not followed by "0" or "1"`},
		{"foo", `does not start with "/"`},
	} {
		_, err := Get(doc, tc.pointer)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Get(%q): %v, want an error with %q", tc.pointer, err, tc.want)
		}
	}
}

func TestSplitJoin(t *testing.T) {
	for _, tc := range []struct {
		pointer string
		toks    []string
	}{
		{"", nil},
		{"/", []string{""}},
		{"//", []string{"", ""}},
		{"/foo/0", []string{"foo", "0"}},
		{"/a~1b", []string{"a/b"}},
		{"/m~0n", []string{"m~n"}},
		{"/~01", []string{"~1"}},
		{"/~10", []string{"/0"}},
		{"/~0~1~1~0", []string{"~//~"}},
	} {
		toks, err := Split(tc.pointer)
		if err != nil || !reflect.DeepEqual(toks, tc.toks) {
			t.Errorf("Split(%q) = %q, %v, want %q", tc.pointer, toks, err, tc.toks)
		}
		if got := Join(tc.toks...); got != tc.pointer {
			t.Errorf("Join(%q) = %q, want %q", tc.toks, got, tc.pointer)
		}
		if !Valid(tc.pointer) {
			t.Errorf("Valid(%q) = false", tc.pointer)
		}
		if got := Tokens(tc.pointer); !reflect.DeepEqual(got, tc.toks) {
			t.Errorf("Tokens(%q) = %q, want %q", tc.pointer, got, tc.toks)
		}
	}
	for _, bad := range []string{"foo", "#/foo", "/~", "/a~2", "/~~0", "~0"} {
		if toks, err := Split(bad); err == nil {
			t.Errorf("Split(%q) = %q, want an error", bad, toks)
		}
		if Valid(bad) {
			t.Errorf("Valid(%q) = true", bad)
		}
		if toks := Tokens(bad); toks != nil {
			t.Errorf("Tokens(%q) = %q, want none", bad, toks)
		}
	}
	if got := Append("/a", "b/c", "~"); got != "/a/b~1c/~0" {
		t.Errorf("Append = %q", got)
	}
	if got := AppendIndex("/items", 3); got != "/items/3" {
		t.Errorf("AppendIndex = %q", got)
	}
	if got := Append("/a"); got != "/a" {
		t.Errorf("Append without tokens = %q", got)
	}
	if Display("") != "(root)" || Display("/a") != "/a" {
		t.Errorf("Display: %q %q", Display(""), Display("/a"))
	}
}

// FuzzRoundTrip: every token survives Escape then Unescape, and a pointer
// joined from tokens splits back into them.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{"", "~", "/", "~0", "~1", "~01", "a/b~c", "m~n"} {
		f.Add(s, s+"x")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if got := Unescape(Escape(a)); got != a {
			t.Fatalf("Unescape(Escape(%q)) = %q", a, got)
		}
		p := Join(a, b)
		toks, err := Split(p)
		if err != nil || len(toks) != 2 || toks[0] != a || toks[1] != b {
			t.Fatalf("Split(Join(%q, %q)) = %q, %v", a, b, toks, err)
		}
		if v, err := Get(map[string]any{a: map[string]any{b: true}}, p); err != nil || v != true {
			t.Fatalf("Get(%q) = %v, %v", p, v, err)
		}
	})
}
