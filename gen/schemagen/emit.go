package schemagen

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
)

// Emit adds to f one function per root, func <FuncName>(data []byte)
// *ValidationError (nil when valid), and its twin on a parsed tape (see
// TapeFunc), plus the unexported helpers they need:
// one function per distinct schema (structurally identical subschemas
// share one), package-level regular expressions, numbers and constants,
// all with deterministic names and in sorted order.
func (p *Program) Emit(f *jen.File) { p.emit(f, true) }

// TextInline declares v, the unescaped text of string node node, as
// hcrt.State.Text gives it, with Text inlined (its call to Unescaped keeps
// the compiler from inlining it): read in place unless it holds escapes.
// nd names the node pointer it declares too. The validators and the
// acceptors read each member's name with it.
func TextInline(v, nd string, node jen.Code) []jen.Code {
	return []jen.Code{
		jen.Id(nd).Op(":=").Op("&").Id("st").Dot("Nodes").Index(node),
		jen.Id(v).Op(":=").Id("st").Dot("Data").Index(jen.Id(nd).Dot("Start").Op(":").Id(nd).Dot("End")),
		jen.If(jen.Id(nd).Dot("Flag").Op("!=").Lit(0)).Block(jen.Id(v).Op("=").Id("st").Dot("Unescaped").Call(node)),
	}
}

// TapeFunc names the function Emit adds beside the root function name:
// func <TapeFunc(name)>(st *hcrt.State) *ValidationError validates the payload
// parsed into st by hcrt.Scan, so that a caller that has read the tape (to
// find the event, say) does not parse the bytes again.
func TapeFunc(name string) string { return name + "Tape" }

// emit is Emit; share=false gives every schema location its own function
// (for measuring what sharing saves).
func (p *Program) emit(f *jen.File, share bool) {
	e := &emitter{
		funcs:   map[string]jen.Code{},
		vars:    map[string]jen.Code{},
		names:   map[*node]string{},
		taken:   map[string]string{},
		tracked: trackedNodes(p.nodes),

		expects:     expectations(p.nodes),
		expectNames: map[*node]string{},
	}
	e.scopes(p)
	if share {
		// only what the roots reach, so every function is named after a
		// schema it validates for them
		reached := map[string]*node{}
		for n := range p.reached() {
			reached[n.key] = n
		}
		e.rep = e.shareIdentical(reached)
	}
	p.tapeFns = map[string]string{}
	p.acceptFns = map[string]string{}
	p.guaranteeFns = map[string]string{}
	ae := &acceptEmitter{e: e, names: map[acceptor]string{}, conjs: map[string]*node{}}
	for _, r := range p.roots {
		fn := e.use(r.node)
		p.tapeFns[r.funcName] = fn
		var check []jen.Code
		if acceptSupported(r.node) {
			acc, gacc := ae.use(r.node), ae.useGuarantees(r.node)
			p.acceptFns[r.funcName], p.guaranteeFns[r.funcName] = acc, gacc
			// a payload the acceptor accepts holds no violation (none
			// guaranteed, when the caller drops drift); the validator walks
			// any other for what is wrong
			accept := jen.Id("st").Dot("Accept").Call(jen.Id(acc))
			if gacc != acc {
				accept = jen.Id("st").Dot("AcceptGraded").Call(jen.Id(acc), jen.Id(gacc))
			}
			check = append(check, jen.If(accept).Block(jen.Return(jen.Nil())))
		}
		check = append(check, jen.Return(jen.Id("st").Dot("Check").Call(jen.Id(fn))))
		f.Commentf("%s validates a JSON payload against %s.", r.funcName, r.node.uri)
		f.Comment("It returns nil when the payload is valid, and otherwise every violation found.")
		if e.expects[r.node] {
			f.Comment("A payload that satisfies every guarantee but not every expectation gets")
			f.Comment("violations of grade expected only.")
		}
		f.Func().Id(r.funcName).Params(jen.Id("data").Index().Byte()).Op("*").Id("ValidationError").Block(
			jen.Return(jen.Qual(RuntimePath, "Run").Call(jen.Id("data"), jen.Id(TapeFunc(r.funcName)))),
		)
		f.Line()
		f.Commentf("%s is %s on a payload already parsed (see hcrt.Scan).", TapeFunc(r.funcName), r.funcName)
		f.Func().Id(TapeFunc(r.funcName)).Params(jen.Id("st").Op("*").Qual(RuntimePath, "State")).Op("*").Id("ValidationError").Block(check...)
		f.Line()
	}
	for len(e.queue) > 0 || len(e.expectQueue) > 0 {
		for len(e.expectQueue) > 0 {
			n := e.expectQueue[0]
			e.expectQueue = e.expectQueue[1:]
			e.expectFunc(n)
		}
		for len(e.queue) > 0 {
			n := e.queue[0]
			e.queue = e.queue[1:]
			e.nodeFunc(n)
		}
	}
	ae.drain()
	for _, name := range sortedKeys(e.vars) {
		f.Add(e.vars[name])
		f.Line()
	}
	for _, name := range sortedKeys(e.funcs) {
		f.Add(e.funcs[name])
		f.Line()
	}
}

// trackedNodes are the nodes whose evaluated properties and items matter:
// those with unevaluatedProperties or unevaluatedItems and every node they
// apply in place.
func trackedNodes(nodes map[string]*node) map[*node]bool {
	tracked := map[*node]bool{}
	var visit func(n *node)
	visit = func(n *node) {
		if tracked[n] {
			return
		}
		tracked[n] = true
		for _, m := range n.inPlace() {
			visit(m)
		}
	}
	for _, k := range sortedKeys(nodes) {
		if n := nodes[k]; n.unevalProps != nil || n.unevalItems != nil {
			visit(n)
		}
	}
	return tracked
}

// scopes numbers the schema resources that declare a $dynamicAnchor some
// dynamic $dynamicRef looks up, and marks the nodes that enter them.
func (e *emitter) scopes(p *Program) {
	e.resourceID = map[string]int{}
	e.enters = map[*node]int{}
	var rel []string
	seen := map[string]bool{}
	targets := map[*node]bool{}
	for _, r := range p.roots {
		targets[r.node] = true
	}
	for _, k := range sortedKeys(p.nodes) {
		n := p.nodes[k]
		if n.ref != nil {
			targets[n.ref] = true
		}
		if n.dynRef != nil {
			targets[n.dynRef] = true
		}
		for _, c := range n.dynCands {
			targets[c] = true
			if !seen[c.base] {
				seen[c.base] = true
				rel = append(rel, c.base)
			}
		}
	}
	sort.Strings(rel)
	for i, r := range rel {
		e.resourceID[r] = i
	}
	for _, k := range sortedKeys(p.nodes) {
		n := p.nodes[k]
		if id, ok := e.resourceID[n.base]; ok && (n.resource || targets[n]) {
			e.enters[n] = id
		}
	}
}

