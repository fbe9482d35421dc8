package schemagen

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// node is one compiled schema (a location in a document).
type node struct {
	key    string // document id#pointer: identity and sort key
	uri    string // base URI + fragment, shown in the generated comment
	source string
	ptr    string

	boolean *bool // a boolean schema
	secret  bool  // x-hookcontract-secret
	expect  *node // x-hookcontract-expect (see ExpectKeyword)

	types        []string // JSON type names, "integer" included
	hasConst     bool
	constVal     any
	hasEnum      bool
	enum         []any
	ref          *node
	refURI       string
	allOf        []*node
	anyOf        []*node
	oneOf        []*node
	not          *node
	ifS          *node
	thenS        *node
	elseS        *node
	props        []prop
	patternProps []patternProp
	additional   *node
	propNames    *node
	required     []string
	minProps     int
	maxProps     int
	depRequired  []depRequired
	depSchemas   []prop
	prefixItems  []*node
	items        *node
	contains     *node
	minContains  int // -1: absent (1 when contains is present)
	maxContains  int
	minItems     int
	maxItems     int
	unique       bool
	minLength    int
	maxLength    int
	pattern      string
	format       string
	minimum      string // number literals; "" when absent
	maximum      string
	exclMinimum  string
	exclMaximum  string
	multipleOf   string
	base         string  // URI of the schema resource the node belongs to
	resource     bool    // the node has $id: evaluating it enters its resource
	dynRef       *node   // $dynamicRef, resolved statically
	dynName      string  // the anchor a dynamic $dynamicRef looks up in the dynamic scope
	dynCands     []*node // every compiled $dynamicAnchor dynName, by resource
	unevalProps  *node   // unevaluatedProperties
	unevalItems  *node   // unevaluatedItems
}

type prop struct {
	name string
	node *node
}

type patternProp struct {
	pattern string
	node    *node
}

type depRequired struct {
	name     string
	required []string
}

type compiler struct {
	set   *Set
	nodes map[string]*node
}

// Keywords that are annotations only, or handled while indexing.
var annotationKeywords = map[string]bool{
	"$schema": true, "$id": true, "$anchor": true, "$dynamicAnchor": true, "$comment": true, "$defs": true,
	"title": true, "description": true, "examples": true, "default": true, "deprecated": true,
	"readOnly": true, "writeOnly": true, "contentMediaType": true, "contentEncoding": true,
	"contentSchema": true,
}

// Formats asserted, with the runtime function that checks each (the set of
// jsonschema/v5; other formats are ignored, as v5 ignores them).
var formatFuncs = map[string]string{
	"date-time":             "hcFmtDateTime",
	"date":                  "hcFmtDate",
	"time":                  "hcFmtTime",
	"duration":              "hcFmtDuration",
	"period":                "hcFmtPeriod",
	"hostname":              "hcFmtHostname",
	"email":                 "hcFmtEmail",
	"ip-address":            "hcFmtIPv4",
	"ipv4":                  "hcFmtIPv4",
	"ipv6":                  "hcFmtIPv6",
	"uri":                   "hcFmtURI",
	"iri":                   "hcFmtURI",
	"uri-reference":         "hcFmtURIReference",
	"uriref":                "hcFmtURIReference",
	"iri-reference":         "hcFmtURIReference",
	"uri-template":          "hcFmtURITemplate",
	"regex":                 "hcFmtRegex",
	"json-pointer":          "hcFmtJSONPointer",
	"relative-json-pointer": "hcFmtRelativeJSONPointer",
	"uuid":                  "hcFmtUUID",
}

var jsonTypes = map[string]int{"null": 0, "boolean": 1, "object": 2, "array": 3, "number": 4, "integer": 5, "string": 6}

// errorf builds a compile error naming the source file and pointer.
func errorf(loc location, ptr, format string, args ...any) error {
	p := loc.ptr + ptr
	if p == "" {
		p = "/"
	}
	return fmt.Errorf("compile schema %q at %q: "+format, append([]any{loc.doc.source, p}, args...)...)
}

