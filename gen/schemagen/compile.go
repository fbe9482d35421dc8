package schemagen

import (
	"encoding/json"
	"math/big"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// node is one compiled schema (a location in a document).
type node struct {
	key    string // document id#pointer: identity and sort key
	uri    string // base URI + fragment, shown in the generated comment
	source string
	ptr    string
	loc    location

	boolean *bool // a boolean schema
	secret  bool  // x-hookcontract-secret
	expect  *node // x-hookcontract-expect (see ExpectKeyword)

	types         []string // JSON type names, "integer" included
	hasConst      bool
	constVal      any
	hasEnum       bool
	enum          []any
	ref           *node
	refURI        string
	allOf         []*node
	anyOf         []*node
	oneOf         []*node
	not           *node
	ifS           *node
	thenS         *node
	elseS         *node
	props         []prop
	patternProps  []patternProp
	additional    *node
	propNames     *node
	required      []string
	minProps      int
	maxProps      int
	depRequired   []depRequired
	depSchemas    []prop
	prefixItems   []*node
	items         *node
	contains      *node
	minContains   int // -1: absent (1 when contains is present)
	maxContains   int
	minItems      int
	maxItems      int
	unique        bool
	minLength     int
	maxLength     int
	pattern       string
	format        string
	minimum       string // number literals; "" when absent
	maximum       string
	exclMinimum   string
	exclMaximum   string
	multipleOf    string
	base          string         // URI of the schema resource the node belongs to
	resource      bool           // the node has $id: evaluating it enters its resource
	dynRef        *node          // $dynamicRef (or $recursiveRef), resolved statically
	dynName       string         // the anchor a dynamic $dynamicRef looks up in the dynamic scope
	dynCands      []*node        // every compiled $dynamicAnchor dynName, by resource
	unevalProps   *node          // unevaluatedProperties
	unevalItems   *node          // unevaluatedItems
	discriminator *Discriminator // OpenAPI discriminator (an annotation)
	contentB64    bool           // draft-07 contentEncoding: base64, asserted
	contentJSON   bool           // draft-07 contentMediaType: application/json, asserted
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
	set         *Set
	nodes       map[string]*node
	problems    []problem
	seenProblem map[string]bool
}

// Keywords that are annotations only, or handled while indexing. The
// OpenAPI Schema Object adds discriminator (read into the IR, see
// Program.Discriminators), example, xml and externalDocs; nullable (an
// OpenAPI 3.0 keyword, rewritten when a 3.0 document is loaded) is
// handled in keyword.
var annotationKeywords = map[string]bool{
	"$schema": true, "$id": true, "id": true, "$anchor": true, "$dynamicAnchor": true, "$recursiveAnchor": true,
	"$comment": true, "$defs": true, "definitions": true,
	"title": true, "description": true, "examples": true, "default": true, "deprecated": true,
	"readOnly": true, "writeOnly": true, "contentMediaType": true, "contentEncoding": true,
	"contentSchema": true,
	"example":       true, "xml": true, "externalDocs": true,
}

// Formats asserted, with the runtime function that checks each (the set of
// jsonschema/v5; other formats are ignored, as v5 ignores them).
var formatFuncs = map[string]string{
	"date-time":             "FmtDateTime",
	"date":                  "FmtDate",
	"time":                  "FmtTime",
	"duration":              "FmtDuration",
	"period":                "FmtPeriod",
	"hostname":              "FmtHostname",
	"email":                 "FmtEmail",
	"ip-address":            "FmtIPv4",
	"ipv4":                  "FmtIPv4",
	"ipv6":                  "FmtIPv6",
	"uri":                   "FmtURI",
	"iri":                   "FmtURI",
	"uri-reference":         "FmtURIReference",
	"uriref":                "FmtURIReference",
	"iri-reference":         "FmtURIReference",
	"uri-template":          "FmtURITemplate",
	"regex":                 "FmtRegex",
	"json-pointer":          "FmtJSONPointer",
	"relative-json-pointer": "FmtRelativeJSONPointer",
	"uuid":                  "FmtUUID",
}

var jsonTypes = map[string]int{"null": 0, "boolean": 1, "object": 2, "array": 3, "number": 4, "integer": 5, "string": 6}

// compile returns the node of the schema at loc, compiling it once. A
// problem is reported, never returned: the node is then incomplete, and
// Compile fails if a root reaches it.
func (c *compiler) compile(loc location) *node {
	key := loc.key()
	if n, ok := c.nodes[key]; ok {
		return n
	}
	if b, ok := c.set.bases[key]; ok {
		loc.base = b
	}
	if d, ok := c.set.drafts[key]; ok {
		loc.draft = d
	}
	uri := loc.base
	if loc.ptr != "" {
		uri = loc.doc.id + "#" + loc.ptr
	}
	n := &node{key: c.set.namespace + key, uri: uri, source: loc.doc.source, ptr: loc.ptr, base: loc.base, loc: loc,
		minContains: -1, maxContains: -1, minItems: -1, maxItems: -1,
		minLength: -1, maxLength: -1, minProps: -1, maxProps: -1}
	c.nodes[key] = n
	v, err := jsonpointer.Get(loc.doc.root, loc.ptr)
	if err != nil {
		c.report(loc, errorf(loc, "", "%w", err), false)
		return n
	}
	switch x := v.(type) {
	case bool:
		n.boolean = &x
	case map[string]any:
		c.fill(n, loc, x)
	default:
		c.report(loc, errorf(loc, "", "a schema must be an object or a boolean, found %s", jsonTypeOf(v)), false)
	}
	return n
}

func (c *compiler) sub(loc location, kw string, extra ...string) *node {
	ptr := loc.ptr + "/" + jsonpointer.Escape(kw)
	for _, e := range extra {
		ptr += "/" + jsonpointer.Escape(e)
	}
	base, ok := c.set.bases[loc.doc.id+"#"+ptr]
	if !ok {
		base = loc.base
	}
	return c.compile(location{doc: loc.doc, ptr: ptr, base: base, draft: loc.draft})
}

// fillState carries what one keyword of a schema object tells another.
type fillState struct {
	m          map[string]any
	exclMinSet bool // boolean exclusiveMinimum: true
	exclMaxSet bool
}

// fill reads the keywords of schema object m, reporting every problem.
func (c *compiler) fill(n *node, loc location, m map[string]any) {
	if sch, ok := m["$schema"]; ok {
		s, _ := sch.(string)
		if _, known := dialectOf(s); !known {
			c.report(loc, errorf(loc, "/$schema", "unsupported $schema %q: the supported drafts are 2020-12, 2019-09, draft-07 and draft-04", s), false)
		}
	}
	fs := &fillState{m: m}
	ver := loc.draft.version()
	_, hasRef := m["$ref"]
	refOnly := hasRef && ver < 2019
	for _, kw := range sortedKeys(m) {
		if refOnly && kw != "$ref" {
			continue // $ref replaces its siblings before 2019-09
		}
		if r, ok := keywordDrafts[kw]; ok && (ver < r[0] || ver > r[1]) {
			if !annotationKeywords[kw] {
				c.warn(loc, "/"+jsonpointer.Escape(kw), "%s is not a %s keyword (it is defined from %s to %s): ignored, as the reference validator ignores it",
					kw, loc.draft, draftName(r[0]), draftName(r[1]))
			}
			continue
		}
		if err := c.keyword(n, loc, fs, kw, m[kw]); err != nil {
			c.report(loc, err, false)
		}
	}
	if fs.exclMinSet && n.minimum != "" {
		n.exclMinimum, n.minimum = n.minimum, ""
	}
	if fs.exclMaxSet && n.maximum != "" {
		n.exclMaximum, n.maximum = n.maximum, ""
	}
	if n.minContains >= 0 || n.maxContains >= 0 {
		if n.contains == nil {
			n.minContains, n.maxContains = -1, -1
		}
	}
	if refOnly {
		return
	}
	// Subschemas under $defs (and definitions) are compiled only when
	// referenced, but their keywords are still checked so an unsupported
	// one is never ignored: a problem there is a warning unless a root
	// reaches it.
	for _, kw := range []string{"$defs", "definitions"} {
		if defs, ok := m[kw].(map[string]any); ok {
			for _, name := range sortedKeys(defs) {
				c.sub(loc, kw, name)
			}
		}
	}
}

// keyword reads one keyword of a schema object into n.
func (c *compiler) keyword(n *node, loc location, fs *fillState, kw string, val any) error {
	at := "/" + jsonpointer.Escape(kw)
	ver := loc.draft.version()
	switch kw {
	case "type":
		return c.fillType(n, loc, val)
	case "const":
		n.hasConst, n.constVal = true, val
	case "enum":
		arr, ok := val.([]any)
		if !ok {
			return errorf(loc, at, "enum must be an array")
		}
		n.hasEnum, n.enum = true, arr
	case "$dynamicRef", "$recursiveRef":
		ref, ok := val.(string)
		if !ok {
			return errorf(loc, at, "%s must be a string", kw)
		}
		abs, rerr := resolveURI(loc.base, ref)
		if rerr != nil {
			return errorf(loc, at, "%s %q: %w", kw, ref, rerr)
		}
		target, lerr := c.set.lookup(abs)
		if lerr != nil {
			return errorf(loc, at, "unresolved %s %q: %w", kw, ref, lerr)
		}
		// dynamic only when the fragment names an anchor that the static
		// target declares with $dynamicAnchor ($recursiveAnchor: true)
		name, anchorKey := recursiveAnchor, target.base+"#"+recursiveAnchor
		if kw == "$dynamicRef" {
			_, name, _ = strings.Cut(abs, "#")
			anchorKey = stripFragment(abs) + "#" + name
		}
		if name != "" && !strings.HasPrefix(name, "/") {
			if d, ok := c.set.dynamic[anchorKey]; ok && d.key() == target.key() {
				n.dynName = name
			}
		}
		n.dynRef = c.compile(target)
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
		n.ref = c.compile(target)
	case "allOf", "anyOf", "oneOf", "prefixItems":
		arr, ok := val.([]any)
		if !ok || (len(arr) == 0 && kw != "prefixItems") {
			return errorf(loc, at, "%s must be a non-empty array of schemas", kw)
		}
		list := c.subList(loc, kw, arr)
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
		n.not = c.sub(loc, kw)
	case "if":
		n.ifS = c.sub(loc, kw)
	case "then":
		n.thenS = c.sub(loc, kw)
	case "else":
		n.elseS = c.sub(loc, kw)
	case "additionalProperties":
		n.additional = c.sub(loc, kw)
	case "propertyNames":
		n.propNames = c.sub(loc, kw)
	case "items":
		if arr, ok := val.([]any); ok {
			if ver >= 2020 {
				return errorf(loc, at, "items must be a schema in %s (an array of schemas is prefixItems)", loc.draft)
			}
			n.prefixItems = c.subList(loc, kw, arr)
			return nil
		}
		n.items = c.sub(loc, kw)
	case "additionalItems":
		// applies beyond an array of items; ignored beside a single schema
		if _, ok := fs.m["items"].([]any); ok {
			n.items = c.sub(loc, kw)
		}
	case "contains":
		n.contains = c.sub(loc, kw)
	case "unevaluatedProperties":
		n.unevalProps = c.sub(loc, kw)
	case "unevaluatedItems":
		n.unevalItems = c.sub(loc, kw)
	case "properties", "dependentSchemas":
		obj, ok := val.(map[string]any)
		if !ok {
			return errorf(loc, at, "%s must be an object", kw)
		}
		for _, name := range sortedKeys(obj) {
			sub := c.sub(loc, kw, name)
			if kw == "properties" {
				n.props = append(n.props, prop{name, sub})
			} else {
				n.depSchemas = append(n.depSchemas, prop{name, sub})
			}
		}
	case "dependencies":
		// before 2019-09: an array is dependentRequired, a schema dependentSchemas
		obj, ok := val.(map[string]any)
		if !ok {
			return errorf(loc, at, "dependencies must be an object")
		}
		for _, name := range sortedKeys(obj) {
			if _, isList := obj[name].([]any); isList {
				list, lerr := stringList(loc, at+"/"+jsonpointer.Escape(name), obj[name])
				if lerr != nil {
					return lerr
				}
				n.depRequired = append(n.depRequired, depRequired{name, list})
				continue
			}
			n.depSchemas = append(n.depSchemas, prop{name, c.sub(loc, kw, name)})
		}
	case "patternProperties":
		obj, ok := val.(map[string]any)
		if !ok {
			return errorf(loc, at, "patternProperties must be an object")
		}
		for _, p := range sortedKeys(obj) {
			if _, rerr := regexp.Compile(p); rerr != nil {
				c.report(loc, errorf(loc, at+"/"+jsonpointer.Escape(p), "pattern %q is not a regular expression Go's regexp (RE2) accepts: %w (a property pattern cannot be skipped: which members are additional would change)", p, rerr), false)
				continue
			}
			n.patternProps = append(n.patternProps, patternProp{p, c.sub(loc, kw, p)})
		}
	case "required":
		list, err := stringList(loc, at, val)
		n.required = list
		return err
	case "dependentRequired":
		obj, ok := val.(map[string]any)
		if !ok {
			return errorf(loc, at, "dependentRequired must be an object")
		}
		for _, name := range sortedKeys(obj) {
			list, lerr := stringList(loc, at+"/"+jsonpointer.Escape(name), obj[name])
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
			if c.set.opts.skipPatterns {
				c.warn(loc, at, "pattern %q is not a regular expression Go's regexp (RE2) accepts (%v): skipped, it constrains nothing", p, rerr)
				return nil
			}
			return errorf(loc, at, "pattern %q is not a regular expression Go's regexp (RE2) accepts: %w (SkipUnsupportedPatterns makes it an annotation)", p, rerr)
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
	case "exclusiveMinimum", "exclusiveMaximum":
		if b, ok := val.(bool); ok {
			// draft-04: a flag making minimum/maximum exclusive (an
			// OpenAPI 3.0 document is rewritten to numbers when loaded)
			if ver != 4 {
				return errorf(loc, at, "%s must be a number in %s (a boolean is draft-04 and OpenAPI 3.0 syntax)", kw, loc.draft)
			}
			if kw == "exclusiveMinimum" {
				fs.exclMinSet = b
			} else {
				fs.exclMaxSet = b
			}
			return nil
		}
		return c.number(n, loc, kw, val)
	case "minimum", "maximum", "multipleOf":
		return c.number(n, loc, kw, val)
	case "$id", "id":
		if s, ok := val.(string); ok && !strings.HasPrefix(s, "#") {
			n.resource = true
		}
	case "contentEncoding", "contentMediaType":
		// asserted in draft-07, as the reference asserts them there; annotations from 2019-09
		if v, _ := val.(string); ver == 7 {
			n.contentB64 = n.contentB64 || (kw == "contentEncoding" && v == "base64")
			n.contentJSON = n.contentJSON || (kw == "contentMediaType" && v == "application/json")
		}
	case "nullable":
		b, ok := val.(bool)
		if !ok {
			return errorf(loc, at, "nullable must be a boolean")
		}
		if b {
			// An OpenAPI 3.0 document's nullable is rewritten into its
			// type when loaded (contract.RewriteOAS30).
			c.warn(loc, at, `nullable is an OpenAPI 3.0 keyword, not JSON Schema: ignored (null is allowed only where type allows "null")`)
		}
		return nil
	case "discriminator":
		d, err := c.discriminator(loc, at, val)
		if err != nil {
			return err
		}
		n.discriminator = d
	case ExpectKeyword:
		n.expect = c.sub(loc, kw)
	case "x-hookcontract-secret":
		b, ok := val.(bool)
		if !ok {
			return errorf(loc, at, "x-hookcontract-secret must be a boolean")
		}
		n.secret = b
	default:
		// annotations, and every x-* extension, assert nothing
		if !annotationKeywords[kw] && !strings.HasPrefix(kw, "x-") {
			if c.set.opts.unknownAsAnnotations {
				c.warn(loc, at, "unknown keyword %q: an annotation, it constrains nothing", kw)
				return nil
			}
			return errorf(loc, at, "unsupported keyword %q (UnknownKeywordsAsAnnotations makes unknown keywords annotations)", kw)
		}
	}
	return nil
}

// subList compiles the array of schemas under keyword kw.
func (c *compiler) subList(loc location, kw string, arr []any) []*node {
	list := make([]*node, len(arr))
	for i := range arr {
		list[i] = c.sub(loc, kw, strconv.Itoa(i))
	}
	return list
}

// number reads a numeric keyword.
func (c *compiler) number(n *node, loc location, kw string, val any) error {
	at := "/" + jsonpointer.Escape(kw)
	num, ok := val.(json.Number)
	if !ok {
		return errorf(loc, at, "%s must be a number", kw)
	}
	lit := num.String()
	r, ok := new(big.Rat).SetString(lit)
	if !ok {
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
		if r.Sign() <= 0 {
			return errorf(loc, at, "multipleOf must be greater than 0")
		}
		n.multipleOf = lit
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
func (c *compiler) resolveDynamic() {
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
			return
		}
		before := len(c.nodes)
		for _, n := range refs {
			n.dynCands = n.dynCands[:0]
			for _, r := range sortedKeys(resources) {
				loc, ok := c.set.dynamic[r+"#"+n.dynName]
				if !ok {
					continue
				}
				n.dynCands = append(n.dynCands, c.compile(loc))
			}
		}
		if len(c.nodes) == before {
			return
		}
	}
}

// checkLoops reports schemas that apply themselves to the same instance
// without end ($ref cycles that never descend into the instance).
func (c *compiler) checkLoops() {
	const (
		white = iota
		grey
		black
	)
	color := map[*node]int{}
	var visit func(n *node)
	visit = func(n *node) {
		switch color[n] {
		case grey:
			c.report(n.loc, errorf(n.loc, "", "the schema applies itself to the same value without end"), false)
			return
		case black:
			return
		}
		color[n] = grey
		for _, m := range n.inPlace() {
			visit(m)
		}
		color[n] = black
	}
	for _, k := range sortedKeys(c.nodes) {
		visit(c.nodes[k])
	}
}

// children lists every subschema n applies, in place or to a member or
// item.
func (n *node) children() []*node {
	out := n.inPlace()
	add := func(m ...*node) {
		for _, x := range m {
			if x != nil {
				out = append(out, x)
			}
		}
	}
	for _, p := range n.props {
		add(p.node)
	}
	for _, p := range n.patternProps {
		add(p.node)
	}
	add(n.additional, n.propNames, n.items, n.contains, n.unevalProps, n.unevalItems)
	add(n.prefixItems...)
	return out
}

// presenceNames lists the member names whose presence n's required and
// dependentRequired test, in order, with repeats.
func (n *node) presenceNames() []string {
	out := append([]string(nil), n.required...)
	for _, d := range n.depRequired {
		out = append(out, d.name)
		out = append(out, d.required...)
	}
	return out
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
