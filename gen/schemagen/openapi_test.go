package schemagen

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/internal/contract"
)

// TestOpenAPISemantics checks, through generated validators, what the
// OpenAPI version and the draft rules change, and that jsonschema/v5
// agrees. A 3.0 Schema Object is read as loading a 3.0 document reads it:
// rewritten into the 2020-12 it means (contract.RewriteOAS30), which both
// validators then read alike.
func TestOpenAPISemantics(t *testing.T) {
	type check struct {
		data  string
		valid bool
	}
	tests := []struct {
		name, schema string
		openAPI30    bool
		checks       []check
	}{
		{"nullable under OpenAPI 3.0", `{"type":"string","nullable":true}`, true,
			[]check{{`null`, true}, {`"a"`, true}, {`1`, false}}},
		{"nullable in 3.1 is an annotation", `{"type":"string","nullable":true}`, false,
			[]check{{`null`, false}, {`"a"`, true}}},
		{"nullable adds null to an enum", `{"nullable":true,"enum":["a"]}`, true,
			[]check{{`null`, true}, {`"a"`, true}, {`"b"`, false}}},
		{"nullable beside allOf: null or the rest", `{"nullable":true,"allOf":[{"type":"string"}]}`, true,
			[]check{{`null`, true}, {`"a"`, true}, {`1`, false}}},
		{"boolean exclusiveMinimum (OpenAPI 3.0)", `{"type":"number","minimum":5,"exclusiveMinimum":true,"maximum":9,"exclusiveMaximum":true}`, true,
			[]check{{`5`, false}, {`5.01`, true}, {`9`, false}, {`8.99`, true}}},
		{"$ref replaces its siblings in OpenAPI 3.0", `{"allOf":[{"$ref":"#/$defs/s","maxLength":1}],"$defs":{"s":{"type":"string"}}}`, true,
			[]check{{`"abc"`, true}, {`1`, false}}},
		{"$ref beside siblings in 3.1", `{"$ref":"#/$defs/s","maxLength":1,"$defs":{"s":{"type":"string"}}}`, false,
			[]check{{`"abc"`, false}, {`"a"`, true}}},
		{"draft-04 by $schema", `{"$schema":"http://json-schema.org/draft-04/schema#","minimum":5,"exclusiveMinimum":true,"const":1}`, false,
			[]check{{`5`, false}, {`6`, true}, {`1`, false}}},
		{"draft-07 $ref replaces siblings", `{"$schema":"http://json-schema.org/draft-07/schema#","definitions":{"s":{"type":"string"}},"$ref":"#/definitions/s","maxLength":1}`, false,
			[]check{{`"abc"`, true}, {`1`, false}}},
		{"discriminator, example, xml, externalDocs are annotations",
			`{"oneOf":[{"$ref":"#/$defs/a"},{"$ref":"#/$defs/b"}],"discriminator":{"propertyName":"k","mapping":{"a":"#/$defs/a","b":"#/$defs/b"}},"example":{"k":"a"},"xml":{"name":"x"},"externalDocs":{"url":"https://x.test"},"x-extra":[1],
			  "$defs":{"a":{"properties":{"k":{"const":"a"}},"required":["k"]},"b":{"properties":{"k":{"const":"b"}},"required":["k"]}}}`, false,
			[]check{{`{"k":"a"}`, true}, {`{"k":"b"}`, true}, {`{"k":"c"}`, false}}},
	}
	var programs []*Program
	var cases []harnessCase
	var want []check
	var names []string
	for i, tt := range tests {
		schema := []byte(tt.schema)
		if tt.openAPI30 {
			var err error
			if schema, err = rewrite30(schema); err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
		}
		set := NewSet()
		set.namespace = fmt.Sprintf("t%d:", i)
		id := fmt.Sprintf("https://x.test/t%d.json", i)
		if err := set.Add(id, schema, "t.json"); err != nil {
			t.Fatal(err)
		}
		fn := fmt.Sprintf("T%d", i)
		prog, err := set.Compile([]Root{{URI: id, FuncName: fn}})
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		programs = append(programs, prog)
		ref, err := refCompile(map[string][]byte{id: schema}, id)
		if err != nil {
			t.Fatalf("%s: reference: %v", tt.name, err)
		}
		for _, c := range tt.checks {
			cases = append(cases, harnessCase{fn: fn, data: []byte(c.data)})
			want = append(want, c)
			names = append(names, tt.name)
			v, _ := refDecode([]byte(c.data))
			if got := ref.Validate(v) == nil; got != c.valid {
				t.Errorf("%s on %s: the reference says valid=%v", tt.name, c.data, got)
			}
		}
	}
	for i, r := range runProgram(t, Merge(programs...), cases) {
		if r.Valid != want[i].valid {
			t.Errorf("%s on %s: valid=%v, want %v %v", names[i], want[i].data, r.Valid, want[i].valid, r.Violations)
		}
	}
}

// rewrite30 reads schema as the Schema Object of an OpenAPI 3.0 document
// (contract.RewriteOAS30) and returns the 2020-12 schema it means.
func rewrite30(schema []byte) ([]byte, error) {
	var s any
	if err := json.Unmarshal(schema, &s); err != nil {
		return nil, err
	}
	doc := map[string]any{"components": map[string]any{"schemas": map[string]any{"t": s}}}
	contract.RewriteOAS30(doc)
	return json.Marshal(doc["components"].(map[string]any)["schemas"].(map[string]any)["t"])
}

