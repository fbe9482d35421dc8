package gen

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Go type kinds of the model.
type kind int

const (
	kindStruct kind = iota + 1
	kindEnum
)

// goType is a Go type expression of the model: a named type (Named set), a
// builtin or support type (Builtin), a slice or a pointer.
type goType struct {
	Named   *namedType
	Builtin string // "string", "int64", "bool", "json.Number", "json.RawMessage", "IntOrString", "BoolOrString", "StringBool"
	Slice   *goType
}

// namedType is a type the generated package declares.
type namedType struct {
	Name   string
	Kind   kind
	Doc    string
	Source string // schema location it comes from
	Fields []*field
	Values []string // enum values
}

type field struct {
	GoName   string
	JSONName string
	Type     goType
	Required bool // always present: not a pointer
	Doc      string
	Secret   bool
}

// view is the merged description of the schemas that apply to one value:
// the schema itself, what it references, allOf parts, and the branches of
// conditionals (a union is decoded as one struct with the members of every
// branch; the validator enforces which combination is allowed).
type view struct {
	types    map[string]bool
	enum     []any
	hasConst bool
	constVal any
	props    []string          // in first-seen order
	propNode map[string][]node // every schema that describes the member
	required map[string]int    // how many branches require it
	items    []node
	secret   bool
	doc      string
	refs     []node // pure $ref targets seen for this value
}

type typeBuilder struct {
	s          *schemas
	byLoc      map[string]*namedType
	names      map[string]bool
	order      []*namedType
	errs       []error
	roots      map[string]bool // event payload schemas
	eventField string          // top-level member that carries the event name
}

func newTypeBuilder(s *schemas) *typeBuilder {
	return &typeBuilder{s: s, byLoc: map[string]*namedType{}, names: map[string]bool{}, roots: map[string]bool{}}
}

func (b *typeBuilder) collect(n node, v *view, seen map[string]bool) {
	if seen[n.key()] {
		return
	}
	seen[n.key()] = true
	m := n.obj()
	if m == nil {
		return
	}
	if v.doc == "" {
		if d, ok := m["description"].(string); ok {
			v.doc = d
		} else if t, ok := m["title"].(string); ok {
			v.doc = t
		}
	}
	if s, ok := m["x-hookcontract-secret"].(bool); ok && s {
		v.secret = true
	}
	if target, ok, err := b.s.ref(n); err != nil {
		b.errs = append(b.errs, err)
	} else if ok {
		if pureRef(n) {
			v.refs = append(v.refs, target)
		}
		b.collect(target, v, seen)
	}
	switch t := m["type"].(type) {
	case string:
		v.types[t] = true
	case []any:
		for _, x := range t {
			if s, ok := x.(string); ok {
				v.types[s] = true
			}
		}
	}
	if e, ok := m["enum"].([]any); ok {
		v.enum = e
	}
	if c, ok := m["const"]; ok {
		v.hasConst, v.constVal = true, c
	}
	if props, ok := m["properties"].(map[string]any); ok {
		names := make([]string, 0, len(props))
		for k := range props {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			c, _ := n.child("properties", k)
			if _, ok := v.propNode[k]; !ok {
				v.props = append(v.props, k)
			}
			v.propNode[k] = append(v.propNode[k], c)
		}
	}
	if req, ok := m["required"].([]any); ok {
		for _, r := range req {
			if s, ok := r.(string); ok {
				v.required[s]++
			}
		}
	}
	if it, ok := n.child("items"); ok {
		v.items = append(v.items, it)
	}
	for _, kw := range []string{"allOf"} {
		if list, ok := m[kw].([]any); ok {
			for i := range list {
				c, _ := n.child(kw, fmt.Sprint(i))
				b.collect(c, v, seen)
			}
		}
	}
	// Branches of unions and conditionals contribute their members; what
	// they require is required only when every branch requires it, so it
	// is counted apart and not merged here.
	for _, kw := range []string{"anyOf", "oneOf"} {
		if list, ok := m[kw].([]any); ok {
			for i := range list {
				c, _ := n.child(kw, fmt.Sprint(i))
				b.collectOptional(c, v, seen)
			}
		}
	}
	for _, kw := range []string{"then", "else"} {
		if c, ok := n.child(kw); ok {
			b.collectOptional(c, v, seen)
		}
	}
}

