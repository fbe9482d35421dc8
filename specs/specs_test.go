package specs_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"gopkg.in/yaml.v3"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/specs"
)

func suite(t *testing.T, fsys fs.FS) *contracttest.Suite {
	t.Helper()
	s, err := contracttest.Load(fsys)
	if err != nil {
		t.Fatalf("load specs: %v", err)
	}
	return s
}

// TestSpecsLoad: kin-openapi loads and validates every document as 3.1 with
// its references resolved, and jsonschema/v5 compiles every schema under
// its $id (contracttest.Load does both).
func TestSpecsLoad(t *testing.T) {
	s := suite(t, specs.FS())
	want := []string{"ampersand", "salesforce", "salesiq", "sonar", "tickets"}
	if got := s.Providers(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("providers = %v, want %v", got, want)
	}
	for _, p := range s.Spec().Providers {
		if !p.Doc.IsOpenAPI31OrLater() {
			t.Errorf("%s: not OpenAPI 3.1", p.DocPath)
		}
		for _, f := range p.Schemas {
			var head struct {
				Schema string `json:"$schema"`
				ID     string `json:"$id"`
			}
			if err := json.Unmarshal(f.Raw, &head); err != nil {
				t.Errorf("%s: %v", f.Path, err)
				continue
			}
			if head.Schema != "https://json-schema.org/draft/2020-12/schema" {
				t.Errorf("%s: $schema = %q, want draft 2020-12", f.Path, head.Schema)
			}
			wantID := "https://hookcontract.dev/schemas/" + p.Name + "/" + path.Base(f.Path)
			if head.ID != wantID {
				t.Errorf("%s: $id = %q, want %q", f.Path, head.ID, wantID)
			}
		}
		if len(p.Events) == 0 {
			t.Errorf("%s: no events", p.DocPath)
		}
	}
}

// TestFixtures: every fixture validates, or fails exactly as recorded.
func TestFixtures(t *testing.T) {
	s := suite(t, specs.FS())
	outcomes := s.CheckFixtures()
	if len(outcomes) == 0 {
		t.Fatal("no fixtures")
	}
	for _, o := range outcomes {
		t.Run(o.Fixture.Path, func(t *testing.T) {
			for _, p := range o.Problems {
				t.Errorf("%s: %s", o.Fixture.Path, p)
			}
			for _, v := range o.Result.Violations {
				if v.SchemaLocation != "" && !strings.HasPrefix(v.SchemaLocation, "https://hookcontract.dev/schemas/") {
					t.Errorf("%s: schema location %q is not under the schemas' $id", o.Fixture.Path, v.SchemaLocation)
				}
			}
		})
	}
}

// TestCoverage: every event, case and fixture file of coverage.yaml and
// fixtures.yaml is there.
func TestCoverage(t *testing.T) {
	s := suite(t, specs.FS())
	if s.Spec().Coverage == nil {
		t.Fatal("coverage.yaml is missing")
	}
	for _, p := range s.CheckCoverage() {
		t.Error(p)
	}
}

