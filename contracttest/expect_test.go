package contracttest

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

// ownSpecs is cli/testdata/specs-mini, a user's own spec directory, with
// expectations added to its schema.
func ownSpecs(t *testing.T) fs.FS {
	t.Helper()
	root := filepath.Join("..", "cli", "testdata", "specs-mini")
	m := fstest.MapFS{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		m[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f := m["mini/schemas/shape.drawn.json"]
	s := string(f.Data)
	for old, repl := range map[string]string{
		`"token": {"type": "string", "x-hookcontract-secret": true}`: `"token": {"type": "string", "x-hookcontract-secret": true, "x-hookcontract-expect": {"minLength": 8}}`,
		`"size": {"type": "number", "exclusiveMinimum": 0}`:          `"size": {"type": "number", "exclusiveMinimum": 0, "x-hookcontract-expect": {"maximum": 100}}`,
	} {
		if !strings.Contains(s, old) {
			t.Fatalf("specs-mini changed: %s not found", old)
		}
		s = strings.Replace(s, old, repl, 1)
	}
	f.Data = []byte(s)
	return m
}

// TestOwnSpecExpectations: x-hookcontract-expect works in a spec the
// project did not write: a broken expectation is drift graded expected,
// a broken guarantee still fails, and a secret's expectation never shows
// its value.
func TestOwnSpecExpectations(t *testing.T) {
	s, err := Load(ownSpecs(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		data    string
		verdict Verdict
		pointer string
		grade   hcrt.Grade
	}{
		{`{"kind": "shape.drawn", "token": "long-enough", "shape": {"type": "circle", "size": 2}}`, Pass, "", ""},
		{`{"kind": "shape.drawn", "token": "long-enough", "shape": {"type": "circle", "size": 500}}`, Drift, "/shape/size", Expected},
		{`{"kind": "shape.drawn", "token": "t0k3n", "shape": {"type": "circle", "size": 2}}`, Drift, "/token", Expected},
		{`{"kind": "shape.drawn", "token": "t0k3n", "shape": {"type": "circle", "size": 0}}`, Fail, "/shape/size", Guaranteed},
	} {
		r := s.Check([]byte(c.data), CheckOptions{})
		if r.Verdict != c.verdict {
			t.Errorf("%s: %s %v, want %s", c.data, r.Verdict, r.Violations, c.verdict)
			continue
		}
		if c.pointer == "" {
			continue
		}
		if len(r.Violations) != 1 || r.Violations[0].Pointer != c.pointer || r.Violations[0].Grade != c.grade {
			t.Errorf("%s: violations %+v, want one at %s graded %s", c.data, r.Violations, c.pointer, c.grade)
		}
		for _, v := range r.Violations {
			if strings.Contains(v.Message, "t0k3n") {
				t.Errorf("a secret reached a message: %s", v.Message)
			}
			if !strings.Contains(v.SchemaLocation, "https://example.com/schemas/mini/") {
				t.Errorf("schema location %q", v.SchemaLocation)
			}
		}
	}
}
