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

// kind is what a Go type of the model is; the emitters switch on it.
// Named types (declared by the generated package) are struct, sum, enum
// and alias; the others are type expressions.
type kind int

const (
	kindScalar   kind = iota + 1 // a builtin or support type: string, int64, bool, json.Number, json.RawMessage, IntOrString, DateTime, ...
	kindStruct                   // an object with known members
	kindSum                      // a oneOf/anyOf: one Go type per branch behind a sealed interface
	kindEnum                     // a string with known values
	kindAlias                    // a named scalar, array or map component: type Currency string
	kindNullable                 // the value may be JSON null: Elem, or null
	kindMap                      // map[string]Elem: an object whose members all follow one schema
	kindSlice                    // []Elem
)

var kindNames = map[kind]string{
	kindScalar: "scalar", kindStruct: "struct", kindSum: "sum", kindEnum: "enum",
	kindAlias: "alias", kindNullable: "nullable", kindMap: "map", kindSlice: "slice",
}

func (k kind) String() string {
	if n, ok := kindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// goType is a Go type of the model. Which fields are set follows from
// Kind: Named for struct, sum, enum and alias; Scalar for a scalar; Elem
// for a nullable, a map and a slice.
type goType struct {
	Kind   kind
	Named  *namedType
	Scalar string // "string", "int64", "bool", "json.Number", "json.RawMessage", "IntOrString", "BoolOrString", "StringBool", "EventName", "DateTime"
	Elem   *goType
}

func scalarType(name string) goType { return goType{Kind: kindScalar, Scalar: name} }
func sliceOf(elem goType) goType    { return goType{Kind: kindSlice, Elem: &elem} }
func mapOf(elem goType) goType      { return goType{Kind: kindMap, Elem: &elem} }
func namedOf(t *namedType) goType   { return goType{Kind: t.Kind, Named: t} }

// nullable makes t nullable; raw JSON already holds null, and a nullable
// type stays as it is.
func nullable(t goType) goType {
	if t.isRaw() || t.Kind == kindNullable {
		return t
	}
	return goType{Kind: kindNullable, Elem: &t}
}

func (t goType) isRaw() bool { return t.Kind == kindScalar && t.Scalar == "json.RawMessage" }

// namedType is a type the generated package declares.
type namedType struct {
	Name   string
	Kind   kind // struct, sum, enum or alias
	Doc    string
	Source string // schema location it comes from
	Fields []*field
	Values []string // enum values
	// ConstNames name the constants of an enum's values, in the order of
	// Values, unique in the package as type names are (see claim).
	ConstNames []string
	// An alias: the type it is defined as (a scalar, a slice or a map);
	// Transparent when it is a Go alias (type X = json.Number), which keeps
	// the JSON form and the methods of a scalar that has its own.
	Underlying  goType
	Transparent bool
	// A sum: the member that tells the branches apart (empty when the
	// branches are told apart by shape), and the branches, sorted by
	// value.
	Discriminator string
	Branches      []sumBranch
	Iface         string // the sealed interface the branches implement
	// Ambiguous, for a struct: why the branches of its union could not
	// be told apart by shape (the struct holds the members of every one).
	Ambiguous string
}

// sumBranch is one branch of a sum type.
type sumBranch struct {
	Value string // the discriminator's value; for a sum by shape, what tells it apart
	Type  goType // a named struct, alias or enum
	// For a sum by shape: the JSON type of the branch's values ("object",
	// "array", "string", "number", "boolean") and, for an object told from
	// other objects, the required member only it declares and every member
	// it requires.
	JSON     string
	Member   string
	Required []string
}

type field struct {
	GoName   string
	JSONName string
	Type     goType
	Required bool // always present: not a pointer
	Doc      string
	Secret   bool
	// Branch: only branches of a union or conditional declare the member,
	// so a body of another branch's shape does not have it.
	Branch bool
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
	own      map[string]bool            // the props declared by the schema or its allOf parts, not only by branches
	propNode map[string][]contract.Node // every schema that describes the member
	required map[string]int             // how many branches require it
	items    []contract.Node
	format   string
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
	dateTime   string          // Go type of format: date-time strings: DateTimeString or DateTimeTime
	// notShapes caches, by union, why its branches cannot be told apart
	// by shape ("" when it is not a union of shapes).
	notShapes map[string]string
}

// reserve keeps names for the generated event API: a payload type that
// would take one is suffixed with Payload.
func (b *typeBuilder) reserve(names ...string) {
	for _, n := range names {
		b.reserved[n] = true
	}
}

func newTypeBuilder(s *contract.Schemas, opts TypeOptions) *typeBuilder {
	return &typeBuilder{s: s, byLoc: map[string]*namedType{}, names: map[string]bool{}, roots: map[string]bool{}, reserved: map[string]bool{}, dateTime: opts.DateTime, notShapes: map[string]string{}}
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
	if f, ok := m["format"].(string); ok && v.format == "" {
		v.format = f
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
			v.own[k] = true
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
	return &view{types: map[string]bool{}, propNode: map[string][]contract.Node{}, own: map[string]bool{}, required: map[string]int{}}
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
				return scalarType("json.RawMessage")
			}
			return b.refType(target, hint)
		}
	}
	v := newView()
	seen := map[string]bool{}
	for _, n := range nodes {
		b.collect(n, v, seen)
	}
	if len(v.refs) == 1 && len(nodes) == 1 && len(v.props) == 0 && len(v.types) == 0 {
		return b.refType(v.refs[0], hint)
	}
	if t, ok := b.nullableOf(nodes, hint, v); ok {
		return t
	}
	if t, ok := b.sumOf(nodes, hint); ok {
		return t
	}
	t, ok, why := b.shapeSumOf(nodes, hint)
	if ok {
		return t
	}
	t = b.typeOfView(nodes, hint, v)
	if why != "" && t.Kind == kindStruct && t.Named.Ambiguous == "" {
		t.Named.Ambiguous = why
	}
	return t
}

