// Package contracttest checks webhook payloads against hookcontract specs:
// it loads a spec directory (the embedded specs or a user's own), compiles
// every schema once with jsonschema/v5, detects each payload's provider and
// event from the discriminators the specs declare, validates it, and reports
// every violation with its JSON pointer, keyword, schema location and a
// message, never showing the value of a field the spec marks secret.
package contracttest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/expect"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
	"github.com/hookcontract/hookcontract/runtime/hcrt"
	"github.com/hookcontract/hookcontract/specs"
)

// SecretKeyword marks a property schema whose value is a credential.
const SecretKeyword = "x-hookcontract-secret"

// Suite is a compiled spec directory. It is safe for concurrent use.
type Suite struct {
	fsys      fs.FS
	spec      *contract.Spec
	providers []*provider
	schemas   map[string]*jsonschema.Schema // every compiled schema by location
}

type provider struct {
	*contract.Provider
	mu        sync.Mutex // guards compiler
	compiler  *jsonschema.Compiler
	events    map[string]*event
	requests  []requestRule
	evPointer []string            // the first location of the event name
	evLocs    []contract.Location // every location, in the order detection tries them
}

type event struct {
	*contract.Event
	provider *provider
	schema   target // the delivered body (or the request body)
	bare     target // the body without its envelope; zero when there is none
}

// target is a compiled schema with its drift plans.
type target struct {
	schema *jsonschema.Schema
	plan   *node
	expect *expect.Plan // nil when no expectation is reachable
}

type requestRule struct {
	present []string
	event   *event
}

// Embedded returns the suite of the specs embedded in this module. It is
// compiled once per process; the suite is safe for concurrent use.
func Embedded() (*Suite, error) {
	return embedded()
}

var embedded = sync.OnceValues(func() (*Suite, error) { return Load(specs.FS()) })

// Load reads and compiles the spec directory fsys (layout: specs/LAYOUT.md).
func Load(fsys fs.FS) (*Suite, error) {
	sp, err := contract.Load(fsys)
	if err != nil {
		return nil, fmt.Errorf("load specs: %w", err)
	}
	s, err := compile(sp)
	if err != nil {
		return nil, err
	}
	s.fsys = fsys
	return s, nil
}

// LoadProvider compiles one provider's contract (a user's document loaded
// with contract.LoadFile, inferred as generate infers it).
func LoadProvider(p *contract.Provider) (*Suite, error) {
	return compile(&contract.Spec{Providers: []*contract.Provider{p}})
}

// Spec returns the loaded spec model.
func (s *Suite) Spec() *contract.Spec { return s.spec }

func newCompiler() *jsonschema.Compiler {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	c.Formats["uri-template"] = hcrt.URITemplateFormat // RFC 6570 with operators, as the generated validators check it
	c.LoadURL = func(u string) (io.ReadCloser, error) {
		return nil, fmt.Errorf("schema %q is not part of the spec directory", u)
	}
	c.RegisterExtension(SecretKeyword, secretMeta, secretCompiler{})
	expect.Register(c)
	return c
}

func compile(sp *contract.Spec) (*Suite, error) {
	s := &Suite{spec: sp, schemas: map[string]*jsonschema.Schema{}}
	for _, cp := range sp.Providers {
		c := newCompiler()
		for _, f := range cp.Schemas {
			if err := c.AddResource(f.ID, bytes.NewReader(f.Raw)); err != nil {
				return nil, &contract.Error{File: f.Path, Err: fmt.Errorf("add schema: %w", err)}
			}
		}
		// Compile every schema file, so that an error in a shape no event
		// uses yet is still reported.
		for _, f := range cp.Schemas {
			sch, err := c.Compile(f.ID)
			if err != nil {
				return nil, &contract.Error{File: f.Path, Err: fmt.Errorf("compile schema: %w", err)}
			}
			indexSchema(sch, s.schemas)
		}
		p := &provider{Provider: cp, compiler: c, events: map[string]*event{}, evPointer: jsonpointer.Tokens(cp.Ext.Event.Pointer), evLocs: cp.Ext.Event.Locations()}
		pl := newPlanner()
		for _, ce := range cp.Events {
			e := &event{Event: ce, provider: p}
			sch, err := c.Compile(ce.Schema)
			if err != nil {
				return nil, &contract.Error{File: cp.DocPath, Pointer: ce.Pointer, Err: fmt.Errorf("compile schema of event %q: %w", ce.Name, err)}
			}
			e.schema = newTarget(sch, pl)
			if ce.Bare != "" {
				sch, err := c.Compile(ce.Bare)
				if err != nil {
					return nil, &contract.Error{File: cp.DocPath, Pointer: ce.Pointer + "/x-hookcontract-bare", Err: fmt.Errorf("compile bare schema of event %q: %w", ce.Name, err)}
				}
				e.bare = newTarget(sch, pl)
			}
			p.events[ce.Name] = e
		}
		pl.finish()
		for _, r := range cp.Ext.Requests {
			p.requests = append(p.requests, requestRule{present: jsonpointer.Tokens(r.Present), event: p.events[r.OperationID]})
		}
		s.providers = append(s.providers, p)
	}
	sort.Slice(s.providers, func(i, j int) bool { return s.providers[i].Name < s.providers[j].Name })
	return s, nil
}

