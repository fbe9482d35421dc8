package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// inferEventPointer finds, for a document without x-hookcontract, the
// top-level member that every webhook's schema pins to the webhook's own
// name (const, or a one-value enum), following $ref and allOf.
func (p *Provider) inferEventPointer() error {
	var common map[string]bool
	webhooks := 0
	for _, e := range p.Events {
		if e.Kind != KindWebhook {
			continue
		}
		webhooks++
		names := map[string]bool{}
		if err := p.pinnedMembers(e.Schema, e.Name, names, map[string]bool{}); err != nil {
			return err
		}
		if common == nil {
			common = names
			continue
		}
		for n := range common {
			if !names[n] {
				delete(common, n)
			}
		}
	}
	if webhooks == 0 {
		return errors.New("expected at least one entry under webhooks")
	}
	var list []string
	for n := range common {
		list = append(list, n)
	}
	sort.Strings(list)
	if len(list) != 1 {
		return fmt.Errorf("cannot tell where the event name lives: no single top-level member pins every webhook's name with const (found %v); declare x-hookcontract.event.pointer", list)
	}
	p.Ext.Event.Pointer = "/" + EscapeToken(list[0])
	return nil
}

func (p *Provider) pinnedMembers(uri, name string, out map[string]bool, seen map[string]bool) error {
	if seen[uri] {
		return nil
	}
	seen[uri] = true
	doc, frag, _ := strings.Cut(uri, "#")
	var sf *SchemaFile
	for _, f := range p.Schemas {
		if f.ID == doc {
			sf = f
		}
	}
	if sf == nil {
		return nil
	}
	var v any
	if err := json.Unmarshal(sf.Raw, &v); err != nil {
		return &Error{File: sf.Path, Err: err}
	}
	for _, tok := range SplitPointer(frag) {
		m, _ := v.(map[string]any)
		v = m[tok]
	}
	m, _ := v.(map[string]any)
	if props, ok := m["properties"].(map[string]any); ok {
		for k, pv := range props {
			pm, _ := pv.(map[string]any)
			if c, ok := pm["const"].(string); ok && c == name {
				out[k] = true
			}
			if e, ok := pm["enum"].([]any); ok && len(e) == 1 && e[0] == name {
				out[k] = true
			}
		}
	}
	var next []string
	if r, ok := m["$ref"].(string); ok {
		next = append(next, r)
	}
	if all, ok := m["allOf"].([]any); ok {
		for _, a := range all {
			if am, ok := a.(map[string]any); ok {
				if r, ok := am["$ref"].(string); ok {
					next = append(next, r)
				}
			}
		}
	}
	base, err := url.Parse(doc)
	if err != nil {
		return nil
	}
	for _, r := range next {
		ru, err := url.Parse(r)
		if err != nil {
			continue
		}
		if err := p.pinnedMembers(base.ResolveReference(ru).String(), name, out, seen); err != nil {
			return err
		}
	}
	return nil
}

// SplitPointer splits an RFC 6901 JSON pointer into its unescaped tokens;
// "" (the whole document) has none.
func SplitPointer(p string) []string {
	if p == "" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return toks
}
