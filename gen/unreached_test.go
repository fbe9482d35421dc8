package gen

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/internal/contract"
)

// TestUnreachedProblemsDoNotStop: schemas no webhook reaches (a lookahead
// pattern RE2 cannot compile, $recursiveRef, an unknown keyword, a dangling
// $ref) do not stop generation or the runner; what a webhook reaches is
// still checked.
func TestUnreachedProblemsDoNotStop(t *testing.T) {
	doc := `openapi: 3.1.0
info: {title: t, version: "1"}
webhooks:
  thing.created:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Created'}
      responses: {"200": {description: ok}}
components:
  schemas:
    Created:
      type: object
      required: [type, id]
      properties:
        type: {const: thing.created}
        id: {type: string, pattern: '^t_[0-9]+$'}
    Lookahead: {type: string, pattern: '^(?!admin).*$'}
    Recursive: {$recursiveRef: '#', properties: {child: {$recursiveRef: '#'}}}
    Dangling: {$ref: '#/components/schemas/Nowhere'}
    Odd: {type: object, frobnicate: true}
`
	var warnings []string
	p, err := contract.LoadFile(fstest.MapFS{"v/openapi.yaml": {Data: []byte(doc)}}, "v/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(p, Options{Package: "v", Warn: func(s string) { warnings = append(warnings, s) }})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	if !strings.Contains(string(files[FilePrefix+"validate.go"]), `t_`) {
		t.Error("the reached pattern is not in the validators")
	}
	for _, w := range warnings {
		if !strings.HasPrefix(w, "v/openapi.yaml") {
			t.Errorf("warning %q does not name the file", w)
		}
	}
	s, err := contracttest.LoadProvider(p)
	if err != nil {
		t.Fatalf("runner: %v", err)
	}
	if r := s.Check([]byte(`{"type": "thing.created", "id": "x"}`), contracttest.CheckOptions{}); r.Verdict != contracttest.Fail || len(r.Violations) != 1 || r.Violations[0].Keyword != "pattern" {
		t.Errorf("runner: %+v", r)
	}
	if r := s.Check([]byte(`{"type": "thing.created", "id": "t_1"}`), contracttest.CheckOptions{}); r.Verdict == contracttest.Fail {
		t.Errorf("runner: %+v", r)
	}
}

// TestReachedProblemPlacedInYAML: a schema problem a webhook reaches stops
// generation with the line and column of the keyword in the YAML document
// as written (the document is compiled as the one-line JSON it converts
// to), and its JSON pointer.
func TestReachedProblemPlacedInYAML(t *testing.T) {
	doc := `openapi: 3.1.0
info: {title: t, version: "1"}
webhooks:
  thing.created:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                type: {const: thing.created}
                n: {type: string, pattern: "(?<=a)b"}
      responses: {"200": {description: ok}}
`
	p, err := contract.LoadFile(fstest.MapFS{"v/openapi.yaml": {Data: []byte(doc)}}, "v/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Generate(p, Options{Package: "v", Warn: func(string) {}})
	want := "v/openapi.yaml:13:35: /webhooks/thing.created/post/requestBody/content/application~1json/schema/properties/n/pattern: "
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("err = %v, want it to hold %q", err, want)
	}
}

// TestReachedDanglingRefPlaced: a $ref a webhook reaches that resolves to
// nothing stops generation once, at the $ref's line and pointer.
func TestReachedDanglingRefPlaced(t *testing.T) {
	doc := `openapi: 3.1.0
info: {title: t, version: "1"}
webhooks:
  thing.created:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                type: {const: thing.created}
                a: {$ref: '#/components/schemas/Missing'}
      responses: {"200": {description: ok}}
`
	p, err := contract.LoadFile(fstest.MapFS{"v/openapi.yaml": {Data: []byte(doc)}}, "v/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Generate(p, Options{Package: "v", Warn: func(string) {}})
	want := `v/openapi.yaml:13:21: /webhooks/thing.created/post/requestBody/content/application~1json/schema/properties/a/$ref: $ref "#/components/schemas/Missing": `
	if err == nil || !strings.Contains(err.Error(), want) || strings.Count(err.Error(), want) != 1 {
		t.Errorf("err = %v, want it to hold %q once", err, want)
	}
}
