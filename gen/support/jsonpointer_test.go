package support

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// FuzzPointerAtAgrees: pointerAt, which names where a body stops parsing
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
		if got, want := pointerAt(data, off), jsonpointer.Join(ka, "1", kb); got != want {
			t.Errorf("pointerAt(%s, %d) = %q, want %q", data, off, got, want)
		}
		key, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		at := 1 + len(key) + 2 // {"a":[ then true
		if !bytes.HasPrefix(data[at:], []byte("true")) {
			t.Fatalf("true not at %d in %s", at, data)
		}
		if got, want := pointerAt(data, at), jsonpointer.Join(ka, "0"); got != want {
			t.Errorf("pointerAt of true in %s = %q, want %q", data, got, want)
		}
	})
}
