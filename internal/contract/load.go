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
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
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
	raw      []byte     // the document as read
	inferred bool       // x-hookcontract was absent; the event pointer was inferred
	config   *ConfigRef // where the configuration declares the package, nil when unknown
	catalog  bool       // a JSON Schema catalog read by LoadCatalog
	// catalogDir and catalogExamples are a catalog's folder and its
	// example files by event (CatalogOptions.Examples).
	catalogDir      string
	catalogDialect  string
	catalogExamples map[string][]string
	tree            map[string]any // the document as JSON values, 3.0 schemas rewritten
	resolver        *Schemas
	nodes           *yaml.Node            // the document parsed for positions, when one was needed
	fileNodes       map[string]*yaml.Node // the other files parsed for positions (Locate)
	// OAS30 is set for an OpenAPI 3.0 document, read with 3.0 semantics.
	OAS30 bool
	// Warnings are problems that did not stop loading, each as
	// "file:line:col: pointer: message".
	Warnings []string
}

// Resolver returns the provider's schema documents decoded, for resolving
// $ref: the one resolver the generator, inference and reference checks use.
func (p *Provider) Resolver() (*Schemas, error) {
	if p.resolver != nil {
		return p.resolver, nil
	}
	s := NewSchemas()
	for _, f := range p.Schemas {
		if err := s.Add(f.ID, f.Path, f.Raw); err != nil {
			return nil, err
		}
	}
	p.resolver = s
	return s, nil
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
	Pointer string `json:"pointer"`
	// Pointers, when the webhooks carry their event name at more than one
	// place, lists every place in the order detection tries them (Pointer
	// first): the first that names a known event wins, and two places
	// naming different known events make the body ambiguous.
	Pointers  []string `json:"pointers,omitempty"`
	Qualifier string   `json:"qualifier,omitempty"`
	// Header is the request header that carries the event name, when the
	// body does not (or not alone): the older spelling of a "header:NAME"
	// location, tried first.
	Header string `json:"header,omitempty"`
	// Separator joins a qualified header's value and its qualifier into
	// the event name (issues + - + opened is issues-opened): inferred from
	// the webhook keys, DefaultSeparator when they do not say.
	Separator string `json:"separator,omitempty"`
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
	Name        string // on the wire
	Key         string // the webhook key, callback name or operationId that declares it
	Summary     string // the operation's summary or description
	Kind        string // KindWebhook or KindRequest
	Schema      string // absolute schema URI, with fragment when the ref has one
	Bare        string // absolute schema URI of the bare form, "" when none
	Pointer     string // JSON pointer of the operation in openapi.yaml
	Security    []string
	OperationID string
	Headers     []string // header parameters the operation declares
	MediaType   string   // JSON pointer of the request body's media type object, "" when none
	// Unnamed: the webhook's body has none of the provider's event
	// locations, so a delivery is told only by its route (ParseEvent); a
	// body without an event name that its schema accepts is acknowledged
	// as an unknown event, never refused.
	Unnamed bool
	// NameOptional: the webhook's body declares the event member but does
	// not require it (Remote's incentive.created may omit /event_type).
	NameOptional bool
}

// MayOmitName reports whether a body of e may carry no event name (Unnamed
// or NameOptional). The runner and the generated handler apply one rule to
// a body that names no event: the only such webhook whose schema accepts it
// is its event; when several accept it, it is acknowledged as an unknown
// event; when none does, it is refused.
func (e *Event) MayOmitName() bool { return e.Unnamed || e.NameOptional }

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
	Col     int    // 0 when unknown
	Pointer string // JSON pointer inside the file, "" when unknown
	Err     error
}

// Error renders file:line:col: pointer: message, the form editors jump to.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
		if e.Col > 0 {
			fmt.Fprintf(&b, ":%d", e.Col)
		}
	}
	if e.Pointer != "" {
		fmt.Fprintf(&b, ": %s", e.Pointer)
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
		p, err := loadDoc(fsys, path.Join(e.Name(), "openapi.yaml"), e.Name(), LoadOptions{specDir: true})
		if err != nil {
			return nil, err
		}
		s.Providers = append(s.Providers, p)
	}
	if len(s.Providers) == 0 {
		return nil, errors.New("spec directory holds no provider folder with an openapi.yaml")
	}
	if data, err := readSpecFile(fsys, "coverage.yaml"); err == nil {
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
	return LoadFileWith(fsys, docPath, LoadOptions{})
}

