package contracttest

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// node is the drift walk's view of one compiled schema: which members and
// items it declares, which schemas always apply with it in place, and which
// apply only under a condition. Nodes are built once per suite and only
// read afterwards, so walks run concurrently.
type node struct {
	s        *jsonschema.Schema
	always   []*node // this node, then every node applied in place unconditionally ($ref, $dynamicRef, allOf), transitively
	cond     bool    // it has anyOf, oneOf, if or dependentSchemas
	declares bool    // it names object members: a free-form object schema names none

	props      map[string]*node
	patterns   []patternNode
	additional *node // additionalProperties as a schema
	addAllowed bool  // additionalProperties present (a schema or true): every member is known
	prefix     []*node
	items      *node

	ref, dynRef, ifN, thenN, elseN *node
	allOf, anyOf, oneOf            []*node
	dependent                      map[string]*node

	// Over the nodes of always: merged tells that none has
	// patternProperties or additionalProperties, so that children holds,
	// for each member name, every schema they apply to it; and
	// closureDeclares that one of them declares members.
	merged          bool
	children        map[string][]*node
	closureDeclares bool

	// simple tells that matches can answer from the keywords below alone:
	// the schema only uses type, const, enum, pattern, required,
	// properties and anyOf whose subschemas are simple in turn.
	simple bool
}

type patternNode struct {
	re *regexp.Regexp
	n  *node
}

// planner builds the nodes of one provider's schemas.
type planner struct {
	nodes map[*jsonschema.Schema]*node
}

func newPlanner() *planner { return &planner{nodes: map[*jsonschema.Schema]*node{}} }

func (pl *planner) node(s *jsonschema.Schema) *node {
	if s == nil {
		return nil
	}
	if n, ok := pl.nodes[s]; ok {
		return n
	}
	n := &node{s: s}
	pl.nodes[s] = n
	n.ref, n.dynRef = pl.node(s.Ref), pl.node(s.DynamicRef)
	n.ifN, n.thenN, n.elseN = pl.node(s.If), pl.node(s.Then), pl.node(s.Else)
	for _, x := range s.AllOf {
		n.allOf = append(n.allOf, pl.node(x))
	}
	for _, x := range s.AnyOf {
		n.anyOf = append(n.anyOf, pl.node(x))
	}
	for _, x := range s.OneOf {
		n.oneOf = append(n.oneOf, pl.node(x))
	}
	if len(s.DependentSchemas) > 0 {
		n.dependent = map[string]*node{}
		for name, x := range s.DependentSchemas {
			n.dependent[name] = pl.node(x)
		}
	}
	n.cond = len(n.anyOf)+len(n.oneOf)+len(n.dependent) > 0 || n.ifN != nil
	if len(s.Properties) > 0 {
		n.props = make(map[string]*node, len(s.Properties))
		for name, x := range s.Properties {
			n.props[name] = pl.node(x)
		}
	}
	for re, x := range s.PatternProperties {
		n.patterns = append(n.patterns, patternNode{re, pl.node(x)})
	}
	slices.SortFunc(n.patterns, func(a, b patternNode) int { return strings.Compare(a.re.String(), b.re.String()) })
	switch ap := s.AdditionalProperties.(type) {
	case *jsonschema.Schema:
		n.additional, n.addAllowed = pl.node(ap), true
	case bool:
		n.addAllowed = ap
	}
	n.declares = len(s.Properties) > 0 || len(s.PatternProperties) > 0 || s.AdditionalProperties != nil || s.PropertyNames != nil
	for _, x := range s.PrefixItems {
		n.prefix = append(n.prefix, pl.node(x))
	}
	n.items = pl.node(s.Items2020)
	return n
}

