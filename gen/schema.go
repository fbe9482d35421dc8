package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// schemas is a provider's JSON Schema documents, decoded, keyed by $id.
type schemas struct {
	docs   map[string]any    // $id -> decoded document (json.Number numbers)
	source map[string]string // $id -> file path, for messages
}

func newSchemas() *schemas {
	return &schemas{docs: map[string]any{}, source: map[string]string{}}
}

func (s *schemas) add(id, source string, raw []byte) error {
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

// node is one schema inside a document.
type node struct {
	doc string // $id of the document
	ptr string // JSON pointer inside it
	v   any    // map[string]any or bool
}

func (n node) key() string { return n.doc + "#" + n.ptr }

func (n node) where(s *schemas) string {
	src := s.source[n.doc]
	if src == "" {
		src = n.doc
	}
	if n.ptr == "" {
		return src
	}
	return src + "#" + n.ptr
}

func (n node) obj() map[string]any {
	m, _ := n.v.(map[string]any)
	return m
}

// at returns the schema at an absolute URI with optional fragment.
func (s *schemas) at(uri string) (node, error) {
	doc, frag, _ := strings.Cut(uri, "#")
	root, ok := s.docs[doc]
	if !ok {
		return node{}, fmt.Errorf("no schema with $id %q", doc)
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
				return node{}, fmt.Errorf("%s: fragment %q does not resolve", s.source[doc], frag)
			}
			if v, ok = m[tok]; !ok {
				// arrays are addressed by index
				return node{}, fmt.Errorf("%s: fragment %q does not resolve", s.source[doc], frag)
			}
		}
	}
	return node{doc: doc, ptr: frag, v: v}, nil
}

// child returns the subschema under keyword path toks.
func (n node) child(toks ...string) (node, bool) {
	v := n.v
	ptr := n.ptr
	for _, t := range toks {
		switch c := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[t]; !ok {
				return node{}, false
			}
		case []any:
			var i int
			if _, err := fmt.Sscanf(t, "%d", &i); err != nil || i < 0 || i >= len(c) {
				return node{}, false
			}
			v = c[i]
		default:
			return node{}, false
		}
		ptr += "/" + strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1")
	}
	return node{doc: n.doc, ptr: ptr, v: v}, true
}

// ref follows n's $ref, if any.
func (s *schemas) ref(n node) (node, bool, error) {
	m := n.obj()
	r, ok := m["$ref"].(string)
	if !ok {
		return node{}, false, nil
	}
	base, err := url.Parse(n.doc)
	if err != nil {
		return node{}, false, fmt.Errorf("%s: $id %q: %w", n.where(s), n.doc, err)
	}
	ru, err := url.Parse(r)
	if err != nil {
		return node{}, false, fmt.Errorf("%s: $ref %q: %w", n.where(s), r, err)
	}
	abs := base.ResolveReference(ru)
	frag := abs.Fragment
	abs.Fragment = ""
	target, err := s.at(abs.String() + "#" + frag)
	if err != nil {
		return node{}, false, fmt.Errorf("%s: $ref %q: %w", n.where(s), r, err)
	}
	return target, true, nil
}

// annotation keywords that do not change what a schema accepts.
var annotations = map[string]bool{
	"title": true, "description": true, "examples": true, "default": true, "deprecated": true,
	"readOnly": true, "writeOnly": true, "$comment": true, "$schema": true, "$id": true, "$defs": true,
	"$anchor": true, "format": true,
}

// pureRef reports whether n is a $ref with nothing but annotations beside it.
func pureRef(n node) bool {
	m := n.obj()
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
