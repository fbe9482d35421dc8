package contracttest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/hookcontract/hookcontract/internal/expect"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

// Grades of a violation.
const (
	Guaranteed = hcrt.GradeGuaranteed // the provider's document says so: the payload fails
	Expected   = hcrt.GradeExpected   // inferred from examples (x-hookcontract-expect): the payload drifts
)

// expectations lists the expectations v breaks along its evaluation path
// under t, which v satisfies (see package internal/expect for the rule).
func (s *Suite) expectations(t target, v any) []Violation {
	if t.expect == nil {
		return nil
	}
	var out []Violation
	for _, b := range t.expect.Walk(t.schema, v) {
		for _, x := range normalize(b.Err, b.Schema, b.Value, s.schemas) {
			x.Pointer = b.Pointer + x.Pointer
			x.Grade = Expected
			if b.Secret {
				x.Message = "expected the value to satisfy " + x.Keyword + ", found a secret value (redacted)"
			}
			out = append(out, x)
		}
	}
	sortViolations(out)
	return out
}

// expectationSites lists, sorted, the location of every assertion keyword
// written under an x-hookcontract-expect in the provider's schema files
// (the absolute keyword location its violations report), with the file
// that holds it.
func expectationSites(p *provider) (sites []string, files map[string]string) {
	files = map[string]string{}
	for _, f := range p.Schemas {
		var doc any
		if err := json.Unmarshal(f.Raw, &doc); err != nil {
			continue // compile reported it
		}
		var walk func(v any, ptr string, inside bool)
		walk = func(v any, ptr string, inside bool) {
			switch x := v.(type) {
			case map[string]any:
				for k, sub := range x {
					at := ptr + "/" + jsonpointer.Escape(k)
					switch {
					case k == expect.Keyword && !inside:
						walk(sub, at, true)
					case inside && expectContainers[k]:
						walk(sub, at, true)
					case inside && !expectAnnotations[k] && !strings.HasPrefix(k, "x-"):
						loc := f.ID + "#" + at
						sites = append(sites, loc)
						files[loc] = f.Path
					case !inside:
						walk(sub, at, false)
					}
				}
			case []any:
				for i, sub := range x {
					walk(sub, ptr+"/"+strconv.Itoa(i), inside)
				}
			}
		}
		walk(doc, "", false)
	}
	slices.Sort(sites)
	return sites, files
}

// Keywords inside an expectation that hold subschemas (whose own keywords
// are the assertions), and that assert nothing (if only selects then or
// else).
var (
	expectContainers = map[string]bool{"properties": true, "patternProperties": true, "items": true, "prefixItems": true,
		"allOf": true, "additionalProperties": true, "dependentSchemas": true, "then": true, "else": true}
	expectAnnotations = map[string]bool{"if": true, "$comment": true, "description": true, "title": true, "examples": true, "default": true,
		"deprecated": true, "readOnly": true, "writeOnly": true}
)

// uncoveredExpectations names each expectation of the provider that no
// drift fixture breaks.
func (s *Suite) uncoveredExpectations(p *provider, outcomes []FixtureOutcome) []string {
	broken := map[string]bool{}
	for _, o := range outcomes {
		if o.Provider != p.Name || !o.Drifts {
			continue
		}
		for _, v := range o.Result.Violations {
			if v.Grade == Expected {
				broken[v.SchemaLocation] = true
			}
		}
	}
	sites, files := expectationSites(p)
	var out []string
	for _, loc := range sites {
		if !broken[loc] {
			_, ptr, _ := strings.Cut(loc, "#")
			out = append(out, fmt.Sprintf("%s: expectation at %s has no drift fixture in %s/examples/fixtures.yaml that breaks it", files[loc], ptr, p.Name))
		}
	}
	return out
}
