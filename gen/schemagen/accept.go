package schemagen

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
)

// The tape acceptors: beside each node validator, a function that
// answers only "does this value hold no violation at all?" on the tape,
// with no messages, no quiet mode and no expectations noted for later. A
// root validator asks its acceptor first and walks the tape for the
// violations only when the acceptor refuses: a conforming payload, the
// common case, is walked once, by the cheaper function. An object is
// walked once for all the schemas applied to it in place ($ref, allOf,
// anyOf, oneOf, not, if/then/else, expectations), where the validators
// walk it once for each (see acceptGroup). An acceptor is emitted for a
// root only when every schema it reaches uses keywords it decides
// exactly (see acceptSupported); the others keep the validator alone.
//
// The acceptor of a schema is exact: it accepts a value if and only if
// its validator finds no violation in it, guarantees and expectations
// alike. A schema that reaches expectations also gets an acceptor of its
// guarantees alone, which accepts a value if and only if its validator
// finds no violation of grade guaranteed: the same walk with every
// x-hookcontract-expect left out (see GuaranteeAcceptFunc). Validate and
// Parse, which drop drift, ask that one. The harness of this package's
// tests holds every acceptor of both kinds to that on every payload it
// runs.

// AcceptFunc returns the name of the acceptor of root function funcName,
// func(*hcrt.State, int32) bool, or "" when the root has none. Set by
// Emit.
func (p *Program) AcceptFunc(funcName string) string { return p.acceptFns[funcName] }

// GuaranteeAcceptFunc returns the name of the acceptor of root function
// funcName that decides on its guarantees alone: AcceptFunc's when the
// root reaches no expectation, "" when it has no acceptor. Set by Emit.
func (p *Program) GuaranteeAcceptFunc(funcName string) string { return p.guaranteeFns[funcName] }

// acceptSupported reports whether every schema root reaches can be decided
// by an acceptor. Left to the validator alone: $dynamicRef and
// unevaluated* (what they see depends on what other keywords evaluated),
// and expectations met where the validator checks them only for some
// branches (inside anyOf, oneOf, not, if, contains and propertyNames).
func acceptSupported(root *node) bool {
	type visit struct {
		n     *node
		quiet bool
	}
	seen := map[visit]bool{}
	var ok func(n *node, quiet bool) bool
	ok = func(n *node, quiet bool) bool {
		if n == nil || n.boolean != nil {
			return true
		}
		v := visit{n, quiet}
		if seen[v] {
			return true
		}
		seen[v] = true
		if n.dynRef != nil || n.unevalProps != nil || n.unevalItems != nil || (n.expect != nil && quiet) {
			return false
		}
		// the subschemas the validator evaluates quietly (for some
		// branches only); every other one as n itself is evaluated
		hushed := map[*node]bool{n.not: true, n.ifS: true, n.contains: true, n.propNames: true}
		for _, m := range append(append([]*node(nil), n.anyOf...), n.oneOf...) {
			hushed[m] = true
		}
		for _, m := range n.orderedChildren() {
			if !ok(m, quiet || hushed[m]) {
				return false
			}
		}
		return true
	}
	return ok(root, false)
}

// scalarValues reports whether n's const and enum hold only strings,
// numbers, booleans and null: then the acceptor checks them by kind.
func scalarValues(n *node) bool {
	scalar := func(v any) bool {
		switch v.(type) {
		case nil, bool, string, json.Number:
			return true
		}
		return false
	}
	if n.hasConst && !scalar(n.constVal) {
		return false
	}
	for _, v := range n.enum {
		if !scalar(v) {
			return false
		}
	}
	return true
}

// acceptEmitter emits the acceptors; it shares the validator emitter's
// identifiers and package-level values.
type acceptEmitter struct {
	e     *emitter
	names map[acceptor]string
	queue []acceptor
	conjs map[string]*node // by key (see conjunction)
	// guarantees: the function being emitted is an acceptor of guarantees
	// alone, and so are the acceptors it calls
	guarantees bool
}

// acceptor is one acceptor function: of schema n, of its guarantees alone
// when guarantees is set (only for a schema that reaches expectations:
// any other's one acceptor is both).
type acceptor struct {
	n          *node
	guarantees bool
}

// use returns the name of n's acceptor of the kind being emitted.
func (ae *acceptEmitter) use(n *node) string {
	n = ae.target(n)
	k := acceptor{n, ae.guarantees && ae.expecting(n)}
	if name, ok := ae.names[k]; ok {
		return name
	}
	name := ae.e.ident("hcA", "accept:"+n.key)
	if k.guarantees {
		name = ae.e.ident("hcG", "accept guarantees:"+n.key)
	}
	ae.names[k] = name
	ae.queue = append(ae.queue, k)
	return name
}

// useGuarantees returns the name of n's acceptor of guarantees alone.
func (ae *acceptEmitter) useGuarantees(n *node) string {
	was := ae.guarantees
	ae.guarantees = true
	defer func() { ae.guarantees = was }()
	return ae.use(n)
}