// dynDispatch emits the function that resolves the dynamic $dynamicRef of
// n: the $dynamicAnchor of the outermost resource in the dynamic scope that
// declares it, or else the static target.
func (e *emitter) dynDispatch(n *node) string {
	name := e.ident("hcD", "dyn:"+n.key)
	if _, ok := e.funcs[name]; ok {
		return name
	}
	e.funcs[name] = nil // reserve against recursion
	var cases []jen.Code
	for _, c := range n.dynCands {
		cases = append(cases, jen.Case(jen.Lit(int32(e.resourceID[c.base]))).Block(jen.Return(jen.Id(e.use(c)).Call(st(), idx()))))
	}
	e.funcs[name] = jen.Comment(name+" resolves the $dynamicRef of "+n.uri+" in the dynamic scope.").Line().
		Func().Id(name).Params(jen.Id("st").Op("*").Qual(RuntimePath, "State"), jen.Id("i").Int32()).Bool().Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("r")).Op(":=").Range().Add(st().Dot("Scope"))).Block(
			jen.Switch(jen.Id("r")).Block(cases...),
		),
		jen.Return(jen.Id(e.use(n.dynRef)).Call(st(), idx())),
	)
	return name
}

type emitter struct {
	resourceID map[string]int // resources in dynamic scopes
	enters     map[*node]int  // nodes that enter a resource, with its id
	tracked    map[*node]bool
	funcs      map[string]jen.Code
	vars       map[string]jen.Code
	names      map[*node]string
	taken      map[string]string // name -> the key it was made for
	queue      []*node
	rep        map[*node]*node           // the representative of each class of identical nodes
	forms      map[string]patternForm    // each pattern's form (see patternMatch)
	compiled   map[string]*regexp.Regexp // patterns compiled to decide them on known names

	expects     map[*node]bool // nodes with expectations along an evaluation path
	expectNames map[*node]string
	expectQueue []*node
}

// ident derives a deterministic identifier from prefix and key.
func (e *emitter) ident(prefix, key string) string {
	sum := sha256.Sum256([]byte(key))
	h := hex.EncodeToString(sum[:])
	for n := 8; n <= len(h); n += 4 {
		name := prefix + h[:n]
		if k, ok := e.taken[name]; !ok || k == key {
			e.taken[name] = key
			return name
		}
	}
	panic("schemagen: identifier collision") // unreachable: sha256 is 64 digits
}

// use returns the function name of n (of its representative), queueing
// its emission.
func (e *emitter) use(n *node) string {
	n = e.target(n)
	if name, ok := e.names[n]; ok {
		return name
	}
	name := e.ident("hcV", "node:"+n.key)
	e.names[n] = name
	e.queue = append(e.queue, n)
	return name
}

// target is the schema whose validator is n's: n's representative (see
// share), or, for a schema that holds nothing but a $ref (see refOnly) and
// neither enters a resource, marks a secret nor records what it
// evaluated, its target's: its own would only call that one.
func (e *emitter) target(n *node) *node {
	return e.forward(n, func(n *node) bool {
		_, enters := e.enters[n]
		return n.secret || enters || e.tracked[n]
	})
}

// forward follows n to its representative and, while it holds nothing
// but a $ref (see refOnly) and keep does not say it keeps a function of
// its own, to the $ref's target (at most 64 steps: a cycle of such
// wrappers stops there).
func (e *emitter) forward(n *node, keep func(*node) bool) *node {
	for range 64 {
		if r, ok := e.rep[n]; ok {
			n = r
		}
		if !refOnly(n) || n.ref == n || keep(n) {
			break
		}
		n = n.ref
	}
	return n
}

var (
	st     = func() *jen.Statement { return jen.Id("st") }
	idx    = func() *jen.Statement { return jen.Id("i") }
	ndKind = func() *jen.Statement { return jen.Id("nd").Dot("Kind") }
)

func quietReturn() jen.Code {
	return jen.If(st().Dot("Quiet").Op(">").Lit(0)).Block(jen.Return(jen.False()))
}

// body accumulates the statements of one node function.
type body struct {
	track  bool // record evaluated members and items in st.ev
	e      *emitter
	stmts  []jen.Code
	usesOK bool
	usesNd bool
}

// fail reports keyword at target with message msg (a string expression).
func (b *body) fail(target jen.Code, kw string, msg jen.Code) []jen.Code {
	b.usesOK = true
	return []jen.Code{
		quietReturn(),
		jen.Id("ok").Op("=").False(),
		st().Dot("Fail").Call(target, jen.Lit(kw), msg),
	}
}

// child applies schema n to target; kw names the keyword for a false schema.
func (b *body) child(kw string, n *node, target jen.Code) []jen.Code {
	if n.boolean != nil {
		if *n.boolean {
			return nil
		}
		return b.fail(target, kw, jen.Lit("no value is allowed here, found ").Op("+").Add(st().Dot("Found").Call(target)))
	}
	b.usesOK = true
	return []jen.Code{
		jen.If(jen.Op("!").Id(b.e.use(n)).Call(st(), target)).Block(
			quietReturn(),
			jen.Id("ok").Op("=").False(),
		),
	}
}

// inPlace applies n to the instance itself; when tracking, what n
// evaluated is kept only when n holds.
func (b *body) inPlace(kw string, n *node) []jen.Code {
	if n.boolean != nil {
		return b.child(kw, n, idx())
	}
	return b.inPlaceFn(b.e.use(n))
}

// inPlaceFn is inPlace for the function fn.
func (b *body) inPlaceFn(fn string) []jen.Code {
	b.usesOK = true
	if !b.track {
		return []jen.Code{jen.If(jen.Op("!").Id(fn).Call(st(), idx())).Block(
			quietReturn(),
			jen.Id("ok").Op("=").False(),
		)}
	}
	return []jen.Code{jen.Block(
		jen.Id("m0").Op(":=").Len(st().Dot("Ev")),
		jen.If(jen.Op("!").Id(fn).Call(st(), idx())).Block(
			st().Dot("Ev").Op("=").Add(st().Dot("Ev")).Index(jen.Empty(), jen.Id("m0")),
			quietReturn(),
			jen.Id("ok").Op("=").False(),
		),
	)}
}

// trackedQuiet evaluates n quietly into the boolean variable v, keeping
// what n evaluated only when it holds (and never when keep is false).
func (b *body) trackedQuiet(n *node, v string, keep bool) jen.Code {
	if !b.track {
		return jen.Id(v).Op("=").Add(b.quietCall(n))
	}
	trunc := st().Dot("Ev").Op("=").Add(st().Dot("Ev")).Index(jen.Empty(), jen.Id("m0"))
	var after jen.Code
	if keep {
		after = jen.If(jen.Op("!").Id(v)).Block(trunc)
	} else {
		after = trunc
	}
	return jen.Block(
		jen.Id("m0").Op(":=").Len(st().Dot("Ev")),
		jen.Id(v).Op("=").Add(b.quietCall(n)),
		after,
	)
}

