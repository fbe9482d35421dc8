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

// TestReachedProblemsPlaced: a schema problem a webhook reaches stops
// generation once, with the line and column in the YAML document as
// written (the validators compile the one-line JSON it converts to) and
// its JSON pointer: a pattern RE2 refuses, a $ref that resolves to nothing.
func TestReachedProblemsPlaced(t *testing.T) {
	for _, c := range []struct{ member, want string }{
		{`n: {type: string, pattern: "(?<=a)b"}`, "v/openapi.yaml:13:35: /webhooks/thing.created/post/requestBody/content/application~1json/schema/properties/n/pattern: "},
		{`a: {$ref: '#/components/schemas/Missing'}`, `v/openapi.yaml:13:21: /webhooks/thing.created/post/requestBody/content/application~1json/schema/properties/a/$ref: $ref "#/components/schemas/Missing": `},
	} {
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
                ` + c.member + `
      responses: {"200": {description: ok}}
`
		p, err := contract.LoadFile(fstest.MapFS{"v/openapi.yaml": {Data: []byte(doc)}}, "v/openapi.yaml")
		if err != nil {
			t.Fatal(err)
		}
		_, err = Generate(p, Options{Package: "v", Warn: func(string) {}})
		if err == nil || strings.Count(err.Error(), c.want) != 1 {
			t.Errorf("%s: err = %v, want it to hold %q once", c.member, err, c.want)
		}
	}
}