// expecting reports whether n reaches expectations along an evaluation
// path (a conjunction made here when one of its schemas does).
func (ae *acceptEmitter) expecting(n *node) bool {
	if ae.e.expects[n] {
		return true
	}
	if c, ok := ae.conjs[n.key]; ok && c == n {
		return anyNode(n.allOf, ae.expecting)
	}
	return false
}

// expectOf is n's expectation schema as the acceptor being emitted applies
// it: none for an acceptor of guarantees alone.
func (ae *acceptEmitter) expectOf(n *node) *node {
	if ae.guarantees {
		return nil
	}
	return n.expect
}

// target is the schema whose acceptor is n's: n's representative (see
// share), or, for a schema that holds nothing but a $ref, its target's.
// A wrapper of one $ref (`items: {$ref: ...}`, a property's schema) gets
// no acceptor of its own, which would repeat its target's walk.
func (ae *acceptEmitter) target(n *node) *node {
	return ae.e.forward(n, func(*node) bool { return false })
}

// refOnly reports whether n holds a $ref and no other keyword an acceptor
// reads (annotations, $id and x-hookcontract-secret aside: an acceptor
// has no dynamic scope and no messages).
func refOnly(n *node) bool {
	if n.ref == nil || n.boolean != nil || hasOwn(n) {
		return false
	}
	for _, c := range n.orderedChildren() {
		if c != nil && c != n.ref {
			return false // a subschema of another keyword
		}
	}
	return true
}

// conjunction returns a schema that holds where every one of list holds
// (nil for an empty list, the one schema for a list of one): an allOf of
// them, made once per list. made says it is such an allOf.
func (ae *acceptEmitter) conjunction(list []*node) (c *node, made bool) {
	var uniq []*node
	seen := map[*node]bool{}
	for _, n := range list {
		if r, ok := ae.e.rep[n]; ok {
			n = r
		}
		if !seen[n] {
			seen[n] = true
			uniq = append(uniq, n)
		}
	}
	switch len(uniq) {
	case 0:
		return nil, false
	case 1:
		return uniq[0], false
	}
	var keys, uris []string
	for _, n := range uniq {
		keys = append(keys, n.key)
		uris = append(uris, n.uri)
	}
	key := "allOf(" + strings.Join(keys, " & ") + ")"
	if c, ok := ae.conjs[key]; ok {
		return c, true
	}
	c = &node{key: key, uri: "all of " + strings.Join(uris, ", "), allOf: uniq,
		minContains: -1, maxContains: -1, minItems: -1, maxItems: -1,
		minLength: -1, maxLength: -1, minProps: -1, maxProps: -1}
	ae.conjs[key] = c
	return c, true
}

func (ae *acceptEmitter) drain() {
	for len(ae.queue) > 0 {
		k := ae.queue[0]
		ae.queue = ae.queue[1:]
		ae.guarantees = k.guarantees
		ae.nodeFunc(k.n)
		ae.guarantees = false
	}
}

var retF = func() jen.Code { return jen.Return(jen.False()) }

// test is the expression "schema n accepts node at".
func (ae *acceptEmitter) test(n *node, at jen.Code) jen.Code {
	n = ae.target(n)
	if n.boolean != nil {
		return jen.Lit(*n.boolean)
	}
	return jen.Id(ae.use(n)).Call(st(), at)
}

// call is `if !acc(st, at) { return false }`.
func (ae *acceptEmitter) call(n *node, at jen.Code) []jen.Code {
	n = ae.target(n)
	if n.boolean != nil {
		if *n.boolean {
			return nil
		}
		return []jen.Code{retF()}
	}
	return []jen.Code{jen.If(jen.Op("!").Add(ae.test(n, at))).Block(retF())}
}

func hasOwn(n *node) bool {
	return len(n.types) > 0 || n.hasConst || n.hasEnum ||
		len(n.props) > 0 || len(n.patternProps) > 0 || n.additional != nil || len(n.required) > 0 ||
		len(n.depRequired) > 0 || n.minProps >= 0 || n.maxProps >= 0 ||
		len(n.prefixItems) > 0 || n.items != nil || n.minItems >= 0 || n.maxItems >= 0 ||
		n.minLength >= 0 || n.maxLength >= 0 || n.pattern != "" || n.format != "" ||
		n.minimum != "" || n.maximum != "" || n.exclMinimum != "" || n.exclMaximum != "" || n.multipleOf != "" ||
		n.contentB64 || n.contentJSON || n.propNames != nil || len(n.depSchemas) > 0 || n.contains != nil || n.unique
}