func evAppend(x jen.Code) jen.Code {
	return st().Dot("Ev").Op("=").Append(st().Dot("Ev"), x)
}

// quietCall evaluates n on the current instance without reporting.
func (b *body) quietCall(n *node) jen.Code {
	return jen.Id(b.e.use(n)).Call(st(), idx())
}

func (e *emitter) nodeFunc(n *node) {
	name := e.names[n]
	params := []jen.Code{jen.Id("st").Op("*").Qual(RuntimePath, "State"), jen.Id("i").Int32()}
	comment := "validates " + n.uri
	if id, ok := e.enters[n]; ok {
		inner := name + "r"
		e.funcs[name] = jen.Comment(name+" "+comment+" (it enters a resource of the dynamic scope).").Line().
			Func().Id(name).Params(params...).Bool().Block(
			jen.Id("p").Op(":=").Add(st().Dot("Enter").Call(jen.Lit(int32(id)))),
			jen.Id("ok").Op(":=").Id(inner).Call(st(), idx()),
			st().Dot("Leave").Call(jen.Id("p")),
			jen.Return(jen.Id("ok")),
		)
		name = inner
		comment = "is the body of " + e.names[n]
	}
	if n.secret {
		inner := name + "s"
		e.funcs[name] = jen.Comment(name+" "+comment+" (a secret: its values never reach a message).").Line().
			Func().Id(name).Params(params...).Bool().Block(
			st().Dot("Secret").Op("++"),
			jen.Id("ok").Op(":=").Id(inner).Call(st(), idx()),
			st().Dot("Secret").Op("--"),
			jen.Return(jen.Id("ok")),
		)
		name = inner
		comment = "is the body of " + e.names[n]
	}
	b := &body{e: e, track: e.tracked[n]}
	b.build(n)
	var stmts []jen.Code
	if b.usesNd {
		stmts = append(stmts, jen.Id("nd").Op(":=").Op("&").Id("st").Dot("Nodes").Index(idx()))
	}
	if b.usesOK {
		stmts = append(stmts, jen.Id("ok").Op(":=").True())
	}
	stmts = append(stmts, b.stmts...)
	if b.usesOK {
		stmts = append(stmts, jen.Return(jen.Id("ok")))
	} else if n.boolean == nil || *n.boolean {
		stmts = append(stmts, jen.Return(jen.True()))
	}
	e.funcs[name] = jen.Comment(name + " " + comment).Line().Func().Id(name).Params(params...).Bool().Block(stmts...)
}

func (b *body) add(c ...jen.Code) { b.stmts = append(b.stmts, c...) }

func (b *body) build(n *node) {
	if n.boolean != nil {
		if !*n.boolean {
			b.add(jen.If(st().Dot("Quiet").Op("==").Lit(0)).Block(
				st().Dot("Fail").Call(idx(), jen.Lit("false"), jen.Lit("no value is allowed here, found ").Op("+").Add(st().Dot("Found").Call(idx()))),
			), jen.Return(jen.False()))
		}
		return
	}
	isTrue := func(u *node) bool { return u == nil || (u.boolean != nil && *u.boolean) }
	if !isTrue(n.unevalProps) || !isTrue(n.unevalItems) {
		b.add(jen.Id("mark").Op(":=").Len(st().Dot("Ev")))
	}
	b.recordExpect(n)
	b.typeCheck(n)
	b.constEnum(n)
	b.object(n)
	b.array(n)
	b.str(n)
	b.number(n)
	b.applicators(n)
	b.unevaluated(n)
}

// unevaluated applies unevaluatedProperties and unevaluatedItems to the
// members and items no other keyword of n (or of what n applied in place
// and held) evaluated.
func (b *body) unevaluated(n *node) {
	for _, u := range []struct {
		sch  *node
		kind string
		kw   string
		loop string
		tgt  jen.Code
	}{
		{n.unevalProps, "KObject", "unevaluatedProperties", "k", jen.Id("k").Op("+").Lit(1)},
		{n.unevalItems, "KArray", "unevaluatedItems", "e", jen.Id("e")},
	} {
		if u.sch == nil {
			continue
		}
		b.usesNd = true
		var s []jen.Code
		if c := b.noExpect(b.child(u.kw, u.sch, u.tgt)); len(c) > 0 {
			v := jen.Id(u.loop)
			s = append(s, jen.If(jen.Id("nd").Dot("N").Op(">").Lit(0)).Block(
				jen.For(v.Clone().Op(":=").Id("i").Op("+").Lit(1), v.Clone().Op("!=").Lit(0), v.Clone().Op("=").Id("st").Dot("Nodes").Index(v.Clone()).Dot("Next")).Block(
					jen.If(jen.Op("!").Add(st().Dot("Evaluated").Call(v.Clone(), idx(), jen.Id("mark")))).Block(c...),
				),
			))
		}
		s = append(s, evAppend(jen.Op("-").Parens(jen.Id("i").Op("+").Lit(2))))
		b.add(jen.If(ndKind().Op("==").Qual(RuntimePath, u.kind)).Block(s...))
	}
}

func (b *body) typeCheck(n *node) {
	if len(n.types) == 0 {
		return
	}
	b.usesNd = true
	var conds []jen.Code
	hasNumber := false
	for _, t := range n.types {
		if t == "number" {
			hasNumber = true
		}
	}
	for _, t := range n.types {
		switch t {
		case "null":
			conds = append(conds, ndKind().Op("==").Qual(RuntimePath, "KNull"))
		case "boolean":
			conds = append(conds, ndKind().Op("==").Qual(RuntimePath, "KTrue"), ndKind().Op("==").Qual(RuntimePath, "KFalse"))
		case "object":
			conds = append(conds, ndKind().Op("==").Qual(RuntimePath, "KObject"))
		case "array":
			conds = append(conds, ndKind().Op("==").Qual(RuntimePath, "KArray"))
		case "string":
			conds = append(conds, ndKind().Op("==").Qual(RuntimePath, "KString"))
		case "number":
			conds = append(conds, ndKind().Op("==").Qual(RuntimePath, "KNumber"))
		case "integer":
			if !hasNumber {
				conds = append(conds, jen.Parens(ndKind().Op("==").Qual(RuntimePath, "KNumber").Op("&&").Add(st().Dot("IsInt").Call(idx()))))
			}
		}
	}
	cond := joinOp("||", conds)
	msg := jen.Lit("expected " + strings.Join(n.types, " or ") + ", found ").Op("+").Add(st().Dot("Found").Call(idx()))
	b.add(jen.If(jen.Op("!").Parens(cond)).Block(
		jen.If(st().Dot("Quiet").Op("==").Lit(0)).Block(st().Dot("Fail").Call(idx(), jen.Lit("type"), msg)),
		jen.Return(jen.False()),
	))
}

