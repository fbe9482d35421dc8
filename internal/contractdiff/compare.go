package contractdiff

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// comparer compares two resolved schemas keyword by keyword, from the
// receiver's side: what the new contract accepts that the old one did not
// is widening, what it rejects that the old one accepted is narrowing.
type comparer struct {
	v      view
	memo   map[string][]Change // a pair's changes, pointers relative to it
	onPath map[string]bool     // pairs being compared: a recursive schema
	out    []Change
}

func newComparer(v view) *comparer {
	return &comparer{v: v, memo: map[string][]Change{}, onPath: map[string]bool{}}
}

func (c *comparer) add(ptr, kw string, classes []Class, old, new any, format string, args ...any) {
	c.out = append(c.out, Change{Pointer: ptr, Keyword: kw, Classes: classes, Old: old, New: new, Message: fmt.Sprintf(format, args...)})
}

var (
	widening  = []Class{Widening}
	narrowing = []Class{Narrowing}
	both      = []Class{Widening, Narrowing}
)

// equal tells whether two conjunctions accept the same instances, as far
// as the comparer can tell.
func (c *comparer) equal(a, b conj) bool {
	sub := newComparer(c.v)
	sub.cmp("", a, b)
	return len(sub.out) == 0
}

// cmp reports the changes from oc to nc at ptr. A pair of schemas met at
// several locations (a shared shape) is compared once and its changes
// reported at each; a pair met again inside itself (a recursive schema)
// is not compared again there.
func (c *comparer) cmp(ptr string, oc, nc conj) {
	for _, ch := range c.relative(oc, nc) {
		ch.Pointer = ptr + ch.Pointer
		c.out = append(c.out, ch)
	}
}

func (c *comparer) relative(oc, nc conj) []Change {
	k := oc.key() + "|" + nc.key()
	if rel, ok := c.memo[k]; ok {
		return rel
	}
	if c.onPath[k] {
		return nil
	}
	c.onPath[k] = true
	saved := c.out
	c.out = nil
	c.here("", oc, nc)
	rel := c.out
	c.out = saved
	delete(c.onPath, k)
	c.memo[k] = rel
	return rel
}

// here compares the keywords of one pair, ptr being its location.
func (c *comparer) here(ptr string, oc, nc conj) {
	o, n := merge(oc, c.v), merge(nc, c.v)
	switch {
	case o.never && !n.never:
		c.add(ptr, "false", widening, false, true, "the schema accepted nothing and now accepts values")
		return
	case !o.never && n.never:
		c.add(ptr, "false", narrowing, true, false, "the schema now accepts nothing")
		return
	case o.never && n.never:
		return
	}
	c.types(ptr, o, n)
	c.enum(ptr, o, n)
	c.minimum(ptr, "minLength", o.minLen, n.minLen)
	c.maximum(ptr, "maxLength", o.maxLen, n.maxLen)
	c.minimum(ptr, "minItems", o.minItems, n.minItems)
	c.maximum(ptr, "maxItems", o.maxItems, n.maxItems)
	c.minimum(ptr, "minProperties", o.minProps, n.minProps)
	c.maximum(ptr, "maxProperties", o.maxProps, n.maxProps)
	c.bounds(ptr, o, n)
	c.set(ptr, "multipleOf", o.multipleOf, n.multipleOf)
	c.set(ptr, "pattern", o.patterns, n.patterns)
	c.set(ptr, "format", o.formats, n.formats)
	if o.unique != n.unique {
		if n.unique {
			c.add(ptr, "uniqueItems", narrowing, false, true, "items must now be unique")
		} else {
			c.add(ptr, "uniqueItems", widening, true, false, "items may now repeat")
		}
	}
	c.properties(ptr, o, n)
	c.arrays(ptr, o, n)
	c.branches(ptr, "oneOf", o.oneOf, n.oneOf)
	c.branches(ptr, "anyOf", o.anyOf, n.anyOf)
	c.opaque(ptr, "not", o.not, n.not)
	c.opaque(ptr, "if", o.cond, n.cond)
	c.dependentRequired(ptr, o, n)
	for _, k := range unionKeys(o.depSchemas, n.depSchemas) {
		c.optional(ptr+"/dependentSchemas/"+jsonpointer.Escape(k), "dependentSchemas", o.depSchemas[k], n.depSchemas[k])
	}
	c.optional(ptr+"/propertyNames", "propertyNames", o.propNames, n.propNames)
	c.optional(ptr+"/unevaluatedProperties", "unevaluatedProperties", o.unevalP, n.unevalP)
	c.optional(ptr+"/unevaluatedItems", "unevaluatedItems", o.unevalI, n.unevalI)
	c.optional(ptr+"/contains", "contains", o.contains, n.contains)
	if len(o.contains) > 0 && len(n.contains) > 0 {
		c.minimum(ptr, "minContains", o.minCont, n.minCont)
		c.maximum(ptr, "maxContains", o.maxCont, n.maxCont)
	}
	c.optional(ptr+"/additionalItems", "additionalItems", o.addItems, n.addItems)
	if o.noAddItems != n.noAddItems {
		if n.noAddItems {
			c.add(ptr, "additionalItems", narrowing, true, false, "items beyond the tuple are no longer allowed")
		} else {
			c.add(ptr, "additionalItems", widening, false, true, "items beyond the tuple are now allowed")
		}
	}
}

