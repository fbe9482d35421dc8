// Package schemagen compiles JSON Schema (2020-12 by default; 2019-09,
// draft-07 and draft-04 by $schema or WithDialect) into Go validator code
// that reads raw JSON bytes and needs only the standard library.
//
// A Set holds schema documents keyed by absolute $id URI; Compile resolves
// the schemas reachable from a list of roots into a Program; Emit writes one
// validator function per root (and one helper per distinct schema) into a
// jennifer file; Runtime returns the source of the small runtime those
// functions call, to be written into the same package. The generated
// validators agree with santhosh-tekuri/jsonschema/v5 (the same draft,
// formats asserted, decoding with UseNumber) accept for accept and reject
// for reject; where v5 and the JSON-Schema-Test-Suite disagree (empty enum),
// they follow the suite, and uri-template follows RFC 6570 (the runner
// registers hcrt.URITemplateFormat with v5).
//
// Keywords: $schema $id $ref $dynamicRef $defs $anchor $dynamicAnchor
// $comment type enum const properties required additionalProperties
// patternProperties propertyNames items prefixItems contains minContains
// maxContains minItems maxItems uniqueItems minLength maxLength pattern
// format minimum maximum exclusiveMinimum exclusiveMaximum multipleOf allOf
// anyOf oneOf not if then else minProperties maxProperties
// dependentRequired dependentSchemas unevaluatedProperties unevaluatedItems,
// boolean schemas, annotations and x-* extensions, and x-hookcontract-expect
// (see ExpectKeyword: expectations, reported with grade expected on a
// payload that meets every guarantee); by draft, id,
// definitions, dependencies, items arrays and additionalItems,
// $recursiveRef and $recursiveAnchor, boolean exclusive bounds; the OpenAPI
// Schema Object's discriminator (see Program.Discriminators), example, xml,
// externalDocs (an OpenAPI 3.0 document's nullable, boolean exclusive
// bounds and $ref siblings are rewritten when it is loaded:
// contract.RewriteOAS30). A keyword of another draft is
// ignored with a warning, as v5 ignores it; any other keyword is a compile
// error naming it, its file, line, column and JSON pointer (or, with
// UnknownKeywordsAsAnnotations, a warning).
//
// What a generated validator guarantees:
//   - the payload is parsed once into a flat tape (pooled, so the valid
//     path allocates nothing); input that is not JSON (invalid UTF-8, a
//     byte order mark, trailing data, nesting deeper than 10000) gives one
//     violation with keyword "json" naming line and column; a repeated
//     object key gives "duplicate-key" at the later member and stops
//     validation (parsers disagree on which value wins);
//   - numbers are compared exactly in decimal (1.0 and 1e2 are integers,
//     ids beyond 2^53 keep every digit); strings are compared after
//     unescaping and measured in code points;
//   - every violation is reported, each with a JSON pointer, the failing
//     keyword and a message saying what was expected and found; values under
//     x-hookcontract-secret never reach a message; if/then/else reports the
//     taken branch; a failed anyOf/oneOf whose branches pin a property with
//     const or enum reports the failures of the one branch whose pin
//     matches, or else one violation at the union.
package schemagen

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hookcontract/hookcontract/internal/goident"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// Set holds JSON Schema resources keyed by absolute $id URI.
type Set struct {
	docs      map[string]*document // by the id given to Add
	resources map[string]location  // by absolute URI without fragment
	anchors   map[string]location  // by absolute URI#anchor
	dynamic   map[string]location  // $dynamicAnchor (and $recursiveAnchor), by absolute URI#anchor
	bases     map[string]string    // base URI in effect, by document id#pointer
	drafts    map[string]Dialect   // dialect in effect, by document id#pointer
	namespace string               // prefixes node identities (tests merge programs of many sets)
	opts      options
}

type document struct {
	id     string
	source string
	raw    []byte
	root   any
	locate Locator // nil: positions are found in raw
}

// Locator gives the 1-based line and column, in a document's source file,
// of the value at a JSON pointer, or 0, 0 when it cannot tell.
type Locator func(pointer string) (line, column int)

type location struct {
	doc   *document
	ptr   string  // JSON pointer from the document root
	base  string  // base URI in effect at ptr
	draft Dialect // dialect in effect at ptr
}