func (ae *acceptEmitter) nodeFunc(n *node) {
	name := ae.names[acceptor{n, ae.guarantees}]
	what := " accepts "
	if ae.guarantees {
		what = " accepts, on its guarantees alone, "
	}
	fn := func(body ...jen.Code) {
		ae.e.funcs[name] = jen.Comment(name+what+n.uri+" (see AcceptFunc)").Line().
			Func().Id(name).Params(jen.Id("st").Op("*").Qual(RuntimePath, "State"), jen.Id("i").Int32()).Bool().Block(body...)
	}
	if n.boolean != nil {
		fn(jen.Return(jen.Lit(*n.boolean)))
		return
	}
	var s []jen.Code
	g := ae.acceptGroup(n)
	if g != nil {
		// an object returns here: the code after it reads other kinds
		s = append(s, jen.If(jen.Id("st").Dot("Nodes").Index(idx()).Dot("Kind").Op("==").Qual(RuntimePath, "KObject")).Block(ae.members(g)...))
	}
	if hasOwn(n) {
		own, none := ae.own(n, g != nil)
		if none {
			// no value but an object is accepted, and objects returned
			fn(append(s, jen.Return(jen.False()))...)
			return
		}
		s = append(s, own...)
	}
	for _, m := range []*node{n.ref, ae.expectOf(n)} {
		if m != nil {
			s = append(s, ae.call(m, idx())...)
		}
	}
	for _, m := range n.allOf {
		s = append(s, ae.call(m, idx())...)
	}
	if len(n.anyOf) > 0 {
		var tests []jen.Code
		for _, m := range n.anyOf {
			tests = append(tests, ae.test(m, idx()))
		}
		s = append(s, jen.If(jen.Op("!").Parens(joinOp("||", tests))).Block(retF()))
	}
	if len(n.oneOf) > 0 {
		var args []jen.Code
		for _, m := range n.oneOf {
			args = append(args, ae.test(m, idx()))
		}
		s = append(s, jen.If(jen.Op("!").Qual(RuntimePath, "OneTrue").Call(args...)).Block(retF()))
	}
	if n.not != nil {
		s = append(s, jen.If(ae.test(n.not, idx())).Block(retF()))
	}
	if n.ifS != nil && (n.thenS != nil || n.elseS != nil) {
		var then, els []jen.Code
		if n.thenS != nil {
			then = ae.call(n.thenS, idx())
		}
		if n.elseS != nil {
			els = ae.call(n.elseS, idx())
		}
		s = append(s, jen.If(ae.test(n.ifS, idx())).Block(then...).Else().Block(els...))
	}
	s = append(s, jen.Return(jen.True()))
	fn(s...)
}

