// Command bundle writes the OpenAPI document that ogen generates the
// benchmark's peer code from: the JSON Schemas of specs/<provider>/schemas,
// unchanged in meaning, gathered into components (ogen reads one document),
// with one webhook per benchmarked event.
//
// The rewriting is the mechanical part of bundling: each file becomes a
// component named after it, each `$defs` entry a component named after its
// file and itself, every `$ref` points at the component, and a `$ref` with
// sibling assertions becomes `allOf: [{$ref}, {siblings}]` (what 2020-12
// means by it). `$schema`, `$id`, `$comment` and `x-` keywords are dropped.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// root is one benchmarked event: its provider, its schema file and the
// webhook name ogen's code is generated under.
type root struct{ provider, file, webhook string }

var roots = []root{
	{"tickets", "sac_ticket.json", "sacTicket"},
	{"salesforce", "envelope.json", "salesforceSettingsUpdated"},
	{"salesiq", "operator.created.json", "operatorCreated"},
	{"ampersand", "installation.created.json", "installationCreated"},
}

// branch is a benchmarked event rewritten for an equal-work comparison:
// its member, whose schema ogen cannot express (if/then/else), replaced by
// the branch the benchmark payload takes, which it can. The generated
// packages check the whole union; ogen's code for the root as written
// skips the member's values unread, for the branch it decodes and checks
// them as the generated Parse does.
type branch struct {
	root
	member, ref string // the member and the schema file of its branch
	component   string // the rewritten root's component
}

var branches = []branch{
	{root{"salesforce", "envelope.json", "salesforceSettingsUpdatedSettingsBranch"}, "data", "settings.json", "SalesforceEnvelopeSettingsBranch"},
}

func main() {
	specs := flag.String("specs", "../../specs", "the specs directory")
	out := flag.String("o", "openapi.json", "output file")
	flag.Parse()
	b, err := bundle(*specs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, b, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "bundle:", err)
		os.Exit(1)
	}
}

// bundle returns the document for the roots' providers.
func bundle(specs string) ([]byte, error) {
	components := map[string]any{}
	webhooks := map[string]any{}
	done := map[string]bool{}
	for _, r := range roots {
		if !done[r.provider] {
			done[r.provider] = true
			if err := addProvider(specs, r.provider, components); err != nil {
				return nil, err
			}
		}
		webhooks[r.webhook] = webhook(r.webhook, component(r.provider, r.file, ""))
	}
	for _, br := range branches {
		orig, ok := components[component(br.provider, br.file, "")].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("branch %s: no component for %s/%s", br.webhook, br.provider, br.file)
		}
		props, ok := orig["properties"].(map[string]any)
		if !ok || props[br.member] == nil {
			return nil, fmt.Errorf("branch %s: %s/%s has no member %q", br.webhook, br.provider, br.file, br.member)
		}
		cp := map[string]any{}
		for k, v := range orig {
			cp[k] = v
		}
		cprops := map[string]any{}
		for k, v := range props {
			cprops[k] = v
		}
		cprops[br.member] = map[string]any{"$ref": "#/components/schemas/" + component(br.provider, br.ref, "")}
		cp["properties"] = cprops
		components[br.component] = cp
		webhooks[br.webhook] = webhook(br.webhook, br.component)
	}
	doc := map[string]any{
		"openapi":    "3.1.0",
		"info":       map[string]any{"title": "hookcontract benchmark payloads", "version": "1"},
		"paths":      map[string]any{},
		"webhooks":   webhooks,
		"components": map[string]any{"schemas": components},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// webhook is the webhook named name whose body is component's schema.
func webhook(name, component string) map[string]any {
	return map[string]any{
		"post": map[string]any{
			"operationId": name,
			"requestBody": map[string]any{
				"required": true,
				"content": map[string]any{"application/json": map[string]any{
					"schema": map[string]any{"$ref": "#/components/schemas/" + component},
				}},
			},
			"responses": map[string]any{"204": map[string]any{"description": "received"}},
		},
	}
}

func addProvider(specs, provider string, components map[string]any) error {
	files, err := filepath.Glob(filepath.Join(specs, provider, "schemas", "*.json"))
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var s map[string]any
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		name := filepath.Base(f)
		if defs, ok := s["$defs"].(map[string]any); ok {
			for d, ds := range defs {
				components[component(provider, name, d)] = rewrite(ds, provider, name)
			}
			delete(s, "$defs")
		}
		components[component(provider, name, "")] = rewrite(s, provider, name)
	}
	return nil
}

