package gen

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
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
	// events.pointers: a list of JSON pointers, accepted by the schema and
	// by ParseConfig; a token that is not a pointer is refused by both.
	pointers := []byte("version: \"1\"\npackages:\n  - {catalog: schemas, package: sp, out: x, events: {pointers: [/NotificationType, /notificationType, \"header:X-GitHub-Event/action\", \"header:ce-type\"], map: {A: a.json}}}\n")
	if err := sch.Validate(load(pointers)); err != nil {
		t.Errorf("schema refuses events.pointers: %v", err)
	}
	if _, err := ParseConfig(pointers); err != nil {
		t.Errorf("ParseConfig refuses events.pointers: %v", err)
	}
	badPointers := []byte("version: \"1\"\npackages:\n  - {catalog: schemas, package: sp, out: x, events: {pointers: [NotificationType], map: {A: a.json}}}\n")
	if err := sch.Validate(load(badPointers)); err == nil {
		t.Error("schema accepts events.pointers without a leading slash")
	}
	if _, err := ParseConfig(badPointers); err == nil || !strings.Contains(err.Error(), "events.pointers[0]") {
		t.Errorf("ParseConfig: %v, want an error naming events.pointers[0]", err)
	}
	for _, bad := range []string{`"header:"`, `"header:X Event"`, `"header:X-Event/"`} {
		badHeader := []byte("version: \"1\"\npackages:\n  - {catalog: schemas, package: sp, out: x, events: {pointers: [" + bad + "], map: {A: a.json}}}\n")
		if err := sch.Validate(load(badHeader)); err == nil {
			t.Errorf("schema accepts events.pointers %s", bad)
		}
		if _, err := ParseConfig(badHeader); err == nil || !strings.Contains(err.Error(), "events.pointers[0]") {
			t.Errorf("ParseConfig %s: %v, want an error naming events.pointers[0]", bad, err)
		}
	}
	// A catalog: accepted with an event map or keyword, refused without.
	catalog := []byte("version: \"1\"\npackages:\n  - {catalog: schemas, package: sp, out: x, events: {header: ce-type, keyword: cloudeventTypes}}\n")
	if err := sch.Validate(load(catalog)); err != nil {
		t.Errorf("schema refuses a catalog: %v", err)
	}
	if _, err := ParseConfig(catalog); err != nil {
		t.Errorf("ParseConfig refuses a catalog: %v", err)
	}
	for _, src := range []string{
		"version: \"1\"\npackages:\n  - {catalog: schemas, package: sp, out: x}\n",
		"version: \"1\"\npackages:\n  - {catalog: schemas, spec: a.yaml, package: sp, out: x, events: {keyword: k}}\n",
	} {
		if err := sch.Validate(load([]byte(src))); err == nil {
			t.Errorf("schema accepts %q", src)
		}
		if _, err := ParseConfig([]byte(src)); err == nil {
			t.Errorf("ParseConfig accepts %q", src)
		}
	}
	// types.date-time: string or time, in the schema and in ParseConfig.
	dateTime := []byte("version: \"1\"\npackages:\n  - {spec: a.yaml, package: sp, out: x, types: {date-time: time}}\n")
	if err := sch.Validate(load(dateTime)); err != nil {
		t.Errorf("schema refuses types.date-time: %v", err)
	}
	if c, err := ParseConfig(dateTime); err != nil || c.Packages[0].TypeOptions().DateTime != DateTimeTime {
		t.Errorf("ParseConfig: types.date-time: time: %v", err)
	}
	badDateTime := []byte("version: \"1\"\npackages:\n  - {spec: a.yaml, package: sp, out: x, types: {date-time: times}}\n")
	if err := sch.Validate(load(badDateTime)); err == nil {
		t.Error("schema accepts types.date-time: times")
	}
	if _, err := ParseConfig(badDateTime); err == nil || !strings.Contains(err.Error(), "packages[0].types.date-time") {
		t.Errorf("ParseConfig: %v, want an error naming packages[0].types.date-time", err)
	}
	if _, err := ParseConfig([]byte("version: \"1\"\npackages:\n  - {spec: a.yaml, package: sp, out: x, events: {keyword: k}}\n")); err == nil {
		t.Error("ParseConfig accepts events.keyword for an OpenAPI document")
	}
}
