package contract

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestCatalogErrorsNameTheConfig: what a catalog's configuration gets
// wrong (an event map entry, where the event name lives) is reported at
// its line and pointer in the configuration file, and a schema file by its
// path; never the document the catalog is read as, which exists only in
// memory.
func TestCatalogErrorsNameTheConfig(t *testing.T) {
	config := []byte("version: \"1\"\npackages:\n  - catalog: vendor/schemas\n    package: v\n    out: x\n    events:\n      pointers: [/kind]\n      map:\n        A: a.json\n        B: missing.json\n")
	ref := &ConfigRef{File: "hookcontract.yaml", Raw: config, Pointer: "/packages/0"}
	fsys := fstest.MapFS{
		"vendor/schemas/a.json":    {Data: []byte(`{"type": "object", "properties": {"kind": {"const": "A"}}}`)},
		"vendor/schemas/b.json":    {Data: []byte(`{"type": "object"}`)},
		"vendor/schemas/note.json": {Data: []byte(`{"type": "object", "properties": {"x": {"type": "string"}}}`)},
	}
	for _, c := range []struct {
		name string
		opts CatalogOptions
		want string
	}{
		{"a map entry naming no file", CatalogOptions{Events: map[string]string{"A": "a.json", "B": "missing.json"}, Config: ref},
			`hookcontract.yaml:10:9: /packages/0/events/map/B: event "B": reference "missing.json": expected the schema file vendor/schemas/missing.json`},
		{"a pointer list entry that is no location", CatalogOptions{Events: map[string]string{"A": "a.json"}, EventPointers: []string{"kind"}, Config: ref},
			`hookcontract.yaml:7:18: /packages/0/events/pointers/0: events.pointers[0]: expected a JSON pointer`},
		{"no place names the event", CatalogOptions{Events: map[string]string{"N": "note.json", "B": "b.json"}, Config: ref},
			`hookcontract.yaml:6:5: /packages/0/events: cannot tell where the event name lives`},
		{"no configuration file: the catalog folder", CatalogOptions{Events: map[string]string{"N": "note.json", "B": "b.json"}},
			`vendor/schemas: cannot tell where the event name lives`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadCatalog(fsys, "vendor/schemas", c.opts)
			if err == nil || !strings.HasPrefix(err.Error(), c.want) {
				t.Errorf("error %v\nwant one starting %s", err, c.want)
			}
			if err != nil && strings.Contains(err.Error(), catalogDoc) {
				t.Errorf("error names the in-memory document: %v", err)
			}
		})
	}
}