// TestExamples: every example in the documents validates: media-type
// examples (externalValue names a fixture listed as valid for that event;
// an inline value is checked against the event) and `examples` in schemas.
func TestExamples(t *testing.T) {
	s := suite(t, specs.FS())
	checked := 0
	for _, p := range s.Spec().Providers {
		validFor := map[string]string{}
		if p.Fixtures != nil {
			for _, f := range p.Fixtures.Valid {
				validFor[f.Path] = f.Event
			}
		}
		for _, ev := range p.Events {
			op := p.Operation(ev)
			mt := op.RequestBody.Value.Content.Get("application/json")
			names := make([]string, 0, len(mt.Examples))
			for n := range mt.Examples {
				names = append(names, n)
			}
			sort.Strings(names)
			if len(names) == 0 && mt.Example == nil {
				t.Errorf("%s %s: request body has no examples", p.DocPath, ev.Pointer)
			}
			for _, n := range names {
				ex := mt.Examples[n].Value
				where := fmt.Sprintf("%s %s/requestBody/content/application~1json/examples/%s", p.DocPath, ev.Pointer, n)
				switch {
				case ex.ExternalValue != "":
					fp := path.Join(p.Name, ex.ExternalValue)
					e, ok := validFor[fp]
					if !ok {
						t.Errorf("%s: externalValue %q is not a valid fixture of %s", where, ex.ExternalValue, p.Name)
					} else if e != "" && e != ev.Name {
						t.Errorf("%s: externalValue %q is a fixture of event %q", where, ex.ExternalValue, e)
					}
				case ex.Value != nil:
					data, _ := json.Marshal(ex.Value)
					r := s.Check(data, contracttest.CheckOptions{Provider: p.Name, Event: ev.Name})
					if r.Verdict == contracttest.Fail {
						t.Errorf("%s: %v", where, r.Violations)
					}
				default:
					t.Errorf("%s: example has neither value nor externalValue", where)
				}
				checked++
			}
		}
		for _, f := range p.Schemas {
			var doc any
			if err := json.Unmarshal(f.Raw, &doc); err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			forEachSchemaExamples(doc, "", func(ptr string, examples []any) {
				for i, ex := range examples {
					data, _ := json.Marshal(ex)
					vs, err := s.CheckSchema(p.Name, f.ID+"#"+ptr, data)
					if err != nil {
						t.Errorf("%s#%s/examples/%d: %v", f.Path, ptr, i, err)
					}
					for _, v := range vs {
						t.Errorf("%s#%s/examples/%d: %s: %s [%s]", f.Path, ptr, i, v.Pointer, v.Message, v.Keyword)
					}
					checked++
				}
			})
		}
	}
	t.Logf("%d examples checked", checked)
}

// forEachSchemaExamples calls fn with the JSON pointer of every schema
// object in doc that carries an `examples` array.
func forEachSchemaExamples(v any, ptr string, fn func(string, []any)) {
	m, ok := v.(map[string]any)
	if !ok {
		return
	}
	if ex, ok := m["examples"].([]any); ok {
		fn(ptr, ex)
	}
	for k, child := range m {
		switch k {
		case "properties", "patternProperties", "$defs", "dependentSchemas":
			if cm, ok := child.(map[string]any); ok {
				for name, sub := range cm {
					forEachSchemaExamples(sub, ptr+"/"+k+"/"+escape(name), fn)
				}
			}
		case "items", "additionalProperties", "propertyNames", "contains", "not", "if", "then", "else":
			forEachSchemaExamples(child, ptr+"/"+k, fn)
		case "allOf", "anyOf", "oneOf", "prefixItems":
			if list, ok := child.([]any); ok {
				for i, sub := range list {
					forEachSchemaExamples(sub, fmt.Sprintf("%s/%s/%d", ptr, k, i), fn)
				}
			}
		}
	}
}

