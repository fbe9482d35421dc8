package contract

import (
	"strings"
	"testing"
	"testing/fstest"
)

const refsDoc = `openapi: 3.1.0
info: {title: mini, version: "1"}
x-hookcontract:
  provider: mini
  event:
    pointer: /kind
paths: {}
webhooks:
  shape:
    post:
      operationId: shape
      requestBody:
        content:
          application/json:
            schema:
              $ref: schemas/shape.json
      responses:
        "200": {description: ok}
`

// refsSpec is a spec directory of one provider whose schemas/shape.json is
// shape, with other schema files beside it.
func refsSpec(doc, shape string, other map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"mini/openapi.yaml":       {Data: []byte(doc)},
		"mini/schemas/shape.json": {Data: []byte(shape)},
	}
	for name, data := range other {
		fsys["mini/schemas/"+name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

const shapeID = `"$id": "https://hookcontract.dev/schemas/mini/shape.json"`

// TestBrokenRefs: the front end reports a $ref naming no schema file, or
// no location inside one, at the reference itself (file:line:col: pointer
// of the $ref), every one of them, before kin-openapi reports one from the
// document that led it there.
func TestBrokenRefs(t *testing.T) {
	for _, tc := range []struct {
		name, shape string
		other       map[string]string
		want        []string
	}{
		{"no such file", `{` + shapeID + `, "$ref": "gone.json"}`, nil,
			[]string{`mini/schemas/shape.json:1:61: /$ref: $ref "gone.json" names no schema file: no file under schemas/ has $id "https://hookcontract.dev/schemas/mini/gone.json"`}},
		{"no such location", `{` + shapeID + `,
  "properties": {
    "a": {"$ref": "#/$defs/missing"}
  }
}`, nil, []string{`mini/schemas/shape.json:3:11: /properties/a/$ref: $ref "#/$defs/missing": the schema file has no /$defs/missing`}},
		{"no such location in another file", `{` + shapeID + `, "$ref": "other.json#/$defs/x"}`,
			map[string]string{"other.json": `{"$id": "https://hookcontract.dev/schemas/mini/other.json", "$defs": {"y": true}}`},
			[]string{`/$ref: $ref "other.json#/$defs/x": the schema file has no /$defs/x`}},
		{"leaves the spec directory", `{` + shapeID + `, "$ref": "https://example.com/x.json"}`, nil,
			[]string{`/$ref: $ref "https://example.com/x.json" leaves the spec directory`}},
		{"every broken reference", `{` + shapeID + `,
  "properties": {
    "a": {"$ref": "gone.json"},
    "b~/": {"items": [{"$ref": "#/nope"}]}
  }
}`, nil, []string{
			`mini/schemas/shape.json:3:11: /properties/a/$ref: $ref "gone.json" names no schema file`,
			`mini/schemas/shape.json:4:24: /properties/b~0~1/items/0/$ref: $ref "#/nope": the schema file has no /nope`,
		}},
		{"in a file no webhook reaches", `{` + shapeID + `}`,
			map[string]string{"unused.json": `{"$id": "https://hookcontract.dev/schemas/mini/unused.json", "$ref": "gone.json"}`},
			[]string{`mini/schemas/unused.json:1:62: /$ref: $ref "gone.json" names no schema file`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(refsSpec(refsDoc, tc.shape, tc.other))
			if err == nil {
				t.Fatalf("loaded; want errors %q", tc.want)
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tc.want) {
				t.Fatalf("errors:\n%s\nwant %d", err, len(tc.want))
			}
			for i, want := range tc.want {
				if !strings.Contains(lines[i], want) {
					t.Errorf("error %d: %s\nwant it to contain %s", i, lines[i], want)
				}
			}
		})
	}
}

// TestRefsThatResolve: references that resolve are not reported: relative
// to a nested $id, into another file, by anchor (left to the validators),
// and $ref members inside enum, const, examples and default, which are
// values rather than schemas.
func TestRefsThatResolve(t *testing.T) {
	shape := `{` + shapeID + `,
  "properties": {
    "kind": {"const": "shape"},
    "a": {"$ref": "other.json#/$defs/y"},
    "b": {"$ref": "#/$defs/inner"},
    "c": {"$ref": "#anchored"},
    "d": {"enum": [{"$ref": "gone.json"}], "examples": [{"$ref": "gone.json"}], "default": {"$ref": "gone.json"}},
    "e": {"const": {"$ref": "gone.json"}}
  },
  "$defs": {
    "inner": {"$id": "sub/inner.json", "$ref": "../other.json"},
    "anchor": {"$anchor": "anchored"}
  }
}`
	other := map[string]string{"other.json": `{"$id": "https://hookcontract.dev/schemas/mini/other.json", "$defs": {"y": {"type": "string"}}}`}
	s := NewSchemas()
	if err := s.Add("https://hookcontract.dev/schemas/mini/shape.json", "mini/schemas/shape.json", []byte(shape)); err != nil {
		t.Fatal(err)
	}
	if err := s.Add("https://hookcontract.dev/schemas/mini/other.json", "mini/schemas/other.json", []byte(other["other.json"])); err != nil {
		t.Fatal(err)
	}
	if errs := s.brokenRefs(); len(errs) != 0 {
		t.Errorf("broken references reported: %v", errs)
	}
	// The same, one reference broken: the check does look there.
	s = NewSchemas()
	if err := s.Add("https://hookcontract.dev/schemas/mini/shape.json", "mini/schemas/shape.json", []byte(strings.Replace(shape, `"../other.json"`, `"other.json"`, 1))); err != nil {
		t.Fatal(err)
	}
	if errs := s.brokenRefs(); len(errs) != 2 || errs[0].Pointer != "/$defs/inner/$ref" {
		t.Errorf("broken references %v, want /$defs/inner/$ref (sub/other.json) and /properties/a/$ref (other.json is not added)", errs)
	}
}

// TestBrokenRefsInAVendorDocument: a vendor's document (no
// x-hookcontract) read with LoadFile keeps loading; the broken reference
// of a schema file no webhook needs is a warning at the reference.
func TestBrokenRefsInAVendorDocument(t *testing.T) {
	doc := strings.Replace(refsDoc, "x-hookcontract:\n  provider: mini\n  event:\n    pointer: /kind\n", "", 1)
	fsys := refsSpec(doc, `{`+shapeID+`, "type": "object", "required": ["type"], "properties": {"type": {"const": "shape"}}}`,
		map[string]string{"unused.json": `{"$id": "https://hookcontract.dev/schemas/mini/unused.json", "$ref": "gone.json"}`})
	p, err := LoadFile(fsys, "mini/openapi.yaml")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	want := `mini/schemas/unused.json:1:62: /$ref: $ref "gone.json" names no schema file`
	for _, w := range p.Warnings {
		if strings.Contains(w, want) {
			return
		}
	}
	t.Errorf("warnings %q, want one with %q", p.Warnings, want)
}
