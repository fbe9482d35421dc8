package gen

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/internal/contract"
)

// catalogFS is a draft-07 catalog whose two files declare the same root
// $id (as schema-inference tools write them) and the same local
// definition name with different shapes.
var catalogFS = fstest.MapFS{
	"cat/a.json": {Data: []byte(`{"$schema": "http://json-schema.org/draft-07/schema", "$id": "http://example.com/example.json",
  "$ref": "#/definitions/Body", "definitions": {"Body": {"type": "object", "required": ["v"], "properties": {"v": {"type": "string"}}}},
  "examples": [{"v": "x"}, {"v": 1}]}`)},
	"cat/b.json": {Data: []byte(`{"$schema": "http://json-schema.org/draft-07/schema", "$id": "http://example.com/example.json",
  "$ref": "#/definitions/Body", "definitions": {"Body": {"type": "object", "required": ["v"], "properties": {"v": {"type": "integer"}}}},
  "examples": [{"v": 1}]}`)},
	"cat/old.json":      {Data: []byte(`{"type": "integer", "maximum": 5, "exclusiveMaximum": true}`)},
	"cat/dangling.json": {Data: []byte(`{"$schema": "http://json-schema.org/draft-07/schema#", "$ref": "#/definitions/Notification", "definitions": {}}`)},
}

// TestCatalogCollidingIDs: two catalog files with one root $id stay two
// resources (the second read under its own URI, with a warning naming
// the file), so each file's #/definitions resolve in that file, for the
// generator and the runner alike.
func TestCatalogCollidingIDs(t *testing.T) {
	p, err := contract.LoadCatalog(catalogFS, "cat", contract.CatalogOptions{Events: map[string]string{"a": "a.json", "b": "b.json"}, EventHeader: "X-Event"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Warnings) != 1 || !strings.Contains(p.Warnings[0], "cat/b.json") || !strings.Contains(p.Warnings[0], "http://example.com/example.json") {
		t.Errorf("warnings: %q, want one naming cat/b.json and the colliding $id", p.Warnings)
	}
	if _, err := Generate(p, Options{Package: "cat"}); err != nil {
		t.Fatalf("generate: %v", err)
	}
	suite, err := contracttest.LoadProvider(p)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		event, body string
		ok          bool
	}{
		{"a", `{"v": "x"}`, true}, {"a", `{"v": 1}`, false},
		{"b", `{"v": 1}`, true}, {"b", `{"v": "x"}`, false},
	} {
		res := suite.Check([]byte(c.body), contracttest.CheckOptions{Provider: p.Name, Event: c.event})
		if got := res.Verdict != contracttest.Fail; got != c.ok {
			t.Errorf("runner: event %s, %s: accepted=%v, want %v (%v)", c.event, c.body, got, c.ok, res.Violations)
		}
	}
	exs, err := p.Examples(p.Event("a"))
	if err != nil || len(exs) != 2 {
		t.Fatalf("examples of a: %d, %v; want the root's 2", len(exs), err)
	}
}

// TestCatalogDanglingRoot: an event whose schema file's root $ref points
// nowhere is refused, naming the file and the reference; a catalog file
// no event maps is not read at all.
func TestCatalogDanglingRoot(t *testing.T) {
	p, err := contract.LoadCatalog(catalogFS, "cat", contract.CatalogOptions{Events: map[string]string{"d": "dangling.json"}, EventHeader: "X-Event"})
	if err == nil {
		_, err = Generate(p, Options{Package: "cat"})
	}
	if err == nil || !strings.Contains(err.Error(), "cat/dangling.json") || !strings.Contains(err.Error(), "#/definitions/Notification") {
		t.Errorf("err = %v, want one naming cat/dangling.json and its $ref", err)
	}
	if _, err := contract.LoadCatalog(catalogFS, "cat", contract.CatalogOptions{Events: map[string]string{"a": "a.json"}, EventHeader: "X-Event"}); err != nil {
		t.Errorf("a catalog beside a broken file no event maps: %v", err)
	}
	if _, err := contract.LoadCatalog(catalogFS, "cat", contract.CatalogOptions{}); err == nil || !strings.Contains(err.Error(), "event map") {
		t.Errorf("no event map: err = %v", err)
	}
}

// TestCatalogDialect: a catalog file without $schema is read by the
// configured draft, by the generator and the runner alike (a boolean
// exclusiveMaximum is draft-04's; 2020-12 refuses it).
func TestCatalogDialect(t *testing.T) {
	p, err := contract.LoadCatalog(catalogFS, "cat", contract.CatalogOptions{Events: map[string]string{"n": "old.json"}, EventHeader: "X-Event", Dialect: "draft-04"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(p, Options{Package: "cat"}); err != nil {
		t.Fatalf("generate: %v", err)
	}
	suite, err := contracttest.LoadProvider(p)
	if err != nil {
		t.Fatal(err)
	}
	for body, ok := range map[string]bool{"4": true, "5": false} {
		if got := suite.Check([]byte(body), contracttest.CheckOptions{Provider: p.Name, Event: "n"}).Verdict != contracttest.Fail; got != ok {
			t.Errorf("runner: %s accepted=%v, want %v", body, got, ok)
		}
	}
	p, err = contract.LoadCatalog(catalogFS, "cat", contract.CatalogOptions{Events: map[string]string{"n": "old.json"}, EventHeader: "X-Event"})
	if err == nil {
		_, err = Generate(p, Options{Package: "cat"})
	}
	if err == nil {
		t.Error("a boolean exclusiveMaximum read as 2020-12: no error")
	}
	if _, err := contract.LoadCatalog(catalogFS, "cat", contract.CatalogOptions{Events: map[string]string{"n": "old.json"}, Dialect: "draft-5"}); err == nil || !strings.Contains(err.Error(), "dialect") {
		t.Errorf("unknown dialect: err = %v", err)
	}
}