// component names the component of file's schema, or of its $defs entry def.
func component(provider, file, def string) string {
	parts := []string{provider}
	parts = append(parts, strings.FieldsFunc(strings.TrimSuffix(file, ".json"), func(r rune) bool {
		return r == '.' || r == '-' || r == '_'
	})...)
	if def != "" {
		parts = append(parts, def)
	}
	for i, p := range parts {
		parts[i] = strings.ToUpper(p[:1]) + p[1:]
	}
	return strings.Join(parts, "")
}

func rewrite(v any, provider, file string) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			switch {
			case k == "$schema" || k == "$id" || k == "$comment" || strings.HasPrefix(k, "x-"):
				continue
			case k == "$ref":
				out[k] = "#/components/schemas/" + refComponent(x.(string), provider, file)
			case k == "properties" || k == "patternProperties" || k == "$defs" || k == "dependentSchemas":
				m := map[string]any{}
				for name, s := range x.(map[string]any) {
					m[name] = rewrite(s, provider, file)
				}
				out[k] = m
			case k == "enum" || k == "const" || k == "examples" || k == "default" || k == "required":
				out[k] = x
			default:
				out[k] = rewrite(x, provider, file)
			}
		}
		if c, ok := out["const"]; ok && out["type"] == nil {
			// A typeless const (ogen emits code that does not compile for
			// it) gets the type its value implies: the same instances.
			if t := typeOf(c); t != "" {
				out["type"] = t
			}
		}
		if types, ok := out["type"].([]any); ok && len(types) > 1 {
			out = splitTypes(out, types)
		}
		if ref, ok := out["$ref"]; ok {
			rest := map[string]any{}
			for k, x := range out {
				if k != "$ref" && k != "description" && k != "title" {
					rest[k] = x
				}
			}
			if len(rest) > 0 {
				return map[string]any{"allOf": []any{map[string]any{"$ref": ref}, rest}}
			}
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = rewrite(x, provider, file)
		}
		return out
	}
	return v
}

// refComponent maps a reference as our schemas write it (`x.json`,
// `x.json#/$defs/d`, `#/$defs/d`) to its component.
func refComponent(ref, provider, file string) string {
	target, frag, _ := strings.Cut(ref, "#")
	if target == "" {
		target = file
	}
	return component(provider, target, strings.TrimPrefix(frag, "/$defs/"))
}

// keywordsOf lists the assertions that apply to one instance type only.
var keywordsOf = map[string][]string{
	"string":  {"pattern", "minLength", "maxLength", "format"},
	"integer": {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
	"number":  {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"},
}

// splitTypes turns `type: [a, b]` (which ogen does not read) into
// `oneOf: [{type: a, a's keywords}, {type: b, b's keywords}]`: the same
// instances, since the types are disjoint and each keyword applies to one.
func splitTypes(s map[string]any, types []any) map[string]any {
	out := map[string]any{}
	for k, v := range s {
		out[k] = v
	}
	delete(out, "type")
	var branches []any
	for _, t := range types {
		b := map[string]any{"type": t}
		for _, k := range keywordsOf[t.(string)] {
			if v, ok := s[k]; ok {
				b[k] = v
			}
		}
		branches = append(branches, b)
	}
	for _, t := range types {
		for _, k := range keywordsOf[t.(string)] {
			delete(out, k)
		}
	}
	out["oneOf"] = branches
	return out
}

// typeOf is the JSON Schema type of a decoded JSON value ("" for null).
func typeOf(v any) string {
	switch v := v.(type) {
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64:
		if v == float64(int64(v)) {
			return "integer"
		}
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return ""
}
