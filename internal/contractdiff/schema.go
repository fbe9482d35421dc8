package contractdiff

import (
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// ExpectKeyword holds a schema's expectations: a subschema whose violations
// are drift, never failure. Constraints under it are expected; every other
// constraint is guaranteed.
const ExpectKeyword = "x-hookcontract-expect"

// view selects which constraints a comparison sees.
type view int

const (
	guaranteed view = iota // the schema proper, without expectations
	expected               // the schema and its expectations
)

// conj is a conjunction of compiled schemas that apply to one instance
// location: a schema, what it references, its allOf members and (in the
// expected view) its expectations. A schema inlined or referenced becomes
// the same conjunction, so $ref layout does not matter.
type conj []*jsonschema.Schema

func flatten(s *jsonschema.Schema, v view) conj {
	var out conj
	seen := map[*jsonschema.Schema]bool{}
	var add func(*jsonschema.Schema)
	add = func(s *jsonschema.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		out = append(out, s)
		add(s.Ref)
		add(s.DynamicRef)
		add(s.RecursiveRef)
		for _, m := range s.AllOf {
			add(m)
		}
		if v == expected {
			if x, ok := s.Extensions[ExpectKeyword].(expectation); ok {
				add(x.schema)
			}
		}
	}
	add(s)
	return out
}

// key identifies a conjunction for cycle detection.
func (c conj) key() string {
	locs := make([]string, len(c))
	for i, s := range c {
		locs[i] = s.Location
	}
	sort.Strings(locs)
	return strings.Join(locs, "&")
}

// bound is a numeric limit; exclusive tells whether the limit itself is
// excluded.
type bound struct {
	v         *big.Rat
	exclusive bool
}

// eff is the effective constraint set of a conjunction.
type eff struct {
	never      bool            // a false schema: nothing is accepted
	types      map[string]bool // nil: any type
	enum       []any           // nil with hasEnum false: any value
	hasEnum    bool
	required   map[string]bool
	props      map[string]conj
	addl       conj // additionalProperties schemas
	closed     bool // additionalProperties: false (or unevaluatedProperties: false)
	patProps   map[string]conj
	items      conj
	hasItems   bool
	prefix     []conj
	minLen     int
	maxLen     int
	minItems   int
	maxItems   int
	minProps   int
	maxProps   int
	lower      *bound
	upper      *bound
	multipleOf []string
	patterns   []string
	formats    []string
	unique     bool
	oneOf      [][]*jsonschema.Schema
	anyOf      [][]*jsonschema.Schema
	not        []*jsonschema.Schema
	cond       []*jsonschema.Schema // if/then/else owners
	depReq     map[string][]string
	depSchemas map[string]conj
	contains   conj
	minCont    int // -1: not set (1 when contains is)
	maxCont    int
	propNames  conj
	unevalP    conj // unevaluatedProperties other than false
	unevalI    conj
	addItems   conj // draft-07 additionalItems
	noAddItems bool // additionalItems: false
}

func intersectTypes(a map[string]bool, list []string) map[string]bool {
	b := map[string]bool{}
	for _, t := range list {
		b[t] = true
	}
	if b["number"] {
		b["integer"] = true
	}
	if a == nil {
		return b
	}
	out := map[string]bool{}
	for t := range a {
		if b[t] {
			out[t] = true
		}
	}
	if a["number"] && b["integer"] && !b["number"] {
		out["integer"] = true
	}
	return out
}

func minInt(a, b int) int {
	switch {
	case a < 0:
		return b
	case b < 0:
		return a
	case a < b:
		return a
	}
	return b
}

func tighterLower(a, b *bound) *bound {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	switch c := a.v.Cmp(b.v); {
	case c > 0:
		return a
	case c < 0:
		return b
	}
	if b.exclusive {
		return b
	}
	return a
}

func tighterUpper(a, b *bound) *bound {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	switch c := a.v.Cmp(b.v); {
	case c < 0:
		return a
	case c > 0:
		return b
	}
	if b.exclusive {
		return b
	}
	return a
}

func merge(c conj, v view) *eff {
	e := &eff{minLen: -1, maxLen: -1, minItems: -1, maxItems: -1, minProps: -1, maxProps: -1,
		required: map[string]bool{}, props: map[string]conj{}, patProps: map[string]conj{}, depReq: map[string][]string{},
		depSchemas: map[string]conj{}, minCont: -1, maxCont: -1}
	for _, s := range c {
		if s.Always != nil && !*s.Always {
			e.never = true
		}
		if len(s.Types) > 0 {
			e.types = intersectTypes(e.types, s.Types)
		}
		var values []any
		has := false
		if len(s.Constant) > 0 {
			values, has = s.Constant[:1], true
		} else if s.Enum != nil {
			values, has = s.Enum, true
		}
		if has {
			if e.hasEnum {
				values = intersectValues(e.enum, values)
			}
			e.enum, e.hasEnum = values, true
		}
		for _, r := range s.Required {
			e.required[r] = true
		}
		for n, p := range s.Properties {
			e.props[n] = append(e.props[n], flatten(p, v)...)
		}
		for re, p := range s.PatternProperties {
			e.patProps[re.String()] = append(e.patProps[re.String()], flatten(p, v)...)
		}
		switch a := s.AdditionalProperties.(type) {
		case bool:
			if !a {
				e.closed = true
			}
		case *jsonschema.Schema:
			if a.Always != nil && !*a.Always {
				e.closed = true
			} else {
				e.addl = append(e.addl, flatten(a, v)...)
			}
		}
		if u := s.UnevaluatedProperties; u != nil {
			if u.Always != nil && !*u.Always {
				e.closed = true
			} else {
				e.unevalP = append(e.unevalP, flatten(u, v)...)
			}
		}
		if s.UnevaluatedItems != nil {
			e.unevalI = append(e.unevalI, flatten(s.UnevaluatedItems, v)...)
		}
		if s.Contains != nil {
			e.contains = append(e.contains, flatten(s.Contains, v)...)
			e.minCont = maxInt(e.minCont, s.MinContains)
			e.maxCont = minInt(e.maxCont, s.MaxContains)
		}
		if s.PropertyNames != nil {
			e.propNames = append(e.propNames, flatten(s.PropertyNames, v)...)
		}
		for k, d := range s.DependentSchemas {
			e.depSchemas[k] = append(e.depSchemas[k], flatten(d, v)...)
		}
		for k, d := range s.Dependencies {
			switch d := d.(type) {
			case *jsonschema.Schema:
				e.depSchemas[k] = append(e.depSchemas[k], flatten(d, v)...)
			case []string:
				e.depReq[k] = append(e.depReq[k], d...)
			}
		}
		if tuple, ok := s.Items.([]*jsonschema.Schema); ok {
			for i, p := range tuple {
				for len(e.prefix) <= i {
					e.prefix = append(e.prefix, nil)
				}
				e.prefix[i] = append(e.prefix[i], flatten(p, v)...)
			}
			switch a := s.AdditionalItems.(type) {
			case bool:
				e.noAddItems = e.noAddItems || !a
			case *jsonschema.Schema:
				e.addItems = append(e.addItems, flatten(a, v)...)
			}
		}
		if s.Items2020 != nil {
			e.items, e.hasItems = append(e.items, flatten(s.Items2020, v)...), true
		}
		if it, ok := s.Items.(*jsonschema.Schema); ok {
			e.items, e.hasItems = append(e.items, flatten(it, v)...), true
		}
		for i, p := range s.PrefixItems {
			for len(e.prefix) <= i {
				e.prefix = append(e.prefix, nil)
			}
			e.prefix[i] = append(e.prefix[i], flatten(p, v)...)
		}
		e.minLen = maxInt(e.minLen, s.MinLength)
		e.maxLen = minInt(e.maxLen, s.MaxLength)
		e.minItems = maxInt(e.minItems, s.MinItems)
		e.maxItems = minInt(e.maxItems, s.MaxItems)
		e.minProps = maxInt(e.minProps, s.MinProperties)
		e.maxProps = minInt(e.maxProps, s.MaxProperties)
		if s.Minimum != nil {
			e.lower = tighterLower(e.lower, &bound{v: s.Minimum})
		}
		if s.ExclusiveMinimum != nil {
			e.lower = tighterLower(e.lower, &bound{v: s.ExclusiveMinimum, exclusive: true})
		}
		if s.Maximum != nil {
			e.upper = tighterUpper(e.upper, &bound{v: s.Maximum})
		}
		if s.ExclusiveMaximum != nil {
			e.upper = tighterUpper(e.upper, &bound{v: s.ExclusiveMaximum, exclusive: true})
		}
		if s.MultipleOf != nil {
			e.multipleOf = append(e.multipleOf, number(s.MultipleOf))
		}
		if s.Pattern != nil {
			e.patterns = append(e.patterns, s.Pattern.String())
		}
		if s.Format != "" {
			e.formats = append(e.formats, s.Format)
		}
		e.unique = e.unique || s.UniqueItems
		if len(s.OneOf) > 0 {
			e.oneOf = append(e.oneOf, s.OneOf)
		}
		if len(s.AnyOf) > 0 {
			e.anyOf = append(e.anyOf, s.AnyOf)
		}
		if s.Not != nil {
			e.not = append(e.not, s.Not)
		}
		if s.If != nil {
			e.cond = append(e.cond, s)
		}
		for k, names := range s.DependentRequired {
			e.depReq[k] = append(e.depReq[k], names...)
		}
	}
	sort.Strings(e.multipleOf)
	sort.Strings(e.patterns)
	sort.Strings(e.formats)
	e.multipleOf, e.patterns, e.formats = compact(e.multipleOf), compact(e.patterns), compact(e.formats)
	return e
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

func compact(s []string) []string {
	var out []string
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

func intersectValues(a, b []any) []any {
	in := map[string]bool{}
	for _, v := range b {
		in[canonical(v)] = true
	}
	out := []any{}
	for _, v := range a {
		if in[canonical(v)] {
			out = append(out, v)
		}
	}
	return out
}

// canonical renders a JSON value with sorted keys, numbers as written.
func canonical(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// expectation is the compiled x-hookcontract-expect subschema. It never
// validates anything itself: the diff only reads it.
type expectation struct{ schema *jsonschema.Schema }

func (expectation) Validate(jsonschema.ValidationContext, any) error { return nil }

type expectCompiler struct{}

var expectMeta = jsonschema.MustCompileString("https://hookcontract.dev/meta/expect.json", `{
	"properties": {"x-hookcontract-expect": {"type": ["object", "boolean"]}}
}`)

func (expectCompiler) Compile(ctx jsonschema.CompilerContext, m map[string]any) (jsonschema.ExtSchema, error) {
	if _, ok := m[ExpectKeyword]; !ok {
		return nil, nil
	}
	s, err := ctx.Compile(ExpectKeyword, true)
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", ExpectKeyword, err)
	}
	return expectation{schema: s}, nil
}