// collectOptional merges a branch's members without its requirements.
func (b *typeBuilder) collectOptional(n node, v *view, seen map[string]bool) {
	sub := newView()
	b.collect(n, sub, seen)
	for t := range sub.types {
		v.types[t] = true
	}
	for _, k := range sub.props {
		if _, ok := v.propNode[k]; !ok {
			v.props = append(v.props, k)
		}
		v.propNode[k] = append(v.propNode[k], sub.propNode[k]...)
	}
	v.items = append(v.items, sub.items...)
	if v.enum == nil {
		v.enum = sub.enum
	}
}

func newView() *view {
	return &view{types: map[string]bool{}, propNode: map[string][]node{}, required: map[string]int{}}
}

// typeOf returns the Go type for the value described by nodes (one schema,
// or several that all apply), naming new types after hint.
func (b *typeBuilder) typeOf(nodes []node, hint string) goType {
	// A member described by a $ref to a named shape is that shape.
	for _, n := range nodes {
		if pureRef(n) {
			target, _, err := b.s.ref(n)
			if err != nil {
				b.errs = append(b.errs, err)
				return goType{Builtin: "json.RawMessage"}
			}
			return b.typeOf([]node{target}, nameForNode(target, hint))
		}
	}
	v := newView()
	seen := map[string]bool{}
	for _, n := range nodes {
		b.collect(n, v, seen)
	}
	if len(v.refs) == 1 && len(nodes) == 1 && len(v.props) == 0 && len(v.types) == 0 {
		return b.typeOf(v.refs, nameForNode(v.refs[0], hint))
	}
	types := v.types
	switch {
	case types["string"] && types["integer"] && len(types) == 2:
		return goType{Builtin: "IntOrString"}
	case types["boolean"] && types["string"] && len(types) == 2:
		return goType{Builtin: "BoolOrString"}
	}
	if v.enum != nil && allStrings(v.enum) && (len(types) == 0 || (len(types) == 1 && types["string"])) {
		vals := toStrings(v.enum)
		if isStringBool(vals) {
			return goType{Builtin: "StringBool"}
		}
		return goType{Named: b.enumType(nodes[0], hint, vals, v.doc)}
	}
	if v.hasConst {
		switch v.constVal.(type) {
		case string:
			return goType{Builtin: "string"}
		case bool:
			return goType{Builtin: "bool"}
		case json.Number:
			if strings.ContainsAny(string(v.constVal.(json.Number)), ".eE") {
				return goType{Builtin: "json.Number"}
			}
			return goType{Builtin: "int64"}
		}
	}
	if len(types) == 1 || (len(types) == 0 && len(v.props) > 0) || (len(types) == 0 && len(v.items) > 0) {
		t := ""
		for k := range types {
			t = k
		}
		if t == "" && len(v.props) > 0 {
			t = "object"
		}
		if t == "" {
			t = "array"
		}
		switch t {
		case "string":
			return goType{Builtin: "string"}
		case "integer":
			return goType{Builtin: "int64"}
		case "number":
			return goType{Builtin: "json.Number"}
		case "boolean":
			return goType{Builtin: "bool"}
		case "array":
			if len(v.items) == 0 {
				return goType{Slice: &goType{Builtin: "json.RawMessage"}}
			}
			elem := b.typeOf(v.items, singular(hint)+"Item")
			return goType{Slice: &elem}
		case "object":
			if len(v.props) == 0 {
				return goType{Builtin: "json.RawMessage"}
			}
			return goType{Named: b.structType(nodes, hint, v)}
		}
	}
	return goType{Builtin: "json.RawMessage"}
}

func (b *typeBuilder) structType(nodes []node, hint string, v *view) *namedType {
	key := ""
	for _, n := range nodes {
		key += n.key() + "|"
	}
	if t, ok := b.byLoc[key]; ok {
		return t
	}
	t := &namedType{Name: b.uniqueName(hint), Kind: kindStruct, Doc: v.doc, Source: nodes[0].where(b.s)}
	b.byLoc[key] = t
	b.order = append(b.order, t)
	used := map[string]bool{}
	for _, p := range v.props {
		f := &field{JSONName: p, Required: v.required[p] > 0}
		name := goName(p)
		if name == "" {
			name = "Field"
		}
		for base, i := name, 2; used[name]; i++ {
			name = fmt.Sprintf("%s%d", base, i)
		}
		used[name] = true
		f.GoName = name
		pv := newView()
		seen := map[string]bool{}
		for _, n := range v.propNode[p] {
			b.collect(n, pv, seen)
		}
		f.Doc, f.Secret = pv.doc, pv.secret
		if p == b.eventField && len(nodes) == 1 && b.roots[nodes[0].key()] {
			f.Type = goType{Builtin: "EventName"}
		} else {
			f.Type = b.typeOf(v.propNode[p], t.Name+name)
		}
		t.Fields = append(t.Fields, f)
	}
	return t
}