// own checks n's own keywords, by the value's kind; objects only when
// they were not checked by group already.
//
// none says no kind is left to accept (the code is a lone `return false`).
func (ae *acceptEmitter) own(n *node, grouped bool) (code []jen.Code, none bool) {
	allowed := map[string]bool{}
	if len(n.types) == 0 {
		for _, k := range []string{"null", "boolean", "object", "array", "number", "string"} {
			allowed[k] = true
		}
	}
	intOnly := false
	for _, t := range n.types {
		allowed[t] = true
	}
	if allowed["integer"] && !allowed["number"] {
		allowed["number"], intOnly = true, true
	}
	var pre []jen.Code
	var strs, nums, lits [][]string // by list (const, enum)
	lists := ae.valueLists(n)
	if !scalarValues(n) {
		// an object or an array among the values: compared as JSON values
		if n.hasConst {
			pre = append(pre, jen.If(jen.Op("!").Add(ae.e.matchConst(n, idx()))).Block(retF()))
		}
		if n.hasEnum {
			pre = append(pre, jen.If(jen.Op("!").Add(ae.e.matchEnum(n, idx()))).Block(retF()))
		}
		lists = nil
	}
	for _, list := range lists {
		var ss, ns, ls []string
		seen := map[string]bool{}
		for _, v := range list {
			switch x := v.(type) {
			case string: // once each: a switch may not repeat a case
				if !seen[x] {
					seen[x] = true
					ss = append(ss, x)
				}
			case json.Number:
				ns = append(ns, x.String())
			case bool:
				ls = append(ls, strconv.FormatBool(x))
			case nil:
				ls = append(ls, "null")
			}
		}
		strs, nums, lits = append(strs, ss), append(nums, ns), append(lits, ls)
	}
	strOK, numOK := allowed["string"], allowed["number"]
	for j := range lists {
		strOK = strOK && len(strs[j]) > 0
		numOK = numOK && len(nums[j]) > 0
	}
	var cases []jen.Code
	if strOK {
		var c []jen.Code
		for _, list := range strs {
			var vals []jen.Code
			for _, v := range list {
				vals = append(vals, jen.Lit(v))
			}
			c = append(c, jen.Switch(jen.String().Call(jen.Id("s"))).Block(jen.Case(vals...), jen.Default().Block(retF())))
		}
		if n.minLength >= 0 || n.maxLength >= 0 {
			l := st().Dot("RuneCount").Call(idx())
			if n.minLength >= 0 && n.maxLength >= 0 {
				c = append(c, jen.If(jen.Id("l").Op(":=").Add(l), jen.Id("l").Op("<").Lit(n.minLength).Op("||").Id("l").Op(">").Lit(n.maxLength)).Block(retF()))
			} else if n.minLength >= 0 {
				c = append(c, jen.If(jen.Add(l).Op("<").Lit(n.minLength)).Block(retF()))
			} else {
				c = append(c, jen.If(jen.Add(l).Op(">").Lit(n.maxLength)).Block(retF()))
			}
		}
		if n.pattern != "" {
			c = append(c, jen.If(jen.Op("!").Add(ae.e.patternMatch(n.pattern, jen.Id("s")))).Block(retF()))
		}
		if n.format != "" {
			c = append(c, jen.If(jen.Op("!").Qual(RuntimePath, formatFuncs[n.format]).Call(jen.Id("s"))).Block(retF()))
		}
		switch {
		case n.contentB64 && n.contentJSON:
			c = append(c, jen.If(jen.List(jen.Id("c"), jen.Id("ok")).Op(":=").Qual(RuntimePath, "Base64").Call(jen.Id("s")), jen.Op("!").Id("ok").Op("||").Op("!").Qual(RuntimePath, "JSONText").Call(jen.Id("c"))).Block(retF()))
		case n.contentB64:
			c = append(c, jen.If(jen.List(jen.Id("_"), jen.Id("ok")).Op(":=").Qual(RuntimePath, "Base64").Call(jen.Id("s")), jen.Op("!").Id("ok")).Block(retF()))
		case n.contentJSON:
			c = append(c, jen.If(jen.Op("!").Qual(RuntimePath, "JSONText").Call(jen.Id("s"))).Block(retF()))
		}
		if len(c) > 0 && (len(strs) > 0 || n.pattern != "" || n.format != "" || n.contentB64 || n.contentJSON) {
			c = append([]jen.Code{jen.Id("s").Op(":=").Add(st().Dot("Text").Call(idx()))}, c...)
		}
		cases = append(cases, jen.Case(jen.Qual(RuntimePath, "KString")).Block(c...))
	}
	if numOK {
		var c []jen.Code
		if intOnly {
			c = append(c, jen.If(jen.Op("!").Add(st().Dot("IsInt").Call(idx()))).Block(retF()))
		}
		type bound struct{ lit, op string }
		var bounds []bound
		for _, b := range []bound{{n.minimum, "<"}, {n.exclMinimum, "<="}, {n.maximum, ">"}, {n.exclMaximum, ">="}} {
			if b.lit != "" {
				bounds = append(bounds, b)
			}
		}
		if len(bounds) > 0 || n.multipleOf != "" || len(nums) > 0 {
			c = append(c, jen.Id("x").Op(":=").Add(st().Dot("Num").Call(idx())))
			for _, list := range nums {
				var eqs []jen.Code
				for _, v := range list {
					eqs = append(eqs, jen.Qual(RuntimePath, "CmpNum").Call(jen.Op("&").Id("x"), jen.Op("&").Id(ae.e.numVar(v))).Op("==").Lit(0))
				}
				c = append(c, jen.If(jen.Op("!").Parens(joinOp("||", eqs))).Block(retF()))
			}
			for _, b := range bounds {
				c = append(c, jen.If(jen.Qual(RuntimePath, "CmpNum").Call(jen.Op("&").Id("x"), jen.Op("&").Id(ae.e.numVar(b.lit))).Op(b.op).Lit(0)).Block(retF()))
			}
			if n.multipleOf != "" {
				c = append(c, jen.If(jen.Op("!").Qual(RuntimePath, "MultipleOf").Call(jen.Op("&").Id("x"), jen.Op("&").Id(ae.e.numVar(n.multipleOf)))).Block(retF()))
			}
		}
		cases = append(cases, jen.Case(jen.Qual(RuntimePath, "KNumber")).Block(c...))
	}
	var litKinds []jen.Code
	for _, lit := range []struct{ kind, typ, text string }{{"KTrue", "boolean", "true"}, {"KFalse", "boolean", "false"}, {"KNull", "null", "null"}} {
		if !allowed[lit.typ] {
			continue
		}
		in := true
		for _, list := range lits {
			found := false
			for _, l := range list {
				found = found || l == lit.text
			}
			in = in && found
		}
		if in {
			litKinds = append(litKinds, jen.Qual(RuntimePath, lit.kind))
		}
	}
	if len(litKinds) > 0 {
		cases = append(cases, jen.Case(litKinds...))
	}
	// objects and arrays (a const or an enum of scalars holds neither)
	if allowed["object"] && len(lists) == 0 && !grouped {
		cases = append(cases, jen.Case(jen.Qual(RuntimePath, "KObject")).Block(ae.object(n)...))
	}
	if allowed["array"] && len(lists) == 0 {
		cases = append(cases, jen.Case(jen.Qual(RuntimePath, "KArray")).Block(ae.array(n)...))
	}
	if len(cases) == 0 && len(pre) == 0 {
		return nil, true
	}
	cases = append(cases, jen.Default().Block(retF()))
	return append(pre, jen.Switch(jen.Id("st").Dot("Nodes").Index(idx()).Dot("Kind")).Block(cases...)), false
}