func typeList(t map[string]bool) []string {
	if t == nil {
		return nil
	}
	var out []string
	for x := range t {
		if x == "integer" && t["number"] {
			continue
		}
		out = append(out, x)
	}
	sort.Strings(out)
	return out
}

// subset tells whether every type of a is a type of b (nil: every type).
func subset(a, b map[string]bool) bool {
	if b == nil {
		return true
	}
	if a == nil {
		return false
	}
	for t := range a {
		if !b[t] {
			return false
		}
	}
	return true
}

func (c *comparer) types(ptr string, o, n *eff) {
	wide, narrow := !subset(n.types, o.types), !subset(o.types, n.types)
	if !wide && !narrow {
		return
	}
	ot, nt := typeList(o.types), typeList(n.types)
	show := func(t []string) string {
		if t == nil {
			return "any type"
		}
		return strings.Join(t, " or ")
	}
	var cl []Class
	if wide {
		cl = append(cl, Widening)
	}
	if narrow {
		cl = append(cl, Narrowing)
	}
	c.add(ptr, "type", cl, ot, nt, "type changed from %s to %s", show(ot), show(nt))
}

func (c *comparer) enum(ptr string, o, n *eff) {
	switch {
	case !o.hasEnum && !n.hasEnum:
		return
	case o.hasEnum && !n.hasEnum:
		c.add(ptr, "enum", widening, sortedValues(o.enum), nil, "the allowed values %s are no longer enumerated: any value is allowed", showValues(o.enum))
		return
	case !o.hasEnum && n.hasEnum:
		c.add(ptr, "enum", narrowing, nil, sortedValues(n.enum), "the values are now limited to %s", showValues(n.enum))
		return
	}
	added, removed := diffValues(o.enum, n.enum)
	if len(added) == 0 && len(removed) == 0 {
		return
	}
	var cl []Class
	var parts []string
	if len(added) > 0 {
		cl = append(cl, Widening)
		parts = append(parts, plural(len(added), "new enum value", "new enum values")+" "+showValues(added))
	}
	if len(removed) > 0 {
		cl = append(cl, Narrowing)
		parts = append(parts, plural(len(removed), "enum value", "enum values")+" "+showValues(removed)+" removed")
	}
	c.add(ptr, "enum", cl, sortedValues(o.enum), sortedValues(n.enum), "%s", strings.Join(parts, "; "))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func diffValues(o, n []any) (added, removed []any) {
	in := func(list []any) map[string]bool {
		m := map[string]bool{}
		for _, v := range list {
			m[canonical(v)] = true
		}
		return m
	}
	om, nm := in(o), in(n)
	for _, v := range sortedValues(n) {
		if !om[canonical(v)] {
			added = append(added, v)
		}
	}
	for _, v := range sortedValues(o) {
		if !nm[canonical(v)] {
			removed = append(removed, v)
		}
	}
	return added, removed
}

func sortedValues(vs []any) []any {
	out := append([]any{}, vs...)
	sort.SliceStable(out, func(i, j int) bool { return canonical(out[i]) < canonical(out[j]) })
	return out
}

func showValues(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range sortedValues(vs) {
		parts[i] = canonical(v)
	}
	return strings.Join(parts, ", ")
}

// minimum compares a lower limit (-1: none).
func (c *comparer) minimum(ptr, kw string, o, n int) {
	switch {
	case max(o, 0) == max(n, 0):
	case o <= 0:
		c.add(ptr, kw, narrowing, limit(o), limit(n), "new %s %d", kw, n)
	case n <= 0:
		c.add(ptr, kw, widening, limit(o), limit(n), "%s %d removed", kw, o)
	case n > o:
		c.add(ptr, kw, narrowing, limit(o), limit(n), "%s raised from %d to %d", kw, o, n)
	default:
		c.add(ptr, kw, widening, limit(o), limit(n), "%s lowered from %d to %d", kw, o, n)
	}
}

// maximum compares an upper limit (-1: none).
func (c *comparer) maximum(ptr, kw string, o, n int) {
	switch {
	case o == n:
	case o < 0:
		c.add(ptr, kw, narrowing, limit(o), limit(n), "new %s %d", kw, n)
	case n < 0:
		c.add(ptr, kw, widening, limit(o), limit(n), "%s %d removed", kw, o)
	case n < o:
		c.add(ptr, kw, narrowing, limit(o), limit(n), "%s lowered from %d to %d", kw, o, n)
	default:
		c.add(ptr, kw, widening, limit(o), limit(n), "%s raised from %d to %d", kw, o, n)
	}
}

func limit(n int) any {
	if n < 0 {
		return nil
	}
	return n
}

func showBound(b *bound) any {
	if b == nil {
		return nil
	}
	return json.Number(number(b.v))
}

// number writes a schema's numeric limit as JSON: exactly for integers
// and finite decimals, the nearest float64 otherwise.
func number(r *big.Rat) string {
	if r.IsInt() {
		return r.RatString()
	}
	if d, ok := finiteDecimal(r); ok {
		return d
	}
	f, _ := r.Float64()
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// finiteDecimal writes r in decimal when its denominator has no prime
// factor other than 2 and 5.
func finiteDecimal(r *big.Rat) (string, bool) {
	d := new(big.Int).Set(r.Denom())
	digits := 0
	ten, two, five := big.NewInt(10), big.NewInt(2), big.NewInt(5)
	var m big.Int
	for d.Cmp(big.NewInt(1)) != 0 {
		switch {
		case m.Mod(d, ten).Sign() == 0:
			d.Div(d, ten)
		case m.Mod(d, two).Sign() == 0:
			d.Div(d, two)
		case m.Mod(d, five).Sign() == 0:
			d.Div(d, five)
		default:
			return "", false
		}
		digits++
		if digits > 64 {
			return "", false
		}
	}
	return strings.TrimRight(strings.TrimRight(r.FloatString(digits), "0"), "."), true
}

func boundKeyword(b *bound, lower bool) string {
	switch {
	case lower && b.exclusive:
		return "exclusiveMinimum"
	case lower:
		return "minimum"
	case b.exclusive:
		return "exclusiveMaximum"
	}
	return "maximum"
}

func (c *comparer) bounds(ptr string, o, n *eff) {
	cmpBound := func(ob, nb *bound, lower bool) {
		kw := "minimum"
		if !lower {
			kw = "maximum"
		}
		switch {
		case ob == nil && nb == nil:
			return
		case ob == nil:
			c.add(ptr, boundKeyword(nb, lower), narrowing, nil, showBound(nb), "new %s %s", boundKeyword(nb, lower), number(nb.v))
			return
		case nb == nil:
			c.add(ptr, boundKeyword(ob, lower), widening, showBound(ob), nil, "%s %s removed", boundKeyword(ob, lower), number(ob.v))
			return
		}
		cmp := nb.v.Cmp(ob.v)
		if cmp == 0 && nb.exclusive == ob.exclusive {
			return
		}
		if !lower {
			cmp = -cmp
		}
		// For a lower bound, a greater value (or the same value, now
		// excluded) is tighter; for an upper bound, a smaller one.
		tighter := cmp > 0 || (cmp == 0 && nb.exclusive)
		kwo, kwn := boundKeyword(ob, lower), boundKeyword(nb, lower)
		if tighter {
			c.add(ptr, kw, narrowing, showBound(ob), showBound(nb), "%s %s tightened to %s %s", kwo, number(ob.v), kwn, number(nb.v))
		} else {
			c.add(ptr, kw, widening, showBound(ob), showBound(nb), "%s %s relaxed to %s %s", kwo, number(ob.v), kwn, number(nb.v))
		}
	}
	cmpBound(o.lower, n.lower, true)
	cmpBound(o.upper, n.upper, false)
}

// set compares constraints that each narrow on their own (patterns,
// formats, multipleOf): one added narrows, one removed widens.
func (c *comparer) set(ptr, kw string, o, n []string) {
	added, removed := diffStrings(o, n)
	if len(added) == 0 && len(removed) == 0 {
		return
	}
	var cl []Class
	var parts []string
	if len(removed) > 0 {
		cl = append(cl, Widening)
		parts = append(parts, fmt.Sprintf("%s %s removed", kw, quoteAll(removed)))
	}
	if len(added) > 0 {
		cl = append(cl, Narrowing)
		parts = append(parts, fmt.Sprintf("new %s %s", kw, quoteAll(added)))
	}
	c.add(ptr, kw, cl, strs(o), strs(n), "%s", strings.Join(parts, "; "))
}

func strs(s []string) any {
	if len(s) == 0 {
		return nil
	}
	if len(s) == 1 {
		return s[0]
	}
	return s
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = strconv.Quote(x)
	}
	return strings.Join(q, ", ")
}

func diffStrings(o, n []string) (added, removed []string) {
	om, nm := map[string]bool{}, map[string]bool{}
	for _, x := range o {
		om[x] = true
	}
	for _, x := range n {
		nm[x] = true
	}
	for _, x := range n {
		if !om[x] {
			added = append(added, x)
		}
	}
	for _, x := range o {
		if !nm[x] {
			removed = append(removed, x)
		}
	}
	sort.Strings(added)
	sort.Strings(removed)
	return added, removed
}

func (c *comparer) properties(ptr string, o, n *eff) {
	done := map[string]bool{}
	for _, name := range unionKeys(o.props, n.props) {
		op, inOld := o.props[name]
		np, inNew := n.props[name]
		at := ptr + "/properties/" + jsonpointer.Escape(name)
		switch {
		case inOld && inNew:
			c.cmp(at, op, np)
		case inNew && n.required[name] && !o.required[name]:
			done[name] = true
			c.add(at, "required", narrowing, nil, name, "new required property %q: payloads without it now fail", name)
		case inNew:
			c.add(at, "properties", widening, nil, name, "new optional property %q: the provider may now send it", name)
		case n.closed:
			done[name] = true
			c.add(at, "properties", narrowing, name, nil, "property %q removed and additional properties are not allowed: payloads carrying it now fail", name)
		default:
			done[name] = true
			c.add(at, "properties", widening, name, nil, "property %q removed: its value is no longer constrained", name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(n.required)) {
		if !o.required[name] && !done[name] {
			c.add(ptr+"/properties/"+jsonpointer.Escape(name), "required", narrowing, false, true, "property %q is now required", name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(o.required)) {
		if !n.required[name] && !done[name] {
			c.add(ptr+"/properties/"+jsonpointer.Escape(name), "required", widening, true, false, "property %q is no longer required: the provider may omit it", name)
		}
	}
	switch {
	case o.closed && !n.closed:
		c.add(ptr, "additionalProperties", widening, false, true, "additional properties are now allowed")
	case !o.closed && n.closed:
		c.add(ptr, "additionalProperties", narrowing, true, false, "additional properties are no longer allowed")
	case !o.closed && !n.closed:
		c.optional(ptr+"/additionalProperties", "additionalProperties", o.addl, n.addl)
	}
	for _, re := range unionKeys(o.patProps, n.patProps) {
		c.optional(ptr+"/patternProperties/"+jsonpointer.Escape(re), "patternProperties", o.patProps[re], n.patProps[re])
	}
}

// optional compares a subschema that may be absent (absent: anything).
func (c *comparer) optional(at, kw string, o, n conj) {
	switch {
	case len(o) == 0 && len(n) == 0:
	case len(o) == 0:
		c.add(at, kw, narrowing, nil, true, "new %s constraint", kw)
	case len(n) == 0:
		c.add(at, kw, widening, true, nil, "%s constraint removed", kw)
	default:
		c.cmp(at, o, n)
	}
}

func (c *comparer) arrays(ptr string, o, n *eff) {
	c.optional(ptr+"/items", "items", o.items, n.items)
	for i := 0; i < max(len(o.prefix), len(n.prefix)); i++ {
		var op, np conj
		if i < len(o.prefix) {
			op = o.prefix[i]
		}
		if i < len(n.prefix) {
			np = n.prefix[i]
		}
		c.optional(fmt.Sprintf("%s/prefixItems/%d", ptr, i), "prefixItems", op, np)
	}
}

// branches compares oneOf or anyOf groups: a branch is matched with an
// equal branch first, then by position; an added branch widens, a removed
// one narrows.
func (c *comparer) branches(ptr, kw string, o, n [][]*jsonschema.Schema) {
	for g := 0; g < max(len(o), len(n)); g++ {
		at := ptr + "/" + kw
		if g > 0 {
			at = fmt.Sprintf("%s/allOf/%d/%s", ptr, g, kw)
		}
		switch {
		case g >= len(n):
			c.add(at, kw, widening, len(o[g]), nil, "%s with %d branches removed", kw, len(o[g]))
			continue
		case g >= len(o):
			c.add(at, kw, narrowing, nil, len(n[g]), "new %s with %d branches", kw, len(n[g]))
			continue
		}
		ob, nb := o[g], n[g]
		matchedOld, matchedNew := map[int]bool{}, map[int]bool{}
		for i, x := range ob {
			for j, y := range nb {
				if !matchedNew[j] && c.equal(flatten(x, c.v), flatten(y, c.v)) {
					matchedOld[i], matchedNew[j] = true, true
					break
				}
			}
		}
		var restOld, restNew []int
		for i := range ob {
			if !matchedOld[i] {
				restOld = append(restOld, i)
			}
		}
		for j := range nb {
			if !matchedNew[j] {
				restNew = append(restNew, j)
			}
		}
		// Pair the rest by the values they pin (a discriminator), then by
		// position: a changed branch.
		for _, i := range slices.Clone(restOld) {
			k := c.pinned(ob[i])
			if k == "" {
				continue
			}
			for _, j := range restNew {
				if c.pinned(nb[j]) == k {
					c.cmp(fmt.Sprintf("%s/%d", at, j), flatten(ob[i], c.v), flatten(nb[j], c.v))
					restOld = slices.DeleteFunc(restOld, func(x int) bool { return x == i })
					restNew = slices.DeleteFunc(restNew, func(x int) bool { return x == j })
					break
				}
			}
		}
		for len(restOld) > 0 && len(restNew) > 0 {
			c.cmp(fmt.Sprintf("%s/%d", at, restNew[0]), flatten(ob[restOld[0]], c.v), flatten(nb[restNew[0]], c.v))
			restOld, restNew = restOld[1:], restNew[1:]
		}
		for _, j := range restNew {
			c.add(fmt.Sprintf("%s/%d", at, j), kw, widening, nil, j, "new %s branch", kw)
		}
		for _, i := range restOld {
			c.add(fmt.Sprintf("%s/%d", at, i), kw, narrowing, i, nil, "%s branch %d removed", kw, i)
		}
	}
}

// pinned describes the properties a branch pins to one value (const or
// a one-value enum), such as a discriminator: "type=\"card\"".
func (c *comparer) pinned(b *jsonschema.Schema) string {
	e := merge(flatten(b, c.v), c.v)
	var parts []string
	for _, name := range unionKeys(e.props) {
		if p := merge(e.props[name], c.v); p.hasEnum && len(p.enum) == 1 {
			parts = append(parts, name+"="+canonical(p.enum[0]))
		}
	}
	return strings.Join(parts, "&")
}

// opaque compares keywords whose effect the comparer does not split (not,
// if/then/else): a change there may widen and narrow at once.
func (c *comparer) opaque(ptr, kw string, o, n []*jsonschema.Schema) {
	if len(o) == len(n) {
		same := true
		for i := range o {
			if !c.equalOpaque(kw, o[i], n[i]) {
				same = false
			}
		}
		if same {
			return
		}
	}
	c.add(ptr+"/"+kw, kw, both, len(o), len(n), "%s changed: some payloads may now pass and others fail", kw)
}

func (c *comparer) equalOpaque(kw string, a, b *jsonschema.Schema) bool {
	if kw != "if" {
		return c.equal(flatten(a, c.v), flatten(b, c.v))
	}
	pair := func(x, y *jsonschema.Schema) bool {
		if x == nil || y == nil {
			return x == nil && y == nil
		}
		return c.equal(flatten(x, c.v), flatten(y, c.v))
	}
	return pair(a.If, b.If) && pair(a.Then, b.Then) && pair(a.Else, b.Else)
}

func (c *comparer) dependentRequired(ptr string, o, n *eff) {
	for _, k := range unionKeys(o.depReq, n.depReq) {
		added, removed := diffStrings(o.depReq[k], n.depReq[k])
		at := ptr + "/dependentRequired/" + jsonpointer.Escape(k)
		if len(added) > 0 {
			c.add(at, "dependentRequired", narrowing, o.depReq[k], n.depReq[k], "with %q present, %s now required", k, quoteAll(added))
		}
		if len(removed) > 0 {
			c.add(at, "dependentRequired", widening, o.depReq[k], n.depReq[k], "with %q present, %s no longer required", k, quoteAll(removed))
		}
	}
}

// unionKeys returns the keys of the maps, sorted.
func unionKeys[V any](ms ...map[string]V) []string {
	seen := map[string]bool{}
	for _, m := range ms {
		for k := range m {
			seen[k] = true
		}
	}
	return slices.Sorted(maps.Keys(seen))
}