func (l location) key() string { return l.doc.id + "#" + l.ptr }

// NewSet returns an empty set configured by opts (none: draft 2020-12
// semantics for schemas that do not declare $schema, every problem an
// error).
func NewSet(opts ...Option) *Set {
	s := &Set{
		docs:      map[string]*document{},
		resources: map[string]location{},
		anchors:   map[string]location{},
		dynamic:   map[string]location{},
		bases:     map[string]string{},
		drafts:    map[string]Dialect{},
	}
	for _, o := range opts {
		o(&s.opts)
	}
	return s
}

// Add registers a schema document under id; source is the name used in
// error messages (e.g. "specs/salesiq/schemas/visitor.json"). Problems
// are located by line and column in doc.
func (s *Set) Add(id string, doc []byte, source string) error {
	return s.AddWithLocator(id, doc, source, nil)
}

// AddWithLocator is Add for a document whose source file is not the JSON
// given (a YAML document converted to JSON): locate maps a JSON pointer to
// its position in the source file. A nil locate locates in doc.
func (s *Set) AddWithLocator(id string, doc []byte, source string, locate Locator) error {
	u, err := url.Parse(id)
	if err != nil || !u.IsAbs() {
		return fmt.Errorf("add schema %q: id %q is not an absolute URI", source, id)
	}
	u.Fragment, u.RawFragment = "", ""
	id = u.String()
	if _, dup := s.docs[id]; dup {
		return fmt.Errorf("add schema %q: id %q is already registered", source, id)
	}
	root, err := decodeJSON(doc)
	if err != nil {
		return fmt.Errorf("add schema %q: %w", source, err)
	}
	d := &document{id: id, source: source, raw: doc, root: root, locate: locate}
	draft := s.opts.dialect
	if m, ok := root.(map[string]any); ok {
		if sch, ok := m["$schema"].(string); ok {
			if dd, known := dialectOf(sch); known {
				draft = dd
			}
		}
	}
	s.docs[id] = d
	s.resources[id] = location{doc: d, ptr: "", base: id, draft: draft}
	if err := s.index(d, root, "", id, draft); err != nil {
		return fmt.Errorf("add schema %q: %w", source, err)
	}
	return nil
}

