package schemagen

import (
	"github.com/dave/jennifer/jen"
)

// ExpectKeyword holds a schema's expectations: a subschema evaluated at the
// same instance whose violations are drift (grade "expected"), never a
// failure. It never affects whether the schema holding it is valid, so it
// never decides an anyOf/oneOf branch or an if. Its violations are
// reported only for a payload that satisfies every guarantee, and only for
// the schemas along the evaluation path that succeeded: a schema applied
// through $ref, $dynamicRef (statically), allOf, the anyOf branches that
// match, the oneOf branch that matches, the then or else taken, the
// dependentSchemas whose member is present, and the properties,
// patternProperties, additionalProperties, prefixItems and items of the
// instance's members and items. Expectations under if, not, contains,
// propertyNames and unevaluated* are never reported, nor those inside an
// expectation (everything in it already is one).
const ExpectKeyword = "x-hookcontract-expect"

// expectations computes which nodes have expectations reachable along an
// evaluation path (the edges listed at ExpectKeyword), to a fixed point:
// schemas are recursive.
func expectations(nodes map[string]*node) map[*node]bool {
	may := map[*node]bool{}
	keys := sortedKeys(nodes)
	for changed := true; changed; {
		changed = false
		for _, k := range keys {
			n := nodes[k]
			if may[n] {
				continue
			}
			if n.expect != nil || anyNode(expectEdges(n), func(x *node) bool { return may[x] }) {
				may[n] = true
				changed = true
			}
		}
	}
	return may
}

// expectEdges lists the subschemas an expectation walk may enter from n.
func expectEdges(n *node) []*node {
	var out []*node
	add := func(m ...*node) {
		for _, x := range m {
			if x != nil {
				out = append(out, x)
			}
		}
	}
	add(n.ref, n.dynRef, n.thenS, n.elseS, n.additional, n.items)
	add(n.allOf...)
	add(n.anyOf...)
	add(n.oneOf...)
	add(n.prefixItems...)
	for _, p := range n.props {
		add(p.node)
	}
	for _, p := range n.patternProps {
		add(p.node)
	}
	for _, d := range n.depSchemas {
		add(d.node)
	}
	return out
}

func anyNode(list []*node, f func(*node) bool) bool {
	for _, x := range list {
		if f(x) {
			return true
		}
	}
	return false
}

// recordExpect makes n's function note its expectation, when it has one,
// for the runtime to check once the payload met every guarantee: only on the
// evaluation path that counts (nothing is noted while quiet, that is,
// inside if, not, contains or a union's trial of its branches).
func (b *body) recordExpect(n *node) {
	if n.expect == nil {
		return
	}
	b.add(jen.If(st().Dot("Quiet").Op("==").Lit(0)).Block(
		st().Dot("Pending").Op("=").Append(st().Dot("Pending"), jen.Qual(RuntimePath, "Pending").Values(jen.Dict{
			jen.Id("Node"):   idx(),
			jen.Id("Check"):  jen.Id(b.e.use(n.expect)),
			jen.Id("Secret"): st().Dot("Secret"),
		})),
	))
}

// recordBranches notes, for the anyOf branches that match (oneOf: the
// first that matches), the walk of their expectations: a union tries its
// branches quietly, so they note nothing themselves.
func (b *body) recordBranches(branches []*node, one bool) {
	if !anyNode(branches, func(x *node) bool { return b.e.expects[x] }) {
		return
	}
	note := func(br *node) jen.Code {
		return st().Dot("Pending").Op("=").Append(st().Dot("Pending"), jen.Qual(RuntimePath, "Pending").Values(jen.Dict{
			jen.Id("Node"):   idx(),
			jen.Id("Walk"):   jen.Id(b.e.useExpect(br)),
			jen.Id("Secret"): st().Dot("Secret"),
		}))
	}
	var s []jen.Code
	if one {
		var cases []jen.Code
		for _, br := range branches {
			c := []jen.Code{st().Dot("Quiet").Op("--")}
			if b.e.expects[br] {
				c = append(c, note(br))
			}
			cases = append(cases, jen.Case(jen.Id(b.e.use(br)).Call(st(), idx())).Block(c...))
		}
		cases = append(cases, jen.Default().Block(st().Dot("Quiet").Op("--")))
		s = append(s, st().Dot("Quiet").Op("++"), jen.Switch().Block(cases...))
	} else {
		for _, br := range branches {
			if !b.e.expects[br] {
				continue
			}
			s = append(s, jen.Block(st().Dot("Quiet").Op("++"), jen.Id("c").Op(":=").Id(b.e.use(br)).Call(st(), idx()), st().Dot("Quiet").Op("--"),
				jen.If(jen.Id("c")).Block(note(br))))
		}
	}
	b.add(jen.If(st().Dot("Quiet").Op("==").Lit(0)).Block(s...))
}