// canonical renders a JSON value with sorted keys and exact numbers.
func canonical(v any) string {
	var buf bytes.Buffer
	writeCanonical(&buf, v)
	return buf.String()
}

func writeCanonical(buf *bytes.Buffer, v any) {
	switch x := v.(type) {
	case nil:
		buf.WriteString("null")
	case bool:
		buf.WriteString(strconv.FormatBool(x))
	case json.Number:
		buf.WriteString(x.String())
	case string:
		q, _ := json.Marshal(x)
		buf.Write(q)
	case []any:
		buf.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				buf.WriteByte(',')
			}
			writeCanonical(buf, e)
		}
		buf.WriteByte(']')
	case map[string]any:
		buf.WriteByte('{')
		for i, k := range sortedKeys(x) {
			if i > 0 {
				buf.WriteByte(',')
			}
			q, _ := json.Marshal(k)
			buf.Write(q)
			buf.WriteByte(':')
			writeCanonical(buf, x[k])
		}
		buf.WriteByte('}')
	}
}

// constExpr is a Go expression building the hcVal of v.
func constExpr(v any) jen.Code {
	switch x := v.(type) {
	case nil:
		return jen.Qual(RuntimePath, "CNull").Call()
	case bool:
		return jen.Qual(RuntimePath, "CBool").Call(jen.Lit(x))
	case json.Number:
		return jen.Qual(RuntimePath, "CNum").Call(jen.Lit(x.String()))
	case string:
		return jen.Qual(RuntimePath, "CStr").Call(jen.Lit(x))
	case []any:
		items := make([]jen.Code, len(x))
		for i, e := range x {
			items[i] = constExpr(e)
		}
		return jen.Qual(RuntimePath, "CArr").Call(items...)
	case map[string]any:
		keys := sortedKeys(x)
		names := make([]jen.Code, len(keys))
		args := []jen.Code{nil}
		for i, k := range keys {
			names[i] = jen.Lit(k)
			args = append(args, constExpr(x[k]))
		}
		args[0] = jen.Index().String().Values(names...)
		return jen.Qual(RuntimePath, "CObj").Call(args...)
	}
	return jen.Qual(RuntimePath, "CNull").Call()
}

// constVar declares a package-level hcVal for v and returns its name.
func (e *emitter) constVar(v any) string {
	c := canonical(v)
	name := e.ident("hcC", "const:"+c)
	if _, ok := e.vars[name]; !ok {
		e.vars[name] = jen.Var().Id(name).Op("=").Add(constExpr(v))
	}
	return name
}

// enumVar declares a package-level []hcVal for list and returns its name.
func (e *emitter) enumVar(list []any) string {
	c := canonical(list)
	name := e.ident("hcE", "enum:"+c)
	if _, ok := e.vars[name]; !ok {
		items := make([]jen.Code, len(list))
		for i, v := range list {
			items[i] = constExpr(v)
		}
		e.vars[name] = jen.Var().Id(name).Op("=").Index().Qual(RuntimePath, "Val").Values(items...)
	}
	return name
}

func (e *emitter) numVar(lit string) string {
	name := e.ident("hcN", "num:"+lit)
	if _, ok := e.vars[name]; !ok {
		e.vars[name] = jen.Var().Id(name).Op("=").Qual(RuntimePath, "NumStr").Call(jen.Lit(lit))
	}
	return name
}

func (e *emitter) reVar(pattern string) string {
	name := e.ident("hcRe", "re:"+pattern)
	if _, ok := e.vars[name]; !ok {
		e.vars[name] = jen.Var().Id(name).Op("=").Qual("regexp", "MustCompile").Call(jen.Lit(pattern))
	}
	return name
}

func listText(list []any) string {
	var parts []string
	for i, v := range list {
		if i == 10 {
			parts = append(parts, fmt.Sprintf("... (%d values)", len(list)))
			break
		}
		parts = append(parts, canonical(v))
	}
	return strings.Join(parts, ", ")
}

func shortText(s string) string {
	if len(s) > 200 {
		return s[:200] + "..."
	}
	return s
}

// matchExpr is a boolean expression: does node target equal the const or
// one of the enum values of n?
func (e *emitter) matchConst(n *node, target jen.Code) jen.Code {
	return st().Dot("EqVal").Call(target, jen.Op("&").Id(e.constVar(n.constVal)))
}

func (e *emitter) matchEnum(n *node, target jen.Code) jen.Code {
	return st().Dot("InEnum").Call(target, jen.Id(e.enumVar(n.enum)))
}

func (b *body) constEnum(n *node) {
	if n.hasConst {
		b.add(jen.If(jen.Op("!").Add(b.e.matchConst(n, idx()))).Block(
			b.fail(idx(), "const", jen.Lit("expected "+shortText(canonical(n.constVal))+", found ").Op("+").Add(st().Dot("Show").Call(idx())))...,
		))
	}
	if n.hasEnum {
		b.add(jen.If(jen.Op("!").Add(b.e.matchEnum(n, idx()))).Block(
			b.fail(idx(), "enum", jen.Lit("expected one of "+shortText(listText(n.enum))+"; found ").Op("+").Add(st().Dot("Show").Call(idx())))...,
		))
	}
}

