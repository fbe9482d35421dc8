package contractdiff

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

func TestEditsKeepLayout(t *testing.T) {
	for _, tc := range []struct {
		name, doc, ptr, want string
		items                []string
		del                  bool
	}{
		{name: "multiline object", doc: "{\n  \"a\": {\n    \"x\": 1\n  }\n}\n", ptr: "/a", items: []string{`"y": 2`},
			want: "{\n  \"a\": {\n    \"x\": 1,\n    \"y\": 2\n  }\n}\n"},
		{name: "empty multiline object", doc: "{\n  \"a\": {}\n}\n", ptr: "/a", items: []string{`"y": 2`}, want: "{\n  \"a\": {\"y\": 2}\n}\n"},
		{name: "one-line array", doc: `{"enum": ["A", "B"]}`, ptr: "/enum", items: []string{`"C"`}, want: `{"enum": ["A", "B", "C"]}`},
		{name: "multiline array", doc: "{\"e\": [\n    \"A\"\n  ]}", ptr: "/e", items: []string{`"B"`}, want: "{\"e\": [\n    \"A\",\n    \"B\"\n  ]}"},
		{name: "delete middle", doc: `{"a": 1, "b": 2, "c": 3}`, ptr: "/b", del: true, want: `{"a": 1, "c": 3}`},
		{name: "delete first", doc: `{"a": 1, "b": 2}`, ptr: "/a", del: true, want: `{"b": 2}`},
		{name: "delete last member removes the emptied holder", doc: "{\"t\": \"string\",\n \"x\": {\n  \"maxLength\": 5\n }\n}", ptr: "/x/maxLength", del: true, want: "{\"t\": \"string\"\n}"},
		{name: "escaped key", doc: `{"a\"b": 1, "c": 2}`, ptr: `/a"b`, del: true, want: `{"c": 2}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.doc)
			var got []byte
			var err error
			if tc.del {
				got, err = deleteMember(data, tc.ptr)
			} else {
				s, e, ok := span(data, tc.ptr)
				if !ok {
					t.Fatalf("no value at %s", tc.ptr)
				}
				got, err = insertItems(data, s, e, tc.items)
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// FuzzEdits checks that inserting into and deleting from any JSON
// document either fails cleanly or leaves valid JSON with exactly the
// intended change.
func FuzzEdits(f *testing.F) {
	f.Add([]byte(`{"a": {"b": [1, 2]}, "c": {}}`), "/a/b")
	f.Add([]byte("{\n  \"properties\": {\n    \"x\": {\"type\": \"string\"}\n  }\n}"), "/properties")
	f.Add([]byte(`{"x-hookcontract-expect": {"format": "email"}}`), "/x-hookcontract-expect/format")
	f.Add([]byte(`[{"a":1}]`), "/0")
	f.Fuzz(func(t *testing.T, data []byte, ptr string) {
		var before any
		if json.Unmarshal(data, &before) != nil {
			return
		}
		if s, e, ok := span(data, ptr); ok {
			item := `"fuzz-added"`
			if data[s] == '{' {
				item = `"fuzz-added-key": true`
			}
			if data[s] == '{' || data[s] == '[' {
				out, err := insertItems(data, s, e, []string{item})
				if err == nil {
					var after any
					if err := json.Unmarshal(out, &after); err != nil {
						t.Fatalf("insert at %q into %q gave invalid JSON %q: %v", ptr, data, out, err)
					}
					if reflect.DeepEqual(before, after) && !strings.Contains(string(data), "fuzz-added") {
						t.Fatalf("insert at %q into %q changed nothing", ptr, data)
					}
				}
			}
		}
		out, err := deleteMember(data, ptr)
		if err != nil {
			return
		}
		var after any
		if err := json.Unmarshal(out, &after); err != nil {
			t.Fatalf("delete %q from %q gave invalid JSON %q: %v", ptr, data, out, err)
		}
		toks := jsonpointer.Tokens(ptr)
		if len(toks) == 0 {
			return
		}
		m, _ := lookupValue(after, toks[:len(toks)-1]).(map[string]any)
		if _, still := m[toks[len(toks)-1]]; still && m != nil {
			t.Fatalf("delete %q from %q left it in %q", ptr, data, out)
		}
	})
}
