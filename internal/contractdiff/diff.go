// Package contractdiff compares two versions of webhook contracts from the
// receiver's side. A change is widening (the provider may now send what
// the old contract excluded: the receiver's code may not handle it),
// narrowing (the contract now excludes what it allowed: payloads that
// passed may now fail), go-api (the generated package's exported API
// changes incompatibly) or expectation (only what is expected, not what is
// guaranteed, changed: verdicts may move between pass and drift).
//
// The comparison is semantic: schemas are compared resolved (a schema
// inlined or referenced is the same schema), keyword by keyword, with
// annotations (titles, descriptions, examples), $ids and key order
// ignored. It also checks captured payloads with both versions (the blast
// radius), and reports what payloads exercise (coverage) and what they
// suggest changing.
package contractdiff

import (
	"fmt"
	"go/constant"
	"go/types"
	"io"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// Class is the kind of a change.
type Class string

// Classes.
const (
	Widening    Class = "widening"
	Narrowing   Class = "narrowing"
	GoAPI       Class = "go-api"
	Expectation Class = "expectation"
)

// AllClasses lists the classes in report order.
var AllClasses = []Class{Widening, Narrowing, GoAPI, Expectation}

// ParseClass reads a class name.
func ParseClass(s string) (Class, bool) {
	for _, c := range AllClasses {
		if string(c) == s {
			return c, true
		}
	}
	return "", false
}

// Change is one difference between the old and the new contract.
type Change struct {
	Provider string  `json:"provider"`
	Event    string  `json:"event"`             // "" for a change to the package as a whole
	Pointer  string  `json:"pointer"`           // in the event's resolved schema, "" for the event itself
	Keyword  string  `json:"keyword,omitempty"` // the keyword that changed
	Form     string  `json:"form,omitempty"`    // "bare" for the body without its envelope (x-hookcontract-bare)
	Classes  []Class `json:"classes"`
	Old      any     `json:"old"`
	New      any     `json:"new"`
	Message  string  `json:"message"`
	File     string  `json:"-"` // the provider's document in the new contract (the old one when removed)
}

// Has tells whether the change is of class c.
func (c *Change) Has(cl Class) bool {
	for _, x := range c.Classes {
		if x == cl {
			return true
		}
	}
	return false
}

// Contract is what the diff reads of one version of a set of contracts.
// It is small on purpose: any front end that resolves schemas and
// generates Go can provide it.
type Contract interface {
	// Providers lists the provider names, sorted.
	Providers() []string
	// Events lists a provider's event names, sorted.
	Events(provider string) []string
	// EventSchema returns the resolved schema of an event's delivered body.
	EventSchema(provider, event string) (*jsonschema.Schema, error)
	// BareSchema returns the resolved schema of an event's body without
	// its envelope, nil when the event has no such form.
	BareSchema(provider, event string) (*jsonschema.Schema, error)
	// GoAPI returns the exported API of the package generated for provider.
	GoAPI(provider string) (*types.Package, error)
	// DocPath returns the path of a provider's document in its contract.
	DocPath(provider string) string
}

// Options control a diff.
type Options struct {
	// SkipGoAPI leaves the generated packages out of the comparison.
	SkipGoAPI bool
}

// Result is a diff's outcome.
type Result struct {
	Changes  []Change
	Warnings []string // comparisons that could not be made, such as a package that cannot be generated
	// Errors are schemas that do not compile: the events they belong to
	// were not compared.
	Errors []error
	// GoAPIErrors holds the providers whose Go API could not be compared.
	GoAPIErrors map[string]error
}

// Diff compares the old contract with the new one, provider by provider
// and event by event, by name (see Pair for two versions of one document
// under different names).
func Diff(old, new Contract, opts Options) *Result {
	r := &Result{GoAPIErrors: map[string]error{}}
	op, np := old.Providers(), new.Providers()
	for _, name := range unionKeys(setOf(op), setOf(np)) {
		inOld, inNew := contains(op, name), contains(np, name)
		switch {
		case inOld && inNew:
			r.provider(old, new, name, name, opts)
		case inNew:
			for _, e := range new.Events(name) {
				r.Changes = append(r.Changes, Change{Provider: name, Event: e, Classes: widening, New: e, File: new.DocPath(name),
					Message: fmt.Sprintf("new provider %q with event %q: the provider may now send it", name, e)})
			}
		default:
			for _, e := range old.Events(name) {
				r.Changes = append(r.Changes, Change{Provider: name, Event: e, Classes: []Class{Narrowing, GoAPI}, Old: e, File: old.DocPath(name),
					Message: fmt.Sprintf("provider %q removed with its event %q: its payloads now fail and its package is gone", name, e)})
			}
		}
	}
	return r
}

func setOf(list []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range list {
		m[s] = true
	}
	return m
}

func contains(list []string, s string) bool {
	i := sort.SearchStrings(list, s)
	return i < len(list) && list[i] == s
}

func (r *Result) provider(old, new Contract, oldName, name string, opts Options) {
	oe, ne := old.Events(oldName), new.Events(name)
	file := new.DocPath(name)
	all := map[string]bool{}
	for _, e := range oe {
		all[e] = true
	}
	for _, e := range ne {
		all[e] = true
	}
	for _, e := range slices.Sorted(maps.Keys(all)) {
		inOld, inNew := contains(oe, e), contains(ne, e)
		switch {
		case inOld && inNew:
			os, err1 := old.EventSchema(oldName, e)
			ns, err2 := new.EventSchema(name, e)
			if err1 != nil || err2 != nil {
				r.Errors = append(r.Errors, fmt.Errorf("%s %s: schemas not compared: %w", name, e, firstErr(err1, err2)))
				continue
			}
			for _, c := range CompareSchemas(os, ns) {
				c.Provider, c.Event, c.File = name, e, file
				r.Changes = append(r.Changes, c)
			}
			r.bare(old, new, oldName, name, e, file)
		case inNew:
			r.Changes = append(r.Changes, Change{Provider: name, Event: e, Classes: widening, New: e, File: file,
				Message: fmt.Sprintf("new event %q: the provider may now send it", e)})
		default:
			r.Changes = append(r.Changes, Change{Provider: name, Event: e, Classes: narrowing, Old: e, File: file,
				Message: fmt.Sprintf("event %q removed: its payloads now fail", e)})
		}
	}
	if opts.SkipGoAPI {
		return
	}
	oa, err1 := old.GoAPI(oldName)
	na, err2 := new.GoAPI(name)
	if err := firstErr(err1, err2); err != nil {
		r.GoAPIErrors[name] = err
		r.Warnings = append(r.Warnings, fmt.Sprintf("%s: generated Go API not compared: %v", name, err))
		return
	}
	goNames := eventGoNames(oa, oe)
	maps.Copy(goNames, eventGoNames(na, ne))
	schemaChanges := len(r.Changes)
	for _, c := range ComparePackages(name, oa, na) {
		if c.Compatible {
			continue
		}
		event := eventOfAPIChange(c.Message, goNames)
		if i := r.fieldChange(name, event, c.Message, oa, schemaChanges); i >= 0 {
			r.Changes[i].Classes = append(slices.Clone(r.Changes[i].Classes), GoAPI)
			r.Changes[i].Message += "; generated package: " + c.Message
			continue
		}
		r.Changes = append(r.Changes, Change{Provider: name, Event: event, Classes: []Class{GoAPI}, File: file, Keyword: "go",
			Message: "generated package: " + c.Message})
	}
}

// fieldChange finds the one schema change that an API change to a struct
// field ("Order.Note: removed", "Order.Note: changed from ...") stems
// from: a change, in the same event, to the property the field's json tag
// names. It returns -1 unless exactly one change matches.
func (r *Result) fieldChange(provider, event, msg string, old *types.Package, upto int) int {
	subject, _, _ := strings.Cut(msg, ": ")
	typeName, fieldName, ok := strings.Cut(subject, ".")
	if !ok || event == "" || strings.ContainsAny(typeName, "(*") {
		return -1
	}
	tn, _ := old.Scope().Lookup(typeName).(*types.TypeName)
	if tn == nil {
		return -1
	}
	st, _ := tn.Type().Underlying().(*types.Struct)
	if st == nil {
		return -1
	}
	prop := ""
	for i := 0; i < st.NumFields(); i++ {
		if st.Field(i).Name() == fieldName {
			prop, _, _ = strings.Cut(reflect.StructTag(st.Tag(i)).Get("json"), ",")
		}
	}
	if prop == "" || prop == "-" {
		return -1
	}
	found := -1
	for i := range r.Changes[:upto] {
		c := &r.Changes[i]
		if c.Provider != provider || c.Event != event || c.Form != "" || c.Has(GoAPI) || !strings.HasSuffix(c.Pointer, "/properties/"+jsonpointer.Escape(prop)) {
			continue
		}
		if found >= 0 {
			return -1
		}
		found = i
	}
	return found
}

// eventGoNames reads, from a generated package, the Go name of each event:
// the constant whose value is the event's name is Event<GoName>.
func eventGoNames(pkg *types.Package, events []string) map[string]string {
	out := map[string]string{}
	scope := pkg.Scope()
	for _, n := range scope.Names() {
		c, ok := scope.Lookup(n).(*types.Const)
		if !ok || !c.Exported() || c.Val().Kind() != constant.String {
			continue
		}
		v := constant.StringVal(c.Val())
		if g, ok := strings.CutPrefix(n, "Event"); ok && g != "" && slices.Contains(events, v) {
			out[g] = v
		}
	}
	return out
}

// eventOfAPIChange tells which event an API change is about, from the
// identifiers it names ("OrderCreated.Channel", "Handler.OnOrderCreated"):
// the event whose Go name is the longest prefix of one of them, "" when
// none is.
func eventOfAPIChange(msg string, goNames map[string]string) string {
	subject, _, _ := strings.Cut(msg, ": ")
	best, event := 0, ""
	for _, id := range strings.FieldsFunc(subject, func(r rune) bool { return r == '.' || r == '(' || r == ')' || r == '*' || r == ' ' }) {
		for _, trimmed := range []string{id, strings.TrimPrefix(id, "On"), strings.TrimPrefix(id, "Event")} {
			for g, e := range goNames {
				if len(g) > best && strings.HasPrefix(trimmed, g) {
					best, event = len(g), e
				}
			}
		}
	}
	return event
}

// bare compares the forms of an event's body without its envelope.
func (r *Result) bare(old, new Contract, oldName, name, e, file string) {
	ob, err1 := old.BareSchema(oldName, e)
	nb, err2 := new.BareSchema(name, e)
	switch {
	case err1 != nil || err2 != nil:
		r.Errors = append(r.Errors, fmt.Errorf("%s %s: bare schemas not compared: %w", name, e, firstErr(err1, err2)))
	case ob == nil && nb != nil:
		r.Changes = append(r.Changes, Change{Provider: name, Event: e, Form: "bare", Keyword: "x-hookcontract-bare", Classes: widening, File: file,
			Message: fmt.Sprintf("event %q may now be delivered without its envelope", e)})
	case ob != nil && nb == nil:
		r.Changes = append(r.Changes, Change{Provider: name, Event: e, Form: "bare", Keyword: "x-hookcontract-bare", Classes: narrowing, File: file,
			Message: fmt.Sprintf("event %q without its envelope is no longer part of the contract", e)})
	case ob != nil:
		for _, c := range CompareSchemas(ob, nb) {
			c.Provider, c.Event, c.File, c.Form = name, e, file, "bare"
			r.Changes = append(r.Changes, c)
		}
	}
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// CompareSchemas compares two resolved schemas: the guarantees first
// (widening and narrowing), then the expectations. A constraint that moved
// between the expectations and the schema proper changes the guarantees
// and not what is expected overall; such a change says so.
func CompareSchemas(old, new *jsonschema.Schema) []Change {
	g := newComparer(guaranteed)
	g.cmp("", flatten(old, guaranteed), flatten(new, guaranteed))
	e := newComparer(expected)
	e.cmp("", flatten(old, expected), flatten(new, expected))
	key := func(c Change) string { return c.Pointer + "\x00" + c.Keyword }
	inG, inE := map[string]bool{}, map[string]bool{}
	for _, c := range g.out {
		inG[key(c)] = true
	}
	for _, c := range e.out {
		inE[key(c)] = true
	}
	var out []Change
	for _, c := range g.out {
		if !inE[key(c)] {
			switch {
			case c.Has(Narrowing) && !c.Has(Widening):
				c.Message += " (an expectation promoted to a guarantee)"
			case c.Has(Widening) && !c.Has(Narrowing):
				c.Message += " (a guarantee demoted to an expectation)"
			}
		}
		out = append(out, c)
	}
	for _, c := range e.out {
		if inG[key(c)] {
			continue
		}
		c.Classes = []Class{Expectation}
		c.Message = "expectation: " + c.Message
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Pointer < out[j].Pointer })
	return out
}

// Summary counts changes per class.
func (r *Result) Summary() map[Class]int {
	m := map[Class]int{}
	for _, c := range AllClasses {
		m[c] = 0
	}
	for _, ch := range r.Changes {
		for _, c := range ch.Classes {
			m[c]++
		}
	}
	return m
}

// Fails tells whether a change of one of the classes was found.
func (r *Result) Fails(classes []Class) bool {
	for _, ch := range r.Changes {
		for _, c := range classes {
			if ch.Has(c) {
				return true
			}
		}
	}
	return false
}

// specContract is a Contract over providers read by internal/contract.
type specContract struct {
	providers map[string]*contract.Provider
	names     []string
	compilers map[string]*jsonschema.Compiler
	root      string // shown before each provider's document path
}

// FromProviders returns the contract of loaded providers; root is shown
// before their document paths in reports.
func FromProviders(root string, ps []*contract.Provider) (Contract, error) {
	sc := &specContract{providers: map[string]*contract.Provider{}, compilers: map[string]*jsonschema.Compiler{}, root: root}
	for _, p := range ps {
		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft2020
		c.LoadURL = func(u string) (io.ReadCloser, error) {
			return nil, fmt.Errorf("schema %q is not part of the spec", u)
		}
		c.RegisterExtension(ExpectKeyword, expectMeta, expectCompiler{})
		contracttest.RegisterSecretKeyword(c)
		for _, f := range p.Schemas {
			if err := c.AddResource(f.ID, strings.NewReader(string(f.Raw))); err != nil {
				return nil, &contract.Error{File: f.Path, Err: fmt.Errorf("add schema: %w", err)}
			}
		}
		sc.providers[p.Name] = p
		sc.compilers[p.Name] = c
		sc.names = append(sc.names, p.Name)
	}
	sort.Strings(sc.names)
	return sc, nil
}

func (s *specContract) Providers() []string { return s.names }

func (s *specContract) Events(provider string) []string {
	p := s.providers[provider]
	if p == nil {
		return nil
	}
	var out []string
	for _, e := range p.Events {
		out = append(out, e.Name)
	}
	sort.Strings(out)
	return out
}

func (s *specContract) EventSchema(provider, event string) (*jsonschema.Schema, error) {
	p := s.providers[provider]
	if p == nil {
		return nil, fmt.Errorf("unknown provider %q", provider)
	}
	e := p.Event(event)
	if e == nil {
		return nil, fmt.Errorf("%s: unknown event %q", p.DocPath, event)
	}
	sch, err := s.compilers[provider].Compile(e.Schema)
	if err != nil {
		return nil, &contract.Error{File: p.DocPath, Pointer: e.Pointer, Err: fmt.Errorf("compile schema of event %q: %w", event, err)}
	}
	return sch, nil
}

func (s *specContract) BareSchema(provider, event string) (*jsonschema.Schema, error) {
	p := s.providers[provider]
	if p == nil {
		return nil, fmt.Errorf("unknown provider %q", provider)
	}
	e := p.Event(event)
	if e == nil || e.Bare == "" {
		return nil, nil
	}
	sch, err := s.compilers[provider].Compile(e.Bare)
	if err != nil {
		return nil, &contract.Error{File: p.DocPath, Pointer: e.Pointer + "/x-hookcontract-bare", Err: fmt.Errorf("compile bare schema of event %q: %w", event, err)}
	}
	return sch, nil
}

func (s *specContract) GoAPI(provider string) (*types.Package, error) {
	p := s.providers[provider]
	if p == nil {
		return nil, fmt.Errorf("unknown provider %q", provider)
	}
	return generatedAPI(p)
}

func (s *specContract) DocPath(provider string) string {
	p := s.providers[provider]
	if p == nil {
		return ""
	}
	if s.root == "" {
		return p.DocPath
	}
	return s.root + "/" + p.DocPath
}
