package schemagen_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"testing"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

// FuzzPointerAgrees: the runtime builds its own pointers (it is a module
// of its own, standard library only); on any member names, its escaping
// unescapes back, it gives the pointers internal/jsonpointer gives, and
// each of them names its value there.
func FuzzPointerAgrees(f *testing.F) {
	for _, s := range []string{"", "~", "/", "~0", "~1", "~01", "a/b~c", "m~n", "é", "\x00"} {
		f.Add(s, "x"+s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if got := jsonpointer.Unescape(hcrt.EscapeToken(a)); got != a {
			t.Fatalf("hcrt.EscapeToken(%q) unescapes to %q", a, got)
		}
		data, err := json.Marshal(map[string]any{a: []any{0, map[string]any{b: true}}})
		if err != nil {
			t.Skip(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		// The member names as JSON carries them (invalid UTF-8 replaced).
		var ka, kb string
		for k := range doc {
			ka = k
		}
		for k := range doc[ka].([]any)[1].(map[string]any) {
			kb = k
		}
		want := []string{"", jsonpointer.Join(ka), jsonpointer.Join(ka, "0"), jsonpointer.Join(ka, "1"), jsonpointer.Join(ka, "1", kb)}
		st := hcrt.Scan(data)
		defer st.Release()
		if !st.Parsed {
			t.Fatalf("parse %s: not JSON", data)
		}
		seen := map[string]bool{}
		for i := range st.Nodes {
			p := st.Pointer(int32(i))
			seen[p] = true
			if _, err := jsonpointer.Get(doc, p); err != nil {
				t.Errorf("runtime pointer %q of %s: %v", p, data, err)
			}
		}
		got := make([]string, 0, len(seen))
		for p := range seen {
			got = append(got, p)
		}
		sort.Strings(got)
		sort.Strings(want)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("runtime pointers of %s: %q, want %q", data, got, want)
		}
	})
}

// FuzzPointerAtAgrees: hcrt.PointerAt, which names where a body stops parsing
// or a value sits, builds the pointer internal/jsonpointer builds for the
// same member names.
func FuzzPointerAtAgrees(f *testing.F) {
	for _, s := range []string{"", "~", "/", "~0", "~1", "~01", "a/b~c", `"`, "null}"} {
		f.Add(s, "x"+s)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		data, err := json.Marshal(map[string]any{a: []any{true, map[string]any{b: nil}}})
		if err != nil {
			t.Skip(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		var ka, kb string
		for k := range doc {
			ka = k
		}
		for k := range doc[ka].([]any)[1].(map[string]any) {
			kb = k
		}
		off := bytes.LastIndex(data, []byte("null}]}"))
		if off < 0 {
			t.Fatalf("no null value in %s", data)
		}
		if got, want := hcrt.PointerAt(data, off), jsonpointer.Join(ka, "1", kb); got != want {
			t.Errorf("hcrt.PointerAt(%s, %d) = %q, want %q", data, off, got, want)
		}
		key, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		at := 1 + len(key) + 2 // {"a":[ then true
		if !bytes.HasPrefix(data[at:], []byte("true")) {
			t.Fatalf("true not at %d in %s", at, data)
		}
		if got, want := hcrt.PointerAt(data, at), jsonpointer.Join(ka, "0"); got != want {
			t.Errorf("pointerAt of true in %s = %q, want %q", data, got, want)
		}
	})
}
