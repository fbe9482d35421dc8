package contractdiff

import (
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

func compileSchema(t *testing.T, id, src string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.RegisterExtension(ExpectKeyword, expectMeta, expectCompiler{})
	if err := c.AddResource(id, strings.NewReader(src)); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestCompareClasses classifies one change per keyword the comparer
// reads: each case is an old and a new schema and the changes expected,
// as "pointer keyword classes".
func TestCompareClasses(t *testing.T) {
	for _, tc := range []struct {
		name, old, new string
		want           []string
	}{
		{"same", `{"type":"object","title":"a","description":"x","examples":[1],"properties":{"a":{"type":"string"}}}`,
			`{"properties":{"a":{"type":"string","description":"y"}},"type":"object","title":"b"}`, nil},
		{"ref and inline are one schema", `{"$defs":{"s":{"type":"string","maxLength":3}},"properties":{"a":{"$ref":"#/$defs/s"}}}`,
			`{"properties":{"a":{"maxLength":3,"type":"string"}}}`, nil},
		{"allOf and siblings are one conjunction", `{"allOf":[{"type":"string"},{"minLength":1}]}`, `{"type":"string","minLength":1}`, nil},
		{"type widened", `{"type":"string"}`, `{"type":["string","null"]}`, []string{" type widening"}},
		{"type narrowed", `{"type":"number"}`, `{"type":"integer"}`, []string{" type narrowing"}},
		{"integer to number", `{"type":"integer"}`, `{"type":"number"}`, []string{" type widening"}},
		{"type swapped", `{"type":"string"}`, `{"type":"integer"}`, []string{" type widening,narrowing"}},
		{"enum value added", `{"enum":["a"]}`, `{"enum":["a","b"]}`, []string{" enum widening"}},
		{"enum value removed", `{"enum":["a","b"]}`, `{"enum":["a"]}`, []string{" enum narrowing"}},
		{"const to enum", `{"const":"a"}`, `{"enum":["a","b"]}`, []string{" enum widening"}},
		{"enum removed", `{"enum":["a"]}`, `{}`, []string{" enum widening"}},
		{"new optional property", `{"properties":{}}`, `{"properties":{"a":{}}}`, []string{"/properties/a properties widening"}},
		{"new required property", `{"properties":{}}`, `{"properties":{"a":{}},"required":["a"]}`, []string{"/properties/a required narrowing"}},
		{"required to optional", `{"properties":{"a":{}},"required":["a"]}`, `{"properties":{"a":{}}}`, []string{"/properties/a required widening"}},
		{"property removed, open", `{"properties":{"a":{"type":"string"}}}`, `{}`, []string{"/properties/a properties widening"}},
		{"property removed, closed", `{"properties":{"a":{},"b":{}},"additionalProperties":false}`, `{"properties":{"b":{}},"additionalProperties":false}`, []string{"/properties/a properties narrowing"}},
		{"closed", `{}`, `{"additionalProperties":false}`, []string{" additionalProperties narrowing"}},
		{"opened", `{"unevaluatedProperties":false}`, `{}`, []string{" additionalProperties widening"}},
		{"nested constraint", `{"properties":{"a":{"properties":{"b":{"maxLength":5}}}}}`, `{"properties":{"a":{"properties":{"b":{"maxLength":9}}}}}`, []string{"/properties/a/properties/b maxLength widening"}},
		{"minimum raised", `{"minimum":1}`, `{"minimum":2}`, []string{" minimum narrowing"}},
		{"minimum made exclusive", `{"minimum":1}`, `{"exclusiveMinimum":1}`, []string{" minimum narrowing"}},
		{"maximum relaxed", `{"maximum":1}`, `{"exclusiveMaximum":5}`, []string{" maximum widening"}},
		{"maximum removed", `{"maximum":1}`, `{}`, []string{" maximum widening"}},
		{"pattern added", `{}`, `{"pattern":"^a"}`, []string{" pattern narrowing"}},
		{"pattern changed", `{"pattern":"^a"}`, `{"pattern":"^b"}`, []string{" pattern widening,narrowing"}},
		{"format removed", `{"format":"email"}`, `{}`, []string{" format widening"}},
		{"multipleOf added", `{}`, `{"multipleOf":2}`, []string{" multipleOf narrowing"}},
		{"minItems lowered", `{"minItems":2}`, `{"minItems":1}`, []string{" minItems widening"}},
		{"maxProperties added", `{}`, `{"maxProperties":3}`, []string{" maxProperties narrowing"}},
		{"uniqueItems added", `{}`, `{"uniqueItems":true}`, []string{" uniqueItems narrowing"}},
		{"items changed", `{"items":{"type":"string"}}`, `{"items":{"type":["string","integer"]}}`, []string{"/items type widening"}},
		{"items removed", `{"items":{"type":"string"}}`, `{}`, []string{"/items items widening"}},
		{"prefixItems", `{"prefixItems":[{"type":"string"}]}`, `{"prefixItems":[{"type":"string"},{"type":"integer"}]}`, []string{"/prefixItems/1 prefixItems narrowing"}},
		{"contains added", `{}`, `{"contains":{"const":1}}`, []string{"/contains contains narrowing"}},
		{"minContains raised", `{"contains":{"const":1}}`, `{"contains":{"const":1},"minContains":2}`, []string{" minContains narrowing"}},
		{"propertyNames", `{"propertyNames":{"maxLength":3}}`, `{"propertyNames":{"maxLength":2}}`, []string{"/propertyNames maxLength narrowing"}},
		{"dependentRequired", `{}`, `{"dependentRequired":{"a":["b"]}}`, []string{"/dependentRequired/a dependentRequired narrowing"}},
		{"dependentSchemas", `{"dependentSchemas":{"a":{"required":["b"]}}}`, `{}`, []string{"/dependentSchemas/a dependentSchemas widening"}},
		{"oneOf branch added", `{"oneOf":[{"type":"string"}]}`, `{"oneOf":[{"type":"string"},{"type":"integer"}]}`, []string{"/oneOf/1 oneOf widening"}},
		{"anyOf branch removed", `{"anyOf":[{"type":"string"},{"type":"integer"}]}`, `{"anyOf":[{"type":"integer"}]}`, []string{"/anyOf/0 anyOf narrowing"}},
		{"oneOf reordered", `{"oneOf":[{"type":"string"},{"type":"integer"}]}`, `{"oneOf":[{"type":"integer"},{"type":"string"}]}`, nil},
		{"oneOf branch changed and moved, by discriminator",
			`{"oneOf":[{"properties":{"k":{"const":"a"},"x":{"maxLength":1}}},{"properties":{"k":{"const":"b"}}}]}`,
			`{"oneOf":[{"properties":{"k":{"const":"b"}},"required":["k"]},{"properties":{"k":{"const":"a"},"x":{"maxLength":2}}}]}`,
			[]string{"/oneOf/0/properties/k required narrowing", "/oneOf/1/properties/x maxLength widening"}},
		{"not changed", `{"not":{"const":1}}`, `{"not":{"const":2}}`, []string{"/not not widening,narrowing"}},
		{"if changed", `{"if":{"required":["a"]},"then":{"required":["b"]}}`, `{"if":{"required":["a"]},"then":{"required":["c"]}}`, []string{"/if if widening,narrowing"}},
		{"false schema", `{"properties":{"a":true}}`, `{"properties":{"a":false}}`, []string{"/properties/a false narrowing"}},
		{"recursive schema", `{"$defs":{"n":{"properties":{"c":{"$ref":"#/$defs/n"},"v":{"type":"string"}}}},"$ref":"#/$defs/n"}`,
			`{"$defs":{"n":{"properties":{"c":{"$ref":"#/$defs/n"},"v":{"type":"integer"}}}},"$ref":"#/$defs/n"}`,
			// Reported where the root has the shape, and where its child does
			// (one level, not round the cycle).
			[]string{"/properties/v type widening,narrowing", "/properties/c/properties/v type widening,narrowing"}},
		{"shared shape, reported at each use", `{"$defs":{"s":{"maxLength":3}},"properties":{"a":{"$ref":"#/$defs/s"},"b":{"$ref":"#/$defs/s"}}}`,
			`{"$defs":{"s":{"maxLength":4}},"properties":{"a":{"$ref":"#/$defs/s"},"b":{"$ref":"#/$defs/s"}}}`,
			[]string{"/properties/a maxLength widening", "/properties/b maxLength widening"}},
		{"expectation promoted", `{"type":"string","x-hookcontract-expect":{"format":"email"}}`, `{"type":"string","format":"email"}`, []string{" format narrowing"}},
		{"guarantee demoted", `{"type":"string","maxLength":5}`, `{"type":"string","x-hookcontract-expect":{"maxLength":5}}`, []string{" maxLength widening"}},
		{"expectation added", `{"type":"string"}`, `{"type":"string","x-hookcontract-expect":{"minLength":1}}`, []string{" minLength expectation"}},
		{"expectation in a referenced schema", `{"$defs":{"s":{"x-hookcontract-expect":{"enum":["a"]}}},"properties":{"p":{"$ref":"#/$defs/s"}}}`,
			`{"$defs":{"s":{"x-hookcontract-expect":{"enum":["a","b"]}}},"properties":{"p":{"$ref":"#/$defs/s"}}}`, []string{"/properties/p enum expectation"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			old := compileSchema(t, "https://example.com/old.json", tc.old)
			new := compileSchema(t, "https://example.com/new.json", tc.new)
			var got []string
			for _, c := range CompareSchemas(old, new) {
				got = append(got, c.Pointer+" "+c.Keyword+" "+classList(c.Classes))
				if c.Message == "" {
					t.Errorf("%s: no message", c.Pointer)
				}
			}
			slices.Sort(got)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("changes\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
		})
	}
}

func TestNumber(t *testing.T) {
	for in, want := range map[string]string{"0": "0", "-3": "-3", "1/10": "0.1", "5/4": "1.25", "1/3": "0.3333333333333333", "40526000000002040": "40526000000002040", "1/1024": "0.0009765625"} {
		r, _ := new(big.Rat).SetString(in)
		if got := number(r); got != want {
			t.Errorf("number(%s) = %s, want %s", in, got, want)
		}
	}
}
