package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"testing/fstest"
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
	// EventPointer is where a body carries its event name; inferred when
	// empty and no header is given.
	EventPointer string
	// EventHeader is the request header that carries the event name
	// (ce-type for CloudEvents in binary mode).
	EventHeader string
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
	if len(opts.Events) == 0 {
		return nil, &Error{File: dir, Err: errors.New("catalog: expected an event map (events.map: {event name: schema file})")}
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
	p, err := loadDoc(over, docPath, name, LoadOptions{Events: opts.Events, EventPointer: opts.EventPointer, EventHeader: opts.EventHeader, catalog: true})
	if err != nil {
		return nil, err
	}
	return p, nil
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

// catalogID is the $id a catalog file is added under: its own, unless an
// earlier file already declares it; then the file's URI, the file's bytes
// rewritten to declare it (so that both validators resolve the file's
// references against it), and a warning.
func (p *Provider) catalogID(fp string, id string, raw []byte) (string, []byte, error) {
	clash := ""
	for _, other := range p.Schemas {
		if other.ID == id {
			clash = other.Path
		}
	}
	if clash == "" {
		return id, raw, nil
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return "", nil, &Error{File: fp, Err: fmt.Errorf("not a JSON Schema object: %w", err)}
	}
	own := SchemaBase + fp
	key := "$id"
	if _, ok := doc["$id"]; !ok {
		key = "id" // draft-04
	}
	doc[key] = own
	b, err := json.Marshal(doc)
	if err != nil {
		return "", nil, &Error{File: fp, Err: err}
	}
	p.warn(&Error{File: fp, Line: lineContaining(raw, id), Pointer: "/" + key, Err: fmt.Errorf("$id %q is also the $id of %s: this file is read as %s", id, clash, own)})
	return own, b, nil
}

// catalogExamples are the examples a catalog file ships for its event:
// the root schema's examples array.
func (p *Provider) catalogExamples(e *Event) ([]Example, error) {
	f := p.schemaOf(e.Schema)
	if f == nil {
		return nil, nil
	}
	var root struct {
		Examples []json.RawMessage `json:"examples"`
	}
	if err := json.Unmarshal(f.Raw, &root); err != nil {
		return nil, &Error{File: f.Path, Err: fmt.Errorf("read examples: %w", err)}
	}
	out := make([]Example, 0, len(root.Examples))
	for i, x := range root.Examples {
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