// finish computes what depends on the whole graph: the in-place closures
// and which nodes are simple.
func (pl *planner) finish() {
	for _, n := range pl.nodes {
		n.always = closure(n, nil)
		n.merged = true
		for _, x := range n.always {
			n.closureDeclares = n.closureDeclares || x.declares
			if len(x.patterns) > 0 || x.s.AdditionalProperties != nil {
				n.merged = false
			}
		}
		if !n.merged {
			continue
		}
		n.children = map[string][]*node{}
		for _, x := range n.always {
			for name, c := range x.props {
				n.children[name] = append(n.children[name], c)
			}
		}
	}
	for _, n := range pl.nodes {
		n.simple = isSimple(n.s, map[*jsonschema.Schema]bool{})
	}
}

func closure(n *node, out []*node) []*node {
	if n == nil || slices.Contains(out, n) {
		return out
	}
	out = append(out, n)
	out = closure(n.ref, out)
	out = closure(n.dynRef, out)
	for _, x := range n.allOf {
		out = closure(x, out)
	}
	return out
}

func isSimple(s *jsonschema.Schema, seen map[*jsonschema.Schema]bool) bool {
	if seen[s] {
		return false
	}
	seen[s] = true
	if s.Always != nil || s.Ref != nil || s.RecursiveRef != nil || s.DynamicRef != nil || s.Format != "" || s.Not != nil ||
		len(s.AllOf)+len(s.OneOf) > 0 || s.If != nil ||
		s.MinProperties != -1 || s.MaxProperties != -1 || s.PropertyNames != nil || len(s.PatternProperties) > 0 ||
		s.AdditionalProperties != nil || len(s.Dependencies)+len(s.DependentRequired)+len(s.DependentSchemas) > 0 ||
		s.UnevaluatedProperties != nil || s.MinItems != -1 || s.MaxItems != -1 || s.UniqueItems || s.Items != nil ||
		s.AdditionalItems != nil || len(s.PrefixItems) > 0 || s.Items2020 != nil || s.Contains != nil || s.UnevaluatedItems != nil ||
		s.MinLength != -1 || s.MaxLength != -1 || s.ContentEncoding != "" || s.ContentMediaType != "" || s.ContentSchema != nil ||
		s.Minimum != nil || s.ExclusiveMinimum != nil || s.Maximum != nil || s.ExclusiveMaximum != nil || s.MultipleOf != nil {
		return false
	}
	for name := range s.Extensions {
		if name != SecretKeyword {
			return false
		}
	}
	for _, t := range s.Types {
		if t == "integer" || t == "number" {
			return false
		}
	}
	for _, c := range append(slices.Clip(s.Constant), s.Enum...) {
		switch c.(type) {
		case string, bool, nil:
		default:
			return false
		}
	}
	for _, x := range s.Properties {
		if !isSimple(x, seen) {
			return false
		}
	}
	for _, x := range s.AnyOf {
		if !isSimple(x, seen) {
			return false
		}
	}
	return true
}

// matches reports whether v satisfies n's schema.
func matches(n *node, v any) bool {
	if n.simple {
		return simpleMatch(n.s, v)
	}
	return n.s.Validate(v) == nil
}

// simpleMatch evaluates a simple schema (see node.simple) as jsonschema/v5
// would.
func simpleMatch(s *jsonschema.Schema, v any) bool {
	if len(s.Types) > 0 && !slices.Contains(s.Types, typeName(v)) {
		return false
	}
	if len(s.Constant) > 0 && !scalarEqual(v, s.Constant[0]) {
		return false
	}
	if len(s.Enum) > 0 && !slices.ContainsFunc(s.Enum, func(e any) bool { return scalarEqual(v, e) }) {
		return false
	}
	if str, ok := v.(string); ok && s.Pattern != nil && !s.Pattern.MatchString(str) {
		return false
	}
	if obj, ok := v.(map[string]any); ok {
		for _, name := range s.Required {
			if _, ok := obj[name]; !ok {
				return false
			}
		}
		for name, x := range s.Properties {
			if pv, ok := obj[name]; ok && !simpleMatch(x, pv) {
				return false
			}
		}
	}
	if len(s.AnyOf) > 0 && !slices.ContainsFunc(s.AnyOf, func(x *jsonschema.Schema) bool { return simpleMatch(x, v) }) {
		return false
	}
	return true
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "number"
}

