package schemagen

import (
	"sort"
	"strings"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// Discriminator is an OpenAPI discriminator declared by a schema. It is an
// annotation: validation does not depend on it; code that builds types or
// dispatches on a union reads it here.
type Discriminator struct {
	Schema       string            // URI of the schema declaring it (document id#pointer)
	PropertyName string            // the member whose value names the branch
	Mapping      map[string]string // value -> the mapping entry as written
	Targets      map[string]string // value -> absolute URI of the schema it names, for the entries that resolve
}

// discriminator reads and checks a discriminator object. A mapping entry
// is a URI reference, or a bare component name, which names
// #/components/schemas/<name> of the schema's document.
func (c *compiler) discriminator(loc location, at string, val any) (*Discriminator, error) {
	obj, ok := val.(map[string]any)
	if !ok {
		return nil, errorf(loc, at, "discriminator must be an object")
	}
	name, ok := obj["propertyName"].(string)
	if !ok || name == "" {
		return nil, errorf(loc, at, "discriminator needs propertyName, a non-empty string")
	}
	d := &Discriminator{Schema: loc.doc.id + "#" + loc.ptr, PropertyName: name, Mapping: map[string]string{}, Targets: map[string]string{}}
	for _, k := range sortedKeys(obj) {
		switch {
		case k == "propertyName", strings.HasPrefix(k, "x-"):
		case k == "mapping":
			m, ok := obj[k].(map[string]any)
			if !ok {
				return nil, errorf(loc, at+"/mapping", "discriminator mapping must be an object of strings")
			}
			for _, value := range sortedKeys(m) {
				ref, ok := m[value].(string)
				if !ok {
					return nil, errorf(loc, at+"/mapping/"+jsonpointer.Escape(value), "a discriminator mapping entry must be a string")
				}
				d.Mapping[value] = ref
				target := ref
				if !strings.ContainsAny(ref, "/#.") {
					target = loc.doc.id + "#/components/schemas/" + jsonpointer.Escape(ref)
				}
				abs, err := resolveURI(loc.base, target)
				if err == nil {
					if t, lerr := c.set.lookup(abs); lerr == nil {
						d.Targets[value] = t.doc.id + "#" + t.ptr
						continue
					}
				}
				c.warn(loc, at+"/mapping/"+jsonpointer.Escape(value), "discriminator mapping %q names %q, which is no schema here", value, ref)
			}
		default:
			return nil, errorf(loc, at+"/"+jsonpointer.Escape(k), "unsupported discriminator member %q (propertyName, mapping and x-* are allowed)", k)
		}
	}
	return d, nil
}

// Discriminators lists the discriminators of the schemas the roots reach,
// sorted by the URI of the schema declaring them.
func (p *Program) Discriminators() []Discriminator {
	var out []Discriminator
	for _, k := range sortedKeys(p.nodes) {
		if d := p.nodes[k].discriminator; d != nil {
			out = append(out, *d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Schema < out[j].Schema })
	return out
}