// refType is the Go type of the schema a $ref names. A named component
// (a components/schemas entry, a $defs entry, a whole file) that is a
// scalar, an array or a map becomes an alias-kind type of its name, used
// wherever it is referenced.
func (b *typeBuilder) refType(target contract.Node, hint string) goType {
	name := nameForNode(target, hint)
	t := b.typeOf([]contract.Node{target}, name)
	if !isComponent(target) {
		return t
	}
	if t.Kind == kindNullable {
		return nullable(b.aliasOf(target, name, *t.Elem))
	}
	return b.aliasOf(target, name, t)
}

// isComponent tells whether n is a schema with a name of its own.
func isComponent(n contract.Node) bool {
	toks := strings.Split(strings.TrimPrefix(n.Ptr, "/"), "/")
	switch {
	case n.Ptr == "":
		return true
	case len(toks) == 2 && (toks[0] == "$defs" || toks[0] == "definitions"):
		return true
	case len(toks) == 3 && toks[0] == "components" && toks[1] == "schemas":
		return true
	}
	return false
}

// aliasOf names the scalar, slice or map type t after component n; other
// kinds are returned as they are (already named, or raw JSON, which any
// value fits).
func (b *typeBuilder) aliasOf(n contract.Node, name string, t goType) goType {
	switch t.Kind {
	case kindScalar:
		if t.isRaw() || t.Scalar == "EventName" {
			return t
		}
	case kindSlice, kindMap:
	default:
		return t
	}
	key := "alias|" + n.Key()
	if a, ok := b.byLoc[key]; ok {
		return namedOf(a)
	}
	doc := ""
	if m := n.Obj(); m != nil {
		doc, _ = m["description"].(string)
		if doc == "" {
			doc, _ = m["title"].(string)
		}
	}
	a := b.newAlias(name, doc, n.Where(b.s), t)
	a.Transparent = t.Kind == kindScalar && !plainScalar(t.Scalar)
	b.byLoc[key] = a
	return namedOf(a)
}

// newAlias declares a named type defined as t.
func (b *typeBuilder) newAlias(name, doc, source string, t goType) *namedType {
	a := &namedType{Name: b.uniqueName(name), Kind: kindAlias, Doc: doc, Source: source, Underlying: t}
	b.order = append(b.order, a)
	return a
}

// plainScalar tells whether a defined type of the scalar keeps its JSON
// form: a Go string, integer or boolean (json.Number and the support
// types have their own).
func plainScalar(s string) bool {
	switch s {
	case "string", "int64", "bool":
		return true
	}
	return false
}

// boolWords reports whether enum, not empty, holds only true, false,
// "true" and "false".
func boolWords(enum []any) bool {
	for _, x := range enum {
		switch x {
		case true, false, "true", "false":
		default:
			return false
		}
	}
	return len(enum) > 0
}

