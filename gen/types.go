package gen

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/hookcontract/hookcontract/internal/contract"
)

// Go type kinds of the model.
type kind int

const (
	kindStruct kind = iota + 1
	kindEnum
	kindSum // a discriminated oneOf/anyOf: one Go type per branch behind a sealed interface
)

// goType is a Go type expression of the model: a named type (Named set), a
// builtin or support type (Builtin), a slice or a pointer.
type goType struct {
	Named   *namedType
	Builtin string // "string", "int64", "bool", "json.Number", "json.RawMessage", "IntOrString", "BoolOrString", "StringBool"
	Slice   *goType
	Map     *goType // map[string]T: an object whose members all follow one schema
	// Nullable: the value may be JSON null (type [X, "null"], or a oneOf or
	// anyOf of X and {type: null}); the Go type is a pointer, nil for null.
	Nullable bool
}

// namedType is a type the generated package declares.
type namedType struct {
	Name   string
	Kind   kind
	Doc    string
	Source string // schema location it comes from
	Fields []*field
	Values []string // enum values
	// A sum: the member that tells the branches apart, and the branches
	// by its value, sorted by value.
	Discriminator string
	Branches      []sumBranch
	Iface         string // the sealed interface the branches implement
}

// sumBranch is one branch of a sum type.
type sumBranch struct {
	Value string // the discriminator's value
	Type  goType // a named struct
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
	props    []string                   // in first-seen order
	propNode map[string][]contract.Node // every schema that describes the member
	required map[string]int             // how many branches require it
	items    []contract.Node
	secret   bool
	doc      string
	refs     []contract.Node // pure $ref targets seen for this value
}

type typeBuilder struct {
	s          *contract.Schemas
	byLoc      map[string]*namedType
	names      map[string]bool
	order      []*namedType
	errs       []error
	roots      map[string]bool // event payload schemas
	eventField string          // top-level member that carries the event name
	reserved   map[string]bool // names of the event types and constants
}

// reserve keeps names for the generated event API: a payload type that
// would take one is suffixed with Payload.
func (b *typeBuilder) reserve(names ...string) {
	for _, n := range names {
		b.reserved[n] = true
	}
}

func newTypeBuilder(s *contract.Schemas) *typeBuilder {
	return &typeBuilder{s: s, byLoc: map[string]*namedType{}, names: map[string]bool{}, roots: map[string]bool{}, reserved: map[string]bool{}}
}