// scalarEqual compares a payload value with a string, boolean or null
// constant.
func scalarEqual(v, c any) bool {
	switch c := c.(type) {
	case string:
		s, ok := v.(string)
		return ok && s == c
	case bool:
		b, ok := v.(bool)
		return ok && b == c
	case nil:
		return v == nil
	}
	return false
}

// walker finds the members no applicable schema declares. It keeps its
// scratch space between payloads.
type walker struct {
	stack []*node
	path  []step
	out   []string
}

var walkers = sync.Pool{New: func() any { return new(walker) }}

// unknownProperties lists, sorted, the pointers of object members that no
// schema applying to their object declares. Objects whose schemas declare
// no members at all (free-form maps) are not reported.
func unknownProperties(root *node, v any) []string {
	w := walkers.Get().(*walker)
	w.expand(0, root, v)
	w.walk(w.stack, v)
	var out []string
	if len(w.out) > 0 {
		out = slices.Clone(w.out)
		slices.Sort(out)
	}
	clear(w.stack[:cap(w.stack)])
	w.stack, w.path, w.out = w.stack[:0], w.path[:0], w.out[:0]
	walkers.Put(w)
	return out
}

// expand pushes n and every node that applies with it in place to v onto
// the stack, skipping those already pushed since frame: first n.always,
// in order, then the branches their conditions select.
func (w *walker) expand(frame int, n *node, v any) {
	if n == nil {
		return
	}
	start := len(w.stack)
	for _, x := range n.always {
		if !slices.Contains(w.stack[frame:], x) {
			w.stack = append(w.stack, x)
		}
	}
	end := len(w.stack)
	for i := start; i < end; i++ {
		x := w.stack[i]
		if !x.cond {
			continue
		}
		for _, b := range x.anyOf {
			if matches(b, v) {
				w.expand(frame, b, v)
			}
		}
		for _, b := range x.oneOf {
			if matches(b, v) {
				w.expand(frame, b, v)
				break
			}
		}
		if x.ifN != nil {
			if matches(x.ifN, v) {
				w.expand(frame, x.ifN, v)
				w.expand(frame, x.thenN, v)
			} else {
				w.expand(frame, x.elseN, v)
			}
		}
		if obj, ok := v.(map[string]any); ok {
			for name, d := range x.dependent {
				if _, ok := obj[name]; ok {
					w.expand(frame, d, v)
				}
			}
		}
	}
}

// walk visits v, to which the nodes of frame apply. A frame starts with a
// node and its always closure (see expand), whose member declarations are
// merged in the node: most members cost one lookup.
func (w *walker) walk(frame []*node, v any) {
	switch x := v.(type) {
	case map[string]any:
		base := frame[0]
		extra := frame[len(base.always):]
		declares := base.closureDeclares
		for _, n := range extra {
			declares = declares || n.declares
		}
		for name, child := range x {
			container := false
			switch child.(type) {
			case map[string]any, []any:
				container = true
			}
			start := len(w.stack)
			known := false
			if base.merged {
				if cs, ok := base.children[name]; ok {
					known = true
					if container {
						for _, c := range cs {
							w.expand(start, c, child)
						}
					}
				}
				known = w.member(extra, name, child, container, start) || known
			} else {
				known = w.member(frame, name, child, container, start)
			}
			if declares && !known {
				w.path = append(w.path, step{key: name, index: -1})
				w.out = append(w.out, pathPointer(w.path))
				w.path = w.path[:len(w.path)-1]
			} else if len(w.stack) > start {
				w.path = append(w.path, step{key: name, index: -1})
				w.walk(w.stack[start:], child)
				w.path = w.path[:len(w.path)-1]
			}
			w.stack = w.stack[:start]
		}
	case []any:
		for i, child := range x {
			switch child.(type) {
			case map[string]any, []any:
			default:
				continue
			}
			start := len(w.stack)
			for _, n := range frame {
				switch {
				case i < len(n.prefix):
					w.expand(start, n.prefix[i], child)
				case n.items != nil:
					w.expand(start, n.items, child)
				}
			}
			if len(w.stack) > start {
				w.path = append(w.path, step{index: i})
				w.walk(w.stack[start:], child)
				w.path = w.path[:len(w.path)-1]
			}
			w.stack = w.stack[:start]
		}
	}
}

