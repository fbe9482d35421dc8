package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// Schemas is a provider's JSON Schema documents, decoded, keyed by $id: the
// one resolver of $ref the generator, event inference and the runner's
// reference checks share.
type Schemas struct {
	docs   map[string]any    // $id -> decoded document (json.Number numbers)
	source map[string]string // $id -> file path, for messages
}

// NewSchemas returns an empty set of schema documents.
func NewSchemas() *Schemas {
	return &Schemas{docs: map[string]any{}, source: map[string]string{}}
}

// Add decodes raw (JSON, numbers kept exact) as the document with $id id.
func (s *Schemas) Add(id, source string, raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("%s: decode schema: %w", source, err)
	}
	s.docs[id] = v
	s.source[id] = source
	return nil
}

// Node is one schema inside a document.
type Node struct {
	Doc string // $id of the document
	Ptr string // JSON pointer inside it
	V   any    // map[string]any or bool
}

// Key identifies the node: its document and pointer.
func (n Node) Key() string { return n.Doc + "#" + n.Ptr }

// Where names the node for messages: file path and pointer.
func (n Node) Where(s *Schemas) string {
	src := s.file(n.Doc)
	if n.Ptr == "" {
		return src
	}
	return src + "#" + n.Ptr
}

// file is the path of the file document doc (a $id) was read from, or doc
// itself when none is known.
func (s *Schemas) file(doc string) string {
	if src := s.source[doc]; src != "" {
		return src
	}
	return doc
}

// Obj returns the node as a schema object, or nil for a boolean schema.
func (n Node) Obj() map[string]any {
	m, _ := n.V.(map[string]any)
	return m
}

// At returns the schema at an absolute URI with optional JSON-pointer
// fragment (percent-encoding allowed, as in a URI).
func (s *Schemas) At(uri string) (Node, error) {
	doc, frag, _ := strings.Cut(uri, "#")
	root, ok := s.docs[doc]
	if !ok {
		return Node{}, fmt.Errorf("no schema with $id %q", doc)
	}
	toks := jsonpointer.Tokens(frag)
	for i, tok := range toks {
		if t, err := url.PathUnescape(tok); err == nil {
			toks[i] = t
		}
	}
	v, ok := jsonpointer.LookupTokens(root, toks)
	if !ok {
		return Node{}, fmt.Errorf("%s: fragment %q does not resolve", s.source[doc], frag)
	}
	return Node{Doc: doc, Ptr: frag, V: v}, nil
}

// Child returns the subschema under keyword path toks.
func (n Node) Child(toks ...string) (Node, bool) {
	v, ok := jsonpointer.LookupTokens(n.V, toks)
	if !ok {
		return Node{}, false
	}
	return Node{Doc: n.Doc, Ptr: jsonpointer.Append(n.Ptr, toks...), V: v}, true
}

// Ref follows n's $ref, if any.
func (s *Schemas) Ref(n Node) (Node, bool, error) {
	m := n.Obj()
	r, ok := m["$ref"].(string)
	if !ok {
		return Node{}, false, nil
	}
	base, err := url.Parse(n.Doc)
	if err != nil {
		return Node{}, false, fmt.Errorf("%s: $id %q: %w", n.Where(s), n.Doc, err)
	}
	ru, err := url.Parse(r)
	if err != nil {
		return Node{}, false, fmt.Errorf("%s: $ref %q: %w", n.Where(s), r, err)
	}
	abs := base.ResolveReference(ru)
	frag := abs.Fragment
	abs.Fragment = ""
	target, err := s.At(abs.String() + "#" + frag)
	if err != nil {
		// placed at the $ref (Provider.Locate adds its line)
		return Node{}, false, &Error{File: s.file(n.Doc), Pointer: jsonpointer.Append(n.Ptr, "$ref"), Err: fmt.Errorf("$ref %q: %w", r, err)}
	}
	return target, true, nil
}

// annotation keywords that do not change what a schema accepts.
var annotations = map[string]bool{
	"title": true, "description": true, "examples": true, "default": true, "deprecated": true,
	"readOnly": true, "writeOnly": true, "$comment": true, "$schema": true, "$id": true, "$defs": true,
	"$anchor": true, "format": true,
}

// PureRef reports whether n is a $ref with nothing but annotations beside it.
func PureRef(n Node) bool {
	m := n.Obj()
	if _, ok := m["$ref"]; !ok {
		return false
	}
	for k := range m {
		if k != "$ref" && !annotations[k] && !strings.HasPrefix(k, "x-") {
			return false
		}
	}
	return true
}

// brokenRefs lists every $ref in the documents that names no document, or
// no location inside one, each at the reference itself (documents in $id
// order, members in name order). References by anchor are left to the
// validators.
func (s *Schemas) brokenRefs() []*Error {
	ids := make([]string, 0, len(s.docs))
	for id := range s.docs {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []*Error
	for _, id := range ids {
		base, err := url.Parse(id)
		if err != nil {
			continue
		}
		out = s.walkRefs(s.docs[id], "", base, s.source[id], out)
	}
	return out
}

func (s *Schemas) walkRefs(v any, ptr string, base *url.URL, file string, out []*Error) []*Error {
	switch x := v.(type) {
	case map[string]any:
		if id, ok := x["$id"].(string); ok && ptr != "" {
			if u, err := base.Parse(id); err == nil {
				base = u
			}
		}
		if ref, ok := x["$ref"].(string); ok {
			if err := s.checkRef(ref, base); err != nil {
				out = append(out, &Error{File: file, Pointer: ptr + "/$ref", Err: err})
			}
		}
		for _, k := range sortedKeys(x) {
			if k == "enum" || k == "const" || k == "examples" || k == "default" {
				continue // values, not schemas
			}
			out = s.walkRefs(x[k], jsonpointer.Append(ptr, k), base, file, out)
		}
	case []any:
		for i, item := range x {
			out = s.walkRefs(item, jsonpointer.AppendIndex(ptr, i), base, file, out)
		}
	}
	return out
}

func (s *Schemas) checkRef(ref string, base *url.URL) error {
	u, err := base.Parse(ref)
	if err != nil {
		return fmt.Errorf("$ref %q is not a URI reference: %w", ref, err)
	}
	frag := u.Fragment
	u.Fragment, u.RawFragment = "", ""
	if _, ok := s.docs[u.String()]; !ok {
		if u.Host == base.Host && strings.HasPrefix(u.Path, path.Dir(base.Path)) {
			return fmt.Errorf("$ref %q names no schema file: no file under schemas/ has $id %q", ref, u.String())
		}
		return fmt.Errorf("$ref %q leaves the spec directory: no file under schemas/ has $id %q", ref, u.String())
	}
	if frag == "" || !strings.HasPrefix(frag, "/") {
		return nil // the whole document, or an anchor
	}
	if _, err := s.At(u.String() + "#" + frag); err != nil {
		return fmt.Errorf("$ref %q: the schema file has no %s", ref, frag)
	}
	return nil
}
