package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
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
	src := s.source[n.Doc]
	if src == "" {
		src = n.Doc
	}
	if n.Ptr == "" {
		return src
	}
	return src + "#" + n.Ptr
}

// Obj returns the node as a schema object, or nil for a boolean schema.
func (n Node) Obj() map[string]any {
	m, _ := n.V.(map[string]any)
	return m
}

// At returns the schema at an absolute URI with optional fragment.
func (s *Schemas) At(uri string) (Node, error) {
	doc, frag, _ := strings.Cut(uri, "#")
	root, ok := s.docs[doc]
	if !ok {
		return Node{}, fmt.Errorf("no schema with $id %q", doc)
	}
	v := root
	if frag != "" {
		for _, tok := range strings.Split(strings.TrimPrefix(frag, "/"), "/") {
			tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
			if t, err := url.PathUnescape(tok); err == nil {
				tok = t
			}
			m, ok := v.(map[string]any)
			if !ok {
				return Node{}, fmt.Errorf("%s: fragment %q does not resolve", s.source[doc], frag)
			}
			if v, ok = m[tok]; !ok {
				// arrays are addressed by index
				return Node{}, fmt.Errorf("%s: fragment %q does not resolve", s.source[doc], frag)
			}
		}
	}
	return Node{Doc: doc, Ptr: frag, V: v}, nil
}

// Child returns the subschema under keyword path toks.
func (n Node) Child(toks ...string) (Node, bool) {
	v := n.V
	ptr := n.Ptr
	for _, t := range toks {
		switch c := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[t]; !ok {
				return Node{}, false
			}
		case []any:
			var i int
			if _, err := fmt.Sscanf(t, "%d", &i); err != nil || i < 0 || i >= len(c) {
				return Node{}, false
			}
			v = c[i]
		default:
			return Node{}, false
		}
		ptr += "/" + strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
	}
	return Node{Doc: n.Doc, Ptr: ptr, V: v}, true
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
		return Node{}, false, fmt.Errorf("%s: $ref %q: %w", n.Where(s), r, err)
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