func newTarget(s *jsonschema.Schema, pl *planner) target {
	t := target{schema: s, plan: pl.node(s)}
	if p := expect.NewPlan(isSecret, s); p.Has(s) {
		t.expect = p
	}
	return t
}

// indexSchema records s and every schema under it by location.
func indexSchema(s *jsonschema.Schema, m map[string]*jsonschema.Schema) {
	if s == nil || m[s.Location] == s {
		return
	}
	m[s.Location] = s
	for _, x := range []*jsonschema.Schema{s.Ref, s.DynamicRef, s.Not, s.If, s.Then, s.Else, s.PropertyNames,
		s.UnevaluatedProperties, s.Items2020, s.Contains, s.UnevaluatedItems, s.ContentSchema, expect.Of(s)} {
		indexSchema(x, m)
	}
	for _, group := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf, s.PrefixItems} {
		for _, x := range group {
			indexSchema(x, m)
		}
	}
	for _, group := range []map[string]*jsonschema.Schema{s.Properties, s.DependentSchemas} {
		for _, x := range group {
			indexSchema(x, m)
		}
	}
	for _, x := range s.PatternProperties {
		indexSchema(x, m)
	}
	if x, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
		indexSchema(x, m)
	}
	switch it := s.Items.(type) {
	case *jsonschema.Schema:
		indexSchema(it, m)
	case []*jsonschema.Schema:
		for _, x := range it {
			indexSchema(x, m)
		}
	}
	if x, ok := s.AdditionalItems.(*jsonschema.Schema); ok {
		indexSchema(x, m)
	}
}

func (s *Suite) provider(name string) *provider {
	for _, p := range s.providers {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Providers returns the provider names, sorted.
func (s *Suite) Providers() []string {
	out := make([]string, len(s.providers))
	for i, p := range s.providers {
		out[i] = p.Name
	}
	return out
}

// secretCompiler makes jsonschema/v5 keep the x-hookcontract-secret
// annotation on compiled schemas, so reports can find secret locations.
type secretCompiler struct{}

var secretMeta = jsonschema.MustCompileString("https://hookcontract.dev/meta/secret.json", `{
	"properties": {"x-hookcontract-secret": {"type": "boolean"}}
}`)

func (secretCompiler) Compile(_ jsonschema.CompilerContext, m map[string]any) (jsonschema.ExtSchema, error) {
	if v, ok := m[SecretKeyword].(bool); ok && v {
		return secretMark{}, nil
	}
	return nil, nil
}

type secretMark struct{}

func (secretMark) Validate(jsonschema.ValidationContext, any) error { return nil }

func isSecret(s *jsonschema.Schema) bool {
	_, ok := s.Extensions[SecretKeyword]
	return ok
}

// CheckSchema validates data against the schema at uri (a schema file's $id,
// optionally with a JSON-pointer fragment) of the named provider.
func (s *Suite) CheckSchema(providerName, uri string, data []byte) ([]Violation, error) {
	p := s.provider(providerName)
	if p == nil {
		return nil, fmt.Errorf("unknown provider %q", providerName)
	}
	p.mu.Lock()
	sch, err := p.compiler.Compile(uri)
	p.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("compile %s: %w", uri, err)
	}
	v, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if err := sch.Validate(v); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return normalize(ve, sch, v, s.schemas), nil
		}
		return nil, fmt.Errorf("validate: %w", err)
	}
	return nil, nil
}

// FromSpec compiles a loaded spec (a user's own document, say) into a
// suite. Fixtures are not read: use Load for a spec directory.
func FromSpec(sp *contract.Spec) (*Suite, error) {
	s, err := compile(sp)
	if err != nil {
		return nil, err
	}
	s.fsys = noFiles{}
	return s, nil
}

type noFiles struct{}

func (noFiles) Open(name string) (fs.File, error) {
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

// RegisterSecretKeyword makes c keep x-hookcontract-secret on the schemas
// it compiles (in Extensions under SecretKeyword), for tools that report
// values and must redact them.
func RegisterSecretKeyword(c *jsonschema.Compiler) {
	c.RegisterExtension(SecretKeyword, secretMeta, secretCompiler{})
}

// JSONType names the JSON type of a decoded value: null, boolean, number,
// string, array or object.
func JSONType(v any) string { return typeName(v) }

// Locate returns the offset in data (valid JSON) at which the value at
// pointer starts, or that of its deepest existing container.
func Locate(data []byte, pointer string) int { return locate(data, pointer) }