// typeOfView returns the Go type of the merged view v of nodes.
func (b *typeBuilder) typeOfView(nodes []contract.Node, hint string, v *view) goType {
	types := v.types
	switch {
	case types["string"] && types["integer"] && len(types) == 2:
		return scalarType("IntOrString")
	case types["boolean"] && types["string"] && len(types) == 2 && boolWords(v.enum):
		// only when the strings are "true" and "false": BoolOrString holds
		// no other, and Parse must decode every body Validate accepts
		return scalarType("BoolOrString")
	}
	if v.enum != nil && allStrings(v.enum) && (len(types) == 0 || (len(types) == 1 && types["string"])) {
		vals := toStrings(v.enum)
		if isStringBool(vals) {
			return scalarType("StringBool")
		}
		return namedOf(b.enumType(nodes[0], hint, vals, v.doc))
	}
	if v.hasConst {
		switch v.constVal.(type) {
		case string:
			return scalarType("string")
		case bool:
			return scalarType("bool")
		case json.Number:
			if strings.ContainsAny(string(v.constVal.(json.Number)), ".eE") {
				return scalarType("json.Number")
			}
			return scalarType("int64")
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
			if v.format == "date-time" && b.dateTime == DateTimeTime {
				return scalarType("DateTime")
			}
			return scalarType("string")
		case "integer":
			return scalarType("int64")
		case "number":
			return scalarType("json.Number")
		case "boolean":
			return scalarType("bool")
		case "array":
			if len(v.items) == 0 {
				return sliceOf(scalarType("json.RawMessage"))
			}
			return sliceOf(b.typeOf(v.items, singular(hint)+"Item"))
		case "object":
			if len(v.props) == 0 {
				// A map: an object whose members all follow one schema.
				if len(nodes) == 1 {
					if ap, ok := nodes[0].Child("additionalProperties"); ok && ap.Obj() != nil && len(ap.Obj()) > 0 {
						if _, hasPP := nodes[0].Obj()["patternProperties"]; !hasPP {
							return mapOf(b.typeOf([]contract.Node{ap}, hint+"Value"))
						}
					}
				}
				return scalarType("json.RawMessage")
			}
			return namedOf(b.structType(nodes, hint, v))
		}
	}
	return scalarType("json.RawMessage")
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
			return nullable(b.typeOf([]contract.Node{c}, hint)), true
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
	return nullable(b.typeOfView(nodes, hint, &sub)), true
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
		return namedOf(t), true
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
		if t.Kind != kindStruct {
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
	return namedOf(t), true
}

// branchShape is what tells a union's branch apart from the others.
type branchShape struct {
	node     contract.Node
	json     string          // the JSON type of its values
	props    map[string]bool // the members it declares
	required []string        // the members it requires, sorted
	member   string          // among objects, a required member no other object branch declares
	name     string          // what names its type when nothing else does: String, Integer, Object, ...
	index    int             // its place in the oneOf or anyOf
}

// shapeOf returns the shape of union branch c, or why it has none.
func (b *typeBuilder) shapeOf(c contract.Node) (branchShape, string) {
	sh := branchShape{node: c, props: map[string]bool{}}
	v := newView()
	b.collect(c, v, map[string]bool{})
	target := c
	for range 8 {
		t, ok, err := b.s.Ref(target)
		if err != nil || !ok {
			break
		}
		target = t
	}
	if m := target.Obj(); m != nil && (m["oneOf"] != nil || m["anyOf"] != nil) {
		return sh, "a branch is a union itself"
	}
	if v.types["null"] {
		return sh, "a branch may be null"
	}
	types := map[string]bool{}
	for t := range v.types {
		if t == "integer" {
			t = "number"
		}
		types[t] = true
	}
	switch {
	case len(types) == 1:
		for t := range types {
			sh.json = t
		}
		for t := range v.types {
			sh.name = goName(t)
		}
	case len(types) > 1:
		return sh, "a branch allows more than one JSON type"
	case len(v.props) > 0:
		sh.json = "object"
	case len(v.items) > 0:
		sh.json = "array"
	case v.enum != nil && allStrings(v.enum):
		sh.json = "string"
	case v.hasConst:
		switch v.constVal.(type) {
		case string:
			sh.json = "string"
		case bool:
			sh.json = "boolean"
		case json.Number:
			sh.json = "number"
		}
	}
	if sh.json == "" {
		return sh, "a branch has no JSON type of its own"
	}
	if sh.name == "" {
		sh.name = goName(sh.json)
	}
	for _, p := range v.props {
		sh.props[p] = true
	}
	for r, n := range v.required {
		if n > 0 {
			sh.required = append(sh.required, r)
		}
	}
	sort.Strings(sh.required)
	return sh, ""
}

// eitherScalar returns IntOrString when the union's branches are an
// inline string and an inline integer, BoolOrString for a string and a
// boolean, as for `type: [string, integer]`, rather than a sum; "" for
// any other union.
func eitherScalar(n contract.Node, kw string, shapes []branchShape) string {
	if len(shapes) != 2 {
		return ""
	}
	names := map[string]bool{}
	for _, sh := range shapes {
		c, _ := n.Child(kw, fmt.Sprint(sh.index))
		if contract.PureRef(c) {
			return ""
		}
		names[sh.name] = true
	}
	switch {
	case names["String"] && names["Integer"]:
		return "IntOrString"
	case names["String"] && names["Boolean"]:
		return "BoolOrString"
	}
	return ""
}

// shapeSumOf types a oneOf or anyOf without a discriminator whose
// branches can be told apart by shape, as ogen infers: by the JSON type of
// the value and, among objects, by a required member only one branch
// declares (one object branch may have none: it is the one left). It
// becomes a sealed interface with one type per branch. When the branches
// cannot be told apart it reports why, and the value is typed as before,
// one struct with the members of every branch.
func (b *typeBuilder) shapeSumOf(nodes []contract.Node, hint string) (goType, bool, string) {
	if len(nodes) != 1 {
		return goType{}, false, ""
	}
	n := nodes[0]
	m := n.Obj()
	if m == nil || m["properties"] != nil || m["allOf"] != nil || m["items"] != nil {
		return goType{}, false, ""
	}
	kw := "oneOf"
	if _, ok := m[kw].([]any); !ok {
		kw = "anyOf"
	}
	list, ok := m[kw].([]any)
	if !ok || len(list) < 2 {
		return goType{}, false, ""
	}
	if why, ok := b.notShapes[n.Key()]; ok {
		return goType{}, false, why
	}
	t, ok, why := b.shapeSum(n, kw, list, hint)
	if !ok {
		b.notShapes[n.Key()] = why
	}
	return t, ok, why
}

// shapeSum is shapeSumOf for the union kw (oneOf or anyOf) of n.
func (b *typeBuilder) shapeSum(n contract.Node, kw string, list []any, hint string) (goType, bool, string) {
	m := n.Obj()
	// A {type: null} branch makes the union nullable; the others are its
	// branches.
	var shapes []branchShape
	null := false
	typed := false
	for i := range list {
		c, _ := n.Child(kw, fmt.Sprint(i))
		if cm := c.Obj(); len(cm) == 1 && cm["type"] == "null" {
			null = true
			continue
		}
		sh, why := b.shapeOf(c)
		if why != "" {
			return goType{}, false, fmt.Sprintf("%s, %s/%d", why, kw, i)
		}
		sh.index = i
		shapes = append(shapes, sh)
		if contract.PureRef(c) || len(sh.props) > 0 || c.Obj()["type"] != nil {
			typed = true
		}
	}
	if !typed || len(shapes) < 2 {
		return goType{}, false, "" // constraints on one shape, not shapes
	}
	result := func(t goType) goType {
		if null {
			return nullable(t)
		}
		return t
	}
	if either := eitherScalar(n, kw, shapes); either != "" {
		return result(scalarType(either)), true, ""
	}
	if t, ok := b.byLoc["shape|"+n.Key()]; ok {
		return result(namedOf(t)), true, ""
	}
	byJSON := map[string][]int{}
	for i, sh := range shapes {
		byJSON[sh.json] = append(byJSON[sh.json], i)
	}
	for js, idx := range byJSON {
		if len(idx) < 2 {
			continue
		}
		if js != "object" {
			return goType{}, false, fmt.Sprintf("%s/%d and %s/%d are both JSON %ss", kw, shapes[idx[0]].index, kw, shapes[idx[1]].index, js)
		}
		var rest []int
		for _, i := range idx {
			for _, r := range shapes[i].required {
				unique := true
				for _, j := range idx {
					if j != i && shapes[j].props[r] {
						unique = false
						break
					}
				}
				if unique {
					shapes[i].member = r
					break
				}
			}
			if shapes[i].member == "" {
				rest = append(rest, i)
			}
		}
		if len(rest) > 1 {
			return goType{}, false, fmt.Sprintf("%s/%d and %s/%d require no member the other objects lack", kw, shapes[rest[0]].index, kw, shapes[rest[1]].index)
		}
	}
	var branches []sumBranch
	for _, sh := range shapes {
		suffix := sh.name
		if sh.member != "" {
			suffix = goName(sh.member)
		}
		t := b.typeOf([]contract.Node{sh.node}, hint+suffix)
		switch {
		case t.Kind == kindStruct, t.Kind == kindEnum, t.Kind == kindAlias && !t.Named.Transparent:
		case t.Kind == kindNullable:
			return goType{}, false, fmt.Sprintf("a branch may be null, %s/%d", kw, sh.index)
		default:
			// A scalar, array or map of no name of its own, or a Go alias
			// (which can have no method of its own): a named type for the
			// branch, defined as the scalar itself.
			if t.Kind == kindAlias {
				t = t.Named.Underlying
			}
			t = namedOf(b.newAlias(hint+suffix, "", sh.node.Where(b.s), t))
		}
		br := sumBranch{Type: t, JSON: sh.json, Member: sh.member}
		switch {
		case sh.member != "":
			br.Required = sh.required
			br.Value = fmt.Sprintf("an object with the %q member", sh.member)
		case len(byJSON[sh.json]) > 1:
			br.Value = "any other object"
		default:
			br.Value = "a JSON " + sh.json
		}
		branches = append(branches, br)
	}
	sort.SliceStable(branches, func(i, j int) bool {
		a, c := branches[i], branches[j]
		if a.JSON != c.JSON {
			return a.JSON < c.JSON
		}
		if (a.Member == "") != (c.Member == "") {
			return a.Member != ""
		}
		return a.Type.Named.Name < c.Type.Named.Name
	})
	doc, _ := m["description"].(string)
	t := &namedType{Name: b.uniqueName(hint), Kind: kindSum, Doc: doc, Source: n.Where(b.s), Branches: branches}
	t.Iface = b.uniqueName(t.Name + "Value")
	b.byLoc["shape|"+n.Key()] = t
	b.order = append(b.order, t)
	return result(namedOf(t)), true, ""
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
	// the names of the methods a struct gets are not its fields' (a member
	// "unmarshalJSON" is field UnmarshalJSON2)
	used := map[string]bool{"UnmarshalJSON": true, "MarshalJSON": true}
	for _, p := range v.props {
		f := &field{JSONName: p, Required: v.required[p] > 0, Branch: !v.own[p]}
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
			f.Type = scalarType("EventName")
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
	// the constants share the package's names with the types: an enum
	// Status's "open" and a schema StatusOpen are StatusOpen and
	// StatusOpen2, whichever is named first
	for _, v := range vals {
		c := goName(v)
		if c == "" {
			c = "Empty"
		}
		t.ConstNames = append(t.ConstNames, b.claim(t.Name+c))
	}
	b.byLoc[key] = t
	if content != "" {
		b.byLoc[content] = t
	}
	b.order = append(b.order, t)
	return t
}

// breakValueCycles holds by a pointer, as an optional member is held, each
// required member that closes a cycle of structs holding one another by
// value (a schema that requires an object inside itself, which no finite
// payload satisfies): Go has no struct that contains itself.
func (b *typeBuilder) breakValueCycles() {
	const onPath, done = 1, 2
	state := map[*namedType]int{}
	var visit func(t *namedType)
	visit = func(t *namedType) {
		state[t] = onPath
		for _, fd := range t.Fields {
			if !fd.Required || fd.Type.Kind != kindStruct || fd.Type.Named == nil {
				continue
			}
			switch u := fd.Type.Named; state[u] {
			case onPath:
				fd.Required = false
				fd.Doc = strings.TrimSpace(fd.Doc + " Held by a pointer although required: " + u.Name + " holds " + t.Name + " by value, and a struct cannot contain itself.")
			case 0:
				visit(u)
			}
		}
		state[t] = done
	}
	for _, t := range b.order {
		if t.Kind == kindStruct && state[t] == 0 {
			visit(t)
		}
	}
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
	return b.claim(name)
}

// claim takes name, or name2, name3, ... when it is taken (by a type, an
// enum's constant, the package's own API), for the package.
func (b *typeBuilder) claim(name string) string {
	for base, i := name, 2; b.names[name] || reservedNames()[name] || b.reserved[name]; i++ {
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

// toStrings lists the strings of vs, each once, in the order of their
// first occurrence: an enum may repeat a value (its items SHOULD be
// unique, not MUST), and an enum's type has one constant per value.
func toStrings(vs []any) []string {
	out := make([]string, 0, len(vs))
	seen := make(map[string]bool, len(vs))
	for _, v := range vs {
		if s := v.(string); !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func isStringBool(vals []string) bool {
	if len(vals) != 2 {
		return false
	}
	return (vals[0] == "true" && vals[1] == "false") || (vals[0] == "false" && vals[1] == "true")
}