func (c *compiler) compile(loc location) (*node, error) {
	key := loc.key()
	if n, ok := c.nodes[key]; ok {
		return n, nil
	}
	if b, ok := c.set.bases[key]; ok {
		loc.base = b
	}
	v, err := walkPointer(loc.doc.root, loc.ptr)
	if err != nil {
		return nil, errorf(loc, "", "%w", err)
	}
	uri := loc.base
	if loc.ptr != "" {
		uri = loc.doc.id + "#" + loc.ptr
	}
	n := &node{key: c.set.namespace + key, uri: uri, source: loc.doc.source, ptr: loc.ptr, base: loc.base,
		minContains: -1, maxContains: -1, minItems: -1, maxItems: -1,
		minLength: -1, maxLength: -1, minProps: -1, maxProps: -1}
	c.nodes[key] = n
	switch x := v.(type) {
	case bool:
		n.boolean = &x
		return n, nil
	case map[string]any:
		if err := c.fill(n, loc, x); err != nil {
			return nil, err
		}
		return n, nil
	}
	return nil, errorf(loc, "", "a schema must be an object or a boolean, found %s", jsonTypeOf(v))
}

func (c *compiler) sub(loc location, kw string, extra ...string) (*node, error) {
	ptr := loc.ptr + "/" + escapeToken(kw)
	for _, e := range extra {
		ptr += "/" + escapeToken(e)
	}
	base, ok := c.set.bases[loc.doc.id+"#"+ptr]
	if !ok {
		base = loc.base
	}
	return c.compile(location{doc: loc.doc, ptr: ptr, base: base})
}