// valueLists are the const (as a list of one) and the enum of n.
func (ae *acceptEmitter) valueLists(n *node) [][]any {
	var out [][]any
	if n.hasConst {
		out = append(out, []any{n.constVal})
	}
	if n.hasEnum {
		out = append(out, n.enum)
	}
	return out
}

// object checks n's object keywords: one walk of the members, a switch
// on each name.
func (ae *acceptEmitter) object(n *node) []jen.Code {
	return ae.members([]*node{n})
}

func (ae *acceptEmitter) array(n *node) []jen.Code {
	if len(n.prefixItems) == 0 && n.items == nil && n.minItems < 0 && n.maxItems < 0 && !n.unique && n.contains == nil {
		return nil
	}
	cnt := jen.Int().Call(jen.Id("st").Dot("Nodes").Index(idx()).Dot("N"))
	var s []jen.Code
	if n.unique {
		s = append(s, jen.If(jen.List(jen.Id("_"), jen.Id("_"), jen.Id("u")).Op(":=").Add(st().Dot("Unique").Call(idx())), jen.Op("!").Id("u")).Block(retF()))
	}
	if n.contains != nil {
		minC := n.minContains
		if minC < 0 {
			minC = 1
		}
		s = append(s, jen.Id("cnt").Op(":=").Lit(0))
		if n.contains.boolean != nil {
			if *n.contains.boolean {
				s = append(s, jen.Id("cnt").Op("=").Add(cnt))
			}
		} else {
			s = append(s, jen.If(jen.Id("st").Dot("Nodes").Index(idx()).Dot("N").Op(">").Lit(0)).Block(
				jen.For(jen.Id("e").Op(":=").Id("i").Op("+").Lit(1), jen.Id("e").Op("!=").Lit(0), jen.Id("e").Op("=").Id("st").Dot("Nodes").Index(jen.Id("e")).Dot("Next")).Block(
					jen.If(ae.test(n.contains, jen.Id("e"))).Block(jen.Id("cnt").Op("++")),
				)))
		}
		s = append(s, jen.If(jen.Id("cnt").Op("<").Lit(minC)).Block(retF()))
		if n.maxContains >= 0 {
			s = append(s, jen.If(jen.Id("cnt").Op(">").Lit(n.maxContains)).Block(retF()))
		}
	}
	if n.minItems >= 0 {
		s = append(s, jen.If(jen.Add(cnt).Op("<").Lit(n.minItems)).Block(retF()))
	}
	if n.maxItems >= 0 {
		s = append(s, jen.If(jen.Add(cnt).Op(">").Lit(n.maxItems)).Block(retF()))
	}
	e := jen.Id("e")
	var body []jen.Code
	var rest []jen.Code
	if n.items != nil {
		rest = ae.call(n.items, e)
	}
	if len(n.prefixItems) > 0 {
		var cases []jen.Code
		for j, p := range n.prefixItems {
			if c := ae.call(p, e); len(c) > 0 {
				cases = append(cases, jen.Case(jen.Lit(j)).Block(c...))
			}
		}
		if len(rest) > 0 {
			cases = append(cases, jen.Default().Block(rest...))
		}
		if len(cases) > 0 {
			body = append(body, jen.Switch(jen.Id("j")).Block(cases...), jen.Id("j").Op("++"))
		}
	} else {
		body = rest
	}
	if len(body) == 0 {
		return s
	}
	loop := jen.For(jen.Id("e").Op(":=").Id("i").Op("+").Lit(1), jen.Id("e").Op("!=").Lit(0), jen.Id("e").Op("=").Id("st").Dot("Nodes").Index(jen.Id("e")).Dot("Next")).Block(body...)
	inner := []jen.Code{loop}
	if len(n.prefixItems) > 0 {
		inner = []jen.Code{jen.Id("j").Op(":=").Lit(0), loop}
	}
	s = append(s, jen.If(jen.Id("st").Dot("Nodes").Index(idx()).Dot("N").Op(">").Lit(0)).Block(inner...))
	return s
}

func sortedNames(names []string) []string {
	m := map[string]bool{}
	for _, n := range names {
		m[n] = true
	}
	return sortedKeys(m)
}