func (b *typeBuilder) collect(n contract.Node, v *view, seen map[string]bool) {
	if seen[n.Key()] {
		return
	}
	seen[n.Key()] = true
	m := n.Obj()
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
	if target, ok, err := b.s.Ref(n); err != nil {
		b.errs = append(b.errs, err)
	} else if ok {
		if contract.PureRef(n) {
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
			c, _ := n.Child("properties", k)
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
	if it, ok := n.Child("items"); ok {
		v.items = append(v.items, it)
	}
	for _, kw := range []string{"allOf"} {
		if list, ok := m[kw].([]any); ok {
			for i := range list {
				c, _ := n.Child(kw, fmt.Sprint(i))
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
				c, _ := n.Child(kw, fmt.Sprint(i))
				b.collectOptional(c, v, seen)
			}
		}
	}
	for _, kw := range []string{"then", "else"} {
		if c, ok := n.Child(kw); ok {
			b.collectOptional(c, v, seen)
		}
	}
}

// collectOptional merges a branch's members without its requirements.
func (b *typeBuilder) collectOptional(n contract.Node, v *view, seen map[string]bool) {
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
	return &view{types: map[string]bool{}, propNode: map[string][]contract.Node{}, required: map[string]int{}}
}

// typeOf returns the Go type for the value described by nodes (one schema,
// or several that all apply), naming new types after hint.
func (b *typeBuilder) typeOf(nodes []contract.Node, hint string) goType {
	// A member described by a $ref to a named shape is that shape.
	for _, n := range nodes {
		if contract.PureRef(n) {
			target, _, err := b.s.Ref(n)
			if err != nil {
				b.errs = append(b.errs, err)
				return goType{Builtin: "json.RawMessage"}
			}
			return b.typeOf([]contract.Node{target}, nameForNode(target, hint))
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
	if t, ok := b.nullableOf(nodes, hint, v); ok {
		return t
	}
	if t, ok := b.sumOf(nodes, hint); ok {
		return t
	}
	return b.typeOfView(nodes, hint, v)
}

// typeOfView returns the Go type of the merged view v of nodes.
func (b *typeBuilder) typeOfView(nodes []contract.Node, hint string, v *view) goType {
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
				// A map: an object whose members all follow one schema.
				if len(nodes) == 1 {
					if ap, ok := nodes[0].Child("additionalProperties"); ok && ap.Obj() != nil && len(ap.Obj()) > 0 {
						if _, hasPP := nodes[0].Obj()["patternProperties"]; !hasPP {
							elem := b.typeOf([]contract.Node{ap}, hint+"Value")
							return goType{Map: &elem}
						}
					}
				}
				return goType{Builtin: "json.RawMessage"}
			}
			return goType{Named: b.structType(nodes, hint, v)}
		}
	}
	return goType{Builtin: "json.RawMessage"}
}

// nullableOf types a value that is X or null: `type: [X, "null"]`, or a
// oneOf/anyOf of X and {type: null} (with X often a $ref). It is X's Go
// type, nullable.
func (b *typeBuilder) nullableOf(nodes []contract.Node, hint string, v *view) (goType, bool) {
	if len(nodes) != 1 {
		return goType{}, false
	}
	n := nodes[0]
	m := n.Obj()
	for _, kw := range []string{"oneOf", "anyOf"} {
		list, ok := m[kw].([]any)
		if !ok || len(list) != 2 || m["properties"] != nil {
			continue
		}
		for i, other := range []int{1, 0} {
			nm, _ := list[i].(map[string]any)
			if len(nm) != 1 || nm["type"] != "null" {
				continue
			}
			c, _ := n.Child(kw, fmt.Sprint(other))
			t := b.typeOf([]contract.Node{c}, hint)
			if t.Builtin == "json.RawMessage" {
				return t, true
			}
			t.Nullable = true
			return t, true
		}
	}
	if !v.types["null"] || len(v.types) != 2 || m["oneOf"] != nil || m["anyOf"] != nil {
		return goType{}, false
	}
	// type: [X, "null"]: type the value without null.
	sub := *v
	sub.types = map[string]bool{}
	for k := range v.types {
		if k != "null" {
			sub.types[k] = true
		}
	}
	t := b.typeOfView(nodes, hint, &sub)
	if t.Builtin != "json.RawMessage" {
		t.Nullable = true
	}
	return t, true
}

// sumOf types a discriminated union: a oneOf or anyOf with a
// discriminator (OpenAPI) whose every branch is an object with its own
// named type and a known discriminator value (its const or one-value enum,
// the discriminator mapping, or its component name). It becomes a sealed
// interface with one type per branch, decoded by the discriminator.
func (b *typeBuilder) sumOf(nodes []contract.Node, hint string) (goType, bool) {
	if len(nodes) != 1 {
		return goType{}, false
	}
	n := nodes[0]
	m := n.Obj()
	disc, _ := m["discriminator"].(map[string]any)
	prop, _ := disc["propertyName"].(string)
	if prop == "" || m["properties"] != nil || m["allOf"] != nil {
		return goType{}, false
	}
	kw := "oneOf"
	if _, ok := m[kw].([]any); !ok {
		kw = "anyOf"
	}
	list, ok := m[kw].([]any)
	if !ok || len(list) < 2 {
		return goType{}, false
	}
	if t, ok := b.byLoc["sum|"+n.Key()]; ok {
		return goType{Named: t}, true
	}
	mapping, _ := disc["mapping"].(map[string]any)
	byTarget := map[string]string{}
	for val, ref := range mapping {
		if r, ok := ref.(string); ok {
			byTarget[r] = val
		}
	}
	var branches []sumBranch
	seen := map[string]bool{}
	for i := range list {
		c, _ := n.Child(kw, fmt.Sprint(i))
		if !contract.PureRef(c) {
			return goType{}, false
		}
		target, _, err := b.s.Ref(c)
		if err != nil {
			return goType{}, false
		}
		val := pinnedValue(b.s, target, prop)
		if val == "" {
			ref, _ := c.Obj()["$ref"].(string)
			val = byTarget[ref]
		}
		if val == "" && strings.Count(target.Ptr, "/") == 3 && strings.HasPrefix(target.Ptr, "/components/schemas/") {
			val = target.Ptr[len("/components/schemas/"):]
		}
		if val == "" || seen[val] {
			return goType{}, false
		}
		seen[val] = true
		t := b.typeOf([]contract.Node{target}, nameForNode(target, hint+goName(val)))
		if t.Named == nil || t.Named.Kind != kindStruct || t.Nullable {
			return goType{}, false
		}
		branches = append(branches, sumBranch{Value: val, Type: t})
	}
	sort.Slice(branches, func(i, j int) bool { return branches[i].Value < branches[j].Value })
	doc, _ := m["description"].(string)
	t := &namedType{Name: b.uniqueName(hint), Kind: kindSum, Doc: doc, Source: n.Where(b.s), Discriminator: prop, Branches: branches}
	t.Iface = b.uniqueName(t.Name + "Value")
	b.byLoc["sum|"+n.Key()] = t
	b.order = append(b.order, t)
	return goType{Named: t}, true
}

// pinnedValue returns the one string value schema n (through $ref and
// allOf) allows for member prop, or "".
func pinnedValue(s *contract.Schemas, n contract.Node, prop string) string {
	for range 8 {
		if c, ok := n.Child("properties", prop); ok {
			cm := c.Obj()
			if v, ok := cm["const"].(string); ok {
				return v
			}
			if e, ok := cm["enum"].([]any); ok && len(e) == 1 {
				v, _ := e[0].(string)
				return v
			}
		}
		t, ok, err := s.Ref(n)
		if err != nil || !ok {
			return ""
		}
		n = t
	}
	return ""
}

func (b *typeBuilder) structType(nodes []contract.Node, hint string, v *view) *namedType {
	key := ""
	for _, n := range nodes {
		key += n.Key() + "|"
	}
	if t, ok := b.byLoc[key]; ok {
		return t
	}
	// Identical subschemas (a vendor's dereferenced build repeats every
	// shape inline) share one type, named after its first use.
	content := b.contentKey("struct", nodes)
	if t, ok := b.byLoc[content]; ok && content != "" {
		b.byLoc[key] = t
		return t
	}
	t := &namedType{Name: b.uniqueName(hint), Kind: kindStruct, Doc: v.doc, Source: nodes[0].Where(b.s)}
	b.byLoc[key] = t
	if content != "" {
		b.byLoc[content] = t
	}
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
		if p == b.eventField && len(nodes) == 1 && b.roots[nodes[0].Key()] {
			f.Type = goType{Builtin: "EventName"}
		} else {
			f.Type = b.typeOf(v.propNode[p], t.Name+name)
		}
		t.Fields = append(t.Fields, f)
	}
	return t
}