func (b *body) object(n *node) {
	// names whose presence is tracked, with their bit
	pb := newPresenceBits()
	for _, name := range n.presenceNames() {
		pb.track(name)
	}
	for _, d := range n.depSchemas {
		pb.track(d.name)
	}
	bits, order := pb.index, pb.order
	loop := len(n.props) > 0 || len(n.patternProps) > 0 || n.additional != nil || n.propNames != nil || len(order) > 0
	if !loop && n.minProps < 0 && n.maxProps < 0 {
		return
	}
	record := b.track && (len(n.props) > 0 || len(n.patternProps) > 0)
	b.usesNd = true
	var s []jen.Code
	if n.minProps >= 0 {
		s = append(s, jen.If(jen.Int().Call(jen.Id("nd").Dot("N")).Op("<").Lit(n.minProps)).Block(
			b.fail(idx(), "minProperties", jen.Lit(fmt.Sprintf("expected at least %d properties, found ", n.minProps)).Op("+").Add(jen.Qual(RuntimePath, "Itoa").Call(jen.Int().Call(jen.Id("nd").Dot("N")))))...))
	}
	if n.maxProps >= 0 {
		s = append(s, jen.If(jen.Int().Call(jen.Id("nd").Dot("N")).Op(">").Lit(n.maxProps)).Block(
			b.fail(idx(), "maxProperties", jen.Lit(fmt.Sprintf("expected at most %d properties, found ", n.maxProps)).Op("+").Add(jen.Qual(RuntimePath, "Itoa").Call(jen.Int().Call(jen.Id("nd").Dot("N")))))...))
	}
	words := pb.words()
	seen := func(name string) jen.Code {
		w, b := pb.bit(name)
		return jen.Add(w).Op("&").Parens(b)
	}
	if words > 0 {
		s = append(s, jen.Var().Id("seen").Index(jen.Lit(words)).Uint64())
	}
	if loop {
		k := jen.Id("k")
		v := jen.Id("k").Op("+").Lit(1)
		var body []jen.Code
		if n.additional != nil {
			body = append(body, jen.Id("matched").Op(":=").False())
		}
		// one case per known name
		names := map[string]bool{}
		for _, p := range n.props {
			names[p.name] = true
		}
		for _, name := range order {
			names[name] = true
		}
		// An object schema that names one or two members and says nothing
		// of the others looks them up (st.member stops at the first
		// match; a payload has no duplicate keys) instead of walking
		// every member: its keyword results do not depend on the order.
		lookup := len(names) > 0 && len(names) <= 2 && !record && len(n.patternProps) == 0 && n.additional == nil && n.propNames == nil
		if len(names) > 0 {
			var cases []jen.Code
			for _, name := range sortedKeys(names) {
				var cb []jen.Code
				if _, ok := bits[name]; ok {
					w, b := pb.bit(name)
					cb = append(cb, jen.Add(w).Op("|=").Add(b))
				}
				for _, p := range n.props {
					if p.name == name {
						if n.additional != nil {
							cb = append(cb, jen.Id("matched").Op("=").True())
						}
						if record {
							cb = append(cb, evAppend(k))
						}
						cb = append(cb, b.child("properties", p.node, v)...)
					}
				}
				if lookup {
					// k: the member's key node, -2 when it is missing
					s = append(s, jen.If(jen.Id("k").Op(":=").Add(st().Dot("Member").Call(idx(), jen.Lit(name))).Op("-").Lit(1), jen.Id("k").Op(">=").Lit(0)).Block(cb...))
					continue
				}
				cases = append(cases, jen.Case(jen.Lit(name)).Block(cb...))
			}
			// the member's name (the switch runs once per member)
			body = append(body, TextInline("name", "kn", k)...)
			body = append(body, jen.Switch(jen.String().Call(jen.Id("name"))).Block(cases...))
		}
		for _, pp := range n.patternProps {
			var pb []jen.Code
			if n.additional != nil {
				pb = append(pb, jen.Id("matched").Op("=").True())
			}
			if record {
				pb = append(pb, evAppend(k))
			}
			pb = append(pb, b.child("patternProperties", pp.node, v)...)
			body = append(body, jen.If(b.e.patternMatch(pp.pattern, st().Dot("Text").Call(k))).Block(pb...))
		}
		if n.additional != nil {
			body = append(body, jen.If(jen.Op("!").Id("matched")).Block(b.child("additionalProperties", n.additional, v)...))
		}
		if n.propNames != nil {
			body = append(body, b.noExpect(b.child("propertyNames", n.propNames, k))...)
		}
		if !lookup {
			s = append(s, jen.If(jen.Id("nd").Dot("N").Op(">").Lit(0)).Block(
				jen.For(jen.Id("k").Op(":=").Id("i").Op("+").Lit(1), jen.Id("k").Op("!=").Lit(0), jen.Id("k").Op("=").Id("st").Dot("Nodes").Index(jen.Id("k")).Dot("Next")).Block(body...),
			))
		}
	}
	for _, r := range n.required {
		b.usesOK = true
		s = append(s, jen.If(jen.Add(seen(r)).Op("==").Lit(0)).Block(
			quietReturn(),
			jen.Id("ok").Op("=").False(),
			st().Dot("FailAt").Call(idx(), jen.Lit(r), jen.Lit("required"), jen.Lit("missing required property "+strconv.Quote(r))),
		))
	}
	for _, d := range n.depRequired {
		var db []jen.Code
		for _, r := range d.required {
			b.usesOK = true
			db = append(db, jen.If(jen.Add(seen(r)).Op("==").Lit(0)).Block(
				quietReturn(),
				jen.Id("ok").Op("=").False(),
				st().Dot("FailAt").Call(idx(), jen.Lit(r), jen.Lit("dependentRequired"), jen.Lit("missing property "+strconv.Quote(r)+", required when "+strconv.Quote(d.name)+" is present")),
			))
		}
		if len(db) > 0 {
			s = append(s, jen.If(jen.Add(seen(d.name)).Op("!=").Lit(0)).Block(db...))
		}
	}
	if b.track && n.additional != nil {
		s = append(s, evAppend(jen.Op("-").Parens(jen.Id("i").Op("+").Lit(2))))
	}
	for _, d := range n.depSchemas {
		if c := b.inPlace("dependentSchemas", d.node); len(c) > 0 {
			s = append(s, jen.If(jen.Add(seen(d.name)).Op("!=").Lit(0)).Block(c...))
		}
	}
	b.add(jen.If(ndKind().Op("==").Qual(RuntimePath, "KObject")).Block(s...))
}