// LoadFileWith is LoadFile with what the document does not say given in
// opts (an event map for a components-only document, say).
func LoadFileWith(fsys fs.FS, docPath string, opts LoadOptions) (*Provider, error) {
	docPath = path.Clean(docPath)
	name := path.Base(path.Dir(docPath))
	if name == "." || name == "/" {
		name = strings.TrimSuffix(path.Base(docPath), path.Ext(docPath))
	}
	return loadDoc(fsys, docPath, name, opts)
}

// LoadOptions say what a document itself does not.
type LoadOptions struct {
	// Events maps event names to the schema of their body, as a reference
	// relative to the document ("#/components/schemas/Created",
	// "schemas/created.json"): for components-only documents, and in
	// addition to the webhooks a document declares.
	Events map[string]string
	// EventPointer is where a body carries its event name; inferred when
	// empty.
	EventPointer string
	// EventPointers lists every place a body may carry its event name, in
	// the order detection tries them (EventPointer, if set, is the first).
	EventPointers []string
	// EventHeader is the request header that carries the event name.
	EventHeader string
	// Config, when set, is where the options above are written: errors
	// about them name that file, line and pointer.
	Config  *ConfigRef
	catalog bool // a JSON Schema catalog (LoadCatalog)
	// catalogDialect is the $schema given to catalog files without one.
	catalogDialect string
	specDir        bool // a provider folder of a spec directory (Load)
}