// acceptGroup is the in-place closure of a node, in depth-first order
// (the node first), or nil when an object cannot be walked once for all
// of them (a cycle, more schemas than a bit set holds, a node that accepts
// no object) or need not be (none of them has object keywords).
func (ae *acceptEmitter) acceptGroup(n *node) []*node {
	var out []*node
	index := map[*node]int{}
	onStack := map[*node]bool{}
	ok := true
	var visit func(m *node)
	visit = func(m *node) {
		if !ok || m == nil || m.boolean != nil {
			return
		}
		if onStack[m] {
			ok = false
			return
		}
		if _, done := index[m]; done {
			return
		}
		index[m] = len(out)
		out = append(out, m)
		onStack[m] = true
		for _, c := range ae.groupChildren(m) {
			visit(c)
		}
		onStack[m] = false
	}
	visit(n)
	if !ok || len(out) > 64 || len(out) < 2 {
		return nil
	}
	if n.hasConst || n.hasEnum {
		return nil // no object is accepted: the value is read by kind
	}
	work := false // some schema of the group walks the members
	for _, m := range out {
		if !scalarValues(m) || m.propNames != nil || len(m.depSchemas) > 0 {
			return nil // checked one schema at a time
		}
		work = work || len(m.props) > 0 || len(m.patternProps) > 0 || m.additional != nil ||
			len(m.required) > 0 || len(m.depRequired) > 0 || m.minProps >= 0 || m.maxProps >= 0
	}
	if !work {
		return nil // nothing to walk once instead of many times
	}
	for _, t := range n.types {
		if t == "object" {
			return out
		}
	}
	if len(n.types) > 0 {
		return nil
	}
	return out
}

// groupChildren are the schemas m applies to its value in place (its
// expectations only for an exact acceptor).
func (ae *acceptEmitter) groupChildren(m *node) []*node {
	var out []*node
	out = append(out, m.ref)
	out = append(out, m.allOf...)
	out = append(out, ae.expectOf(m))
	out = append(out, m.anyOf...)
	out = append(out, m.oneOf...)
	out = append(out, m.not)
	if m.thenS != nil || m.elseS != nil {
		out = append(out, m.ifS, m.thenS, m.elseS)
	}
	return out
}

