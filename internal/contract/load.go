// Package contract reads a spec directory (see specs/LAYOUT.md) into a model
// shared by the contract test runner, the generator and the spec tests:
// providers, their events and where each event's schema lives, the
// discriminators declared in x-hookcontract, the schema files under their
// $id, the fixtures and the required coverage.
package contract

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"gopkg.in/yaml.v3"
)

// Spec is a loaded spec directory.
type Spec struct {
	Providers []*Provider // sorted by name
	Coverage  Coverage    // nil when the directory has no coverage.yaml
}

// Provider returns the provider called name, or nil.
func (s *Spec) Provider(name string) *Provider {
	for _, p := range s.Providers {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Provider is one provider's contract.
type Provider struct {
	Name     string         // folder name, equal to x-hookcontract.provider
	Dir      string         // folder of the document inside the spec directory
	DocPath  string         // "salesiq/openapi.yaml"
	Doc      *openapi3.T    // loaded and validated by kin-openapi, references resolved
	Ext      Extension      // x-hookcontract
	Events   []*Event       // webhooks and recognised requests, sorted by name
	Schemas  []*SchemaFile  // sorted by path
	Fixtures *Fixtures      // nil when examples/fixtures.yaml is absent
	Security []*Signature   // signature profiles declared by security schemes, sorted by scheme name
	byPath   map[string]int // schema path -> index in Schemas
	fsys     fs.FS
	raw      []byte // the document as read
	inferred bool   // x-hookcontract was absent; the event pointer was inferred
}

// Event returns the event called name, or nil.
func (p *Provider) Event(name string) *Event {
	for _, e := range p.Events {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// SchemaByID returns the schema file whose $id is id (without fragment), or nil.
func (p *Provider) SchemaByID(id string) *SchemaFile {
	for _, s := range p.Schemas {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Extension is the x-hookcontract object at the root of openapi.yaml.
type Extension struct {
	Provider string       `json:"provider"`
	Event    EventPointer `json:"event"`
	Requests []Request    `json:"requests,omitempty"`
	Dedupe   []string     `json:"dedupe,omitempty"`
}

// EventPointer says where a delivered body carries its event name.
type EventPointer struct {
	Pointer   string `json:"pointer"`
	Qualifier string `json:"qualifier,omitempty"`
}

// Request is a request body the tools recognise besides webhooks.
type Request struct {
	OperationID string `json:"operationId"`
	Present     string `json:"present"`
}

// Event kinds.
const (
	KindWebhook = "webhook"
	KindRequest = "request"
)

// Event is one payload kind of a provider: a webhook keyed by its event name,
// or a request body keyed by its operationId.
type Event struct {
	Name        string
	Kind        string // KindWebhook or KindRequest
	Schema      string // absolute schema URI, with fragment when the ref has one
	Bare        string // absolute schema URI of the bare form, "" when none
	Pointer     string // JSON pointer of the operation in openapi.yaml
	Security    []string
	OperationID string
}

// SchemaFile is one JSON Schema document.
type SchemaFile struct {
	Path string // "salesiq/schemas/visitor.json"
	ID   string // its $id
	Raw  []byte
}

// Signature is a security scheme's x-hookcontract-signature profile.
type Signature struct {
	Scheme       string            `json:"-"`
	Profile      string            `json:"profile"`
	Header       string            `json:"header,omitempty"`
	Encoding     string            `json:"encoding,omitempty"`
	Headers      map[string]string `json:"headers,omitempty"`
	Tolerance    string            `json:"tolerance,omitempty"`
	SecretPrefix string            `json:"secretPrefix,omitempty"`
}

// Fixtures is examples/fixtures.yaml.
type Fixtures struct {
	Path    string     `yaml:"-"`
	Valid   []*Fixture `yaml:"valid"`
	Invalid []*Fixture `yaml:"invalid"`
	Drift   []*Fixture `yaml:"drift"` // conform, but break the expectations listed under expect
}

// Fixture forms.
const (
	FormEnvelope = "envelope"
	FormBare     = "bare"
	FormRequest  = "request"
)

// Fixture is one fixture file with its event and expected outcome.
type Fixture struct {
	File   string        `yaml:"file"`
	Event  string        `yaml:"event"`
	Form   string        `yaml:"form"`
	Covers []string      `yaml:"covers"`
	Expect []Expectation `yaml:"expect"`
	Note   string        `yaml:"note"`
	Path   string        `yaml:"-"` // "salesiq/examples/valid/x.json"
}

// Expectation is one violation an invalid (or drift) fixture must report.
type Expectation struct {
	Pointer string `yaml:"pointer"`
	Keyword string `yaml:"keyword"`
}

// Coverage is coverage.yaml: required events and cases per provider.
type Coverage map[string]*ProviderCoverage

// ProviderCoverage lists what one provider's spec must cover.
type ProviderCoverage struct {
	Events []string `yaml:"events"`
	Cases  []string `yaml:"cases"`
}

// Error is a spec error located in a file.
type Error struct {
	File    string // path inside the spec directory
	Line    int    // 0 when unknown
	Pointer string // JSON pointer inside the file, "" when unknown
	Err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Pointer != "" {
		fmt.Fprintf(&b, " at %s", e.Pointer)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// Load reads the spec directory fsys. Every provider folder (a folder with an
// openapi.yaml) is loaded with kin-openapi, validated as OpenAPI 3.1 with its
// references resolved, and read into the model.
func Load(fsys fs.FS) (*Spec, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("read spec directory: %w", err)
	}
	s := &Spec{}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if _, err := fs.Stat(fsys, path.Join(e.Name(), "openapi.yaml")); err != nil {
			continue
		}
		p, err := loadDoc(fsys, path.Join(e.Name(), "openapi.yaml"), e.Name(), true)
		if err != nil {
			return nil, err
		}
		s.Providers = append(s.Providers, p)
	}
	if len(s.Providers) == 0 {
		return nil, errors.New("spec directory holds no provider folder with an openapi.yaml")
	}
	if data, err := fs.ReadFile(fsys, "coverage.yaml"); err == nil {
		var cov Coverage
		if err := decodeYAMLStrict(data, &cov); err != nil {
			return nil, &Error{File: "coverage.yaml", Err: err}
		}
		s.Coverage = cov
	}
	return s, nil
}

// LoadFile reads one provider's OpenAPI document at docPath in fsys (a
// user's own spec). Schema files it references are read from fsys; schemas
// under #/components/schemas are read from the document itself. Without an
// x-hookcontract extension, the event pointer is inferred: the top-level
// member every webhook's schema pins to its own name with const.
func LoadFile(fsys fs.FS, docPath string) (*Provider, error) {
	docPath = path.Clean(docPath)
	name := path.Base(path.Dir(docPath))
	if name == "." || name == "/" {
		name = strings.TrimSuffix(path.Base(docPath), path.Ext(docPath))
	}
	return loadDoc(fsys, docPath, name, false)
}

func loadDoc(fsys fs.FS, docPath, name string, requireExt bool) (*Provider, error) {
	p := &Provider{Name: name, Dir: path.Dir(docPath), DocPath: docPath, byPath: map[string]int{}, fsys: fsys}
	if err := p.loadSchemas(fsys); err != nil {
		return nil, err
	}
	raw, err := fs.ReadFile(fsys, p.DocPath)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p.DocPath, err)
	}
	p.raw = raw
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	loader.ReadFromURIFunc = func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		if u.Scheme != "" || u.Host != "" {
			return nil, fmt.Errorf("reference %q leaves the spec directory", u.String())
		}
		return fs.ReadFile(fsys, path.Clean(strings.TrimPrefix(u.Path, "/")))
	}
	doc, err := loader.LoadFromDataWithPath(raw, &url.URL{Path: p.DocPath})
	if err != nil {
		e := &Error{File: p.DocPath, Err: fmt.Errorf("load OpenAPI document: %w", err)}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			// A reference to a file that is not there: point at the $ref.
			e.Line = lineContaining(raw, path.Base(pe.Path))
			e.Err = fmt.Errorf("$ref to %s: %w", pe.Path, pe.Err)
		}
		return nil, e
	}
	if !doc.IsOpenAPI31OrLater() {
		return nil, &Error{File: p.DocPath, Line: lineOf(raw, "/openapi"), Pointer: "/openapi", Err: fmt.Errorf("expected OpenAPI 3.1, found %q", doc.OpenAPI)}
	}
	// Examples are fixtures referenced by externalValue; kin-openapi would
	// check their empty inline value. The spec tests check every example
	// with the reference validator instead.
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		return nil, &Error{File: p.DocPath, Err: fmt.Errorf("invalid OpenAPI 3.1 document: %w", err)}
	}
	p.Doc = doc
	if _, ok := doc.Extensions["x-hookcontract"]; ok || requireExt {
		if err := p.readExtension(raw); err != nil {
			return nil, err
		}
	} else {
		p.Ext.Provider, p.inferred = p.Name, true
	}
	if err := p.readEvents(raw); err != nil {
		return nil, err
	}
	if p.inferred {
		if err := p.inferEventPointer(); err != nil {
			return nil, &Error{File: p.DocPath, Pointer: "/x-hookcontract", Err: err}
		}
	}
	if err := p.readSecurity(raw); err != nil {
		return nil, err
	}
	if err := p.loadFixtures(fsys); err != nil {
		return nil, err
	}
	return p, nil
}

// SchemaBase is the $id prefix given to schema files that declare none.
const SchemaBase = "https://hookcontract.dev/local/"

func (p *Provider) loadSchemas(fsys fs.FS) error {
	dir := path.Join(p.Dir, "schemas")
	err := fs.WalkDir(fsys, dir, func(fp string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && fp == dir {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() || path.Ext(fp) != ".json" {
			return nil
		}
		raw, err := fs.ReadFile(fsys, fp)
		if err != nil {
			return err
		}
		var head struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			return &Error{File: fp, Err: fmt.Errorf("not a JSON Schema document: %w", err)}
		}
		id := head.ID
		if id == "" {
			id = SchemaBase + fp
		}
		u, err := url.Parse(id)
		if err != nil || !u.IsAbs() || u.Fragment != "" {
			return &Error{File: fp, Pointer: "/$id", Err: fmt.Errorf("expected an absolute URI without fragment as $id, found %q", id)}
		}
		for _, other := range p.Schemas {
			if other.ID == id {
				return &Error{File: fp, Pointer: "/$id", Err: fmt.Errorf("$id %q is also the $id of %s", id, other.Path)}
			}
		}
		p.byPath[fp] = len(p.Schemas)
		p.Schemas = append(p.Schemas, &SchemaFile{Path: fp, ID: id, Raw: raw})
		return nil
	})
	if err != nil {
		return fmt.Errorf("read schemas of %s: %w", p.Name, err)
	}
	return nil
}

func (p *Provider) readExtension(raw []byte) error {
	x, ok := p.Doc.Extensions["x-hookcontract"]
	if !ok {
		return &Error{File: p.DocPath, Pointer: "/x-hookcontract", Err: errors.New("expected an x-hookcontract object declaring where the event name lives")}
	}
	line := lineOf(raw, "/x-hookcontract")
	if err := remarshal(x, &p.Ext); err != nil {
		return &Error{File: p.DocPath, Line: line, Pointer: "/x-hookcontract", Err: err}
	}
	if p.Ext.Provider != p.Name && p.Dir == p.Name {
		return &Error{File: p.DocPath, Line: line, Pointer: "/x-hookcontract/provider", Err: fmt.Errorf("expected the folder name %q, found %q", p.Name, p.Ext.Provider)}
	}
	if !validPointer(p.Ext.Event.Pointer) || p.Ext.Event.Pointer == "" {
		return &Error{File: p.DocPath, Line: line, Pointer: "/x-hookcontract/event/pointer", Err: fmt.Errorf("expected a JSON pointer such as /event, found %q", p.Ext.Event.Pointer)}
	}
	if q := p.Ext.Event.Qualifier; q != "" && !validPointer(q) {
		return &Error{File: p.DocPath, Line: line, Pointer: "/x-hookcontract/event/qualifier", Err: fmt.Errorf("expected a JSON pointer, found %q", q)}
	}
	for i, r := range p.Ext.Requests {
		if !validPointer(r.Present) || r.Present == "" || r.OperationID == "" {
			return &Error{File: p.DocPath, Line: line, Pointer: fmt.Sprintf("/x-hookcontract/requests/%d", i), Err: errors.New("expected operationId and a JSON pointer in present")}
		}
	}
	for i, d := range p.Ext.Dedupe {
		if !strings.HasPrefix(d, "header:") && !validPointer(d) {
			return &Error{File: p.DocPath, Line: line, Pointer: fmt.Sprintf("/x-hookcontract/dedupe/%d", i), Err: fmt.Errorf("expected a JSON pointer or header:NAME, found %q", d)}
		}
	}
	return nil
}

func (p *Provider) readEvents(raw []byte) error {
	names := make([]string, 0, len(p.Doc.Webhooks))
	for n := range p.Doc.Webhooks {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ptr := "/webhooks/" + EscapeToken(n) + "/post"
		item := p.Doc.Webhooks[n]
		if item == nil || item.Post == nil {
			return &Error{File: p.DocPath, Line: lineOf(raw, "/webhooks/"+EscapeToken(n)), Pointer: "/webhooks/" + EscapeToken(n), Err: errors.New("expected a post operation")}
		}
		ev, err := p.eventFromOperation(raw, n, KindWebhook, ptr, item.Post)
		if err != nil {
			return err
		}
		p.Events = append(p.Events, ev)
	}
	for i, r := range p.Ext.Requests {
		var found *openapi3.Operation
		var ptr string
		for _, pth := range p.Doc.Paths.InMatchingOrder() {
			for method, op := range p.Doc.Paths.Value(pth).Operations() {
				if op.OperationID == r.OperationID {
					found, ptr = op, "/paths/"+EscapeToken(pth)+"/"+strings.ToLower(method)
				}
			}
		}
		if found == nil {
			return &Error{File: p.DocPath, Line: lineOf(raw, "/x-hookcontract"), Pointer: fmt.Sprintf("/x-hookcontract/requests/%d/operationId", i), Err: fmt.Errorf("expected the operationId of an operation under paths, found %q", r.OperationID)}
		}
		ev, err := p.eventFromOperation(raw, r.OperationID, KindRequest, ptr, found)
		if err != nil {
			return err
		}
		p.Events = append(p.Events, ev)
	}
	sort.Slice(p.Events, func(i, j int) bool { return p.Events[i].Name < p.Events[j].Name })
	for i := 1; i < len(p.Events); i++ {
		if p.Events[i].Name == p.Events[i-1].Name {
			return &Error{File: p.DocPath, Err: fmt.Errorf("event name %q is both a webhook and a request", p.Events[i].Name)}
		}
	}
	return nil
}

func (p *Provider) eventFromOperation(raw []byte, name, kind, ptr string, op *openapi3.Operation) (*Event, error) {
	fail := func(sub string, err error) error {
		return &Error{File: p.DocPath, Line: lineOf(raw, ptr+sub), Pointer: ptr + sub, Err: err}
	}
	if op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil, fail("", errors.New("expected a requestBody"))
	}
	mt := op.RequestBody.Value.Content.Get("application/json")
	if mt == nil || mt.Schema == nil {
		return nil, fail("/requestBody", errors.New("expected content application/json with a schema"))
	}
	if mt.Schema.Ref == "" {
		return nil, fail("/requestBody/content/application~1json/schema", errors.New("expected a $ref to a file under schemas/"))
	}
	uri, err := p.resolveRef(mt.Schema.Ref)
	if err != nil {
		return nil, fail("/requestBody/content/application~1json/schema/$ref", err)
	}
	ev := &Event{Name: name, Kind: kind, Schema: uri, Pointer: ptr, OperationID: op.OperationID}
	if b, ok := op.Extensions["x-hookcontract-bare"]; ok {
		ref, ok := b.(string)
		if !ok {
			return nil, fail("/x-hookcontract-bare", fmt.Errorf("expected a path such as schemas/entity.json, found %T", b))
		}
		if ev.Bare, err = p.resolveRef(ref); err != nil {
			return nil, fail("/x-hookcontract-bare", err)
		}
	}
	if op.Security != nil {
		for _, req := range *op.Security {
			for n := range req {
				ev.Security = append(ev.Security, n)
			}
		}
	} else {
		for _, req := range p.Doc.Security {
			for n := range req {
				ev.Security = append(ev.Security, n)
			}
		}
	}
	sort.Strings(ev.Security)
	ev.Security = slices.Compact(ev.Security)
	return ev, nil
}

