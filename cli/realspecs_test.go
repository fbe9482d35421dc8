package cli

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/internal/contractdiff"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// realSpecs is the folder of real vendor documents, kept as published,
// beside the repository.
const realSpecs = "../../shared/testdata/real-specs"

// TestRealSpecMutations diffs real vendor documents against mutated copies
// of themselves: each copy adds an optional property to one webhook's body
// schema, drops one of its required properties, gives it a minProperties,
// and changes inline enums and strings, and the diff must report exactly
// these changes for that webhook, classed as the receiver sees them. An
// unchanged copy must give no change at all.
func TestRealSpecMutations(t *testing.T) {
	if _, err := os.Stat(realSpecs); err != nil {
		t.Skipf("real vendor specs not found at %s (they live beside the repository): %v", realSpecs, err)
	}
	for _, doc := range []string{
		"adyen/json/Webhooks-v1.json",
		"adyen/json/BalancePlatformConfigurationNotification-v2.json",
		"chargebee/spec/chargebee_api_v1_spec.json",
	} {
		t.Run(strings.Split(doc, "/")[0]+"/"+filepath.Base(doc), func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join(realSpecs, doc))
			if err != nil {
				t.Fatal(err)
			}
			var d map[string]any
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.UseNumber()
			if err := dec.Decode(&d); err != nil {
				t.Fatal(err)
			}
			// The loader of today wants to be told where the event name
			// lives when no member pins it with const; the diff does not
			// use it.
			d["x-hookcontract"] = map[string]any{"provider": "vendor", "event": map[string]any{"pointer": "/type"}}
			oldFile := writeVendorDoc(t, "old", d)
			event, schema := mutationTarget(t, d)
			props := schema["properties"].(map[string]any)
			req := schema["required"].([]any)
			dropped := req[0].(string)
			props["hookcontractAdded"] = map[string]any{"type": "string"}
			schema["required"] = req[1:]
			schema["minProperties"] = 1
			at := func(name string) string { return "/properties/" + jsonpointer.Escape(name) }
			want := []string{" minProperties narrowing", at("hookcontractAdded") + " properties widening", at(dropped) + " required widening"}
			// An inline enum gets a new value (widening) and loses its
			// first (narrowing); inline strings get a maxLength (narrowing).
			for _, name := range slices.Sorted(maps.Keys(props)) {
				p, _ := props[name].(map[string]any)
				if p == nil || name == dropped || name == "hookcontractAdded" {
					continue
				}
				if _, ok := p["$ref"]; ok {
					continue
				}
				if e, ok := p["enum"].([]any); ok && len(e) > 1 && !slices.Contains(want, at(name)+" enum widening,narrowing") {
					p["enum"] = append(e[1:], "hookcontract-added")
					want = append(want, at(name)+" enum widening,narrowing")
					continue
				}
				if _, hasMax := p["maxLength"]; p["type"] == "string" && !hasMax && p["enum"] == nil && len(want) < 5 {
					p["maxLength"] = 3
					want = append(want, at(name)+" maxLength narrowing")
				}
			}
			newFile := writeVendorDoc(t, "new", d)

			diff := func(old, new string) contractdiff.JSONReport {
				var out, errb bytes.Buffer
				if code := Run([]string{"diff", "--format", "json", "--no-go-api", "--fail-on", "none", old, new}, nil, &out, &errb); code != ExitOK {
					t.Fatalf("diff: exit %d: %s", code, errb.String())
				}
				var rep contractdiff.JSONReport
				if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
					t.Fatal(err)
				}
				return rep
			}
			if same := diff(oldFile, oldFile); len(same.Changes) != 0 || len(same.Warnings) != 0 {
				t.Fatalf("a document against itself: %d changes, warnings %v", len(same.Changes), same.Warnings)
			}
			var got []string
			for _, c := range diff(oldFile, newFile).Changes {
				if c.Event == event {
					classes := make([]string, len(c.Classes))
					for i, cl := range c.Classes {
						classes[i] = string(cl)
					}
					got = append(got, c.Pointer+" "+c.Keyword+" "+strings.Join(classes, ","))
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			t.Logf("webhook %s: %s", event, strings.Join(want, "; "))
			if !slices.Equal(got, want) {
				t.Errorf("webhook %s: changes\n%s\nwant\n%s", event, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

func writeVendorDoc(t *testing.T, dir string, d map[string]any) string {
	t.Helper()
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), dir, "vendor", "openapi.json")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestDiffBlastRadiusOnRealSpec takes a real vendor document and its own
// example payloads, requires a new member in the body of one of its
// webhooks, and checks that the diff classes the change as narrowing and
// that its blast radius is what two `hookcontract test` runs give.
func TestDiffBlastRadiusOnRealSpec(t *testing.T) {
	src := filepath.Join(realSpecs, "adyen/json/BalancePlatformConfigurationNotification-v2.json")
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Skipf("real vendor specs not found at %s (they live beside the repository): %v", realSpecs, err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	// The layout of a spec directory wants the event's location declared;
	// the document carries it at /type.
	doc["x-hookcontract"] = map[string]any{"provider": "adyen", "event": map[string]any{"pointer": "/type"}}
	root := t.TempDir()
	payloads := filepath.Join(root, "payloads")
	os.MkdirAll(payloads, 0o755)
	examples, _ := doc["components"].(map[string]any)["examples"].(map[string]any)
	n := 0
	for name, ex := range examples {
		if v, ok := ex.(map[string]any)["value"]; ok {
			b, _ := json.Marshal(v)
			os.WriteFile(filepath.Join(payloads, strings.ReplaceAll(name, "/", "_")+".json"), b, 0o644)
			n++
		}
	}
	if n == 0 {
		t.Fatal("the document has no example payloads")
	}
	write := func(side string) string {
		dir := filepath.Join(root, side)
		os.MkdirAll(filepath.Join(dir, "adyen"), 0o755)
		b, _ := json.Marshal(doc)
		if err := os.WriteFile(filepath.Join(dir, "adyen", "openapi.yaml"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	old := write("old")
	event, schema := mutationTarget(t, doc)
	schema["properties"].(map[string]any)["hookcontractRequired"] = map[string]any{"type": "string"}
	schema["required"] = append(schema["required"].([]any), "hookcontractRequired")
	new := write("new")

	checkBlastAgainstTestRuns(t, old, new, payloads)

	var out, errb bytes.Buffer
	if code := Run([]string{"diff", "--format", "json", "--no-go-api", "--fail-on", "narrowing", "--captures", payloads, old, new}, nil, &out, &errb); code != ExitFindings {
		t.Fatalf("diff: exit %d, want 1: %s", code, errb.String())
	}
	var rep contractdiff.JSONReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	classed := false
	for _, c := range rep.Changes {
		if c.Event == event && c.Pointer == "/properties/hookcontractRequired" && c.Keyword == "required" && len(c.Classes) == 1 && c.Classes[0] == contractdiff.Narrowing {
			classed = true
		}
	}
	if !classed {
		t.Errorf("no narrowing change for the new required member of %s:\n%s", event, out.String())
	}
	failed := 0
	for _, v := range rep.VerdictChanges {
		if v.Old == "pass" && v.New == "fail" {
			failed++
		}
	}
	if failed == 0 {
		t.Errorf("no example payload goes from pass to fail:\n%s", out.String())
	}
}

// mutationTarget picks the first webhook, by name, whose body refers to a
// component schema with properties and required properties of its own.
func mutationTarget(t *testing.T, d map[string]any) (string, map[string]any) {
	t.Helper()
	hooks, _ := d["webhooks"].(map[string]any)
	schemas, _ := d["components"].(map[string]any)["schemas"].(map[string]any)
	var names []string
	for n := range hooks {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		post, _ := hooks[n].(map[string]any)["post"].(map[string]any)
		body, _ := post["requestBody"].(map[string]any)
		content, _ := body["content"].(map[string]any)
		mt, _ := content["application/json"].(map[string]any)
		sch, _ := mt["schema"].(map[string]any)
		ref, _ := sch["$ref"].(string)
		name, ok := strings.CutPrefix(ref, "#/components/schemas/")
		if !ok {
			continue
		}
		s, _ := schemas[name].(map[string]any)
		_, hasProps := s["properties"].(map[string]any)
		req, _ := s["required"].([]any)
		if _, hasMin := s["minProperties"]; hasProps && len(req) > 0 && !hasMin {
			return n, s
		}
	}
	t.Fatal("no webhook body refers to a component schema with properties and required properties")
	return "", nil
}
