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
	jsonschema "github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"
)

// realSpecRoots adds a real vendor OpenAPI document (JSON or YAML, as
// published) to a new set and returns one root per webhook request body,
// the document as a reference resource, and the body examples it ships.
func realSpecRoots(t *testing.T, path string) (*Set, []Root, map[string][]byte, []harnessCase) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("real specs not found (../shared/testdata/real-specs beside the repository): %v", err)
	}
	if strings.HasSuffix(path, ".yaml") {
		var doc any
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if raw, err = json.Marshal(doc); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	set := NewSet()
	id := "https://real-spec.hookcontract.test/" + filepath.Base(path)
	if err := set.Add(id, raw, path); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Webhooks map[string]map[string]json.RawMessage `json:"webhooks"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
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
				ptr := "/webhooks/" + escapeToken(name) + "/" + method + "/requestBody/content/application~1json/schema"
				fn := fmt.Sprintf("Validate%d", len(roots))
				roots = append(roots, Root{URI: id + "#" + ptr, FuncName: fn})
				if len(content.Example) > 0 {
					examples = append(examples, harnessCase{fn: fn, data: content.Example})
				}
				for _, k := range sortedKeys(content.Examples) {
					v := content.Examples[k].Value
					if ref := content.Examples[k].Ref; len(v) == 0 && strings.HasPrefix(ref, "#/") {
						// an Example Object in components: take its value
						if ex, err := walkPointer(root, ref[1:]+"/value"); err == nil {
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
	for _, spec := range []string{"chargebee/spec/chargebee_api_v1_spec.json", "paddle/v1/openapi.yaml"} {
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
				if ref, err = refCompile(resources, uris[ex.fn]); err != nil {
					t.Fatalf("%s: reference compile %s: %v", spec, uris[ex.fn], err)
				}
				refs[ex.fn] = ref
			}
			ms := []mutation{{"as is", ex.data}}
			if k%8 == 0 { // mutating every example of a large spec takes minutes
				ms = mutations(ex.fn+string(ex.data), ex.data)
			}
			step := max(1, len(ms)/200) // an even sample of at most about 200 per example keeps the test short
			for j := 0; j < len(ms); j += step {
				m := ms[j]
				v, err := refValid(ref, m.data)
				if err != nil {
					continue
				}
				cases = append(cases, harnessCase{fn: ex.fn, data: m.data})
				want = append(want, v)
			}
		}
		results := runProgram(t, prog, cases)
		disagree, accepted := 0, 0
		for i, r := range results {
			if r.Valid {
				accepted++
			}
			if r.Valid != want[i] {
				disagree++
				if disagree <= 10 {
					t.Errorf("%s %s: reference valid=%v, generated valid=%v %v\n  input: %s", spec, cases[i].fn, want[i], r.Valid, r.Violations, clip(cases[i].data))
				}
			}
		}
		t.Logf("%s: %d examples, %d inputs with their mutations compared with the reference (%d accepted), %d disagreements",
			spec, len(examples), len(results), accepted, disagree)
	}
}

// writeModule writes validators and the runtime as a module in dir.
func writeModule(t *testing.T, dir string, validators []byte) {
	t.Helper()
	rt, err := Runtime("realspec")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"go.mod": []byte("module realspec\n\ngo 1.26\n"), "validators.go": validators, "runtime.go": rt} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