// member applies what each node of nodes says about the member name to
// its value (when it is a container, which is all the walk looks into),
// and tells whether one of them declares it: by properties, by
// patternProperties, or by additionalProperties when neither matched.
func (w *walker) member(nodes []*node, name string, child any, container bool, start int) bool {
	known := false
	for _, n := range nodes {
		matched := false
		if c, ok := n.props[name]; ok {
			matched = true
			if container {
				w.expand(start, c, child)
			}
		}
		for _, p := range n.patterns {
			if p.re.MatchString(name) {
				matched = true
				if container {
					w.expand(start, p.n, child)
				}
			}
		}
		if !matched && n.addAllowed {
			matched = true
			if container {
				w.expand(start, n.additional, child)
			}
		}
		known = known || matched
	}
	return known
}

// step is one level of a path to a value.
type step struct {
	key   string
	index int // -1 for an object member
}

func pathPointer(path []step) string {
	var b strings.Builder
	for _, s := range path {
		b.WriteByte('/')
		if s.index >= 0 {
			b.WriteString(strconv.Itoa(s.index))
		} else {
			b.WriteString(jsonpointer.Escape(s.key))
		}
	}
	return b.String()
}

// applied expands s into every schema that may apply to v in place: s
// itself, its $ref, allOf, every anyOf/oneOf branch, both if/then/else
// branches and every dependentSchemas entry. It finds secrets in payloads,
// valid or not, where over-redaction is the safe side.
func applied(s *jsonschema.Schema, out []*jsonschema.Schema) []*jsonschema.Schema {
	if s == nil || slices.Contains(out, s) {
		return out
	}
	out = append(out, s)
	out = applied(s.Ref, out)
	out = applied(s.DynamicRef, out)
	for _, group := range [][]*jsonschema.Schema{s.AllOf, s.AnyOf, s.OneOf} {
		for _, x := range group {
			out = applied(x, out)
		}
	}
	out = applied(s.If, out)
	out = applied(s.Then, out)
	out = applied(s.Else, out)
	for _, x := range s.DependentSchemas {
		out = applied(x, out)
	}
	return out
}

// secretAt reports whether the value at pointer, or any value that holds it,
// is described by a schema marked x-hookcontract-secret.
func secretAt(root *jsonschema.Schema, v any, pointer string) bool {
	schemas := applied(root, nil)
	cur := v
	for _, tok := range jsonpointer.Tokens(pointer) {
		for _, s := range schemas {
			if isSecret(s) {
				return true
			}
		}
		var child any
		var sub []*jsonschema.Schema
		switch x := cur.(type) {
		case map[string]any:
			child = x[tok]
			for _, s := range schemas {
				if p, ok := s.Properties[tok]; ok {
					sub = applied(p, sub)
				}
				for re, p := range s.PatternProperties {
					if re.MatchString(tok) {
						sub = applied(p, sub)
					}
				}
				if ap, ok := s.AdditionalProperties.(*jsonschema.Schema); ok {
					sub = applied(ap, sub)
				}
			}
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return false
			}
			child = x[i]
			for _, s := range schemas {
				if i < len(s.PrefixItems) {
					sub = applied(s.PrefixItems[i], sub)
				} else if s.Items2020 != nil {
					sub = applied(s.Items2020, sub)
				}
			}
		default:
			return false
		}
		cur, schemas = child, sub
	}
	for _, s := range schemas {
		if isSecret(s) {
			return true
		}
	}
	return false
}
