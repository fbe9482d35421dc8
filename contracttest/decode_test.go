package contracttest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hookcontract/hookcontract/runtime/hcrt"
	"github.com/hookcontract/hookcontract/specs"
)

func TestDecodeValues(t *testing.T) {
	v, err := decode([]byte(` {"a": [1, -2.5e3, "x\u00e9\ud83d\ude00", true, false, null, {}], "big": 40526000000002040} `))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"a":   []any{json.Number("1"), json.Number("-2.5e3"), "xé😀", true, false, nil, map[string]any{}},
		"big": json.Number("40526000000002040"),
	}
	if !reflect.DeepEqual(v, want) {
		t.Fatalf("decode = %#v, want %#v", v, want)
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name, in       string
		keyword        string
		line, col      int
		pointer, inMsg string
	}{
		{"empty", "", "json", 1, 1, "", "empty payload"},
		{"whitespace", " \n\t ", "json", 2, 3, "", "empty payload"},
		{"bom", "\xEF\xBB\xBF{}", "json", 1, 1, "", "byte order mark"},
		{"invalid utf-8", "{\"a\": \"x\xff\"}", "json", 1, 9, "", "invalid UTF-8 byte 0xff"},
		{"truncated", "{\"a\": [1, 2", "json", 1, 12, "", "unexpected end of input"},
		{"trailing", "{} {}", "json", 1, 4, "", "after the top-level value"},
		{"second line", "{\n  \"a\": tru\n}", "json", 2, 8, "", `invalid literal: expected "true"`},
		{"leading zero", "[01]", "json", 1, 3, "", "expected ',' or ']' after an array element"},
		{"bad escape", `["\q"]`, "json", 1, 3, "", `invalid escape \q`},
		{"control char", "[\"a\x01\"]", "json", 1, 4, "", "control character 0x01"},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00", "json", 1, 1, "", "invalid UTF-8 byte 0x89"},
		{"duplicate key", `{"data": {"id": 1, "id": 2}}`, "duplicate-key", 1, 20, "/data/id", `duplicate object key "id"`},
		{"duplicate in array", `[{}, {"a~b/c": 1, "a~b/c": 1}]`, "duplicate-key", 1, 19, "/1/a~0b~1c", "parsers disagree on which value wins"},
		{"too deep", strings.Repeat("[", hcrt.MaxDepth+1) + strings.Repeat("]", hcrt.MaxDepth+1), "json", 1, hcrt.MaxDepth + 1, "", "nesting depth exceeds 10000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decode([]byte(tc.in))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("decode(%q) = %v, want a *SyntaxError", tc.in, err)
			}
			if se.Keyword != tc.keyword || se.Line != tc.line || se.Column != tc.col || se.Pointer != tc.pointer || !strings.Contains(se.Msg, tc.inMsg) {
				t.Errorf("decode(%q) = %+v, want keyword %s at %d:%d, pointer %q, message with %q", tc.in, se, tc.keyword, tc.line, tc.col, tc.pointer, tc.inMsg)
			}
		})
	}
}

func TestDecodeDepthLimit(t *testing.T) {
	ok := strings.Repeat(`{"a":`, hcrt.MaxDepth-1) + "[]" + strings.Repeat("}", hcrt.MaxDepth-1)
	if _, err := decode([]byte(ok)); err != nil {
		t.Fatalf("nesting of exactly %d levels: %v", hcrt.MaxDepth, err)
	}
	if !json.Valid([]byte(ok)) {
		t.Fatal("encoding/json disagrees on the depth limit")
	}
}

// TestDecodeRecycle: a recycling decoder gives the same values payload
// after payload, and a result never aliases the input bytes.
func TestDecodeRecycle(t *testing.T) {
	d := decoder{recycle: true}
	inputs := []string{`{"a": {"b": "c"}, "d": [1]}`, `{"x": {}, "y": {"z": null}}`, `{"a": {"b": "c"}, "d": [1]}`}
	for _, in := range inputs {
		data := []byte(in)
		got, err := d.decode(data)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := decode([]byte(in))
		for i := range data {
			data[i] = 'X'
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("recycled decode of %s = %#v, want %#v", in, got, want)
		}
		d.reset()
	}
}

func TestLocate(t *testing.T) {
	data := []byte("{\n  \"a\": {\"b\": [10, {\"c\": \"é\"}]},\n  \"d~/\": 1\n}")
	for _, tc := range []struct {
		ptr       string
		line, col int
	}{
		{"", 1, 1},
		{"/a", 2, 8},
		{"/a/b/1/c", 2, 25},
		{"/a/b/1/missing", 2, 19},
		{"/a/b/7", 2, 14},
		{"/d~0~1", 3, 10},
		{"/nope/deeper", 1, 1},
	} {
		line, col := hcrt.LineColumn(data, locate(data, tc.ptr))
		if line != tc.line || col != tc.col {
			t.Errorf("locate(%q) = %d:%d, want %d:%d", tc.ptr, line, col, tc.line, tc.col)
		}
	}
}