func escape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// copyFS copies the embedded tree into a map the tests can break.
func copyFS(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(specs.FS(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(specs.FS(), p)
		m[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestRemovedFixtureIsNamed: removing one event's valid fixtures makes the
// coverage check fail and name the event and the case.
func TestRemovedFixtureIsNamed(t *testing.T) {
	m := copyFS(t)
	fx := suite(t, m).Spec().Provider("tickets").Fixtures
	var kept []*contract.Fixture
	for _, f := range fx.Valid {
		if f.Event == "sac_message" {
			delete(m, f.Path)
			continue
		}
		kept = append(kept, f)
	}
	fx.Valid = kept
	data, err := yaml.Marshal(fx)
	if err != nil {
		t.Fatal(err)
	}
	m["tickets/examples/fixtures.yaml"] = &fstest.MapFile{Data: data}
	problems := strings.Join(suite(t, m).CheckCoverage(), "\n")
	for _, want := range []string{`event "sac_message" has no valid fixture`, `case "sac_message/CREATION"`} {
		if !strings.Contains(problems, want) {
			t.Errorf("coverage problems do not name %s:\n%s", want, problems)
		}
	}
}

// TestRemovedSchemaIsNamed: removing an event's schema file fails the load
// with the file and the reference that no longer resolves.
func TestRemovedSchemaIsNamed(t *testing.T) {
	m := copyFS(t)
	s := suite(t, m)
	ev := s.Spec().Provider("tickets").Event("sac_ticket")
	var file string
	for _, f := range s.Spec().Provider("tickets").Schemas {
		if f.ID == strings.SplitN(ev.Schema, "#", 2)[0] {
			file = f.Path
		}
	}
	delete(m, file)
	_, err := contracttest.Load(m)
	if err == nil {
		t.Fatalf("load succeeded without %s", file)
	}
	if !strings.Contains(err.Error(), "tickets/openapi.yaml") || !strings.Contains(err.Error(), path.Base(file)) {
		t.Errorf("error does not name the document and %s: %v", path.Base(file), err)
	}
}

// TestPlantedWrongTypeIsNamed: a wrong-type field in a valid fixture fails
// with the file, the JSON pointer and the keyword.
func TestPlantedWrongTypeIsNamed(t *testing.T) {
	m := copyFS(t)
	const file = "salesforce/examples/valid/salesforcesettings.updated.json"
	data := m[file].Data
	planted := regexp.MustCompile(`"maxRetries": *5`).ReplaceAll(data, []byte(`"maxRetries": "five"`))
	if bytes.Equal(planted, data) {
		t.Fatalf("%s has no maxRetries 5 to break", file)
	}
	m[file] = &fstest.MapFile{Data: planted}
	var found bool
	for _, o := range suite(t, m).CheckFixtures() {
		if o.Fixture.Path != file {
			continue
		}
		found = true
		got := strings.Join(o.Problems, "\n")
		if !strings.Contains(got, "/data/maxRetries") || !strings.Contains(got, "[type]") {
			t.Errorf("problems do not name /data/maxRetries [type]:\n%s", got)
		}
	}
	if !found {
		t.Fatalf("fixture %s not checked", file)
	}
}

// TestAppIDBeyond2Pow53: a SalesIQ payload whose app_id is the JSON number
// 40526000000002041 passes, and the runner keeps every digit.
func TestAppIDBeyond2Pow53(t *testing.T) {
	s := suite(t, specs.FS())
	body := []byte(`{"entity_type": "conversation", "org_id": "55778119", "event": "conversation.rated",
		"entity_id": "40526000001808033", "attempt": 1, "version": "1", "app_id": 40526000000002041,
		"entity": {"feedback": "Awesome support from the reps!", "id": "40526000001808033"},
		"event_time": "1567065865617"}`)
	r := s.Check(body, contracttest.CheckOptions{})
	if r.Verdict != contracttest.Pass {
		t.Fatalf("verdict %s: %v %v", r.Verdict, r.Violations, r.Unknown)
	}
	// One digit less than a float64 can tell apart: the maximum must
	// reject 40526000000002041 but not 40526000000002040.
	m := copyFS(t)
	const env = "salesiq/schemas/envelope.json"
	planted := bytes.Replace(m[env].Data, []byte(`"app_id": {`), []byte(`"app_id": {"maximum": 40526000000002040, `), 1)
	if bytes.Equal(planted, m[env].Data) {
		t.Fatalf("%s has no app_id property to bound", env)
	}
	m[env] = &fstest.MapFile{Data: planted}
	r = suite(t, m).Check(body, contracttest.CheckOptions{})
	if r.Verdict != contracttest.Fail || len(r.Violations) != 1 || r.Violations[0].Pointer != "/app_id" || r.Violations[0].Keyword != "maximum" {
		t.Errorf("with maximum 40526000000002040: %s %v", r.Verdict, r.Violations)
	}
}