// fill reads the keywords of schema object m.
func (c *compiler) fill(n *node, loc location, m map[string]any) error {
	if sch, ok := m["$schema"]; ok {
		s, _ := sch.(string)
		if strings.TrimSuffix(s, "#") != "https://json-schema.org/draft/2020-12/schema" {
			return errorf(loc, "/$schema", "unsupported $schema %q: only draft 2020-12 is supported", s)
		}
	}
	for _, kw := range sortedKeys(m) {
		val := m[kw]
		at := "/" + escapeToken(kw)
		var err error
		switch kw {
		case "type":
			err = c.fillType(n, loc, val)
		case "const":
			n.hasConst, n.constVal = true, val
		case "enum":
			arr, ok := val.([]any)
			if !ok {
				return errorf(loc, at, "enum must be an array")
			}
			n.hasEnum, n.enum = true, arr
		case "$dynamicRef":
			ref, ok := val.(string)
			if !ok {
				return errorf(loc, at, "$dynamicRef must be a string")
			}
			abs, rerr := resolveURI(loc.base, ref)
			if rerr != nil {
				return errorf(loc, at, "$dynamicRef %q: %w", ref, rerr)
			}
			target, lerr := c.set.lookup(abs)
			if lerr != nil {
				return errorf(loc, at, "unresolved $dynamicRef %q: %w", ref, lerr)
			}
			// dynamic only when the fragment names an anchor that the static
			// target declares with $dynamicAnchor
			if _, frag, _ := strings.Cut(abs, "#"); frag != "" && !strings.HasPrefix(frag, "/") {
				if d, ok := c.set.dynamic[stripFragment(abs)+"#"+frag]; ok && d.key() == target.key() {
					n.dynName = frag
				}
			}
			n.dynRef, err = c.compile(target)
		case "$ref":
			ref, ok := val.(string)
			if !ok {
				return errorf(loc, at, "$ref must be a string")
			}
			abs, rerr := resolveURI(loc.base, ref)
			if rerr != nil {
				return errorf(loc, at, "$ref %q: %w", ref, rerr)
			}
			target, lerr := c.set.lookup(abs)
			if lerr != nil {
				return errorf(loc, at, "unresolved $ref %q: %w", ref, lerr)
			}
			n.refURI = abs
			n.ref, err = c.compile(target)
		case "allOf", "anyOf", "oneOf", "prefixItems":
			arr, ok := val.([]any)
			if !ok || (len(arr) == 0 && kw != "prefixItems") {
				return errorf(loc, at, "%s must be a non-empty array of schemas", kw)
			}
			list := make([]*node, len(arr))
			for i := range arr {
				if list[i], err = c.sub(loc, kw, strconv.Itoa(i)); err != nil {
					return err
				}
			}
			switch kw {
			case "allOf":
				n.allOf = list
			case "anyOf":
				n.anyOf = list
			case "oneOf":
				n.oneOf = list
			default:
				n.prefixItems = list
			}
		case "not":
			n.not, err = c.sub(loc, kw)
		case "if":
			n.ifS, err = c.sub(loc, kw)
		case "then":
			n.thenS, err = c.sub(loc, kw)
		case "else":
			n.elseS, err = c.sub(loc, kw)
		case "additionalProperties":
			n.additional, err = c.sub(loc, kw)
		case "propertyNames":
			n.propNames, err = c.sub(loc, kw)
		case "items":
			n.items, err = c.sub(loc, kw)
		case "contains":
			n.contains, err = c.sub(loc, kw)
		case "unevaluatedProperties":
			n.unevalProps, err = c.sub(loc, kw)
		case "unevaluatedItems":
			n.unevalItems, err = c.sub(loc, kw)
		case "properties", "dependentSchemas":
			obj, ok := val.(map[string]any)
			if !ok {
				return errorf(loc, at, "%s must be an object", kw)
			}
			for _, name := range sortedKeys(obj) {
				sub, serr := c.sub(loc, kw, name)
				if serr != nil {
					return serr
				}
				if kw == "properties" {
					n.props = append(n.props, prop{name, sub})
				} else {
					n.depSchemas = append(n.depSchemas, prop{name, sub})
				}
			}
		case "patternProperties":
			obj, ok := val.(map[string]any)
			if !ok {
				return errorf(loc, at, "patternProperties must be an object")
			}
			for _, p := range sortedKeys(obj) {
				if _, rerr := regexp.Compile(p); rerr != nil {
					return errorf(loc, at, "pattern %q is not a valid regular expression: %w", p, rerr)
				}
				sub, serr := c.sub(loc, kw, p)
				if serr != nil {
					return serr
				}
				n.patternProps = append(n.patternProps, patternProp{p, sub})
			}
		case "required":
			n.required, err = stringList(loc, at, val)
		case "dependentRequired":
			obj, ok := val.(map[string]any)
			if !ok {
				return errorf(loc, at, "dependentRequired must be an object")
			}
			for _, name := range sortedKeys(obj) {
				list, lerr := stringList(loc, at+"/"+escapeToken(name), obj[name])
				if lerr != nil {
					return lerr
				}
				n.depRequired = append(n.depRequired, depRequired{name, list})
			}
		case "minProperties", "maxProperties", "minItems", "maxItems", "minLength", "maxLength", "minContains", "maxContains":
			k, kerr := count(loc, at, val)
			if kerr != nil {
				return kerr
			}
			switch kw {
			case "minProperties":
				n.minProps = k
			case "maxProperties":
				n.maxProps = k
			case "minItems":
				n.minItems = k
			case "maxItems":
				n.maxItems = k
			case "minLength":
				n.minLength = k
			case "maxLength":
				n.maxLength = k
			case "minContains":
				n.minContains = k
			case "maxContains":
				n.maxContains = k
			}
		case "uniqueItems":
			b, ok := val.(bool)
			if !ok {
				return errorf(loc, at, "uniqueItems must be a boolean")
			}
			n.unique = b
		case "pattern":
			p, ok := val.(string)
			if !ok {
				return errorf(loc, at, "pattern must be a string")
			}
			if _, rerr := regexp.Compile(p); rerr != nil {
				return errorf(loc, at, "pattern %q is not a valid regular expression: %w", p, rerr)
			}
			n.pattern = p
		case "format":
			f, ok := val.(string)
			if !ok {
				return errorf(loc, at, "format must be a string")
			}
			if _, known := formatFuncs[f]; known {
				n.format = f
			}
		case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf":
			num, ok := val.(json.Number)
			if !ok {
				return errorf(loc, at, "%s must be a number", kw)
			}
			lit := num.String()
			if _, ok := new(big.Rat).SetString(lit); !ok {
				return errorf(loc, at, "%s: invalid number %s", kw, lit)
			}
			switch kw {
			case "minimum":
				n.minimum = lit
			case "maximum":
				n.maximum = lit
			case "exclusiveMinimum":
				n.exclMinimum = lit
			case "exclusiveMaximum":
				n.exclMaximum = lit
			default:
				r, _ := new(big.Rat).SetString(lit)
				if r.Sign() <= 0 {
					return errorf(loc, at, "multipleOf must be greater than 0")
				}
				n.multipleOf = lit
			}
		case "$id":
			n.resource = true
		default:
			switch {
			case annotationKeywords[kw]:
			case kw == ExpectKeyword:
				n.expect, err = c.sub(loc, kw)
			case strings.HasPrefix(kw, "x-"):
				if kw == "x-hookcontract-secret" {
					b, ok := val.(bool)
					if !ok {
						return errorf(loc, at, "x-hookcontract-secret must be a boolean")
					}
					n.secret = b
				}
			default:
				return errorf(loc, at, "unsupported keyword %q", kw)
			}
		}
		if err != nil {
			return err
		}
	}
	if n.minContains >= 0 || n.maxContains >= 0 {
		if n.contains == nil {
			n.minContains, n.maxContains = -1, -1
		}
	}
	// Subschemas under $defs are compiled only when referenced, but their
	// keywords are still checked so an unsupported one is never ignored.
	if defs, ok := m["$defs"].(map[string]any); ok {
		for _, name := range sortedKeys(defs) {
			if _, err := c.sub(loc, "$defs", name); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *compiler) fillType(n *node, loc location, val any) error {
	var names []string
	switch t := val.(type) {
	case string:
		names = []string{t}
	case []any:
		for _, e := range t {
			s, ok := e.(string)
			if !ok {
				return errorf(loc, "/type", "type must be a string or an array of strings")
			}
			names = append(names, s)
		}
	default:
		return errorf(loc, "/type", "type must be a string or an array of strings")
	}
	for _, s := range names {
		if _, ok := jsonTypes[s]; !ok {
			return errorf(loc, "/type", "unknown type %q", s)
		}
	}
	sort.Slice(names, func(i, j int) bool { return jsonTypes[names[i]] < jsonTypes[names[j]] })
	n.types = names
	if len(names) == 0 {
		// an empty list of types allows nothing, as in v5 it allows everything
		n.types = nil
	}
	return nil
}

func stringList(loc location, at string, val any) ([]string, error) {
	arr, ok := val.([]any)
	if !ok {
		return nil, errorf(loc, at, "must be an array of strings")
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		s, ok := e.(string)
		if !ok {
			return nil, errorf(loc, at, "must be an array of strings")
		}
		out = append(out, s)
	}
	return out, nil
}

func count(loc location, at string, val any) (int, error) {
	num, ok := val.(json.Number)
	if !ok {
		return 0, errorf(loc, at, "must be a non-negative integer")
	}
	r, ok := new(big.Rat).SetString(num.String())
	if !ok || !r.IsInt() || r.Sign() < 0 || !r.Num().IsInt64() || r.Num().Int64() > 1<<31-1 {
		return 0, errorf(loc, at, "must be a non-negative integer")
	}
	return int(r.Num().Int64()), nil
}

// resolveDynamic gives every dynamic $dynamicRef the $dynamicAnchor of
// each compiled resource that declares its name, compiling them, until no
// new resource appears.
func (c *compiler) resolveDynamic() error {
	for {
		resources := map[string]bool{}
		var refs []*node
		for _, k := range sortedKeys(c.nodes) {
			n := c.nodes[k]
			resources[n.base] = true
			if n.dynName != "" {
				refs = append(refs, n)
			}
		}
		if len(refs) == 0 {
			return nil
		}
		before := len(c.nodes)
		for _, n := range refs {
			n.dynCands = n.dynCands[:0]
			for _, r := range sortedKeys(resources) {
				loc, ok := c.set.dynamic[r+"#"+n.dynName]
				if !ok {
					continue
				}
				m, err := c.compile(loc)
				if err != nil {
					return err
				}
				n.dynCands = append(n.dynCands, m)
			}
		}
		if len(c.nodes) == before {
			return nil
		}
	}
}

// checkLoops rejects schemas that apply themselves to the same instance
// without end ($ref cycles that never descend into the instance).
func (c *compiler) checkLoops() error {
	const (
		white = iota
		grey
		black
	)
	color := map[*node]int{}
	var visit func(n *node) error
	visit = func(n *node) error {
		switch color[n] {
		case grey:
			return fmt.Errorf("compile schema %q at %q: the schema applies itself to the same value without end", n.source, ptrOrRoot(n.ptr))
		case black:
			return nil
		}
		color[n] = grey
		for _, m := range n.inPlace() {
			if err := visit(m); err != nil {
				return err
			}
		}
		color[n] = black
		return nil
	}
	for _, k := range sortedKeys(c.nodes) {
		if err := visit(c.nodes[k]); err != nil {
			return err
		}
	}
	return nil
}

func ptrOrRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

// inPlace lists the subschemas applied to the same instance as n.
func (n *node) inPlace() []*node {
	var out []*node
	add := func(m ...*node) {
		for _, x := range m {
			if x != nil {
				out = append(out, x)
			}
		}
	}
	add(n.ref, n.dynRef, n.not, n.ifS, n.thenS, n.elseS)
	add(n.dynCands...)
	add(n.allOf...)
	add(n.anyOf...)
	add(n.oneOf...)
	for _, d := range n.depSchemas {
		add(d.node)
	}
	return out
}
