// Package expect evaluates the x-hookcontract-expect keyword with
// jsonschema/v5: the reference for the expectations the generated
// validators report, and what the contract test runner uses.
//
// An expectation is a subschema, written beside a schema's guaranteed
// keywords, that is evaluated at the same instance location; breaking it
// is drift (grade "expected"), never a failure. It never affects whether
// the schema holding it is valid, so it never decides which anyOf/oneOf
// branch matches nor the outcome of an if. Expectations are reported only
// for a payload that satisfies every guarantee, and only for the schemas
// along the evaluation path that succeeded:
//
//   - the schema itself, what it applies through $ref, $dynamicRef (its
//     static target) and allOf;
//   - every anyOf branch that matches, the oneOf branch that matches, the
//     then branch when if matches and the else branch when it does not,
//     each dependentSchemas entry whose member is present;
//   - for each member, the properties, patternProperties and (when neither
//     names it) additionalProperties subschemas; for each item, its
//     prefixItems or items subschema.
//
// Expectations inside if, not, contains, propertyNames,
// unevaluatedProperties and unevaluatedItems are never reported, nor those
// inside an expectation: everything in one already is one.
package expect

import (
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// Keyword is the expectation keyword.
const Keyword = "x-hookcontract-expect"

// Register makes c compile Keyword: each schema that has one keeps its
// compiled subschema (see Of). Validating with c ignores expectations.
func Register(c *jsonschema.Compiler) {
	c.RegisterExtension(Keyword, meta, extCompiler{})
}

var meta = jsonschema.MustCompileString("https://hookcontract.dev/meta/expect.json", `{
	"properties": {"x-hookcontract-expect": {"type": ["object", "boolean"]}}
}`)

type extCompiler struct{}

func (extCompiler) Compile(ctx jsonschema.CompilerContext, m map[string]any) (jsonschema.ExtSchema, error) {
	if _, ok := m[Keyword]; !ok {
		return nil, nil
	}
	s, err := ctx.Compile(Keyword, false)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Keyword, err)
	}
	return ext{s}, nil
}

// ext holds a compiled expectation. It validates nothing itself: the
// expectation never takes part in its schema's validity.
type ext struct{ s *jsonschema.Schema }

func (ext) Validate(jsonschema.ValidationContext, any) error { return nil }

// Of returns the compiled expectation of s, or nil.
func Of(s *jsonschema.Schema) *jsonschema.Schema {
	if s == nil {
		return nil
	}
	if x, ok := s.Extensions[Keyword].(ext); ok {
		return x.s
	}
	return nil
}

// Plan tells, for the schemas reachable from some roots, which have an
// expectation along some evaluation path, so that a walk enters only
// those. It is read-only once built and safe for concurrent use.
type Plan struct {
	may    map[*jsonschema.Schema]bool
	secret func(*jsonschema.Schema) bool
}

// NewPlan builds the plan of roots. secret tells which schemas mark a
// credential (their expectations' values must not be shown); it may be
// nil.
func NewPlan(secret func(*jsonschema.Schema) bool, roots ...*jsonschema.Schema) *Plan {
	p := &Plan{may: map[*jsonschema.Schema]bool{}, secret: secret}
	var all []*jsonschema.Schema
	seen := map[*jsonschema.Schema]bool{}
	var collect func(s *jsonschema.Schema)
	collect = func(s *jsonschema.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		all = append(all, s)
		for _, x := range edges(s) {
			collect(x)
		}
	}
	for _, r := range roots {
		collect(r)
	}
	for changed := true; changed; {
		changed = false
		for _, s := range all {
			if p.may[s] {
				continue
			}
			if Of(s) != nil || slices.ContainsFunc(edges(s), func(x *jsonschema.Schema) bool { return p.may[x] }) {
				p.may[s] = true
				changed = true
			}
		}
	}
	return p
}

// Has reports whether a walk from s can meet an expectation.
func (p *Plan) Has(s *jsonschema.Schema) bool { return p.may[s] }