func (b *body) array(n *node) {
	loop := len(n.prefixItems) > 0 || n.items != nil || n.contains != nil
	if !loop && n.minItems < 0 && n.maxItems < 0 && !n.unique {
		return
	}
	b.usesNd = true
	count := jen.Int().Call(jen.Id("nd").Dot("N"))
	var s []jen.Code
	if n.minItems >= 0 {
		s = append(s, jen.If(jen.Add(count).Op("<").Lit(n.minItems)).Block(
			b.fail(idx(), "minItems", jen.Lit(fmt.Sprintf("expected at least %d items, found ", n.minItems)).Op("+").Add(jen.Qual(RuntimePath, "Itoa").Call(count)))...))
	}
	if n.maxItems >= 0 {
		s = append(s, jen.If(jen.Add(count).Op(">").Lit(n.maxItems)).Block(
			b.fail(idx(), "maxItems", jen.Lit(fmt.Sprintf("expected at most %d items, found ", n.maxItems)).Op("+").Add(jen.Qual(RuntimePath, "Itoa").Call(count)))...))
	}
	if n.unique {
		s = append(s, jen.If(jen.List(jen.Id("a"), jen.Id("b"), jen.Id("u")).Op(":=").Add(st().Dot("Unique").Call(idx())), jen.Op("!").Id("u")).Block(
			b.fail(idx(), "uniqueItems", jen.Lit("expected unique items, found equal items at index ").Op("+").Qual(RuntimePath, "Itoa").Call(jen.Id("a")).Op("+").Lit(" and ").Op("+").Qual(RuntimePath, "Itoa").Call(jen.Id("b")))...))
	}
	containsTrue := n.contains != nil && n.contains.boolean != nil && *n.contains.boolean
	containsCall := n.contains != nil && n.contains.boolean == nil
	if n.contains != nil {
		if containsTrue {
			s = append(s, jen.Id("cnt").Op(":=").Add(count))
		} else {
			s = append(s, jen.Id("cnt").Op(":=").Lit(0))
		}
	}
	trackPrefix := b.track && len(n.prefixItems) > 0 && n.items == nil
	if len(n.prefixItems) > 0 || n.items != nil || containsCall {
		e := jen.Id("e")
		var body []jen.Code
		if trackPrefix {
			body = append(body, jen.If(jen.Id("j").Op("<").Lit(len(n.prefixItems))).Block(evAppend(e)))
		}
		if len(n.prefixItems) > 0 {
			var cases []jen.Code
			for j, p := range n.prefixItems {
				if c := b.child("prefixItems", p, e); len(c) > 0 {
					cases = append(cases, jen.Case(jen.Lit(j)).Block(c...))
				}
			}
			var itemCode []jen.Code
			if n.items != nil {
				itemCode = b.child("items", n.items, e)
			}
			if len(cases) > 0 || len(itemCode) > 0 {
				ifs := jen.If(jen.Id("j").Op("<").Lit(len(n.prefixItems)))
				if len(cases) > 0 {
					ifs = ifs.Block(jen.Switch(jen.Id("j")).Block(cases...))
				} else {
					ifs = ifs.Block()
				}
				if len(itemCode) > 0 {
					ifs = ifs.Else().Block(itemCode...)
				}
				body = append(body, ifs)
			}
		} else if n.items != nil {
			body = append(body, b.child("items", n.items, e)...)
		}
		if containsCall {
			body = append(body,
				st().Dot("Quiet").Op("++"),
				jen.Id("c").Op(":=").Id(b.e.use(n.contains)).Call(st(), e),
				st().Dot("Quiet").Op("--"),
			)
			if b.track {
				body = append(body, jen.If(jen.Id("c")).Block(jen.Id("cnt").Op("++"), evAppend(e)))
			} else {
				body = append(body, jen.If(jen.Id("c")).Block(jen.Id("cnt").Op("++")))
			}
		}
		if len(body) > 0 {
			forStmt := jen.For(jen.Id("e").Op(":=").Id("i").Op("+").Lit(1), jen.Id("e").Op("!=").Lit(0), jen.Id("e").Op("=").Id("st").Dot("Nodes").Index(jen.Id("e")).Dot("Next"))
			if len(n.prefixItems) > 0 {
				body = append(body, jen.Id("j").Op("++"))
				s = append(s, jen.If(jen.Id("nd").Dot("N").Op(">").Lit(0)).Block(jen.Id("j").Op(":=").Lit(0), forStmt.Block(body...)))
			} else {
				s = append(s, jen.If(jen.Id("nd").Dot("N").Op(">").Lit(0)).Block(forStmt.Block(body...)))
			}
		}
	}
	if b.track && n.items != nil {
		s = append(s, evAppend(jen.Op("-").Parens(jen.Id("i").Op("+").Lit(2))))
	}
	if b.track && containsTrue {
		s = append(s, evAppend(jen.Op("-").Parens(jen.Id("i").Op("+").Lit(2))))
	}
	if n.contains != nil {
		minC, kw := n.minContains, "minContains"
		if minC < 0 {
			minC, kw = 1, "contains"
		}
		if minC > 0 {
			s = append(s, jen.If(jen.Id("cnt").Op("<").Lit(minC)).Block(
				b.fail(idx(), kw, jen.Lit(fmt.Sprintf("expected at least %d items matching contains, found ", minC)).Op("+").Add(jen.Qual(RuntimePath, "Itoa").Call(jen.Id("cnt"))))...))
		}
		if n.maxContains >= 0 {
			s = append(s, jen.If(jen.Id("cnt").Op(">").Lit(n.maxContains)).Block(
				b.fail(idx(), "maxContains", jen.Lit(fmt.Sprintf("expected at most %d items matching contains, found ", n.maxContains)).Op("+").Add(jen.Qual(RuntimePath, "Itoa").Call(jen.Id("cnt"))))...))
		}
		if minC == 0 && n.maxContains < 0 {
			s = append(s, jen.Id("_").Op("=").Id("cnt"))
		}
	}
	b.add(jen.If(ndKind().Op("==").Qual(RuntimePath, "KArray")).Block(s...))
}

func (b *body) str(n *node) {
	if n.minLength < 0 && n.maxLength < 0 && n.pattern == "" && n.format == "" && !n.contentB64 && !n.contentJSON {
		return
	}
	b.usesNd = true
	var s []jen.Code
	if n.minLength >= 0 || n.maxLength >= 0 {
		s = append(s, jen.Id("l").Op(":=").Add(st().Dot("RuneCount").Call(idx())))
		if n.minLength >= 0 {
			s = append(s, jen.If(jen.Id("l").Op("<").Lit(n.minLength)).Block(
				b.fail(idx(), "minLength", jen.Lit(fmt.Sprintf("expected at least %d characters, found ", n.minLength)).Op("+").Add(jen.Qual(RuntimePath, "Itoa").Call(jen.Id("l"))))...))
		}
		if n.maxLength >= 0 {
			s = append(s, jen.If(jen.Id("l").Op(">").Lit(n.maxLength)).Block(
				b.fail(idx(), "maxLength", jen.Lit(fmt.Sprintf("expected at most %d characters, found ", n.maxLength)).Op("+").Add(jen.Qual(RuntimePath, "Itoa").Call(jen.Id("l"))))...))
		}
	}
	if n.pattern != "" {
		s = append(s, jen.If(jen.Op("!").Add(b.e.patternMatch(n.pattern, st().Dot("Text").Call(idx())))).Block(
			b.fail(idx(), "pattern", jen.Lit("expected a string matching "+strconv.Quote(shortText(n.pattern))+", found ").Op("+").Add(st().Dot("Show").Call(idx())))...))
	}
	if n.format != "" {
		s = append(s, jen.If(jen.Op("!").Qual(RuntimePath, formatFuncs[n.format]).Call(st().Dot("Text").Call(idx()))).Block(
			b.fail(idx(), "format", jen.Lit("expected a valid "+n.format+", found ").Op("+").Add(st().Dot("Show").Call(idx())))...))
	}
	notJSON := func() []jen.Code {
		return b.fail(idx(), "contentMediaType", jen.Lit("expected a string holding one JSON text, found ").Op("+").Add(st().Dot("Show").Call(idx())))
	}
	switch {
	case n.contentB64:
		check := jen.If(jen.List(jen.Id("c"), jen.Id("ok64")).Op(":=").Qual(RuntimePath, "Base64").Call(st().Dot("Text").Call(idx())), jen.Op("!").Id("ok64")).Block(
			b.fail(idx(), "contentEncoding", jen.Lit("expected a base64-encoded string, found ").Op("+").Add(st().Dot("Show").Call(idx())))...)
		if n.contentJSON {
			check = check.Else().If(jen.Op("!").Qual(RuntimePath, "JSONText").Call(jen.Id("c"))).Block(notJSON()...)
		} else {
			check = check.Else().Block(jen.Id("_").Op("=").Id("c"))
		}
		s = append(s, check)
	case n.contentJSON:
		s = append(s, jen.If(jen.Op("!").Qual(RuntimePath, "JSONText").Call(st().Dot("Text").Call(idx()))).Block(notJSON()...))
	}
	b.add(jen.If(ndKind().Op("==").Qual(RuntimePath, "KString")).Block(s...))
}

