package schemagen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
	"github.com/hookcontract/hookcontract/internal/testmod"
	jsonschema "github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"
)

// realSpecRoots adds a real vendor OpenAPI document (JSON or YAML, as
// published) to a new set and returns one root per webhook request body,
// the document as a reference resource, and the body examples it ships.
func realSpecRoots(t *testing.T, path string, opts ...Option) (*Set, []Root, map[string][]byte, []harnessCase) {
	t.Helper()
	return realSpecRootsRewritten(t, path, nil, opts...)
}

// realSpecRootsRewritten is realSpecRoots on the document as rewrite
// leaves it (nil: as published).
func realSpecRootsRewritten(t *testing.T, path string, rewrite func(any), opts ...Option) (*Set, []Root, map[string][]byte, []harnessCase) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("real specs not found (../shared/testdata/real-specs beside the repository): %v", err)
	}
	if strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml") {
		var doc any
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if raw, err = json.Marshal(doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	if rewrite != nil {
		var doc any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		rewrite(doc)
		if raw, err = json.Marshal(doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	set := NewSet(opts...)
	id := "https://real-spec.hookcontract.test/" + filepath.Base(path)
	if err := set.Add(id, raw, path); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Webhooks  map[string]map[string]json.RawMessage `json:"webhooks"`
		XWebhooks map[string]map[string]json.RawMessage `json:"x-webhooks"` // OpenAPI 3.0
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	hooksKey := "webhooks"
	if doc.Webhooks == nil {
		doc.Webhooks, hooksKey = doc.XWebhooks, "x-webhooks"
	}
	root, err := decodeJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	var roots []Root
	var examples []harnessCase
	for _, name := range sortedKeys(doc.Webhooks) {
		for _, method := range sortedKeys(doc.Webhooks[name]) {
			var op struct {
				RequestBody struct {
					Content map[string]struct {
						Example  json.RawMessage `json:"example"`
						Examples map[string]struct {
							Value json.RawMessage `json:"value"`
							Ref   string          `json:"$ref"`
						} `json:"examples"`
					} `json:"content"`
				} `json:"requestBody"`
			}
			if json.Unmarshal(doc.Webhooks[name][method], &op) != nil {
				continue // not an operation (description, parameters, ...)
			}
			for media, content := range op.RequestBody.Content {
				if media != "application/json" {
					continue
				}
				ptr := "/" + hooksKey + "/" + jsonpointer.Escape(name) + "/" + method + "/requestBody/content/application~1json/schema"
				fn := fmt.Sprintf("Validate%d", len(roots))
				roots = append(roots, Root{URI: id + "#" + ptr, FuncName: fn})
				if len(content.Example) > 0 {
					examples = append(examples, harnessCase{fn: fn, data: content.Example})
				}
				for _, k := range sortedKeys(content.Examples) {
					v := content.Examples[k].Value
					if ref := content.Examples[k].Ref; len(v) == 0 && strings.HasPrefix(ref, "#/") {
						// an Example Object in components: take its value
						if ex, err := jsonpointer.Get(root, ref[1:]+"/value"); err == nil {
							v = []byte(canonical(ex))
						}
					}
					if len(v) > 0 {
						examples = append(examples, harnessCase{fn: fn, data: v})
					}
				}
			}
		}
	}
	return set, roots, map[string][]byte{id: raw}, examples
}

// TestRealSpecSharing compiles the webhook bodies of large real vendor
// specs and measures the generated validators with and without sharing
// identical subschemas: sharing must shrink the output, and the shared
// validators must agree with the reference on the spec's own examples and
// their mutations.
func TestRealSpecSharing(t *testing.T) {
	for _, spec := range []string{"chargebee/spec/chargebee_api_v1_spec.json", "paddle/v1/openapi.yaml", "adyen/json/Webhooks-v1.json", "adyen/json/BalancePlatformConfigurationNotification-v2.json"} {
		path := filepath.Join(repoRoot(t), "..", "shared", "testdata", "real-specs", filepath.FromSlash(spec))
		set, roots, resources, examples := realSpecRoots(t, path)
		if len(roots) == 0 {
			t.Fatalf("%s: no webhook bodies", spec)
		}
		prog, err := set.Compile(roots)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		var lines [2]int
		var funcs [2]int
		for i, share := range []bool{false, true} {
			f := jen.NewFile("realspec")
			prog.emit(f, share)
			var buf bytes.Buffer
			if err := f.Render(&buf); err != nil {
				t.Fatalf("%s: render: %v", spec, err)
			}
			lines[i] = bytes.Count(buf.Bytes(), []byte("\n"))
			funcs[i] = bytes.Count(buf.Bytes(), []byte("\nfunc hcV"))
			if out := os.Getenv("HOOKCONTRACT_REALSPEC_OUT"); out != "" {
				// a module per variant, for measuring go build by hand
				writeModule(t, filepath.Join(out, strings.SplitN(spec, "/", 2)[0]+map[bool]string{false: "-unshared", true: "-shared"}[share]), buf.Bytes())
			}
		}
		t.Logf("%s: %d webhook bodies, %d schema nodes; generated lines %d -> %d with sharing (%.1f%%), node functions %d -> %d",
			spec, len(roots), len(prog.nodes), lines[0], lines[1], 100*float64(lines[1])/float64(lines[0]), funcs[0], funcs[1])
		if lines[1] >= lines[0] {
			t.Errorf("%s: sharing did not shrink the output (%d -> %d lines)", spec, lines[0], lines[1])
		}
		if len(examples) == 0 {
			continue
		}
		cases, want := exampleCases(t, roots, resources, examples, 8, 200)
		accepted, disagree := compareWithReference(t, prog, cases, want)
		t.Logf("%s: %d examples, %d inputs with their mutations compared with the reference (%d accepted), %d disagreements",
			spec, len(examples), len(cases), accepted, disagree)
	}
}

// writeModule writes validators as a module in dir that builds them with
// this checkout's runtime.
func writeModule(t *testing.T, dir string, validators []byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"go.mod": testmod.GoMod("realspec", ""), "validators.go": validators} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestRealCatalogs compiles real JSON Schema catalogs by their own drafts
// (google-cloudevents: draft-04, with its vendor keywords as annotations;
// amazon-sp-api-notifications: draft-07) and compares the generated
// validators with the reference, configured for the same draft, on the
// examples the catalogs ship and on mutations of some of them.
func TestRealCatalogs(t *testing.T) {
	base := filepath.Join(repoRoot(t), "..", "shared", "testdata", "real-specs")
	if _, err := os.Stat(base); err != nil {
		t.Skipf("real specs not found (../shared/testdata/real-specs beside the repository): %v", err)
	}
	type example struct {
		schema, source string
		data           []byte
	}
	var examples []example
	google := filepath.Join(base, "google-cloudevents")
	err := filepath.WalkDir(filepath.Join(google, "testdata"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join(google, "testdata"), path)
		name := filepath.Base(rel)
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i] + ".json"
		}
		schema := filepath.Join(google, "jsonschema", filepath.Dir(rel), name)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		examples = append(examples, example{schema: schema, source: rel, data: data})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	amazon, _ := filepath.Glob(filepath.Join(base, "amazon-sp-api-notifications", "schemas", "notifications", "*.json"))
	for _, path := range amazon {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Examples []json.RawMessage `json:"examples"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, ex := range doc.Examples {
			examples = append(examples, example{schema: path, source: filepath.Base(path), data: ex})
		}
	}
	if len(examples) < 20 {
		t.Fatalf("only %d examples found", len(examples))
	}
	var (
		programs []*Program
		cases    []harnessCase
		want     []bool
		fns      = map[string]string{}
		refs     = map[string]*jsonschema.Schema{}
		refused  []string
	)
	for k, ex := range examples {
		fn, ok := fns[ex.schema]
		if !ok {
			fn = fmt.Sprintf("Catalog%d", len(fns))
			fns[ex.schema] = fn
			raw, err := os.ReadFile(ex.schema)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(base, ex.schema)
			rel = filepath.ToSlash(rel)
			id := "https://real-spec.hookcontract.test/" + rel
			set := NewSet(UnknownKeywordsAsAnnotations()) // each file alone: amazon's files share one root $id
			set.namespace = fn + ":"
			if err := set.Add(id, raw, rel); err != nil {
				t.Fatal(err)
			}
			prog, err := set.Compile([]Root{{URI: id, FuncName: fn}})
			draft := jsonschema.Draft7
			if strings.Contains(string(raw), "draft-04") {
				draft = jsonschema.Draft4
			}
			ref, refErr := refCompileDraft(map[string][]byte{id: raw}, id, draft)
			if refErr != nil {
				// a broken schema (a dangling $ref): both must refuse it
				if err == nil {
					t.Errorf("%s: the reference refuses it (%v), the compiler accepts it", rel, refErr)
				}
				refused = append(refused, rel)
			} else if err != nil {
				t.Fatalf("%s: %v", rel, err)
			} else {
				programs = append(programs, prog)
			}
			refs[fn] = ref
		}
		if refs[fn] == nil {
			continue
		}
		ms := []mutation{{"as is", ex.data}}
		if k%4 == 0 {
			ms = mutations(ex.source, ex.data)
		}
		for _, m := range ms {
			v, err := refValid(refs[fn], m.data)
			if err != nil {
				continue
			}
			cases = append(cases, harnessCase{fn: fn, data: m.data})
			want = append(want, v)
		}
	}
	accepted, disagree := compareWithReference(t, Merge(programs...), cases, want)
	examplesValid := 0
	for _, ex := range examples {
		if r := refs[fns[ex.schema]]; r != nil {
			if v, _ := refValid(r, ex.data); v {
				examplesValid++
			}
		}
	}
	t.Logf("catalogs: %d schemas (refused by both, as broken: %v), %d examples (%d valid), %d inputs with mutations compared with the reference (%d accepted), %d disagreements",
		len(fns), refused, len(examples), examplesValid, len(cases), accepted, disagree)
}

// compareWithReference runs cases through prog and reports (as errors, the
// first ten) where the generated validators differ from the reference's
// answers want.
func compareWithReference(t *testing.T, prog *Program, cases []harnessCase, want []bool) (accepted, disagree int) {
	t.Helper()
	for i, r := range runProgram(t, prog, cases) {
		if r.Valid {
			accepted++
		}
		if r.Valid != want[i] {
			disagree++
			if disagree <= 10 {
				t.Errorf("%s: reference valid=%v, generated valid=%v %v\n  input: %s", cases[i].fn, want[i], r.Valid, r.Violations, clip(cases[i].data))
			}
		}
	}
	return accepted, disagree
}

// TestRealOpenAPI30 compiles an OpenAPI 3.0 document as published (clerk:
// x-webhooks, nullable, $ref with siblings) as loading it reads it: its
// Schema Objects rewritten into the 2020-12 they mean
// (contract.RewriteOAS30, the one reading of 3.0 semantics), and compares
// the generated validators with the reference on that document, on the
// shipped examples and mutations of some.
func TestRealOpenAPI30(t *testing.T) {
	path := filepath.Join(repoRoot(t), "..", "shared", "testdata", "real-specs", "clerk", "webhooks", "2025-04-15.yml")
	set, roots, resources, examples := realSpecRootsRewritten(t, path, contract.RewriteOAS30)
	prog, err := set.Compile(roots)
	if err != nil {
		t.Fatal(err)
	}
	cases, want := exampleCases(t, roots, resources, examples, 4, 0)
	accepted, disagree := compareWithReference(t, prog, cases, want)
	t.Logf("clerk (OpenAPI 3.0.3): %d webhook bodies, %d examples, %d inputs with mutations compared with the reference (%d accepted), %d disagreements",
		len(roots), len(examples), len(cases), accepted, disagree)
}

// exampleCases pairs each example, and the mutations of every nth, with
// the reference's verdict (the reference compiles the roots from
// resources); limit > 0 keeps an even sample of about that many mutations
// per example.
func exampleCases(t *testing.T, roots []Root, resources map[string][]byte, examples []harnessCase, nth, limit int) ([]harnessCase, []bool) {
	t.Helper()
	uris := map[string]string{}
	for _, r := range roots {
		uris[r.FuncName] = r.URI
	}
	var cases []harnessCase
	var want []bool
	refs := map[string]*jsonschema.Schema{}
	for k, ex := range examples {
		ref, ok := refs[ex.fn]
		if !ok {
			var err error
			if ref, err = refCompile(resources, uris[ex.fn]); err != nil {
				t.Fatalf("reference compile %s: %v", uris[ex.fn], err)
			}
			refs[ex.fn] = ref
		}
		ms := []mutation{{"as is", ex.data}}
		if k%nth == 0 { // mutating every example of a large spec takes minutes
			ms = mutations(ex.fn+string(ex.data), ex.data)
		}
		step := 1
		if limit > 0 {
			step = max(1, len(ms)/limit)
		}
		for j := 0; j < len(ms); j += step {
			v, err := refValid(ref, ms[j].data)
			if err != nil {
				continue // the reference panicked: nothing to compare
			}
			cases = append(cases, harnessCase{fn: ex.fn, data: ms[j].data})
			want = append(want, v)
		}
	}
	return cases, want
}
