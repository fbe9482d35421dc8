package contractdiff

import (
	"encoding/json"
	"testing"
)

// TestObserveDeclared checks which members of a payload coverage counts
// as declared: by name, in a oneOf branch, through patternProperties or
// additionalProperties, and which it does not know.
func TestObserveDeclared(t *testing.T) {
	s := compileSchema(t, "https://example.com/cov.json", `{
		"properties": {
			"caps": {"additionalProperties": {"properties": {"on": {"type": "boolean"}}}},
			"tags": {"patternProperties": {"^t_": {"type": "string"}}},
			"body": {"oneOf": [{"properties": {"a": {}}}, {"properties": {"b": {}}}]},
			"list": {"items": {"properties": {"sku": {}}}}
		}
	}`)
	var v any
	json.Unmarshal([]byte(`{"caps": {"card": {"on": true, "extra": 1}}, "tags": {"t_x": "y", "u": "z"}, "body": {"b": 1, "c": 2}, "list": [{"sku": "k", "qty": 1}], "top": 1}`), &v)
	ec := &EventCoverage{}
	observe(ec, "", v, flatten(s, guaranteed), map[string]bool{}, 10, false)
	want := map[string]bool{
		"/caps": true, "/caps/card": true, "/caps/card/on": true, "/caps/card/extra": false,
		"/tags": true, "/tags/t_x": true, "/tags/u": false,
		"/body": true, "/body/b": true, "/body/c": false,
		"/list": true, "/list/*": true, "/list/*/sku": true, "/list/*/qty": false,
		"/top": false,
	}
	for ptr, declared := range want {
		if f := ec.field(ptr); f.Declared != declared {
			t.Errorf("%s: declared %v, want %v", ptr, f.Declared, declared)
		}
	}
}