// fixtureFiles returns every fixture file of the embedded specs.
func fixtureFiles(tb testing.TB) map[string][]byte {
	tb.Helper()
	out := map[string][]byte{}
	err := fs.WalkDir(specs.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") || !strings.Contains(p, "/examples/") {
			return err
		}
		out[p], err = fs.ReadFile(specs.FS(), p)
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// FuzzDecode: the decoder never panics, and agrees with encoding/json on
// which inputs are JSON and on their values, except where it is stricter
// by design: duplicate keys, a byte order mark, invalid UTF-8.
func FuzzDecode(f *testing.F) {
	for _, data := range fixtureFiles(f) {
		f.Add(data)
	}
	for _, s := range []string{``, ` `, `{}`, `[]`, `"\ud800"`, `{"a":1,"a":2}`, "\xEF\xBB\xBF{}", `-0.0e+1`, `[1,]`, `{"a" 1}`, "\"\xff\"", `01`, `1e`, `"\u00e9"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decode(data)
		var se *SyntaxError
		if err != nil && !errors.As(err, &se) {
			t.Fatalf("decode returned %T, want *SyntaxError", err)
		}
		if se != nil && (se.Keyword == "duplicate-key" || se.Keyword == "number-size") || bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) || !utf8.Valid(data) {
			return
		}
		if valid := json.Valid(data); valid != (err == nil) {
			t.Fatalf("decode error %v, but encoding/json says valid = %v", err, valid)
		}
		if err != nil {
			if se.Line < 1 || se.Column < 1 {
				t.Fatalf("position %d:%d", se.Line, se.Column)
			}
			return
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var want any
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("decode = %#v, encoding/json = %#v", got, want)
		}
	})
}

// A number beyond the runner's bounds (an exponent of more than four
// digits, more than 1000 digits) is a violation at its pointer, reported
// at once: not tens of milliseconds of math/big in the reference validator.
func TestCheckHugeNumberBounded(t *testing.T) {
	s := testSuite(t)
	raw, err := fs.ReadFile(specs.FS(), "salesforce/examples/valid/salesforcesettings.updated.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	for _, lit := range []string{"1e999999", "1E+00099999", strings.Repeat("7", 5000)} {
		m["created"] = json.RawMessage(lit)
		body, _ := json.Marshal(m)
		start := time.Now()
		r := s.Check(body, CheckOptions{Provider: "salesforce"})
		took := time.Since(start)
		if r.Verdict != Fail || len(r.Violations) != 1 || r.Violations[0].Keyword != "number-size" || r.Violations[0].Pointer != "/created" {
			t.Errorf("created %.12s: %s %+v, want one number-size violation at /created", lit, r.Verdict, r.Violations)
		}
		t.Logf("created %.12s (%d bytes): %s", lit, len(lit), took)
	}
	// Within the bounds, the reference validator decides.
	m["created"] = json.RawMessage("1.634755434e9")
	body, _ := json.Marshal(m)
	if r := s.Check(body, CheckOptions{Provider: "salesforce"}); r.Verdict != Pass {
		t.Errorf("created 1.634755434e9: %s %+v", r.Verdict, r.Violations)
	}
}

// TestCheckListsEveryRefusal: every repeated key and every number beyond
// the bounds of a payload is a violation, in document order, each at its
// pointer, line and column: as the generated validators list them.
func TestCheckListsEveryRefusal(t *testing.T) {
	s := testSuite(t)
	body := "{\"a\": {\"x\": 1, \"x\": 2},\n \"n\": 1e99999, \"a\": 3}"
	r := s.Check([]byte(body), CheckOptions{})
	type want struct {
		pointer, keyword string
		line, col        int
	}
	wants := []want{{"/a/x", "duplicate-key", 1, 16}, {"/n", "number-size", 2, 7}, {"/a", "duplicate-key", 2, 16}}
	if r.Verdict != Fail || len(r.Violations) != len(wants) {
		t.Fatalf("%s %+v, want %d violations", r.Verdict, r.Violations, len(wants))
	}
	for i, w := range wants {
		v := r.Violations[i]
		if v.Pointer != w.pointer || v.Keyword != w.keyword || v.Line != w.line || v.Column != w.col || v.Grade != Guaranteed ||
			!strings.HasPrefix(v.Message, "line "+strconv.Itoa(w.line)+", column "+strconv.Itoa(w.col)+": ") {
			t.Errorf("violation %d: %+v, want %+v", i, v, w)
		}
	}
}