// edges lists what a walk may enter from s, in a fixed order.
func edges(s *jsonschema.Schema) []*jsonschema.Schema {
	out := []*jsonschema.Schema{s.Ref, s.DynamicRef, s.Then, s.Else, s.Items2020}
	out = append(out, s.AllOf...)
	out = append(out, s.AnyOf...)
	out = append(out, s.OneOf...)
	out = append(out, s.PrefixItems...)
	for _, name := range sortedKeys(s.Properties) {
		out = append(out, s.Properties[name])
	}
	for re, x := range s.PatternProperties {
		_ = re
		out = append(out, x)
	}
	for _, name := range sortedKeys(s.DependentSchemas) {
		out = append(out, s.DependentSchemas[name])
	}
	if x, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
		out = append(out, x)
	}
	return slices.DeleteFunc(out, func(x *jsonschema.Schema) bool { return x == nil })
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// Broken is one expectation a value does not meet.
type Broken struct {
	Pointer string                      // where the value is, from the walk's root
	Schema  *jsonschema.Schema          // the expectation
	Value   any                         // the value
	Err     *jsonschema.ValidationError // what v5 says, with locations relative to Value
	Secret  bool                        // the value is, or is inside, a credential
}

// Walk evaluates the expectations along the evaluation path of v under s,
// which v must satisfy, and returns those v breaks, in walk order.
func (p *Plan) Walk(s *jsonschema.Schema, v any) []Broken {
	if !p.may[s] {
		return nil
	}
	w := walk{p: p}
	w.visit(s, v, false)
	return w.out
}

type walk struct {
	p    *Plan
	path []string
	out  []Broken
}

func (w *walk) pointer() string {
	return jsonpointer.Join(w.path...)
}

func matches(s *jsonschema.Schema, v any) bool { return s.Validate(v) == nil }

func (w *walk) visit(s *jsonschema.Schema, v any, secret bool) {
	if s == nil || !w.p.may[s] {
		return
	}
	secret = secret || (w.p.secret != nil && w.p.secret(s))
	if x := Of(s); x != nil {
		if err := x.Validate(v); err != nil {
			ve, ok := err.(*jsonschema.ValidationError)
			if !ok {
				ve = &jsonschema.ValidationError{Message: err.Error()}
			}
			w.out = append(w.out, Broken{Pointer: w.pointer(), Schema: x, Value: v, Err: ve, Secret: secret})
		}
	}
	w.visit(s.Ref, v, secret)
	w.visit(s.DynamicRef, v, secret)
	for _, x := range s.AllOf {
		w.visit(x, v, secret)
	}
	for _, x := range s.AnyOf {
		if w.p.may[x] && matches(x, v) {
			w.visit(x, v, secret)
		}
	}
	if slices.ContainsFunc(s.OneOf, w.p.Has) {
		for _, x := range s.OneOf {
			if matches(x, v) {
				w.visit(x, v, secret)
				break
			}
		}
	}
	if s.If != nil && (w.p.may[s.Then] || w.p.may[s.Else]) {
		if matches(s.If, v) {
			w.visit(s.Then, v, secret)
		} else {
			w.visit(s.Else, v, secret)
		}
	}
	switch x := v.(type) {
	case map[string]any:
		for _, name := range sortedKeys(s.DependentSchemas) {
			if _, ok := x[name]; ok {
				w.visit(s.DependentSchemas[name], v, secret)
			}
		}
		add, _ := s.AdditionalProperties.(*jsonschema.Schema)
		if len(s.Properties) == 0 && len(s.PatternProperties) == 0 && !w.p.may[add] {
			return
		}
		for _, name := range sortedKeys(x) {
			child := x[name]
			w.path = append(w.path, name)
			matched := false
			if c, ok := s.Properties[name]; ok {
				matched = true
				w.visit(c, child, secret)
			}
			for re, c := range s.PatternProperties {
				if re.MatchString(name) {
					matched = true
					w.visit(c, child, secret)
				}
			}
			if !matched {
				w.visit(add, child, secret)
			}
			w.path = w.path[:len(w.path)-1]
		}
	case []any:
		for i, child := range x {
			var c *jsonschema.Schema
			switch {
			case i < len(s.PrefixItems):
				c = s.PrefixItems[i]
			default:
				c = s.Items2020
			}
			if c == nil || !w.p.may[c] {
				continue
			}
			w.path = append(w.path, strconv.Itoa(i))
			w.visit(c, child, secret)
			w.path = w.path[:len(w.path)-1]
		}
	}
}
