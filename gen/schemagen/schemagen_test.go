package schemagen

import (
	"errors"
	"strings"
	"testing"
)

func compileOne(t *testing.T, schema string) error {
	t.Helper()
	set := NewSet()
	if err := set.Add("https://x.test/s.json", []byte(schema), "specs/x/schemas/s.json"); err != nil {
		return err
	}
	_, err := set.Compile([]Root{{URI: "https://x.test/s.json", FuncName: "V"}})
	return err
}

func TestCompileErrors(t *testing.T) {
	tests := []struct{ schema, want string }{
		{`{"properties":{"a":{"unknownThing":1}}}`, `specs/x/schemas/s.json:1:36: /properties/a/unknownThing: unsupported keyword "unknownThing"`},
		{`{"$defs":{"d":{"type":"text"}},"$ref":"#/$defs/d"}`, `specs/x/schemas/s.json:1:23: /$defs/d/type: unknown type "text"`},
		{`{"allOf":[{"discriminator":"kind"}]}`, `/allOf/0/discriminator: discriminator must be an object`},
		{`{"discriminator":{"mapping":{}}}`, `discriminator needs propertyName`},
		{`{"discriminator":{"propertyName":"k","extra":1}}`, `/discriminator/extra: unsupported discriminator member "extra"`},
		{`{"nullable":"yes"}`, `nullable must be a boolean`},
		{`{"minimum":1,"exclusiveMinimum":true}`, `/exclusiveMinimum: exclusiveMinimum must be a number in draft 2020-12 (a boolean is draft-04 and OpenAPI 3.0 syntax`},
		{`{"$ref":"other.json"}`, `/$ref: unresolved $ref "other.json": no schema is registered under "https://x.test/other.json"`},
		{`{"$ref":"#/$defs/missing"}`, `unresolved $ref "#/$defs/missing"`},
		{`{"$ref":"#nope"}`, `no anchor "nope"`},
		{`{"pattern":"(?=x)"}`, `/pattern: pattern "(?=x)" is not a regular expression Go's regexp (RE2) accepts`},
		{`{"patternProperties":{"(?!x)":{}}}`, `/patternProperties/(?!x): pattern "(?!x)" is not a regular expression`},
		{`{"minLength":-1}`, `/minLength: must be a non-negative integer`},
		{`{"minLength":1.5}`, `must be a non-negative integer`},
		{`{"type":"text"}`, `unknown type "text"`},
		{`{"multipleOf":0}`, `multipleOf must be greater than 0`},
		{`{"$schema":"http://json-schema.org/draft-06/schema#"}`, `unsupported $schema`},
		{`{"$schema":"https://json-schema.org/draft/2020-12/schema","items":[{}]}`, `items must be a schema in draft 2020-12`},
		{`{"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"allOf":[{"$ref":"#/$defs/a"}]}},"$ref":"#/$defs/a"}`, `applies itself to the same value without end`},
		{`{"x-hookcontract-secret":"yes"}`, `x-hookcontract-secret must be a boolean`},
		{`[1]`, `a schema must be an object or a boolean, found array`},
	}
	for _, tt := range tests {
		err := compileOne(t, tt.schema)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error containing %q", tt.schema, err, tt.want)
		}
	}
	for _, ok := range []string{
		`{"x-anything":{"unevaluatedProperties":1},"title":"t","description":"d","examples":[1],"default":2,"deprecated":true,"readOnly":true,"writeOnly":false,"$comment":"c","contentMediaType":"application/json","contentEncoding":"base64"}`,
		`{"format":"not-a-format"}`,
		`true`,
		`{"properties":{"a":{"$ref":"#"}}}`,
		`{"example":{"a":1},"xml":{"name":"a"},"externalDocs":{"url":"https://x.test"},"discriminator":{"propertyName":"k","mapping":{"a":"#/$defs/a"},"x-y":1},"$defs":{"a":{}}}`,
		`{"$defs":{"unreached":{"pattern":"(?!x)","bogus":1}}}`,
		`{"definitions":{"d":{}},"dependencies":{"a":["b"],"c":{"required":["d"]}}}`,
		`{"properties":{"a":{"$recursiveRef":"#"}},"nullable":true}`,
	} {
		if err := compileOne(t, ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}

// TestEveryProblem checks that one compile reports every problem of the
// schemas a root reaches, each with file, line, column and pointer, and
// that problems no root reaches and ignored keywords are warnings.
func TestEveryProblem(t *testing.T) {
	schema := `{
  "properties": {
    "a": {"type": "text"},
    "b": {"bogus": true, "minLength": -1},
    "c": {"pattern": "^(?!x)"},
    "d": {"$recursiveRef": "#", "nullable": true}
  },
  "$defs": {"unused": {"alsoBogus": 1}}
}`
	set := NewSet()
	if err := set.Add("https://x.test/s.json", []byte(schema), "s.json"); err != nil {
		t.Fatal(err)
	}
	_, err := set.Compile([]Root{{URI: "https://x.test/s.json", FuncName: "V"}})
	var ce *CompileError
	if !errors.As(err, &ce) {
		t.Fatalf("want a *CompileError, got %v", err)
	}
	want := []string{
		`s.json:3:19: /properties/a/type: unknown type "text"`,
		`s.json:4:20: /properties/b/bogus: unsupported keyword "bogus"`,
		`s.json:4:39: /properties/b/minLength: must be a non-negative integer`,
		`s.json:5:22: /properties/c/pattern: pattern "^(?!x)" is not a regular expression Go's regexp (RE2) accepts`,
	}
	if len(ce.Problems) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%v", len(ce.Problems), len(want), err)
	}
	for i, w := range want {
		if got := ce.Problems[i].String(); !strings.HasPrefix(got, w) {
			t.Errorf("problem %d: got %q, want a line starting %q", i, got, w)
		}
	}
	set = NewSet(SkipUnsupportedPatterns())
	if err := set.Add("https://x.test/s.json", []byte(`{"properties":{"c":{"pattern":"^(?!x)"},"d":{"$recursiveRef":"#","nullable":true}},"$defs":{"unused":{"alsoBogus":1}}}`), "s.json"); err != nil {
		t.Fatal(err)
	}
	prog, err := set.Compile([]Root{{URI: "https://x.test/s.json", FuncName: "V"}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range prog.Warnings() {
		got = append(got, w.String())
	}
	for _, w := range []string{
		`s.json:1:31: /properties/c/pattern: pattern "^(?!x)" is not a regular expression Go's regexp (RE2) accepts`,
		`/properties/d/$recursiveRef: $recursiveRef is not a draft 2020-12 keyword`,
		`/properties/d/nullable: nullable is an OpenAPI 3.0 keyword`,
		`/$defs/unused/alsoBogus: unsupported keyword "alsoBogus" (UnknownKeywordsAsAnnotations makes unknown keywords annotations) (no root reaches this schema)`,
	} {
		found := false
		for _, g := range got {
			found = found || strings.Contains(g, w)
		}
		if !found {
			t.Errorf("no warning containing %q in\n%s", w, strings.Join(got, "\n"))
		}
	}
}

func TestAddErrors(t *testing.T) {
	set := NewSet()
	if err := set.Add("relative.json", []byte(`{}`), "a.json"); err == nil || !strings.Contains(err.Error(), `add schema "a.json": id "relative.json" is not an absolute URI`) {
		t.Errorf("relative id: %v", err)
	}
	if err := set.Add("https://x.test/a.json", []byte(`{"a":1,}`), "a.json"); err == nil || !strings.Contains(err.Error(), `add schema "a.json": decode JSON`) {
		t.Errorf("bad JSON: %v", err)
	}
	if err := set.Add("https://x.test/b.json", []byte(`{}`), "b.json"); err != nil {
		t.Fatal(err)
	}
	if err := set.Add("https://x.test/b.json", []byte(`{}`), "b2.json"); err == nil {
		t.Error("duplicate id accepted")
	}
	if _, err := set.Compile([]Root{{URI: "https://x.test/b.json", FuncName: "bad name"}}); err == nil {
		t.Error("bad function name accepted")
	}
	if _, err := set.Compile([]Root{{URI: "https://x.test/b.json", FuncName: "A"}, {URI: "https://x.test/b.json", FuncName: "A"}}); err == nil {
		t.Error("duplicate function name accepted")
	}
}

// TestReporting checks what the generated validators report, violation by
// violation, through one generated program.
func TestReporting(t *testing.T) {
	set := NewSet()
	schema := `{
	"type": "object",
	"required": ["event", "data"],
	"properties": {
		"event": {"enum": ["a.created", "b.created"]},
		"id": {"type": ["integer", "string"], "pattern": "^[0-9]+$", "minimum": 0},
		"data": {
			"type": "object",
			"required": ["enabled"],
			"properties": {
				"enabled": {"type": "boolean"},
				"apiKey": {"type": "string", "minLength": 40, "x-hookcontract-secret": true},
				"kind": {"const": "x"}
			},
			"if": {"properties": {"enabled": {"const": true}}, "required": ["enabled"]},
			"then": {"required": ["apiKey"]},
			"else": {"not": {"required": ["apiKey"]}}
		},
		"item": {
			"oneOf": [
				{"properties": {"type": {"const": "a"}, "n": {"type": "integer"}}, "required": ["type", "n"]},
				{"properties": {"type": {"const": "b"}, "s": {"type": "string"}}, "required": ["type", "s"]}
			]
		},
		"tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true}
	}}`
	if err := set.Add("https://x.test/r.json", []byte(schema), "r.json"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		in   string
		want string
	}{
		{`{"event":"a.created","data":{"enabled":false}}`, ``},
		{`{"data":{}}`, `/event required; /data/enabled required`},
		{`{"event":"c","id":-5,"data":{"enabled":true}}`, `/event enum; /id minimum; /data/apiKey required`},
		{`{"event":"a.created","id":"12a","data":{"enabled":"yes"}}`, `/id pattern; /data/enabled type`},
		{`{"event":"a.created","data":{"enabled":false,"apiKey":"sk_live_abcdefghijklmnopqrstuvwxyz0123456789"}}`, `/data not`},
		{`{"event":"a.created","data":{"enabled":true,"apiKey":"short-secret"}}`, `/data/apiKey minLength`},
		{`{"event":"a.created","data":{"enabled":true,"apiKey":12345}}`, `/data/apiKey type`},
		{`{"event":"a.created","data":{"enabled":false},"item":{"type":"b","s":1}}`, `/item/s type`},
		{`{"event":"a.created","data":{"enabled":false},"item":{"type":"c"}}`, `/item oneOf`},
		{`{"event":"a.created","data":{"enabled":false},"tags":["x",1,"x"]}`, `/tags uniqueItems; /tags/1 type`},
		{`{"event":"a.created","data":{"enabled":false},"ev\u0065nt":"b.created"}`, `/event duplicate-key`},
		{`{"event":"a.created","data":{"enabled":false,"a~b/c":1,"kind":"y"}}`, `/data/kind const`},
		{"{\"event\":\"a.created\",\n\"data\":{\"enabled\":false}", `json`},
		{`[]`, `type`},
	}
	var hc []harnessCase
	for _, c := range cases {
		hc = append(hc, harnessCase{fn: "V", data: []byte(c.in)})
	}
	res := runHarness(t, set, []Root{{URI: "https://x.test/r.json", FuncName: "V"}}, hc)
	for i, r := range res {
		var got []string
		for _, v := range r.Violations {
			got = append(got, strings.TrimSpace(v.Pointer+" "+v.Keyword))
			if strings.Contains(v.Message, "short-secret") || strings.Contains(v.Message, "12345") || strings.Contains(v.Message, "sk_live") {
				t.Errorf("%s: secret in message %q", cases[i].in, v.Message)
			}
		}
		if g := strings.Join(got, "; "); g != cases[i].want {
			t.Errorf("%s:\n got %s\nwant %s\n%v", cases[i].in, g, cases[i].want, r.Violations)
		}
	}
	t.Logf("messages: %v", res[2].Violations)
}