// resolveRef turns a reference written in openapi.yaml (relative to it) into
// the absolute URI of the schema it names.
func (p *Provider) resolveRef(ref string) (string, error) {
	file, frag, _ := strings.Cut(ref, "#")
	fp := p.DocPath
	if file != "" {
		fp = path.Clean(path.Join(p.Dir, file))
	}
	i, ok := p.byPath[fp]
	if !ok {
		if err := p.addSchemaFile(fp); err != nil {
			return "", fmt.Errorf("reference %q: %w", ref, err)
		}
		i = p.byPath[fp]
	}
	if frag != "" {
		return p.Schemas[i].ID + "#" + frag, nil
	}
	return p.Schemas[i].ID, nil
}

// addSchemaFile reads a schema file referenced from the document that is
// not under schemas/, or the document itself (for #/components/schemas).
func (p *Provider) addSchemaFile(fp string) error {
	var raw []byte
	if fp == p.DocPath {
		var doc any
		if err := yaml.Unmarshal(p.raw, &doc); err != nil {
			return fmt.Errorf("read %s as a schema resource: %w", fp, err)
		}
		b, err := json.Marshal(doc)
		if err != nil {
			return fmt.Errorf("read %s as a schema resource: %w", fp, err)
		}
		raw = b
	} else {
		b, err := fs.ReadFile(p.fsys, fp)
		if err != nil {
			return fmt.Errorf("expected the schema file %s: %w", fp, unwrapPath(err))
		}
		raw = b
	}
	var head struct {
		ID string `json:"$id"`
	}
	if fp != p.DocPath {
		if err := json.Unmarshal(raw, &head); err != nil {
			return &Error{File: fp, Err: fmt.Errorf("not a JSON Schema document: %w", err)}
		}
	}
	id := head.ID
	if id == "" {
		id = SchemaBase + fp
	}
	p.byPath[fp] = len(p.Schemas)
	p.Schemas = append(p.Schemas, &SchemaFile{Path: fp, ID: id, Raw: raw})
	return nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (p *Provider) readSecurity(raw []byte) error {
	if p.Doc.Components == nil {
		return nil
	}
	names := make([]string, 0, len(p.Doc.Components.SecuritySchemes))
	for n := range p.Doc.Components.SecuritySchemes {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		ss := p.Doc.Components.SecuritySchemes[n]
		if ss == nil || ss.Value == nil {
			continue
		}
		x, ok := ss.Value.Extensions["x-hookcontract-signature"]
		if !ok {
			continue
		}
		ptr := "/components/securitySchemes/" + EscapeToken(n) + "/x-hookcontract-signature"
		sig := &Signature{Scheme: n}
		if err := remarshal(x, sig); err != nil {
			return &Error{File: p.DocPath, Line: lineOf(raw, ptr), Pointer: ptr, Err: err}
		}
		switch sig.Profile {
		case "rsa-pkcs1v15-sha256", "hmac-sha256":
			if sig.Header == "" {
				return &Error{File: p.DocPath, Line: lineOf(raw, ptr), Pointer: ptr + "/header", Err: fmt.Errorf("profile %s expects a header", sig.Profile)}
			}
		case "standard-webhooks":
			for _, k := range []string{"id", "timestamp", "signature"} {
				if sig.Headers[k] == "" {
					return &Error{File: p.DocPath, Line: lineOf(raw, ptr), Pointer: ptr + "/headers/" + k, Err: errors.New("profile standard-webhooks expects headers id, timestamp and signature")}
				}
			}
		case "custom":
		default:
			return &Error{File: p.DocPath, Line: lineOf(raw, ptr), Pointer: ptr + "/profile", Err: fmt.Errorf("expected one of rsa-pkcs1v15-sha256, standard-webhooks, hmac-sha256, custom; found %q", sig.Profile)}
		}
		p.Security = append(p.Security, sig)
	}
	return nil
}

func (p *Provider) loadFixtures(fsys fs.FS) error {
	fp := path.Join(p.Dir, "examples", "fixtures.yaml")
	data, err := fs.ReadFile(fsys, fp)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", fp, err)
	}
	fx := &Fixtures{Path: fp}
	if err := decodeYAMLStrict(data, fx); err != nil {
		return &Error{File: fp, Err: err}
	}
	check := func(list []*Fixture, group string) error {
		for i, f := range list {
			ptr := fmt.Sprintf("/%s/%d", group, i)
			f.Path = path.Join(p.Dir, "examples", f.File)
			if f.File == "" || !strings.HasPrefix(f.File, group+"/") {
				return &Error{File: fp, Pointer: ptr + "/file", Err: fmt.Errorf("expected a file under %s/, found %q", group, f.File)}
			}
			if f.Form == "" {
				f.Form = FormEnvelope
				if ev := p.Event(f.Event); ev != nil && ev.Kind == KindRequest {
					f.Form = FormRequest
				}
			}
			switch f.Form {
			case FormEnvelope, FormBare, FormRequest:
			default:
				return &Error{File: fp, Pointer: ptr + "/form", Err: fmt.Errorf("expected envelope, bare or request, found %q", f.Form)}
			}
			if f.Event != "" && p.Event(f.Event) == nil {
				return &Error{File: fp, Pointer: ptr + "/event", Err: fmt.Errorf("event %q is not declared in %s", f.Event, p.DocPath)}
			}
			if f.Form != FormEnvelope && f.Event == "" {
				return &Error{File: fp, Pointer: ptr + "/event", Err: fmt.Errorf("a %s fixture must name its event", f.Form)}
			}
			if group == "valid" && len(f.Expect) > 0 {
				return &Error{File: fp, Pointer: ptr + "/expect", Err: errors.New("a valid fixture expects no violation")}
			}
			if group != "valid" && len(f.Expect) == 0 {
				return &Error{File: fp, Pointer: ptr + "/expect", Err: fmt.Errorf("a fixture under %s must record the violations it expects", group)}
			}
		}
		return nil
	}
	if err := check(fx.Valid, "valid"); err != nil {
		return err
	}
	if err := check(fx.Invalid, "invalid"); err != nil {
		return err
	}
	if err := check(fx.Drift, "drift"); err != nil {
		return err
	}
	p.Fixtures = fx
	return nil
}

