package expect

import (
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

func compile(t *testing.T, schema string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	Register(c)
	if err := c.AddResource("https://example.com/s.json", strings.NewReader(schema)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("https://example.com/s.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestWalk: an expectation never changes validity; it is reported at its
// instance location, with the secret context of the path; one inside an
// expectation is not reported; a schema compiled without Register has no
// expectations.
func TestWalk(t *testing.T) {
	s := compile(t, `{
		"properties": {
			"a": {"type": "string", "x-hookcontract-expect": {"pattern": "^[0-9]+$"}},
			"k": {"x-hookcontract-secret": true, "properties": {"v": {"x-hookcontract-expect": {"minLength": 8}}}},
			"n": {"x-hookcontract-expect": {"properties": {"m": {"x-hookcontract-expect": {"const": 1}}}}}
		}
	}`)
	v := map[string]any{"a": "x1", "k": map[string]any{"v": "short"}, "n": map[string]any{"m": 2}}
	if err := s.Validate(v); err != nil {
		t.Fatalf("an expectation decided validity: %v", err)
	}
	secret := func(s *jsonschema.Schema) bool { return strings.HasSuffix(s.Location, "/properties/k") }
	p := NewPlan(secret, s)
	got := p.Walk(s, v)
	if len(got) != 2 {
		t.Fatalf("broken: %+v, want /a and /k/v", got)
	}
	if got[0].Pointer != "/a" || got[0].Secret || got[1].Pointer != "/k/v" || !got[1].Secret {
		t.Errorf("broken: %+v %+v", got[0], got[1])
	}
	if Of(s.Properties["a"]) == nil || Of(s) != nil {
		t.Error("Of")
	}
	if p := NewPlan(nil, s.Properties["n"]); len(p.Walk(s.Properties["n"], map[string]any{"m": 2})) != 0 {
		t.Error("an expectation inside an expectation was reported")
	}
}