func (b *typeBuilder) enumType(n node, hint string, vals []string, doc string) *namedType {
	key := "enum|" + n.key()
	if t, ok := b.byLoc[key]; ok {
		return t
	}
	t := &namedType{Name: b.uniqueName(hint), Kind: kindEnum, Doc: doc, Source: n.where(b.s), Values: vals}
	b.byLoc[key] = t
	b.order = append(b.order, t)
	return t
}

// reservedNames are the names of the generated package's own API, which
// no payload type may take: the events file's, the runtime's and every
// exported name of the support files.
var reservedNames = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, n := range []string{
		"Event", "EventName", "Events", "Handler", "UnimplementedHandler", "Dispatch", "NewHandler",
		"Option", "Validate", "ValidateEvent", "Parse", "ParseEvent", "ValidationError", "Violation",
		"UnknownEvent", "IntOrString", "BoolOrString", "StringBool", "Client",
		"Grade", "GradeGuaranteed", "GradeExpected",
	} {
		m[n] = true
	}
	for _, n := range supportExports() {
		m[n] = true
	}
	return m
})

func (b *typeBuilder) uniqueName(hint string) string {
	name := hint
	if name == "" {
		name = "Object"
	}
	if reservedNames()[name] {
		name += "Payload"
	}
	for base, i := name, 2; b.names[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	b.names[name] = true
	return name
}

// nameForNode names a schema after its file (and $defs entry).
func nameForNode(n node, fallback string) string {
	file := n.doc
	if i := strings.LastIndexByte(file, '/'); i >= 0 {
		file = file[i+1:]
	}
	file = strings.TrimSuffix(file, ".json")
	name := goName(file)
	if n.ptr != "" {
		toks := strings.Split(strings.TrimPrefix(n.ptr, "/"), "/")
		last := toks[len(toks)-1]
		if len(toks) == 2 && toks[0] == "$defs" {
			return name + goName(last)
		}
		if len(toks) == 3 && toks[0] == "components" && toks[1] == "schemas" {
			return goName(last)
		}
		if fallback != "" {
			return fallback
		}
		return name + goName(last)
	}
	if name == "" {
		return fallback
	}
	return name
}

var initialisms = map[string]string{
	"id": "ID", "url": "URL", "uri": "URI", "api": "API", "http": "HTTP", "uuid": "UUID", "json": "JSON",
	"ip": "IP", "sms": "SMS", "html": "HTML",
}

// goName turns a JSON name (snake_case, camelCase, dotted) into an exported
// Go identifier with Go's initialisms.
func goName(s string) string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, string(cur))
			cur = cur[:0]
		}
	}
	runes := []rune(s)
	for i, r := range runes {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			cur = append(cur, r)
		case r >= 'A' && r <= 'Z':
			if len(cur) > 0 && !(i > 0 && runes[i-1] >= 'A' && runes[i-1] <= 'Z') {
				flush()
			}
			cur = append(cur, r)
		default:
			flush()
		}
	}
	flush()
	var out strings.Builder
	for _, w := range words {
		lw := strings.ToLower(w)
		if ini, ok := initialisms[lw]; ok {
			out.WriteString(ini)
			continue
		}
		out.WriteString(strings.ToUpper(lw[:1]) + lw[1:])
	}
	name := out.String()
	if name != "" && name[0] >= '0' && name[0] <= '9' {
		name = "N" + name
	}
	return name
}

func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies"):
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "ses"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss"):
		return s[:len(s)-1]
	}
	return s
}

func allStrings(vs []any) bool {
	for _, v := range vs {
		if _, ok := v.(string); !ok {
			return false
		}
	}
	return len(vs) > 0
}

func toStrings(vs []any) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.(string)
	}
	return out
}

func isStringBool(vals []string) bool {
	if len(vals) != 2 {
		return false
	}
	return (vals[0] == "true" && vals[1] == "false") || (vals[0] == "false" && vals[1] == "true")
}