// members walks the members of object node i once for the schemas of
// group: every member's value is checked against the member schemas of
// each (properties, patternProperties, additionalProperties), a failure
// noted in the schema's bit; each schema's result is then combined from
// its bit, its required members and counts and, for a group of more than
// one, its subschemas' results as its applicators say. A group of one
// checks the object keywords of one schema, and returns only false.
func (ae *acceptEmitter) members(group []*node) []jen.Code {
	combine := len(group) > 1
	index := map[*node]int{}
	for i, m := range group {
		index[m] = i
	}
	// must: schemas whose failure fails the whole (group[0] and what it
	// applies with $ref, allOf and expectations, transitively)
	must := map[*node]bool{}
	var mark func(m *node)
	mark = func(m *node) {
		if m == nil || m.boolean != nil || must[m] {
			return
		}
		must[m] = true
		if combine {
			mark(m.ref)
			for _, a := range m.allOf {
				mark(a)
			}
			mark(ae.expectOf(m))
		}
	}
	mark(group[0])
	objectOK := func(m *node) bool {
		if !combine {
			return true // the caller checked the kind
		}
		if m.hasConst || m.hasEnum {
			return false
		}
		if len(m.types) == 0 {
			return true
		}
		for _, t := range m.types {
			if t == "object" {
				return true
			}
		}
		return false
	}
	// the names the key switch has a case for: every property, and every
	// name whose presence a schema reads (only those have a bit)
	pb := newPresenceBits()
	var order []string
	walk := false // some schema checks member values
	for _, m := range group {
		if !objectOK(m) {
			continue
		}
		for _, p := range m.props {
			order = append(order, p.name)
			walk = true
		}
		for _, name := range m.presenceNames() {
			pb.track(name)
		}
		for _, d := range m.depSchemas {
			pb.track(d.name)
		}
		walk = walk || len(m.patternProps) > 0 || m.additional != nil || m.propNames != nil
	}
	order = append(order, pb.order...)
	words, bit := pb.words(), pb.bit
	badBit := func(m *node) jen.Code { return jen.Lit(uint64(1) << index[m]) }
	usesBad := false
	v := jen.Id("k").Op("+").Lit(1)
	// the checks of one member's value, named (a case of the switch) or not
	member := func(name string, named bool) []jen.Code {
		var pre, s []jen.Code
		fail := func(m *node) []jen.Code {
			if must[m] {
				return []jen.Code{retF()}
			}
			usesBad = true
			return []jen.Code{jen.Id("bad").Op("|=").Add(badBit(m))}
		}
		// the property schemas that must all hold are checked by one
		// acceptor of their conjunction: an object value is walked once
		// for all of them too
		var musts []*node
		for _, m := range group {
			if !objectOK(m) || !must[m] || !named {
				continue
			}
			for _, p := range m.props {
				if p.name == name && p.node.boolean == nil {
					musts = append(musts, p.node)
				}
			}
		}
		// (only where that saves a walk: of one schema, or of an object)
		joint := false
		if c, made := ae.conjunction(musts); c != nil && (!made || ae.acceptGroup(c) != nil) {
			joint = true
			s = append(s, ae.call(c, v)...)
		}
		for _, m := range group {
			if !objectOK(m) {
				continue
			}
			var prop *node
			if named {
				for _, p := range m.props {
					if p.name == name {
						prop = p.node
					}
				}
			}
			if prop != nil && !(joint && must[m] && prop.boolean == nil) {
				if prop.boolean == nil || !*prop.boolean {
					s = append(s, jen.If(jen.Op("!").Add(ae.test(prop, v))).Block(fail(m)...))
				}
			}
			var matched *jen.Statement
			always := false // a pattern matches the name (known here)
			for _, pp := range m.patternProps {
				if named {
					// the name is known: whether the pattern matches it is
					// too
					if match, ok := ae.e.matches(pp.pattern, name); ok {
						if !match {
							continue
						}
						always = true
						if pp.node.boolean == nil || !*pp.node.boolean {
							s = append(s, jen.If(jen.Op("!").Add(ae.test(pp.node, v))).Block(fail(m)...))
						}
						continue
					}
				}
				pv := fmt.Sprintf("p%d_%d", index[m], len(pre))
				// every match is computed before any call: a name with
				// escapes lives in the state's scratch buffer
				pre = append(pre, jen.Id(pv).Op(":=").Add(ae.e.patternMatch(pp.pattern, jen.Id("key"))))
				if pp.node.boolean == nil || !*pp.node.boolean {
					s = append(s, jen.If(jen.Id(pv).Op("&&").Op("!").Add(ae.test(pp.node, v))).Block(fail(m)...))
				}
				if matched == nil {
					matched = jen.Id(pv)
				} else {
					matched = matched.Op("||").Id(pv)
				}
			}
			if m.additional != nil && prop == nil && !always && (m.additional.boolean == nil || !*m.additional.boolean) {
				cond := jen.Op("!").Add(ae.test(m.additional, v))
				if matched != nil {
					cond = jen.Op("!").Parens(matched).Op("&&").Add(cond)
				}
				s = append(s, jen.If(cond).Block(fail(m)...))
			}
			if matched != nil && (m.additional == nil || prop != nil || always || (m.additional.boolean != nil && *m.additional.boolean)) {
				s = append(s, jen.Id("_").Op("=").Add(matched)) // only the patterns' schemas used the matches
			}
		}
		return append(pre, s...)
	}
	nd := jen.Id("st").Dot("Nodes").Index(idx())
	var s []jen.Code
	if words > 0 {
		s = append(s, jen.Var().Id("seen").Index(jen.Lit(words)).Uint64())
	}
	if walk || len(order) > 0 {
		var body []jen.Code
		unknown := member("", false)
		needKey := len(order) > 0
		for _, m := range group {
			needKey = needKey || len(m.patternProps) > 0
		}
		if needKey {
			body = append(body, TextInline("key", "kn", jen.Id("k"))...)
		}
		if len(order) > 0 {
			var cases []jen.Code
			for _, name := range sortedNames(order) {
				var c []jen.Code
				if _, tracked := pb.index[name]; tracked {
					w, b := bit(name)
					c = append(c, jen.Add(w).Op("|=").Add(b))
				}
				cases = append(cases, jen.Case(jen.Lit(name)).Block(append(c, member(name, true)...)...))
			}
			if len(unknown) > 0 {
				cases = append(cases, jen.Default().Block(unknown...))
			}
			body = append(body, jen.Switch(jen.String().Call(jen.Id("key"))).Block(cases...))
		} else {
			body = append(body, unknown...)
		}
		if pn := group[0].propNames; !combine && pn != nil {
			body = append(body, ae.call(pn, jen.Id("k"))...)
		}
		s = append(s, jen.If(jen.Add(nd.Clone()).Dot("N").Op(">").Lit(0)).Block(
			jen.For(jen.Id("k").Op(":=").Id("i").Op("+").Lit(1), jen.Id("k").Op("!=").Lit(0), jen.Id("k").Op("=").Id("st").Dot("Nodes").Index(jen.Id("k")).Dot("Next")).Block(body...),
		))
	}
	cnt := jen.Int().Call(jen.Add(nd.Clone()).Dot("N"))
	// the object keywords of m beyond its members' values, as conditions
	own := func(m *node) []jen.Code {
		var conds []jen.Code
		for _, name := range m.required {
			w, b := bit(name)
			conds = append(conds, jen.Add(w).Op("&").Add(b).Op("!=").Lit(0))
		}
		for _, d := range m.depRequired {
			w, b := bit(d.name)
			for _, req := range d.required {
				rw, rb := bit(req)
				conds = append(conds, jen.Parens(jen.Add(w).Op("&").Add(b).Op("==").Lit(0).Op("||").Add(rw).Op("&").Add(rb).Op("!=").Lit(0)))
			}
		}
		if m.minProps >= 0 {
			conds = append(conds, jen.Add(cnt).Op(">=").Lit(m.minProps))
		}
		if m.maxProps >= 0 {
			conds = append(conds, jen.Add(cnt).Op("<=").Lit(m.maxProps))
		}
		return conds
	}
	and := func(conds []jen.Code) *jen.Statement { return joinOp("&&", conds) }
	if !combine {
		if conds := own(group[0]); len(conds) > 0 {
			s = append(s, jen.If(jen.Op("!").Parens(and(conds))).Block(retF()))
		}
		for _, d := range group[0].depSchemas {
			if c := ae.call(d.node, idx()); len(c) > 0 {
				w, b := bit(d.name)
				s = append(s, jen.If(jen.Add(w).Op("&").Add(b).Op("!=").Lit(0)).Block(c...))
			}
		}
		return s
	}
	// each schema's result, its subschemas' first
	res := func(m *node) jen.Code {
		if m.boolean != nil {
			return jen.Lit(*m.boolean)
		}
		return jen.Id("r").Index(jen.Lit(index[m]))
	}
	var post []*node
	done := map[*node]bool{}
	var visit func(m *node)
	visit = func(m *node) {
		if m == nil || m.boolean != nil || done[m] {
			return
		}
		done[m] = true
		for _, c := range ae.groupChildren(m) {
			visit(c)
		}
		post = append(post, m)
	}
	visit(group[0])
	s = append(s, jen.Var().Id("r").Index(jen.Lit(len(group))).Bool())
	for _, m := range post {
		if !objectOK(m) {
			continue // false
		}
		conds := []jen.Code{}
		if usesBad {
			conds = append(conds, jen.Id("bad").Op("&").Add(badBit(m)).Op("==").Lit(0))
		}
		conds = append(conds, own(m)...)
		for _, c := range []*node{m.ref, ae.expectOf(m)} {
			if c != nil {
				conds = append(conds, res(c))
			}
		}
		for _, c := range m.allOf {
			conds = append(conds, res(c))
		}
		if len(m.anyOf) > 0 {
			var rs []jen.Code
			for _, c := range m.anyOf {
				rs = append(rs, res(c))
			}
			conds = append(conds, jen.Parens(joinOp("||", rs)))
		}
		if len(m.oneOf) > 0 {
			var args []jen.Code
			for _, c := range m.oneOf {
				args = append(args, res(c))
			}
			conds = append(conds, jen.Qual(RuntimePath, "OneTrue").Call(args...))
		}
		if m.not != nil {
			conds = append(conds, jen.Op("!").Add(res(m.not)))
		}
		if m.ifS != nil && (m.thenS != nil || m.elseS != nil) {
			then, els := jen.Code(jen.True()), jen.Code(jen.True())
			if m.thenS != nil {
				then = res(m.thenS)
			}
			if m.elseS != nil {
				els = res(m.elseS)
			}
			conds = append(conds, jen.Parens(jen.Parens(jen.Add(res(m.ifS)).Op("&&").Add(then)).Op("||").Parens(jen.Op("!").Add(res(m.ifS)).Op("&&").Add(els))))
		}
		if len(conds) == 0 {
			conds = append(conds, jen.True())
		}
		s = append(s, jen.Add(res(m)).Op("=").Add(and(conds)))
	}
	if usesBad {
		// a schema's failed member checks, by bit (declared now that the
		// walk is built and is known to note any)
		s = append([]jen.Code{jen.Var().Id("bad").Uint64()}, s...)
	}
	s = append(s, jen.Return(jen.Id("r").Index(jen.Lit(0))))
	return s
}

// presenceBits numbers the member names whose presence an object check
// tracks, in the order first tracked: name k is bit k%64 of word k/64 of
// the generated `seen` array.
type presenceBits struct {
	index map[string]int
	order []string
}

func newPresenceBits() *presenceBits { return &presenceBits{index: map[string]int{}} }

func (p *presenceBits) track(name string) {
	if _, ok := p.index[name]; !ok {
		p.index[name] = len(p.order)
		p.order = append(p.order, name)
	}
}

// words is the length of the `seen` array.
func (p *presenceBits) words() int { return (len(p.order) + 63) / 64 }

// bit returns the word of `seen` that holds name's bit, and the bit.
func (p *presenceBits) bit(name string) (word, mask jen.Code) {
	b := p.index[name]
	return jen.Id("seen").Index(jen.Lit(b / 64)), jen.Lit(uint64(1) << (b % 64))
}

// joinOp joins conds, at least one, with the binary operator op.
func joinOp(op string, conds []jen.Code) *jen.Statement {
	out := jen.Add(conds[0])
	for _, c := range conds[1:] {
		out = out.Op(op).Add(c)
	}
	return out
}