func decodeYAMLStrict(data []byte, v any) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode YAML: %w", err)
	}
	return nil
}

func remarshal(in, out any) error {
	b, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return nil
}

func validPointer(p string) bool {
	return p == "" || strings.HasPrefix(p, "/")
}

// EscapeToken escapes a member name as a JSON pointer token (RFC 6901).
func EscapeToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// lineOf returns the line of the YAML (or JSON) node at pointer in doc, or 0.
func lineOf(doc []byte, pointer string) int {
	var root yaml.Node
	if yaml.Unmarshal(doc, &root) != nil || len(root.Content) == 0 {
		return 0
	}
	n := root.Content[0]
	if pointer == "" {
		return n.Line
	}
	for _, tok := range SplitPointer(pointer) {
		var next *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == tok {
					next = n.Content[i+1]
					if next.Kind == yaml.ScalarNode {
						next = n.Content[i] // point at the key of a scalar
					}
					break
				}
			}
		case yaml.SequenceNode:
			var idx int
			if _, err := fmt.Sscanf(tok, "%d", &idx); err == nil && idx >= 0 && idx < len(n.Content) {
				next = n.Content[idx]
			}
		}
		if next == nil {
			return n.Line
		}
		n = next
	}
	return n.Line
}

// Operation returns the OpenAPI operation that declares e.
func (p *Provider) Operation(e *Event) *openapi3.Operation {
	if e.Kind == KindWebhook {
		if item := p.Doc.Webhooks[e.Name]; item != nil {
			return item.Post
		}
		return nil
	}
	for _, pth := range p.Doc.Paths.InMatchingOrder() {
		for _, op := range p.Doc.Paths.Value(pth).Operations() {
			if op.OperationID == e.Name {
				return op
			}
		}
	}
	return nil
}

// ReadFile reads a file of the spec directory (a fixture, say) by the path
// the model gives it.
func (p *Provider) ReadFile(name string) ([]byte, error) {
	return fs.ReadFile(p.fsys, name)
}

// ResolveRef turns a reference written in the OpenAPI document (relative to
// it) into the absolute URI of the schema it names.
func (p *Provider) ResolveRef(ref string) (string, error) { return p.resolveRef(ref) }

// lineContaining returns the first line of doc that contains needle, or 0.
func lineContaining(doc []byte, needle string) int {
	for i, l := range strings.Split(string(doc), "\n") {
		if strings.Contains(l, needle) {
			return i + 1
		}
	}
	return 0
}