// decodeJSON decodes one JSON value keeping numbers exact; it rejects
// trailing data.
func decodeJSON(data []byte) (any, error) {
	if !utf8.Valid(data) {
		return nil, errors.New("decode JSON: invalid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("decode JSON: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("decode JSON: unexpected data after the top-level value")
	}
	return v, nil
}

// Keywords whose values are schemas, maps of schemas or arrays of schemas
// (in some draft; items and dependencies may hold either).
var (
	schemaKeywords = []string{"additionalProperties", "propertyNames", "items", "contains", "not",
		"if", "then", "else", "unevaluatedProperties", "unevaluatedItems", "contentSchema", "additionalItems", ExpectKeyword}
	schemaMapKeywords   = []string{"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"}
	schemaArrayKeywords = []string{"prefixItems", "allOf", "anyOf", "oneOf", "items"}
)

// recursiveAnchor is the anchor name under which a 2019-09
// "$recursiveAnchor": true is recorded with the $dynamicAnchor of 2020-12:
// $recursiveRef is resolved as a $dynamicRef to it. No $dynamicAnchor can
// have this name (anchors are NCNames).
const recursiveAnchor = "(recursive)"

// index walks the subschemas of d, recording resources ($id, or id in
// draft-04), anchors, and the base URI and dialect of every subschema.
func (s *Set) index(d *document, v any, ptr, base string, draft Dialect) error {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	if sch, ok := m["$schema"].(string); ok && ptr != "" {
		if _, hasID := m[draft.idKeyword()]; hasID {
			if dd, known := dialectOf(sch); known {
				draft = dd
			}
		}
	}
	_, hasRef := m["$ref"]
	ignoreID := hasRef && draft.version() < 2019
	if id, ok := m[draft.idKeyword()].(string); ok && !ignoreID {
		b, err := resolveURI(base, id)
		if err != nil {
			return fmt.Errorf("at %q: %s %q: %w", ptr, draft.idKeyword(), id, err)
		}
		whole, frag, _ := strings.Cut(b, "#")
		if draft.version() <= 7 && frag != "" {
			// an id with a fragment names a plain-name anchor before 2019-09
			s.anchors[whole+"#"+frag] = location{doc: d, ptr: ptr, base: whole, draft: draft}
		}
		if !strings.HasPrefix(id, "#") {
			if prev, dup := s.resources[whole]; dup && prev.key() != d.id+"#"+ptr {
				if ptr != "" {
					return fmt.Errorf("at %q: %s %q is already used by %q", ptr, draft.idKeyword(), whole, prev.doc.source)
				}
			}
			base = whole
			s.resources[whole] = location{doc: d, ptr: ptr, base: whole, draft: draft}
		}
	}
	s.bases[d.id+"#"+ptr] = base
	s.drafts[d.id+"#"+ptr] = draft
	here := location{doc: d, ptr: ptr, base: base, draft: draft}
	if draft.version() >= 2019 {
		if a, ok := m["$anchor"].(string); ok {
			s.anchors[base+"#"+a] = here
		}
	}
	if draft.version() >= 2020 {
		if a, ok := m["$dynamicAnchor"].(string); ok {
			s.anchors[base+"#"+a] = here
			s.dynamic[base+"#"+a] = here
		}
	}
	if draft.version() == 2019 {
		if ra, _ := m["$recursiveAnchor"].(bool); ra {
			s.dynamic[base+"#"+recursiveAnchor] = here
		}
	}
	for _, kw := range schemaKeywords {
		if sub, ok := m[kw]; ok {
			if err := s.index(d, sub, ptr+"/"+jsonpointer.Escape(kw), base, draft); err != nil {
				return err
			}
		}
	}
	for _, kw := range schemaMapKeywords {
		if sub, ok := m[kw].(map[string]any); ok {
			for _, name := range sortedKeys(sub) {
				if err := s.index(d, sub[name], ptr+"/"+jsonpointer.Escape(kw)+"/"+jsonpointer.Escape(name), base, draft); err != nil {
					return err
				}
			}
		}
	}
	for _, kw := range schemaArrayKeywords {
		if sub, ok := m[kw].([]any); ok {
			for i, e := range sub {
				if err := s.index(d, e, ptr+"/"+kw+"/"+strconv.Itoa(i), base, draft); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func resolveURI(base, ref string) (string, error) {
	r, err := url.Parse(ref)
	if err != nil {
		return "", err
	}
	if base == "" {
		return r.String(), nil
	}
	b, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	return b.ResolveReference(r).String(), nil
}

func stripFragment(u string) string {
	if i := strings.IndexByte(u, '#'); i >= 0 {
		return u[:i]
	}
	return u
}

// unescapeToken turns a JSON pointer token into a member name.
func unescapeToken(s string) string { return jsonpointer.Unescape(s) }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// lookup resolves an absolute URI (with an optional fragment) to a location.
func (s *Set) lookup(uri string) (location, error) {
	frag := ""
	base := uri
	if i := strings.IndexByte(uri, '#'); i >= 0 {
		base, frag = uri[:i], uri[i+1:]
		if f, err := url.PathUnescape(frag); err == nil {
			frag = f
		}
	}
	res, ok := s.resources[base]
	if !ok {
		return location{}, fmt.Errorf("no schema is registered under %q", base)
	}
	if frag == "" {
		return res, nil
	}
	if !strings.HasPrefix(frag, "/") {
		a, ok := s.anchors[base+"#"+frag]
		if !ok {
			return location{}, fmt.Errorf("no anchor %q in %q", frag, base)
		}
		return a, nil
	}
	ptr := res.ptr + frag
	if _, err := jsonpointer.Get(res.doc.root, ptr); err != nil {
		return location{}, fmt.Errorf("%q in %q: %w", frag, base, err)
	}
	b, ok := s.bases[res.doc.id+"#"+ptr]
	if !ok {
		b = res.base
	}
	dr, ok := s.drafts[res.doc.id+"#"+ptr]
	if !ok {
		dr = res.draft
	}
	return location{doc: res.doc, ptr: ptr, base: b, draft: dr}, nil
}

func jsonTypeOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

// Root names a schema to emit a validator for.
type Root struct {
	URI      string // absolute URI, optionally with a JSON-pointer fragment: https://x/y.json#/$defs/z
	FuncName string // Go name of the generated function
}

// Program is the compiled model of the schemas reachable from some roots.
type Program struct {
	roots     []compiledRoot
	nodes     map[string]*node // by location key
	warnings  []Problem
	tapeFns   map[string]string // root function name -> its node validator, set by Emit
	acceptFns map[string]string // root function name -> its acceptor, set by Emit
	// root function name -> its acceptor of guarantees alone, set by Emit
	guaranteeFns map[string]string
}

// NodeFunc returns the name of the function, func(st *hcrt.State, i int32)
// bool, that Emit wrote for root funcName's schema: it validates node i of
// a scanned tape. "" before Emit or for an unknown root; TapeFunc names
// the root's validator of a whole tape.
func (p *Program) NodeFunc(funcName string) string { return p.tapeFns[funcName] }

type compiledRoot struct {
	funcName string
	node     *node
}

// Compile resolves $ref (relative URIs, JSON-pointer fragments, $anchor,
// $defs, nested $id) and builds a model of the schemas reachable from
// roots, each by the rules of its draft. Every problem in a schema a root
// reaches (a keyword outside the supported set, a malformed value, an
// unresolved $ref, a pattern RE2 cannot compile) is reported in one
// *CompileError, each naming the source file, line and column, and JSON
// pointer. Problems in schemas no root reaches, and what the compiler
// ignores (keywords of another draft, nullable outside OpenAPI 3.0, skipped
// patterns), are warnings: see Program.Warnings.
func (s *Set) Compile(roots []Root) (*Program, error) {
	c := &compiler{set: s, nodes: map[string]*node{}, seenProblem: map[string]bool{}}
	p := &Program{nodes: c.nodes}
	seen := map[string]bool{}
	for _, r := range roots {
		if !goident.IsDeclarable(r.FuncName) {
			return nil, fmt.Errorf("compile %q: function name %q is not a Go identifier a package-level function may take (keywords, _ and predeclared names are refused)", r.URI, r.FuncName)
		}
		if seen[r.FuncName] {
			return nil, fmt.Errorf("compile %q: function name %q is used twice", r.URI, r.FuncName)
		}
		seen[r.FuncName] = true
		loc, err := s.lookup(r.URI)
		if err != nil {
			return nil, fmt.Errorf("compile %q: %w", r.URI, err)
		}
		p.roots = append(p.roots, compiledRoot{funcName: r.FuncName, node: c.compile(loc)})
	}
	c.resolveDynamic()
	c.checkLoops()
	reached := map[string]bool{}
	for n := range p.reached() {
		reached[n.loc.key()] = true
	}
	var errs, warns []problem
	for _, pr := range c.problems {
		if pr.warning || !reached[pr.node] {
			if !pr.warning {
				pr.msg += " (no root reaches this schema)"
			}
			warns = append(warns, pr)
		} else {
			errs = append(errs, pr)
		}
	}
	p.warnings = located(warns)
	if len(errs) > 0 {
		return nil, &CompileError{Problems: located(errs)}
	}
	return p, nil
}

// reached is the set of nodes the roots reach.
func (p *Program) reached() map[*node]bool {
	out := map[*node]bool{}
	var visit func(n *node)
	visit = func(n *node) {
		if out[n] {
			return
		}
		out[n] = true
		for _, m := range n.children() {
			visit(m)
		}
	}
	for _, r := range p.roots {
		visit(r.node)
	}
	return out
}

// Warnings lists what Compile did not enforce, and problems in schemas no
// root reaches, in file and position order.
func (p *Program) Warnings() []Problem { return p.warnings }

// Merge combines programs compiled from different sets into one, for
// emitting them into one file. Nodes with the same location must compile
// the same way in every set.
func Merge(programs ...*Program) *Program {
	out := &Program{nodes: map[string]*node{}}
	for _, p := range programs {
		out.roots = append(out.roots, p.roots...)
		out.warnings = append(out.warnings, p.warnings...)
		for _, n := range p.nodes {
			if _, ok := out.nodes[n.key]; !ok {
				out.nodes[n.key] = n
			}
		}
	}
	return out
}
