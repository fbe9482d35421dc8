package gen

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"
)

// TestConfigSchema: the editor schema accepts the project's own config and
// rejects what ParseConfig rejects.
func TestConfigSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	if err := c.AddResource("https://hookcontract.dev/schemas/config/hookcontract.schema.json", bytes.NewReader(ConfigSchema)); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("https://hookcontract.dev/schemas/config/hookcontract.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	load := func(src []byte) any {
		var y any
		if err := yaml.Unmarshal(src, &y); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(y)
		var v any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	own, err := os.ReadFile("../hookcontract.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(load(own)); err != nil {
		t.Errorf("hookcontract.yaml: %v", err)
	}
	if _, err := ParseConfig(own); err != nil {
		t.Errorf("hookcontract.yaml: %v", err)
	}
	bad := []byte("version: \"1\"\npackages:\n  - {provider: salesiq, spec: a.yaml, package: salesiq, out: x}\n")
	if err := sch.Validate(load(bad)); err == nil {
		t.Error("schema accepts a package with both provider and spec")
	}
}
