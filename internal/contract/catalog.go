package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"testing/fstest"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// CatalogOptions say how to read a plain JSON Schema catalog: one schema
// file per event and no OpenAPI document.
type CatalogOptions struct {
	// Name is the provider's name; the catalog folder's name when empty.
	Name string
	// Events maps event names to their schema file, relative to the
	// catalog folder ("OrderChangeNotification.json"), optionally with a
	// fragment ("order.json#/definitions/Order").
	Events map[string]string
	// EventsKeyword, when set, adds to Events every name listed in that
	// root keyword of a catalog file (CloudEvents' cloudeventTypes), each
	// mapped to its file. Only on request: a vendor's keyword is no
	// standard.
	EventsKeyword string
	// Examples maps event names to example payload files, relative to
	// dir, for catalogs that ship examples beside their schemas rather
	// than in each root schema's examples.
	Examples map[string][]string
	// Dialect is the draft of files that declare no $schema (a key of
	// Dialects); 2020-12 when empty. A file's own $schema always wins.
	Dialect string
	// EventPointer is where a body carries its event name; inferred when
	// empty and no header is given.
	EventPointer string
	// EventPointers lists every place a body may carry its event name, in
	// the order detection tries them.
	EventPointers []string
	// EventHeader is the request header that carries the event name
	// (ce-type for CloudEvents in binary mode).
	EventHeader string
	// Config, when set, is the configuration entry that declares the
	// catalog: errors about its event map and where its event name lives
	// name that file, line and pointer.
	Config *ConfigRef
}

// catalogDoc is the name of the OpenAPI document a catalog is read as. It
// exists only in memory; a catalog folder holding a file of that name is
// refused rather than shadowed.
const catalogDoc = "hookcontract-catalog.json"

// LoadCatalog reads the JSON Schema catalog in folder dir of fsys as a
// provider whose webhooks are opts.Events. Each schema file is its own
// resource: a root $id that another catalog file also declares (tools
// that write "http://example.com/example.json" into every file) is
// replaced by the file's own URI, with a warning, so that one file's
// references never resolve into another. Each file is validated by the
// draft its $schema names.
func LoadCatalog(fsys fs.FS, dir string, opts CatalogOptions) (*Provider, error) {
	dir = path.Clean(dir)
	if opts.EventsKeyword != "" {
		ev, err := keywordEvents(fsys, dir, opts.EventsKeyword, opts.Events)
		if err != nil {
			return nil, err
		}
		opts.Events = ev
	}
	if len(opts.Events) == 0 {
		e := &Error{File: dir, Err: errors.New("catalog: expected an event map (events.map: {event name: schema file})")}
		if c := opts.Config; c != nil {
			e = (&Provider{config: c}).configErr("/events", e.Err)
		}
		return nil, e
	}
	dialect, ok := Dialects[opts.Dialect]
	if !ok && opts.Dialect != "" {
		return nil, &Error{File: dir, Err: fmt.Errorf("catalog: dialect: expected one of draft-04, draft-07, 2019-09 and 2020-12, found %q", opts.Dialect)}
	}
	docPath := path.Join(dir, catalogDoc)
	if _, err := fs.Stat(fsys, docPath); err == nil {
		return nil, &Error{File: docPath, Err: errors.New("catalog: a file of this name would be shadowed by the catalog's document")}
	}
	name := opts.Name
	if name == "" {
		name = path.Base(dir)
		if name == "." || name == "/" {
			name = "catalog"
		}
	}
	doc, err := json.Marshal(map[string]any{
		"openapi":  "3.1.0",
		"info":     map[string]any{"title": name + " JSON Schema catalog", "version": "catalog"},
		"webhooks": map[string]any{},
	})
	if err != nil {
		return nil, fmt.Errorf("catalog %s: %w", dir, err)
	}
	over := overlayFS{FS: fsys, name: docPath, doc: fstest.MapFS{docPath: &fstest.MapFile{Data: doc}}}
	p, err := loadDoc(over, docPath, name, LoadOptions{Events: opts.Events, EventPointer: opts.EventPointer, EventPointers: opts.EventPointers, EventHeader: opts.EventHeader, Config: opts.Config, catalog: true, catalogDialect: dialect})
	if err != nil {
		return nil, err
	}
	p.catalogDir, p.catalogExamples = dir, opts.Examples
	for name := range opts.Examples {
		if p.Event(name) == nil {
			return nil, p.configErr("/events", fmt.Errorf("catalog examples: %q is not an event of the catalog", name))
		}
	}
	return p, nil
}