// noExpect drops what c notes: expectations under propertyNames and
// unevaluated* are never reported. c returns early only while quiet, when
// nothing is noted.
func (b *body) noExpect(c []jen.Code) []jen.Code {
	if len(c) == 0 || len(b.e.expects) == 0 {
		return c
	}
	return []jen.Code{jen.Block(append(append([]jen.Code{jen.Id("pm").Op(":=").Len(st().Dot("Pending"))}, c...),
		st().Dot("Pending").Op("=").Add(st().Dot("Pending")).Index(jen.Empty(), jen.Id("pm")))...)}
}

// useExpect returns the name of the expectation walk of n, queueing its
// emission, or "" when nothing along n's evaluation paths has expectations.
func (e *emitter) useExpect(n *node) string {
	if !e.expects[n] {
		return ""
	}
	if name, ok := e.expectNames[n]; ok {
		return name
	}
	name := e.ident("hcE", "expect:"+n.key)
	e.expectNames[n] = name
	e.expectQueue = append(e.expectQueue, n)
	return name
}

// expectFunc emits the expectation walk of n, for a union branch that
// matched (tried quietly, it noted nothing): it runs only once the payload
// satisfied every guarantee, evaluates n's own expectations loudly, and
// follows the evaluation path that succeeded into the subschemas that have
// expectations (see ExpectKeyword).
func (e *emitter) expectFunc(n *node) {
	name := e.expectNames[n]
	call := func(x *node, target jen.Code) jen.Code {
		if fn := e.useExpect(x); fn != "" {
			return jen.Id(fn).Call(st(), target)
		}
		return nil
	}
	quiet := func(x *node) jen.Code { return jen.Id(e.use(x)).Call(st(), idx()) }
	var s []jen.Code
	add := func(c ...jen.Code) {
		for _, x := range c {
			if x != nil {
				s = append(s, x)
			}
		}
	}
	if n.secret {
		add(st().Dot("Secret").Op("++"))
	}
	if n.expect != nil {
		add(jen.Id(e.use(n.expect)).Call(st(), idx()))
	}
	add(call(n.ref, idx()), call(n.dynRef, idx()))
	for _, a := range n.allOf {
		add(call(a, idx()))
	}
	for _, a := range n.anyOf {
		if c := call(a, idx()); c != nil {
			add(jen.Block(st().Dot("Quiet").Op("++"), jen.Id("m").Op(":=").Add(quiet(a)), st().Dot("Quiet").Op("--"),
				jen.If(jen.Id("m")).Block(c)))
		}
	}
	if len(n.oneOf) > 0 && anyNode(n.oneOf, func(x *node) bool { return e.expects[x] }) {
		// the first branch that holds is the only one (the payload is valid)
		var cases []jen.Code
		for _, a := range n.oneOf {
			cases = append(cases, jen.Case(quiet(a)).Block(nonNil(st().Dot("Quiet").Op("--"), call(a, idx()))...))
		}
		cases = append(cases, jen.Default().Block(st().Dot("Quiet").Op("--")))
		add(st().Dot("Quiet").Op("++"), jen.Switch().Block(cases...))
	}
	if n.ifS != nil && (e.expects[nilSafe(n.thenS)] || e.expects[nilSafe(n.elseS)]) {
		ifs := jen.If(jen.Id("c"))
		if c := call(nilSafe(n.thenS), idx()); c != nil {
			ifs = ifs.Block(c)
		} else {
			ifs = ifs.Block()
		}
		if c := call(nilSafe(n.elseS), idx()); c != nil {
			ifs = ifs.Else().Block(c)
		}
		add(jen.Block(st().Dot("Quiet").Op("++"), jen.Id("c").Op(":=").Add(quiet(n.ifS)), st().Dot("Quiet").Op("--"), ifs))
	}
	usesNd := false
	// object members
	var member []jen.Code
	k, v := jen.Id("k"), jen.Id("k").Op("+").Lit(1)
	if n.additional != nil && e.expects[n.additional] {
		member = append(member, jen.Id("matched").Op(":=").False())
	}
	var cases []jen.Code
	for _, p := range n.props {
		var cb []jen.Code
		if n.additional != nil && e.expects[n.additional] {
			cb = append(cb, jen.Id("matched").Op("=").True())
		}
		if c := call(p.node, v); c != nil {
			cb = append(cb, c)
		}
		if len(cb) > 0 {
			cases = append(cases, jen.Case(jen.Lit(p.name)).Block(cb...))
		}
	}
	if len(cases) > 0 {
		member = append(member, jen.Switch(jen.String().Call(st().Dot("Text").Call(k))).Block(cases...))
	}
	for _, pp := range n.patternProps {
		if !e.expects[pp.node] && !(n.additional != nil && e.expects[n.additional]) {
			continue
		}
		var pb []jen.Code
		if n.additional != nil && e.expects[n.additional] {
			pb = append(pb, jen.Id("matched").Op("=").True())
		}
		if c := call(pp.node, v); c != nil {
			pb = append(pb, c)
		}
		member = append(member, jen.If(e.patternMatch(pp.pattern, st().Dot("Text").Call(k))).Block(pb...))
	}
	if n.additional != nil && e.expects[n.additional] {
		member = append(member, jen.If(jen.Op("!").Id("matched")).Block(call(n.additional, v)))
	}
	var obj []jen.Code
	if len(member) > 0 {
		obj = append(obj, jen.For(k.Clone().Op(":=").Id("i").Op("+").Lit(1), k.Clone().Op("!=").Lit(0).Op("&&").Id("nd").Dot("N").Op(">").Lit(0), k.Clone().Op("=").Id("st").Dot("Nodes").Index(k.Clone()).Dot("Next")).Block(member...))
	}
	for _, d := range n.depSchemas {
		if c := call(d.node, idx()); c != nil {
			obj = append(obj, jen.If(st().Dot("Member").Call(idx(), jen.Lit(d.name)).Op(">=").Lit(0)).Block(c))
		}
	}
	if len(obj) > 0 {
		usesNd = true
		add(jen.If(ndKind().Op("==").Qual(RuntimePath, "KObject")).Block(obj...))
	}
	// array items
	var item []jen.Code
	if len(n.prefixItems) > 0 {
		var pc []jen.Code
		for j, p := range n.prefixItems {
			if c := call(p, jen.Id("el")); c != nil {
				pc = append(pc, jen.Case(jen.Lit(j)).Block(c))
			}
		}
		ifs := jen.If(jen.Id("j").Op("<").Lit(len(n.prefixItems))).Block(jen.Switch(jen.Id("j")).Block(pc...))
		if c := call(nilSafe(n.items), jen.Id("el")); c != nil {
			ifs = ifs.Else().Block(c)
		}
		item = append(item, ifs)
	} else if c := call(nilSafe(n.items), jen.Id("el")); c != nil {
		item = append(item, c)
	}
	if len(item) > 0 {
		usesNd = true
		el := jen.Id("el")
		loop := jen.For(el.Clone().Op(":=").Id("i").Op("+").Lit(1), el.Clone().Op("!=").Lit(0), el.Clone().Op("=").Id("st").Dot("Nodes").Index(el.Clone()).Dot("Next"))
		var arr []jen.Code
		if len(n.prefixItems) > 0 {
			arr = append(arr, jen.Id("j").Op(":=").Lit(0), loop.Block(append(item, jen.Id("j").Op("++"))...))
		} else {
			arr = append(arr, loop.Block(item...))
		}
		add(jen.If(ndKind().Op("==").Qual(RuntimePath, "KArray").Op("&&").Id("nd").Dot("N").Op(">").Lit(0)).Block(arr...))
	}
	if n.secret {
		add(st().Dot("Secret").Op("--"))
	}
	var stmts []jen.Code
	if usesNd {
		stmts = append(stmts, jen.Id("nd").Op(":=").Op("&").Id("st").Dot("Nodes").Index(idx()))
	}
	stmts = append(stmts, s...)
	e.funcs[name] = jen.Comment(name+" reports the expectations of "+n.uri+" along the evaluation path that held.").Line().
		Func().Id(name).Params(jen.Id("st").Op("*").Qual(RuntimePath, "State"), jen.Id("i").Int32()).Block(stmts...)
}

// nonNil drops the nil statements of c.
func nonNil(c ...jen.Code) []jen.Code {
	out := c[:0]
	for _, x := range c {
		if x != nil {
			out = append(out, x)
		}
	}
	return out
}

// nilSafe maps nil to a node that has no expectations, for lookups.
func nilSafe(n *node) *node {
	if n == nil {
		return noNode
	}
	return n
}

var noNode = &node{}