func (b *body) number(n *node) {
	type bound struct {
		lit, kw, op, text string
	}
	var list []bound
	if n.minimum != "" {
		list = append(list, bound{n.minimum, "minimum", "<", ">="})
	}
	if n.exclMinimum != "" {
		list = append(list, bound{n.exclMinimum, "exclusiveMinimum", "<=", ">"})
	}
	if n.maximum != "" {
		list = append(list, bound{n.maximum, "maximum", ">", "<="})
	}
	if n.exclMaximum != "" {
		list = append(list, bound{n.exclMaximum, "exclusiveMaximum", ">=", "<"})
	}
	if len(list) == 0 && n.multipleOf == "" {
		return
	}
	b.usesNd = true
	s := []jen.Code{jen.Id("x").Op(":=").Add(st().Dot("Num").Call(idx()))}
	for _, l := range list {
		s = append(s, jen.If(jen.Qual(RuntimePath, "CmpNum").Call(jen.Op("&").Id("x"), jen.Op("&").Id(b.e.numVar(l.lit))).Op(l.op).Lit(0)).Block(
			b.fail(idx(), l.kw, jen.Lit("expected a number "+l.text+" "+l.lit+", found ").Op("+").Add(st().Dot("Show").Call(idx())))...))
	}
	if n.multipleOf != "" {
		s = append(s, jen.If(jen.Op("!").Qual(RuntimePath, "MultipleOf").Call(jen.Op("&").Id("x"), jen.Op("&").Id(b.e.numVar(n.multipleOf)))).Block(
			b.fail(idx(), "multipleOf", jen.Lit("expected a multiple of "+n.multipleOf+", found ").Op("+").Add(st().Dot("Show").Call(idx())))...))
	}
	b.add(jen.If(ndKind().Op("==").Qual(RuntimePath, "KNumber")).Block(s...))
}

func (b *body) applicators(n *node) {
	if n.ref != nil {
		b.add(b.inPlace("$ref", n.ref)...)
	}
	if n.dynRef != nil {
		if n.dynName == "" {
			b.add(b.inPlace("$dynamicRef", n.dynRef)...)
		} else {
			b.add(b.inPlaceFn(b.e.dynDispatch(n))...)
		}
	}
	for _, a := range n.allOf {
		b.add(b.inPlace("allOf", a)...)
	}
	if len(n.anyOf) > 0 && b.track {
		s := []jen.Code{st().Dot("Quiet").Op("++"), jen.Id("m").Op(":=").False()}
		for _, a := range n.anyOf {
			s = append(s, jen.Block(jen.Var().Id("c").Bool(), b.trackedQuiet(a, "c", true), jen.Id("m").Op("=").Id("m").Op("||").Id("c")))
		}
		s = append(s, st().Dot("Quiet").Op("--"),
			jen.If(jen.Op("!").Id("m")).Block(b.unionFail(n.discriminator, n.anyOf, "anyOf",
				fmt.Sprintf("expected a value matching at least one of the %d alternatives of anyOf, found ", len(n.anyOf)))...))
		b.add(jen.Block(s...))
	} else if len(n.anyOf) > 0 {
		var cond *jen.Statement
		for _, a := range n.anyOf {
			if cond == nil {
				cond = jen.Add(b.quietCall(a))
			} else {
				cond = cond.Op("||").Add(b.quietCall(a))
			}
		}
		b.add(jen.Block(
			st().Dot("Quiet").Op("++"),
			jen.Id("m").Op(":=").Add(cond),
			st().Dot("Quiet").Op("--"),
			jen.If(jen.Op("!").Id("m")).Block(b.unionFail(n.discriminator, n.anyOf, "anyOf",
				fmt.Sprintf("expected a value matching at least one of the %d alternatives of anyOf, found ", len(n.anyOf)))...),
		))
	}
	b.recordBranches(n.anyOf, false)
	if len(n.oneOf) > 0 {
		s := []jen.Code{st().Dot("Quiet").Op("++"), jen.Id("m").Op(":=").Lit(0)}
		for j, a := range n.oneOf {
			if b.track {
				s = append(s, jen.Block(jen.Var().Id("c").Bool(), b.trackedQuiet(a, "c", true), jen.If(jen.Id("c")).Block(jen.Id("m").Op("++"))))
				continue
			}
			cond := jen.Add(b.quietCall(a))
			if j > 1 {
				cond = jen.Id("m").Op("<").Lit(2).Op("&&").Add(b.quietCall(a))
			}
			s = append(s, jen.If(cond).Block(jen.Id("m").Op("++")))
		}
		s = append(s, st().Dot("Quiet").Op("--"))
		s = append(s, jen.If(jen.Id("m").Op("==").Lit(0)).Block(b.unionFail(n.discriminator, n.oneOf, "oneOf",
			fmt.Sprintf("expected a value matching exactly one of the %d alternatives of oneOf, found ", len(n.oneOf)))...))
		s = append(s, jen.If(jen.Id("m").Op(">").Lit(1)).Block(b.fail(idx(), "oneOf",
			jen.Lit(fmt.Sprintf("expected a value matching exactly one of the %d alternatives of oneOf, found one matching several: ", len(n.oneOf))).Op("+").Add(st().Dot("Found").Call(idx())))...))
		b.add(jen.Block(s...))
	}
	b.recordBranches(n.oneOf, true)
	if n.not != nil {
		b.add(jen.Block(
			st().Dot("Quiet").Op("++"),
			jen.Var().Id("m").Bool(),
			b.trackedQuiet(n.not, "m", false),
			st().Dot("Quiet").Op("--"),
			jen.If(jen.Id("m")).Block(b.fail(idx(), "not", jen.Lit("expected a value not matching the schema of not, found ").Op("+").Add(st().Dot("Found").Call(idx())))...),
		))
	}
	if n.ifS != nil && (n.thenS != nil || n.elseS != nil || b.track) {
		var thenCode, elseCode []jen.Code
		if n.thenS != nil {
			thenCode = b.inPlace("then", n.thenS)
		}
		if n.elseS != nil {
			elseCode = b.inPlace("else", n.elseS)
		}
		if len(thenCode) > 0 || len(elseCode) > 0 || b.track {
			s := jen.If(jen.Id("c")).Block(thenCode...)
			if len(elseCode) > 0 {
				s = s.Else().Block(elseCode...)
			}
			b.add(jen.Block(
				st().Dot("Quiet").Op("++"),
				jen.Var().Id("c").Bool(),
				b.trackedQuiet(n.ifS, "c", true),
				st().Dot("Quiet").Op("--"),
				s,
			))
		}
	}
}