// TestDiscriminators checks the discriminators the compiled model exposes:
// mapping entries resolved (a bare name is a component name), an entry
// naming no schema a warning.
func TestDiscriminators(t *testing.T) {
	doc := `{"components":{"schemas":{
  "Pet":{"oneOf":[{"$ref":"#/components/schemas/Cat"},{"$ref":"#/components/schemas/Dog"}],
         "discriminator":{"propertyName":"kind","mapping":{"cat":"Cat","dog":"#/components/schemas/Dog","bird":"Bird"}}},
  "Cat":{"properties":{"kind":{"type":"string"},"lives":{"type":"integer"}},"required":["lives"]},
  "Dog":{"properties":{"kind":{"type":"string"},"bark":{"type":"boolean"}},"required":["bark"]}}}}`
	set := NewSet()
	id := "https://x.test/openapi.json"
	if err := set.Add(id, []byte(doc), "openapi.json"); err != nil {
		t.Fatal(err)
	}
	prog, err := set.Compile([]Root{{URI: id + "#/components/schemas/Pet", FuncName: "Pet"}})
	if err != nil {
		t.Fatal(err)
	}
	ds := prog.Discriminators()
	if len(ds) != 1 {
		t.Fatalf("got %d discriminators, want 1", len(ds))
	}
	d := ds[0]
	if d.Schema != id+"#/components/schemas/Pet" || d.PropertyName != "kind" || d.Mapping["cat"] != "Cat" {
		t.Errorf("discriminator %+v", d)
	}
	if d.Targets["cat"] != id+"#/components/schemas/Cat" || d.Targets["dog"] != id+"#/components/schemas/Dog" {
		t.Errorf("targets %v", d.Targets)
	}
	if _, ok := d.Targets["bird"]; ok {
		t.Errorf("bird resolved to %q, but there is no such schema", d.Targets["bird"])
	}
	var warned bool
	for _, w := range prog.Warnings() {
		warned = warned || (w.Pointer == "/components/schemas/Pet/discriminator/mapping/bird" && w.Line == 3)
	}
	if !warned {
		t.Errorf("no located warning for the mapping entry naming no schema: %v", prog.Warnings())
	}
	// a failed union reports the failures of the branch the discriminator names
	cases := []struct{ in, want string }{
		{`{"kind":"cat","lives":9}`, ``},
		{`{"kind":"cat","lives":"nine"}`, `/lives type`},
		{`{"kind":"dog","bark":1}`, `/bark type`},
		{`{"kind":"cow"}`, ` oneOf expected a value matching exactly one of the 2 alternatives of oneOf ("kind" is "cat" or "dog"), found an object`},
	}
	var hc []harnessCase
	for _, c := range cases {
		hc = append(hc, harnessCase{fn: "Pet", data: []byte(c.in)})
	}
	for i, r := range runProgram(t, prog, hc) {
		var got []string
		for _, v := range r.Violations {
			if cases[i].want != "" && strings.HasPrefix(cases[i].want, " ") {
				got = append(got, v.Pointer+" "+v.Keyword+" "+v.Message)
			} else {
				got = append(got, v.Pointer+" "+v.Keyword)
			}
		}
		if g := strings.Join(got, "; "); !strings.HasPrefix(g, cases[i].want) || (cases[i].want == "") != r.Valid {
			t.Errorf("%s: violations %q, want %q", cases[i].in, g, cases[i].want)
		}
	}
}

// TestLocator checks that a document added with a locator (YAML converted
// to JSON) has its problems placed by the locator.
func TestLocator(t *testing.T) {
	set := NewSet()
	locate := func(ptr string) (int, int) {
		if ptr == "/properties/a/type" {
			return 7, 13
		}
		return 0, 0
	}
	if err := set.AddWithLocator("https://x.test/s.json", []byte(`{"properties":{"a":{"type":"text"},"b":{"bogus":1}}}`), "spec.yaml", locate); err != nil {
		t.Fatal(err)
	}
	_, err := set.Compile([]Root{{URI: "https://x.test/s.json", FuncName: "V"}})
	var ce *CompileError
	if !errors.As(err, &ce) || len(ce.Problems) != 2 {
		t.Fatalf("want two problems, got %v", err)
	}
	got := err.Error()
	for _, w := range []string{`spec.yaml:7:13: /properties/a/type: unknown type "text"`, `spec.yaml: /properties/b/bogus: unsupported keyword "bogus"`} {
		if !strings.Contains(got, w) {
			t.Errorf("no %q in\n%s", w, got)
		}
	}
}

// TestUnknownKeywordsAsAnnotations: with the option a vendor's own
// keywords are warnings, not errors.
func TestUnknownKeywordsAsAnnotations(t *testing.T) {
	schema := []byte(`{"name":"X","cloudeventTypes":["a.b"],"type":"string"}`)
	set := NewSet()
	if err := set.Add("https://x.test/s.json", schema, "s.json"); err != nil {
		t.Fatal(err)
	}
	if _, err := set.Compile([]Root{{URI: "https://x.test/s.json", FuncName: "V"}}); err == nil || !strings.Contains(err.Error(), `unsupported keyword "cloudeventTypes"`) {
		t.Errorf("without the option: %v", err)
	}
	set = NewSet(UnknownKeywordsAsAnnotations())
	if err := set.Add("https://x.test/s.json", schema, "s.json"); err != nil {
		t.Fatal(err)
	}
	prog, err := set.Compile([]Root{{URI: "https://x.test/s.json", FuncName: "V"}})
	if err != nil {
		t.Fatal(err)
	}
	if w := prog.Warnings(); len(w) != 2 || !strings.Contains(w[0].String(), `s.json:1:9: /name: unknown keyword "name"`) {
		t.Errorf("warnings %v", w)
	}
}
