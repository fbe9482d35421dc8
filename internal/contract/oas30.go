package contract

import (
	"bytes"
	"encoding/json"
)

// OpenAPI 3.0 Schema Objects are not JSON Schema 2020-12: `nullable`, boolean
// exclusive bounds, and `$ref` siblings that do not count. So that the
// generated validators and the runner read a 3.0 document with 3.0
// semantics, its schemas are rewritten into the 2020-12 they mean before
// either sees them. The rewrite is the document's own meaning, not a repair:
// nothing a 3.0 validator accepts is refused, nothing it refuses accepted.

// subschemaMaps are keywords whose value is a map of schemas.
var subschemaMaps = []string{"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}

// subschemaLists are keywords whose value is a list of schemas.
var subschemaLists = []string{"allOf", "anyOf", "oneOf", "prefixItems"}

// subschemaOne are keywords whose value is one schema.
var subschemaOne = []string{"not", "if", "then", "else", "contains", "propertyNames", "additionalProperties",
	"unevaluatedProperties", "unevaluatedItems", "additionalItems", "items"}

// walkDocumentSchemas calls fn on every Schema Object of an OpenAPI document
// tree, deepest first: the values of components.schemas, every `schema`
// member of a parameter, header or media type, and their subschemas.
func walkDocumentSchemas(v any, fn func(map[string]any)) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			switch {
			case k == "schema":
				walkSchema(e, fn)
			case k == "schemas":
				if m, ok := e.(map[string]any); ok {
					for _, s := range m {
						walkSchema(s, fn)
					}
				}
			case k == "examples" || k == "example":
				// instances, not schemas
			default:
				walkDocumentSchemas(e, fn)
			}
		}
	case []any:
		for _, e := range x {
			walkDocumentSchemas(e, fn)
		}
	}
}

// walkSchema calls fn on schema s and every subschema in it, deepest first.
func walkSchema(s any, fn func(map[string]any)) {
	m, ok := s.(map[string]any)
	if !ok {
		return
	}
	for _, k := range subschemaMaps {
		if mm, ok := m[k].(map[string]any); ok {
			for _, c := range mm {
				walkSchema(c, fn)
			}
		}
	}
	for _, k := range subschemaLists {
		if l, ok := m[k].([]any); ok {
			for _, c := range l {
				walkSchema(c, fn)
			}
		}
	}
	for _, k := range subschemaOne {
		switch c := m[k].(type) {
		case map[string]any:
			walkSchema(c, fn)
		case []any: // draft-04/07 tuple items
			for _, e := range c {
				walkSchema(e, fn)
			}
		}
	}
	fn(m)
}

// RewriteOAS30 rewrites, in place, every Schema Object of a decoded
// OpenAPI 3.0 document (components.schemas, and each schema member of a
// parameter, header or media type) into the JSON Schema 2020-12 it means,
// as loading a 3.0 document does: the one reading of 3.0 semantics the
// generated validators, the runner and their tests share.
func RewriteOAS30(doc any) { walkDocumentSchemas(doc, rewriteOAS30) }

// rewriteOAS30 gives one 3.0 Schema Object its 2020-12 meaning.
func rewriteOAS30(m map[string]any) {
	if _, ok := m["$ref"]; ok {
		// In 3.0 a Reference Object's siblings are ignored.
		for k := range m {
			if k != "$ref" {
				delete(m, k)
			}
		}
		return
	}
	for _, b := range [][2]string{{"exclusiveMinimum", "minimum"}, {"exclusiveMaximum", "maximum"}} {
		if ex, ok := m[b[0]].(bool); ok {
			delete(m, b[0])
			if bound, has := m[b[1]]; ex && has {
				m[b[0]] = bound
				delete(m, b[1])
			}
		}
	}
	nullable, _ := m["nullable"].(bool)
	delete(m, "nullable")
	if !nullable {
		return
	}
	if e, ok := m["enum"].([]any); ok && !containsNull(e) {
		m["enum"] = append(e, nil)
	}
	switch t := m["type"].(type) {
	case string:
		m["type"] = []any{t, "null"}
		return
	case []any:
		if !containsString(t, "null") {
			m["type"] = append(t, "null")
		}
		return
	}
	if _, ok := m["enum"]; ok {
		return
	}
	// nullable beside allOf/oneOf/anyOf with no type: null, or what the
	// rest of the schema says.
	inner := make(map[string]any, len(m))
	for k, v := range m {
		if isAnnotation(k) {
			continue
		}
		inner[k] = v
		delete(m, k)
	}
	m["anyOf"] = []any{map[string]any{"type": "null"}, inner}
}

func isAnnotation(k string) bool {
	switch k {
	case "title", "description", "example", "examples", "default", "deprecated", "readOnly", "writeOnly",
		"externalDocs", "xml", "discriminator", "$comment":
		return true
	}
	return len(k) > 2 && k[:2] == "x-"
}

func containsNull(l []any) bool {
	for _, v := range l {
		if v == nil {
			return true
		}
	}
	return false
}

func containsString(l []any, s string) bool {
	for _, v := range l {
		if v == s {
			return true
		}
	}
	return false
}

// openAPIAnnotations are Schema Object keywords of OpenAPI that assert
// nothing about an instance (`discriminator` only guides tools: the oneOf
// beside it decides), so that JSON Schema validators ignore them.
var openAPIAnnotations = []string{"example", "discriminator", "xml", "externalDocs", "nullable"}

// WithoutOpenAPIAnnotations returns a schema file (or, with document set,
// an OpenAPI document) with the OpenAPI-only annotation keywords removed
// from every Schema Object, for a validator compiler that accepts JSON
// Schema keywords only. Validation is unchanged: the reference validator
// ignores these keywords. Raw is returned as it is when it has none.
func WithoutOpenAPIAnnotations(raw []byte, document bool) ([]byte, error) {
	if !bytes.Contains(raw, []byte(`"example"`)) && !bytes.Contains(raw, []byte(`"discriminator"`)) &&
		!bytes.Contains(raw, []byte(`"xml"`)) && !bytes.Contains(raw, []byte(`"externalDocs"`)) && !bytes.Contains(raw, []byte(`"nullable"`)) {
		return raw, nil
	}
	v, err := decodeDocument(raw)
	if err != nil {
		return nil, err
	}
	strip := func(m map[string]any) {
		for _, k := range openAPIAnnotations {
			delete(m, k)
		}
	}
	if document {
		walkDocumentSchemas(v, strip)
	} else {
		walkSchema(v, strip)
	}
	return json.Marshal(v)
}