// contentKey identifies schemas by what they say rather than where they
// are: the same JSON in the same document (so that relative references
// mean the same), and the same role (an event payload root or not). ""
// when the schemas cannot be encoded.
func (b *typeBuilder) contentKey(kind string, nodes []contract.Node) string {
	h := sha256.New()
	for _, n := range nodes {
		raw, err := json.Marshal(n.V)
		if err != nil {
			return ""
		}
		fmt.Fprintf(h, "%s|%t|%d|", n.Doc, b.roots[n.Key()], len(raw))
		h.Write(raw)
	}
	return "content|" + kind + "|" + hex.EncodeToString(h.Sum(nil))
}

func (b *typeBuilder) enumType(n contract.Node, hint string, vals []string, doc string) *namedType {
	key := "enum|" + n.Key()
	if t, ok := b.byLoc[key]; ok {
		return t
	}
	content := b.contentKey("enum", []contract.Node{n})
	if t, ok := b.byLoc[content]; ok && content != "" {
		b.byLoc[key] = t
		return t
	}
	t := &namedType{Name: b.uniqueName(hint), Kind: kindEnum, Doc: doc, Source: n.Where(b.s), Values: vals}
	b.byLoc[key] = t
	if content != "" {
		b.byLoc[content] = t
	}
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
	if reservedNames()[name] || b.reserved[name] {
		name += "Payload"
	}
	for base, i := name, 2; b.names[name]; i++ {
		name = fmt.Sprintf("%s%d", base, i)
	}
	b.names[name] = true
	return name
}

// nameForNode names a schema after its file (and $defs entry).
func nameForNode(n contract.Node, fallback string) string {
	file := n.Doc
	if i := strings.LastIndexByte(file, '/'); i >= 0 {
		file = file[i+1:]
	}
	file = strings.TrimSuffix(file, ".json")
	name := goName(file)
	if n.Ptr != "" {
		toks := strings.Split(strings.TrimPrefix(n.Ptr, "/"), "/")
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