// keywordEvents is events with every name that keyword lists at the root
// of a JSON file under dir, mapped to that file (relative to dir). A name
// two files list, or one events already maps elsewhere, is an error.
func keywordEvents(fsys fs.FS, dir, keyword string, events map[string]string) (map[string]string, error) {
	out := make(map[string]string, len(events))
	for k, v := range events {
		out[k] = v
	}
	from := map[string]string{}
	err := walkJSON(fsys, dir, false, func(fp string, raw []byte) error {
		var root map[string]json.RawMessage
		if json.Unmarshal(raw, &root) != nil || root[keyword] == nil {
			return nil // not a schema of the catalog (an index, an example)
		}
		var names []string
		if err := json.Unmarshal(root[keyword], &names); err != nil {
			return &Error{File: fp, Line: lineContaining(raw, `"`+keyword+`"`), Pointer: "/" + jsonpointer.Escape(keyword), Err: fmt.Errorf("expected an array of event names: %w", err)}
		}
		rel := strings.TrimPrefix(fp, dir+"/")
		if dir == "." {
			rel = fp
		}
		for _, n := range names {
			if other, ok := from[n]; ok {
				return &Error{File: fp, Pointer: "/" + jsonpointer.Escape(keyword), Err: fmt.Errorf("event %q is also listed by %s", n, other)}
			}
			from[n] = fp
			if _, ok := out[n]; !ok {
				out[n] = rel
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("catalog %s: events from %s: %w", dir, keyword, err)
	}
	return out, nil
}

// overlayFS is fsys with one extra file, the catalog's document.
type overlayFS struct {
	fs.FS
	name string
	doc  fstest.MapFS
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if name == o.name {
		return o.doc.Open(name)
	}
	return o.FS.Open(name)
}

// catalogID is the $id a catalog file is added under, and the bytes it is
// read as: its own $id, unless an earlier file already declares it; then
// the file's URI, the file's bytes rewritten to declare it (so that both
// validators resolve the file's references against it), and a warning. A
// file without $schema is given the catalog's dialect, when one is set,
// the same way: the generated validators and the runner read one text.
func (p *Provider) catalogID(fp string, id string, raw []byte) (string, []byte, error) {
	clash := ""
	for _, other := range p.Schemas {
		if other.ID == id {
			clash = other.Path
		}
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return "", nil, &Error{File: fp, Err: fmt.Errorf("not a JSON Schema object: %w", err)}
	}
	_, declared := doc["$schema"]
	if clash == "" && (declared || p.catalogDialect == "") {
		return id, raw, nil
	}
	if !declared && p.catalogDialect != "" {
		doc["$schema"] = p.catalogDialect
	}
	if clash != "" {
		own := SchemaBase + fp
		key := "$id"
		if _, ok := doc["$id"]; !ok {
			key = "id" // draft-04
		}
		doc[key] = own
		p.warn(&Error{File: fp, Line: lineContaining(raw, id), Pointer: "/" + key, Err: fmt.Errorf("$id %q is also the $id of %s: this file is read as %s", id, clash, own)})
		id = own
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return "", nil, &Error{File: fp, Err: err}
	}
	return id, b, nil
}

// Dialects are the drafts a catalog's files without $schema can be read
// by (CatalogOptions.Dialect), by name, with their meta-schema URIs.
var Dialects = map[string]string{
	"draft-04": "http://json-schema.org/draft-04/schema#",
	"draft-07": "http://json-schema.org/draft-07/schema#",
	"2019-09":  "https://json-schema.org/draft/2019-09/schema",
	"2020-12":  "https://json-schema.org/draft/2020-12/schema",
}

// catalogExamples are the examples a catalog file ships for its event:
// the root schema's examples array.
func (p *Provider) catalogExamplesOf(e *Event) ([]Example, error) {
	var out []Example
	for _, fp := range p.catalogExamples[e.Name] {
		fp = path.Join(p.catalogDir, fp)
		b, err := readSpecFile(p.fsys, fp)
		if err != nil {
			return nil, fmt.Errorf("example of %s: %w", e.Name, err)
		}
		if !json.Valid(b) {
			return nil, &Error{File: fp, Err: errors.New("example: expected a JSON document")}
		}
		out = append(out, Example{Name: fp, Value: b})
	}
	f := p.schemaOf(e.Schema)
	if f == nil {
		return out, nil
	}
	var root struct {
		Examples []json.RawMessage `json:"examples"`
	}
	if err := json.Unmarshal(f.Raw, &root); err != nil {
		return nil, &Error{File: f.Path, Err: fmt.Errorf("read examples: %w", err)}
	}
	for i, x := range root.Examples {
		if len(x) > 0 && x[0] == '"' && len(p.catalogExamples) > 0 {
			continue // a URL of an example file (CloudEvents), given in Examples instead
		}
		out = append(out, Example{Name: fmt.Sprintf("%s#/examples/%d", f.Path, i), Pointer: fmt.Sprintf("/examples/%d", i), Value: x})
	}
	return out, nil
}

// schemaOf is the schema file a schema URI (with or without fragment)
// lies in, or nil.
func (p *Provider) schemaOf(uri string) *SchemaFile {
	for i := len(uri) - 1; i >= 0; i-- {
		if uri[i] == '#' {
			uri = uri[:i]
			break
		}
	}
	return p.SchemaByID(uri)
}

// IsCatalog reports whether p was read by LoadCatalog: a vendor's JSON
// Schema catalog, whose own keywords (cloudeventTypes, a misspelt "#ref")
// are annotations, as the reference validator treats them.
func (p *Provider) IsCatalog() bool { return p.catalog }

// walkJSON calls fn with every .json file under dir, read through the
// spec directory's containment check. With missingOK a dir that does not
// exist is no error.
func walkJSON(fsys fs.FS, dir string, missingOK bool, fn func(fp string, raw []byte) error) error {
	return fs.WalkDir(fsys, dir, func(fp string, d fs.DirEntry, err error) error {
		if err != nil {
			if missingOK && errors.Is(err, fs.ErrNotExist) && fp == dir {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() || path.Ext(fp) != ".json" {
			return nil
		}
		raw, err := readSpecFile(fsys, fp)
		if err != nil {
			return err
		}
		return fn(fp, raw)
	})
}
