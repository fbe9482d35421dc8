package contractdiff

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// realSpecs is the folder of real vendor documents, kept as published,
// beside the repository.
const realSpecs = "../../../shared/testdata/real-specs"

// TestRealSpecMutations diffs real vendor documents against mutated copies
// of themselves: each copy adds an optional property to one webhook's body
// schema, drops one of its required properties and gives it a
// minProperties, and the diff must report exactly these three changes for
// that webhook, classed as the receiver sees them. An unchanged copy must
// give no change at all.
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
			if strings.HasSuffix(doc, ".json") {
				dec := json.NewDecoder(bytes.NewReader(raw))
				dec.UseNumber()
				err = dec.Decode(&d)
			} else {
				err = yaml.Unmarshal(raw, &d)
			}
			if err != nil {
				t.Fatal(err)
			}
			// The loader of today wants to be told where the event name
			// lives when no member pins it with const; the diff does not
			// use it.
			d["x-hookcontract"] = map[string]any{"provider": "vendor", "event": map[string]any{"pointer": "/type"}}
			oldFile := writeDoc(t, "old", d)
			event, schema := mutationTarget(t, d)
			props := schema["properties"].(map[string]any)
			req := schema["required"].([]any)
			dropped := req[0].(string)
			props["hookcontractAdded"] = map[string]any{"type": "string"}
			schema["required"] = req[1:]
			schema["minProperties"] = 1
			want := []string{
				" minProperties narrowing",
				"/properties/hookcontractAdded properties widening",
				"/properties/" + esc(dropped) + " required widening",
			}
			// An inline string property gets a maxLength (narrowing) and
			// an inline enum a new value (widening) and loses its first
			// (narrowing), where the schema has them.
			for _, name := range slices.Sorted(maps.Keys(props)) {
				p, _ := props[name].(map[string]any)
				if p == nil || name == dropped || name == "hookcontractAdded" {
					continue
				}
				if _, ok := p["$ref"]; ok {
					continue
				}
				if e, ok := p["enum"].([]any); ok && len(e) > 1 && !slices.Contains(want, "/properties/"+esc(name)+" enum widening,narrowing") {
					p["enum"] = append(e[1:], "hookcontract-added")
					want = append(want, "/properties/"+esc(name)+" enum widening,narrowing")
					continue
				}
				_, hasMax := p["maxLength"]
				if p["type"] == "string" && !hasMax && p["enum"] == nil && len(want) < 5 {
					p["maxLength"] = 3
					want = append(want, "/properties/"+esc(name)+" maxLength narrowing")
				}
			}
			newFile := writeDoc(t, "new", d)

			oldC := load(t, oldFile)
			same := Diff(oldC, oldC, Options{SkipGoAPI: true})
			if len(same.Changes) != 0 || len(same.Warnings) != 0 {
				t.Fatalf("a document against itself: %d changes, warnings %v", len(same.Changes), same.Warnings)
			}
			res := Diff(oldC, load(t, newFile), Options{SkipGoAPI: true})
			var got []string
			for _, c := range res.Changes {
				if c.Event == event {
					got = append(got, c.Pointer+" "+c.Keyword+" "+classList(c.Classes))
				}
			}
			sort.Strings(got)
			sort.Strings(want)
			t.Logf("webhook %s: %s", event, strings.Join(want, "; "))
			if !slices.Equal(got, want) {
				t.Errorf("webhook %s: changes\n%s\nwant\n%s", event, strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			for _, w := range res.Warnings {
				t.Errorf("warning: %s", w)
			}
		})
	}
}

// mutationTarget picks the first webhook, by name, whose body refers to a
// component schema with properties and required properties of its own.
func mutationTarget(t *testing.T, d map[string]any) (string, map[string]any) {
	t.Helper()
	hooks, _ := d["webhooks"].(map[string]any)
	names := make([]string, 0, len(hooks))
	for n := range hooks {
		names = append(names, n)
	}
	sort.Strings(names)
	schemas := dig(d, "components", "schemas")
	for _, n := range names {
		ref, _ := dig(hooks, n, "post", "requestBody", "content", "application/json", "schema")["$ref"].(string)
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

func dig(m map[string]any, keys ...string) map[string]any {
	for _, k := range keys {
		m, _ = m[k].(map[string]any)
	}
	return m
}

func writeDoc(t *testing.T, dir string, d map[string]any) string {
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

func load(t *testing.T, file string) Contract {
	t.Helper()
	s, err := Open(file)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.Contract()
	if err != nil {
		t.Fatal(err)
	}
	return c
}
