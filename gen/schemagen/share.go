package schemagen

import (
	"strconv"
	"strings"
)

// shareIdentical maps every node to the representative of its class of
// structurally identical nodes: same keywords and values, and children
// that are themselves identical (after $ref resolution, cycles included),
// with the same emission context (tracking of evaluated members, entering
// a dynamic-scope resource, expectations along the path). Identical nodes validate identically, so they
// share one generated function: output grows with the number of distinct
// schemas, not with their uses. The representative is the node with the
// smallest key, so names stay deterministic.
func (e *emitter) shareIdentical(nodes map[string]*node) map[*node]*node {
	keys := sortedKeys(nodes)
	list := make([]*node, len(keys))
	for i, k := range keys {
		list[i] = nodes[k]
	}
	class := map[*node]int{}
	classes := 0
	{
		ids := map[string]int{}
		for _, n := range list {
			sig := e.localSignature(n)
			id, ok := ids[sig]
			if !ok {
				id = len(ids)
				ids[sig] = id
			}
			class[n] = id
		}
		classes = len(ids)
	}
	// refine by the classes of the children until no class splits
	for {
		ids := map[string]int{}
		next := make(map[*node]int, len(list))
		var b strings.Builder
		for _, n := range list {
			b.Reset()
			b.WriteString(strconv.Itoa(class[n]))
			for _, c := range n.orderedChildren() {
				b.WriteByte(',')
				if c == nil {
					b.WriteByte('-')
					continue
				}
				cid, ok := class[c]
				if !ok {
					// a node outside the program (never the case for
					// compiled programs): its own class
					b.WriteString("k" + c.key)
					continue
				}
				b.WriteString(strconv.Itoa(cid))
			}
			sig := b.String()
			id, ok := ids[sig]
			if !ok {
				id = len(ids)
				ids[sig] = id
			}
			next[n] = id
		}
		class = next
		if len(ids) == classes {
			break
		}
		classes = len(ids)
	}
	rep := map[int]*node{}
	out := make(map[*node]*node, len(list))
	for _, n := range list { // sorted by key: the first of a class is its representative
		r, ok := rep[class[n]]
		if !ok {
			r = n
			rep[class[n]] = n
		}
		out[n] = r
	}
	return out
}

// orderedChildren lists every subschema reference of n in a fixed order,
// nil where a keyword is absent, so that two nodes with the same local
// signature compare child by child.
func (n *node) orderedChildren() []*node {
	out := []*node{n.ref, n.dynRef, n.not, n.ifS, n.thenS, n.elseS, n.additional, n.propNames, n.items, n.contains, n.unevalProps, n.unevalItems, n.expect}
	out = append(out, n.allOf...)
	out = append(out, n.anyOf...)
	out = append(out, n.oneOf...)
	for _, p := range n.props {
		out = append(out, p.node)
	}
	for _, p := range n.patternProps {
		out = append(out, p.node)
	}
	for _, p := range n.depSchemas {
		out = append(out, p.node)
	}
	out = append(out, n.prefixItems...)
	out = append(out, n.dynCands...)
	return out
}

// localSignature renders everything about n that its generated code
// depends on, other than the identity of its children: their count per
// keyword is included, so children line up in orderedChildren.
func (e *emitter) localSignature(n *node) string {
	var b strings.Builder
	w := func(parts ...string) {
		for _, p := range parts {
			b.WriteString(strconv.Quote(p))
			b.WriteByte(' ')
		}
		b.WriteByte('\n')
	}
	itoa := strconv.Itoa
	flag := func(v bool) string { return strconv.FormatBool(v) }
	if n.boolean != nil {
		w("bool", flag(*n.boolean))
	}
	enters := -1
	if id, ok := e.enters[n]; ok {
		enters = id
	}
	w("ctx", flag(e.tracked[n]), itoa(enters), flag(n.secret), flag(e.expects[n]))
	w("type", strings.Join(n.types, ","))
	if n.hasConst {
		w("const", canonical(n.constVal))
	}
	if n.hasEnum {
		w("enum", canonical(n.enum))
	}
	w("counts", itoa(len(n.allOf)), itoa(len(n.anyOf)), itoa(len(n.oneOf)), itoa(len(n.props)), itoa(len(n.patternProps)),
		itoa(len(n.depSchemas)), itoa(len(n.prefixItems)), itoa(len(n.dynCands)))
	for _, p := range n.props {
		w("prop", p.name)
	}
	for _, p := range n.patternProps {
		w("patternProp", p.pattern)
	}
	for _, p := range n.depSchemas {
		w("depSchema", p.name)
	}
	w("required", strings.Join(quoteAll(n.required), ","))
	for _, d := range n.depRequired {
		w("depRequired", d.name, strings.Join(quoteAll(d.required), ","))
	}
	w("bounds", itoa(n.minProps), itoa(n.maxProps), itoa(n.minContains), itoa(n.maxContains), itoa(n.minItems), itoa(n.maxItems),
		flag(n.unique), itoa(n.minLength), itoa(n.maxLength))
	w("string", n.pattern, n.format, flag(n.contentB64), flag(n.contentJSON))
	w("number", n.minimum, n.maximum, n.exclMinimum, n.exclMaximum, n.multipleOf)
	w("dyn", n.dynName)
	if d := n.discriminator; d != nil {
		// what the union's failure report reads (discriminatorValues)
		w("discriminator", d.PropertyName)
		for _, br := range append(append([]*node(nil), n.anyOf...), n.oneOf...) {
			w(discriminatorValues(d, br)...)
		}
	}
	for _, c := range n.dynCands {
		w("cand", itoa(e.resourceID[c.base]))
	}
	return b.String()
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strconv.Quote(s)
	}
	return out
}