func loadDoc(fsys fs.FS, docPath, name string, opts LoadOptions) (*Provider, error) {
	p := &Provider{Name: name, Dir: path.Dir(docPath), DocPath: docPath, byPath: map[string]int{}, fsys: fsys, catalog: opts.catalog, catalogDialect: opts.catalogDialect, config: opts.Config}
	if err := p.loadSchemas(fsys); err != nil {
		return nil, err
	}
	raw, err := readSpecFile(fsys, p.DocPath)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p.DocPath, err)
	}
	p.raw = raw
	tree, err := decodeDocument(raw)
	if err != nil {
		return nil, &Error{File: p.DocPath, Err: err}
	}
	root, ok := tree.(map[string]any)
	if !ok {
		return nil, &Error{File: p.DocPath, Err: errors.New("expected an OpenAPI document (a JSON or YAML object)")}
	}
	// A document with x-hookcontract is one of ours (or written for this
	// tool): OpenAPI 3.1, and every problem stops loading. Without it, the
	// document is a vendor's as published: 3.0 or 3.1, its event
	// inferred, problems no payload needs reported as warnings.
	_, requireExt := root["x-hookcontract"]
	version, _ := root["openapi"].(string)
	switch {
	case strings.HasPrefix(version, "3.1"):
	case strings.HasPrefix(version, "3.0") && !requireExt:
		p.OAS30 = true
		RewriteOAS30(root)
	case requireExt:
		return nil, p.errAt("/openapi", fmt.Errorf("expected OpenAPI 3.1, found %q", version))
	default:
		return nil, p.errAt("/openapi", fmt.Errorf("expected OpenAPI 3.0 or 3.1, found %q", version))
	}
	p.tree = root
	// Broken references in the schema files are reported at each $ref,
	// before kin-openapi would report one from the document that led it
	// there. In a spec directory, or a document written for this tool,
	// they stop loading; in a vendor's document, they are warnings (a
	// webhook that reaches one still fails to compile).
	if errs := p.brokenRefs(); len(errs) > 0 {
		if requireExt || opts.specDir {
			return nil, errors.Join(errs...)
		}
		for _, e := range errs {
			p.warn(e)
		}
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	loader.ReadFromURIFunc = func(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
		if u.Scheme != "" || u.Host != "" {
			return nil, fmt.Errorf("reference %q leaves the spec directory", u.String())
		}
		return readSpecFile(fsys, path.Clean(strings.TrimPrefix(u.Path, "/")))
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
		if requireExt {
			return nil, e
		}
		// A user's document that kin-openapi cannot read whole still has
		// payloads; what it could not read (management endpoints,
		// security schemes) is left out, with a warning.
		p.warn(e)
		doc = &openapi3.T{OpenAPI: version}
	} else if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		// Examples are fixtures referenced by externalValue; kin-openapi
		// would check their empty inline value. The spec tests check every
		// example with the reference validator instead.
		errs := p.kinErrors(doc, err)
		if requireExt {
			return nil, errors.Join(errs...)
		}
		// Problems in a user's document that no payload needs do not stop
		// generation: the schemas a webhook reaches are checked by the
		// validator compiler and the reference validator.
		for _, e := range errs {
			p.warn(e)
		}
	}
	p.Doc = doc
	if _, ok := root["x-hookcontract"]; ok || requireExt {
		if err := p.readExtension(raw); err != nil {
			return nil, err
		}
	} else {
		p.Ext.Provider, p.inferred = p.Name, true
		if i, err := checkLocations(opts.EventPointers); err != nil {
			return nil, p.configErr(fmt.Sprintf("/events/pointers/%d", i), fmt.Errorf("events.pointers[%d]: %w", i, err))
		}
		if opts.EventPointer != "" && !strings.HasPrefix(opts.EventPointer, "/") {
			return nil, p.configErr("/events/pointer", fmt.Errorf("events.pointer: expected a JSON pointer such as /type, found %q", opts.EventPointer))
		}
		p.Ext.Event.Header = opts.EventHeader
		p.Ext.Event.Pointers = locationList(opts.EventPointer, opts.EventPointers)
		p.Ext.Event.Pointer = firstBody(opts.EventPointer, p.Ext.Event.Pointers)
	}
	if err := p.readEvents(opts.Events); err != nil {
		return nil, err
	}
	if p.inferred {
		if err := p.inferEvents(); err != nil {
			return nil, err
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

// ConfigRef locates a package's entry in the configuration file that
// declares it (hookcontract.yaml), for errors about what the entry says:
// its event map, where its event name lives.
type ConfigRef struct {
	File    string // the configuration file, as the user named it
	Raw     []byte // its bytes, for lines and columns
	Pointer string // the JSON pointer of the package's entry: /packages/0
}

// configErr is an error about what the configuration declares, at pointer
// inside the package's entry (/events/map/A): at that line of the
// configuration file when it is known; otherwise in the document, or, for
// a catalog (whose document exists only in memory), in its folder.
func (p *Provider) configErr(pointer string, err error) *Error {
	if c := p.config; c != nil {
		line, col := position(c.Raw, c.Pointer+pointer)
		return &Error{File: c.File, Line: line, Col: col, Pointer: c.Pointer + pointer, Err: err}
	}
	if p.catalog {
		return &Error{File: p.Dir, Err: err}
	}
	return &Error{File: p.DocPath, Err: err}
}

// errAt is a spec error at pointer in the document, with its line and
// column. A catalog's document exists only in memory, and says only what
// the configuration does: its errors are the configuration's.
func (p *Provider) errAt(pointer string, err error) *Error {
	if p.catalog {
		return p.configErr("/events", err)
	}
	if p.nodes == nil {
		// Parsed once: a large document may have many problems.
		p.nodes = &yaml.Node{}
		if yaml.Unmarshal(p.raw, p.nodes) != nil {
			p.nodes = &yaml.Node{}
		}
	}
	line, col := positionIn(p.nodes, pointer)
	return &Error{File: p.DocPath, Line: line, Col: col, Pointer: pointer, Err: err}
}

// warn records a problem that does not stop loading.
func (p *Provider) warn(err error) {
	p.Warnings = append(p.Warnings, err.Error())
}

// addDocument registers the document itself as a schema resource, so that
// #/components/schemas/... and inline request bodies resolve in it.
func (p *Provider) addDocument() error {
	b, err := json.Marshal(p.tree)
	if err != nil {
		return &Error{File: p.DocPath, Err: fmt.Errorf("read as a schema resource: %w", err)}
	}
	p.byPath[p.DocPath] = len(p.Schemas)
	p.Schemas = append(p.Schemas, &SchemaFile{Path: p.DocPath, ID: SchemaBase + p.DocPath, Raw: b})
	p.resolver = nil
	return nil
}

// SchemaBase is the $id prefix given to schema files that declare none.
const SchemaBase = "https://hookcontract.dev/local/"

func (p *Provider) loadSchemas(fsys fs.FS) error {
	dir := path.Join(p.Dir, "schemas")
	err := walkJSON(fsys, dir, true, func(fp string, raw []byte) error {
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

// brokenRefs lists every $ref of the provider's schema files that names
// no schema file, or no location inside one, with the file, line and
// column of the reference.
func (p *Provider) brokenRefs() []error {
	s, err := p.Resolver()
	if err != nil {
		return []error{err}
	}
	var out []error
	nodes := map[string]*yaml.Node{} // parsed once per file
	for _, e := range s.brokenRefs() {
		n, ok := nodes[e.File]
		if !ok {
			n = &yaml.Node{}
			if i, ok := p.byPath[e.File]; !ok || yaml.Unmarshal(p.Schemas[i].Raw, n) != nil {
				n = &yaml.Node{}
			}
			nodes[e.File] = n
		}
		e.Line, e.Col = positionIn(n, e.Pointer)
		out = append(out, e)
	}
	return out
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
	ev := &p.Ext.Event
	if !jsonpointer.Valid(ev.Pointer) || ev.Pointer == "" && len(ev.Pointers) == 0 && ev.Header == "" {
		return &Error{File: p.DocPath, Line: line, Pointer: "/x-hookcontract/event/pointer", Err: fmt.Errorf("expected a JSON pointer such as /event, found %q", ev.Pointer)}
	}
	if i, err := checkLocations(ev.Pointers); err != nil {
		return &Error{File: p.DocPath, Line: line, Pointer: fmt.Sprintf("/x-hookcontract/event/pointers/%d", i), Err: err}
	}
	ev.Pointers = locationList(ev.Pointer, ev.Pointers)
	ev.Pointer = firstBody(ev.Pointer, ev.Pointers)
	if q := p.Ext.Event.Qualifier; q != "" && !jsonpointer.Valid(q) {
		return &Error{File: p.DocPath, Line: line, Pointer: "/x-hookcontract/event/qualifier", Err: fmt.Errorf("expected a JSON pointer, found %q", q)}
	}
	for i, r := range p.Ext.Requests {
		if !jsonpointer.Valid(r.Present) || r.Present == "" || r.OperationID == "" {
			return &Error{File: p.DocPath, Line: line, Pointer: fmt.Sprintf("/x-hookcontract/requests/%d", i), Err: errors.New("expected operationId and a JSON pointer in present")}
		}
	}
	for i, d := range p.Ext.Dedupe {
		if !strings.HasPrefix(d, "header:") && !jsonpointer.Valid(d) {
			return &Error{File: p.DocPath, Line: line, Pointer: fmt.Sprintf("/x-hookcontract/dedupe/%d", i), Err: fmt.Errorf("expected a JSON pointer or header:NAME, found %q", d)}
		}
	}
	return nil
}

func (p *Provider) readEvents(declared map[string]string) error {
	ops, errs := webhookOps(p.tree)
	for _, o := range ops {
		ev, err := p.eventFromOperation(o.key, KindWebhook, o.ptr, o.op, o.opPtr)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p.Events = append(p.Events, ev)
	}
	for _, name := range sortedKeys(anyMap(declared)) {
		ref := declared[name]
		uri, err := p.resolveRef(ref)
		if err != nil {
			errs = append(errs, p.configErr("/events/map/"+jsonpointer.Escape(name), fmt.Errorf("event %q: %w", name, err)))
			continue
		}
		if _, ok := p.resolverAt(uri); !ok {
			e := p.configErr("/events/map/"+jsonpointer.Escape(name), fmt.Errorf("event %q: expected a schema at %q, found nothing", name, ref))
			if p.config == nil && !p.catalog {
				e.Pointer = refPointer(ref)
			}
			errs = append(errs, e)
			continue
		}
		p.Events = append(p.Events, &Event{Name: name, Key: name, Kind: KindWebhook, Schema: uri, Pointer: refPointer(ref)})
	}
	for i, r := range p.Ext.Requests {
		var ptr string
		var op map[string]any
		paths, _ := p.tree["paths"].(map[string]any)
		for _, pth := range sortedKeys(paths) {
			item, _ := paths[pth].(map[string]any)
			for _, method := range sortedKeys(item) {
				if m, ok := item[method].(map[string]any); ok && m["operationId"] == r.OperationID {
					op, ptr = m, "/paths/"+jsonpointer.Escape(pth)+"/"+method
				}
			}
		}
		if op == nil {
			errs = append(errs, p.errAt("/x-hookcontract", fmt.Errorf("requests/%d/operationId: expected the operationId of an operation under paths, found %q", i, r.OperationID)))
			continue
		}
		ev, err := p.eventFromOperation(r.OperationID, KindRequest, ptr, op, ptr)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p.Events = append(p.Events, ev)
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if len(p.Events) == 0 {
		return p.errAt("", errors.New("expected webhooks (webhooks, x-webhooks or callbacks) or an event map in the configuration"))
	}
	sort.SliceStable(p.Events, func(i, j int) bool { return p.Events[i].Name < p.Events[j].Name })
	for i := 1; i < len(p.Events); i++ {
		if p.Events[i].Name == p.Events[i-1].Name {
			return &Error{File: p.DocPath, Err: fmt.Errorf("event name %q is declared twice", p.Events[i].Name)}
		}
	}
	return nil
}

func anyMap(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// refPointer is the JSON pointer of a local reference, "" for another file.
func refPointer(ref string) string {
	if strings.HasPrefix(ref, "#") {
		return ref[1:]
	}
	return ""
}

func (p *Provider) resolverAt(uri string) (Node, bool) {
	s, err := p.Resolver()
	if err != nil {
		return Node{}, false
	}
	n, err := s.At(uri)
	return n, err == nil
}

// eventFromOperation reads the event an operation declares: its request
// body's JSON schema (a $ref, or inline in the document), security and
// header parameters.
func (p *Provider) eventFromOperation(key, kind, ptr string, op map[string]any, opPtr string) (*Event, error) {
	fail := func(sub string, err error) error { return p.errAt(ptr+sub, err) }
	rb, rbPtr := deref(p.tree, op["requestBody"], opPtr+"/requestBody")
	rbm, ok := rb.(map[string]any)
	if !ok {
		return nil, fail("", errors.New("expected a requestBody"))
	}
	content, _ := rbm["content"].(map[string]any)
	mt, ok := jsonMediaType(content)
	if !ok {
		return nil, p.errAt(rbPtr, errors.New("expected content application/json with a schema"))
	}
	mtm, _ := content[mt].(map[string]any)
	schema, ok := mtm["schema"].(map[string]any)
	schemaPtr := rbPtr + "/content/" + jsonpointer.Escape(mt) + "/schema"
	if !ok {
		return nil, p.errAt(rbPtr+"/content/"+jsonpointer.Escape(mt), errors.New("expected a schema"))
	}
	var uri string
	if ref, isRef := schema["$ref"].(string); isRef && len(schema) == 1 {
		u, err := p.resolveRef(ref)
		if err != nil {
			return nil, p.errAt(schemaPtr+"/$ref", err)
		}
		uri = u
	} else {
		// An inline schema: its place in the document is its address.
		u, err := p.resolveRef("#" + schemaPtr)
		if err != nil {
			return nil, p.errAt(schemaPtr, err)
		}
		uri = u
	}
	opID, _ := op["operationId"].(string)
	summary, _ := op["summary"].(string)
	if summary == "" {
		summary, _ = op["description"].(string)
	}
	ev := &Event{Name: key, Key: key, Kind: kind, Schema: uri, Pointer: ptr, OperationID: opID, Summary: summary,
		MediaType: rbPtr + "/content/" + jsonpointer.Escape(mt)}
	if b, ok := op["x-hookcontract-bare"]; ok {
		ref, ok := b.(string)
		if !ok {
			return nil, fail("/x-hookcontract-bare", fmt.Errorf("expected a path such as schemas/entity.json, found %T", b))
		}
		u, err := p.resolveRef(ref)
		if err != nil {
			return nil, fail("/x-hookcontract-bare", err)
		}
		ev.Bare = u
	}
	sec, ok := op["security"].([]any)
	if !ok {
		sec, _ = p.tree["security"].([]any)
	}
	for _, req := range sec {
		if m, ok := req.(map[string]any); ok {
			for n := range m {
				ev.Security = append(ev.Security, n)
			}
		}
	}
	sort.Strings(ev.Security)
	ev.Security = slices.Compact(ev.Security)
	params, _ := op["parameters"].([]any)
	for i, prm := range params {
		v, _ := deref(p.tree, prm, fmt.Sprintf("%s/parameters/%d", opPtr, i))
		if m, ok := v.(map[string]any); ok && m["in"] == "header" {
			if n, ok := m["name"].(string); ok {
				ev.Headers = append(ev.Headers, n)
			}
		}
	}
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
	if fp == p.DocPath {
		return p.addDocument()
	}
	raw, err := readSpecFile(p.fsys, fp)
	if err != nil {
		return fmt.Errorf("expected the schema file %s: %w", fp, unwrapPath(err))
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
	if p.catalog {
		if id, raw, err = p.catalogID(fp, id, raw); err != nil {
			return err
		}
	}
	p.byPath[fp] = len(p.Schemas)
	p.Schemas = append(p.Schemas, &SchemaFile{Path: fp, ID: id, Raw: raw})
	p.resolver = nil
	return nil
}

// kinNamed finds the component kin-openapi names in a validation message:
// `schema "Name"`, `path "/x"`, `parameter "p"`, ... (its errors carry no
// structured location).
var kinNamed = regexp.MustCompile(`(?:components: )?(schema|path|parameter|requestBody|response|securityScheme|example|header) "([^"]+)"`)

// kinErrors reports every problem kin-openapi finds, not only the first
// one its document validation stops at: each component schema is
// validated on its own, each problem placed at its schema.
func (p *Provider) kinErrors(doc *openapi3.T, first error) []error {
	if doc.Components == nil || len(doc.Components.Schemas) == 0 {
		return []error{p.kinError(first)}
	}
	var errs []error
	names := make([]string, 0, len(doc.Components.Schemas))
	for n := range doc.Components.Schemas {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		sr := doc.Components.Schemas[n]
		if sr == nil || sr.Value == nil {
			continue
		}
		if err := sr.Value.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
			errs = append(errs, p.errAt("/components/schemas/"+jsonpointer.Escape(n), fmt.Errorf("invalid schema: %w", err)))
		}
	}
	if len(errs) == 0 {
		// The problem is elsewhere than in the component schemas.
		return []error{p.kinError(first)}
	}
	return errs
}

// kinError places a kin-openapi validation error at the node it names,
// where the message names one.
func (p *Provider) kinError(err error) *Error {
	e := &Error{File: p.DocPath, Err: fmt.Errorf("invalid OpenAPI document: %w", err)}
	msg := err.Error()
	sections := map[string]string{"schema": "/components/schemas/", "parameter": "/components/parameters/",
		"requestBody": "/components/requestBodies/", "response": "/components/responses/",
		"securityScheme": "/components/securitySchemes/", "example": "/components/examples/", "header": "/components/headers/"}
	if m := kinNamed.FindStringSubmatch(msg); m != nil {
		ptr := sections[m[1]] + jsonpointer.Escape(m[2])
		if m[1] == "path" {
			ptr = "/paths/" + jsonpointer.Escape(m[2])
		}
		if _, ok := jsonpointer.Lookup(p.tree, ptr); ok {
			e.Pointer = ptr
			e.Line, e.Col = position(p.raw, ptr)
		}
	}
	return e
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
		ptr := "/components/securitySchemes/" + jsonpointer.Escape(n) + "/x-hookcontract-signature"
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
	data, err := readSpecFile(fsys, fp)
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

// lineOf returns the line of the YAML (or JSON) node at pointer in doc, or 0.
func lineOf(doc []byte, pointer string) int {
	l, _ := position(doc, pointer)
	return l
}

// position returns the line and column of the YAML (or JSON) node at
// pointer in doc (of its key, for an object member), or of the deepest node
// on the way there; 0, 0 when doc does not parse.
func position(doc []byte, pointer string) (line, col int) {
	var root yaml.Node
	if yaml.Unmarshal(doc, &root) != nil {
		return 0, 0
	}
	return positionIn(&root, pointer)
}

// positionIn is position in a parsed document.
func positionIn(root *yaml.Node, pointer string) (line, col int) {
	if len(root.Content) == 0 {
		return 0, 0
	}
	n := root.Content[0]
	at := n
	for _, tok := range jsonpointer.Tokens(pointer) {
		var next, key *yaml.Node
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == tok {
					next, key = n.Content[i+1], n.Content[i]
					break
				}
			}
		case yaml.SequenceNode:
			var idx int
			if _, err := fmt.Sscanf(tok, "%d", &idx); err == nil && idx >= 0 && idx < len(n.Content) {
				next, key = n.Content[idx], n.Content[idx]
			}
		}
		if next == nil {
			break
		}
		n, at = next, key
	}
	return at.Line, at.Column
}

// Operation returns the OpenAPI operation that declares e.
func (p *Provider) Operation(e *Event) *openapi3.Operation {
	if e.Kind == KindWebhook {
		if item := p.Doc.Webhooks[e.Key]; item != nil {
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
	return readSpecFile(p.fsys, name)
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

// Locate places err at pointer in one of the provider's files (the
// document when file is its path), with line and column when known.
func (p *Provider) Locate(file, pointer string, err error) *Error {
	if file == p.DocPath {
		return p.errAt(pointer, err)
	}
	e := &Error{File: file, Pointer: pointer, Err: err}
	// each file parsed once: a schema file may have many problems
	root, ok := p.fileNodes[file]
	if !ok {
		if raw, rerr := readSpecFile(p.fsys, file); rerr == nil {
			root = &yaml.Node{}
			if yaml.Unmarshal(raw, root) != nil {
				root = nil
			}
		}
		if p.fileNodes == nil {
			p.fileNodes = map[string]*yaml.Node{}
		}
		p.fileNodes[file] = root
	}
	if root != nil {
		e.Line, e.Col = positionIn(root, pointer)
	}
	return e
}

// Example is a payload example the document ships for an event.
type Example struct {
	Name    string // the examples entry's name, "example" for the single one
	Pointer string // JSON pointer of the example in the document
	Value   []byte // the payload, as JSON
}

// Examples returns the examples of e's request body (the media type's
// example and examples, following $ref into components/examples), sorted
// by name. Examples given only by externalValue are not read.
func (p *Provider) Examples(e *Event) ([]Example, error) {
	if p.catalog {
		return p.catalogExamplesOf(e)
	}
	if e.MediaType == "" {
		return nil, nil
	}
	v, ok := jsonpointer.Lookup(p.tree, e.MediaType)
	mt, _ := v.(map[string]any)
	if !ok || mt == nil {
		return nil, nil
	}
	var out []Example
	if x, ok := mt["example"]; ok {
		b, err := json.Marshal(x)
		if err != nil {
			return nil, p.errAt(e.MediaType+"/example", err)
		}
		out = append(out, Example{Name: "example", Pointer: e.MediaType + "/example", Value: b})
	}
	exs, _ := mt["examples"].(map[string]any)
	for _, name := range sortedKeys(exs) {
		ptr := e.MediaType + "/examples/" + jsonpointer.Escape(name)
		ex, at := deref(p.tree, exs[name], ptr)
		m, _ := ex.(map[string]any)
		val, ok := m["value"]
		if !ok {
			continue
		}
		b, err := json.Marshal(val)
		if err != nil {
			return nil, p.errAt(at, err)
		}
		out = append(out, Example{Name: name, Pointer: at + "/value", Value: b})
	}
	return out, nil
}

// locationList is first followed by rest, without repeats; nil when that
// is one body member or none (Pointer alone says it).
func locationList(first string, rest []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range append([]string{first}, rest...) {
		if p != "" && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	if len(out) == 0 || len(out) == 1 && !strings.HasPrefix(out[0], HeaderPrefix) {
		return nil
	}
	return out
}

// firstBody returns first, or else the first JSON pointer of list: the
// body member Pointer names.
func firstBody(first string, list []string) string {
	if first != "" {
		return first
	}
	for _, s := range list {
		if !strings.HasPrefix(s, HeaderPrefix) {
			return s
		}
	}
	return ""
}

// checkLocations parses every entry of a pointers list: the error of the
// first that does not parse, with its index.
func checkLocations(list []string) (int, error) {
	for i, s := range list {
		if _, err := ParseLocation(s); err != nil {
			return i, err
		}
	}
	return -1, nil
}