// unionFail reports a failed anyOf/oneOf: the failures of the one branch
// whose discriminator matches (the OpenAPI discriminator d when it names
// the branch, else the properties the branch pins with const or enum), or
// a single violation at the union.
func (b *body) unionFail(d *Discriminator, branches []*node, kw, msg string) []jen.Code {
	b.usesOK = true
	fnType := jen.Func().Params(jen.Op("*").Qual(RuntimePath, "State"), jen.Int32()).Bool()
	var fns, pins []jen.Code
	anyPin := false
	var named []string // the discriminator values, when d names every branch
	for _, br := range branches {
		fns = append(fns, jen.Id(b.e.use(br)))
		p := ""
		if values := discriminatorValues(d, br); len(values) > 0 {
			p = b.e.discriminatorPin(d, br, values)
			if named != nil || br == branches[0] {
				named = append(named, values...)
			}
		} else {
			named = nil
			p = b.e.pin(br)
		}
		if p != "" {
			pins = append(pins, jen.Id(p))
			anyPin = true
		} else {
			pins = append(pins, jen.Nil())
		}
	}
	hint := discriminatorHint(branches)
	if len(named) > 0 {
		quoted := make([]string, len(named))
		for i, v := range named {
			quoted[i] = strconv.Quote(v)
		}
		hint = strconv.Quote(d.PropertyName) + " is " + strings.Join(quoted, " or ")
	}
	if hint != "" {
		msg = strings.Replace(msg, ", found ", " ("+hint+"), found ", 1)
	}
	var report jen.Code
	if anyPin {
		report = st().Dot("Union").Call(idx(), jen.Lit(kw),
			jen.Index().Add(fnType).Values(fns...),
			jen.Index().Add(fnType).Values(pins...),
			jen.Lit(msg))
	} else {
		report = st().Dot("Fail").Call(idx(), jen.Lit(kw), jen.Lit(msg).Op("+").Add(st().Dot("Found").Call(idx())))
	}
	return []jen.Code{quietReturn(), jen.Id("ok").Op("=").False(), report}
}

// discriminatorValues lists the values of discriminator d that name
// branch br: the mapping entries whose schema is the branch's, or, when
// none is, the branch's component name (OpenAPI's implicit mapping).
func discriminatorValues(d *Discriminator, br *node) []string {
	if d == nil || br.ref == nil {
		return nil
	}
	target := br.ref.loc.key()
	var values []string
	for _, v := range sortedKeys(d.Targets) {
		if d.Targets[v] == target {
			values = append(values, v)
		}
	}
	if len(values) == 0 {
		if name, ok := strings.CutPrefix(br.ref.loc.ptr, "/components/schemas/"); ok && !strings.Contains(name, "/") {
			values = append(values, unescapeToken(name))
		}
	}
	return values
}

// discriminatorPin emits the test that the member d names holds one of
// values.
func (e *emitter) discriminatorPin(d *Discriminator, br *node, values []string) string {
	list := make([]any, len(values))
	for i, v := range values {
		list[i] = v
	}
	name := e.ident("hcP", "discriminator:"+d.PropertyName+"\x00"+canonical(list))
	if _, ok := e.funcs[name]; ok {
		return name
	}
	e.funcs[name] = jen.Comment(name+" reports whether the discriminator "+strconv.Quote(d.PropertyName)+" names "+br.ref.uri+".").Line().
		Func().Id(name).Params(jen.Id("st").Op("*").Qual(RuntimePath, "State"), jen.Id("i").Int32()).Bool().Block(
		jen.If(jen.Id("st").Dot("Nodes").Index(idx()).Dot("Kind").Op("!=").Qual(RuntimePath, "KObject")).Block(jen.Return(jen.False())),
		jen.Id("v").Op(":=").Add(st().Dot("Member").Call(idx(), jen.Lit(d.PropertyName))),
		jen.Return(jen.Id("v").Op(">=").Lit(0).Op("&&").Add(st().Dot("InEnum").Call(jen.Id("v"), jen.Id(e.enumVar(list))))),
	)
	return name
}

// discriminatorHint names the property every branch pins with const and
// the values that tell the branches apart, e.g. `"type" is "a" or "b"`.
func discriminatorHint(branches []*node) string {
	var name string
	var values []string
	for i, br := range branches {
		t := resolveRefs(br)
		found := false
		for _, p := range t.props {
			pn := resolveRefs(p.node)
			if !pn.hasConst || (i > 0 && p.name != name) {
				continue
			}
			name, found = p.name, true
			values = append(values, shortText(canonical(pn.constVal)))
			break
		}
		if !found {
			return ""
		}
	}
	return strconv.Quote(name) + " is " + strings.Join(values, " or ")
}

// resolveRefs follows a chain of schemas that only hold a $ref.
func resolveRefs(n *node) *node {
	for i := 0; i < 32 && n.ref != nil && len(n.props) == 0; i++ {
		n = n.ref
	}
	return n
}

// pin emits the discriminator test of a union branch: every property the
// branch pins with const or enum is present and matches. It returns "" when
// the branch pins nothing.
func (e *emitter) pin(br *node) string {
	if r, ok := e.rep[br]; ok {
		br = r
	}
	t := resolveRefs(br)
	type pinned struct {
		name string
		n    *node
	}
	var list []pinned
	for _, p := range t.props {
		pn := resolveRefs(p.node)
		if pn.hasConst || pn.hasEnum {
			list = append(list, pinned{p.name, pn})
		}
	}
	if len(list) == 0 {
		return ""
	}
	sort.Slice(list, func(i, j int) bool { return list[i].name < list[j].name })
	name := e.ident("hcP", "pin:"+br.key)
	if _, ok := e.funcs[name]; ok {
		return name
	}
	s := []jen.Code{
		jen.If(jen.Id("st").Dot("Nodes").Index(idx()).Dot("Kind").Op("!=").Qual(RuntimePath, "KObject")).Block(jen.Return(jen.False())),
	}
	for _, p := range list {
		var match jen.Code
		if p.n.hasConst {
			match = e.matchConst(p.n, jen.Id("v"))
		} else {
			match = e.matchEnum(p.n, jen.Id("v"))
		}
		s = append(s, jen.If(jen.Id("v").Op(":=").Add(st().Dot("Member").Call(idx(), jen.Lit(p.name))), jen.Id("v").Op("<").Lit(0).Op("||").Op("!").Add(match)).Block(jen.Return(jen.False())))
	}
	s = append(s, jen.Return(jen.True()))
	e.funcs[name] = jen.Comment(name+" reports whether the discriminator of "+br.uri+" matches.").Line().
		Func().Id(name).Params(jen.Id("st").Op("*").Qual(RuntimePath, "State"), jen.Id("i").Int32()).Bool().Block(s...)
	return name
}
