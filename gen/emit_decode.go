package gen

import (
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/dave/jennifer/jen"

	"github.com/hookcontract/hookcontract/gen/schemagen"
)

// The decoders: for each named type of the model, a function that reads a
// node of the scanned tape into the Go value (structs by a switch on the
// member name, enums and strings unescaped by the runtime, sums by their
// discriminator, slices sized from the tape, maps, pointers for optional
// and nullable values), with no reflection and no second scan. Parse scans
// a body once, validates the tape and decodes the same tape; the types'
// UnmarshalJSON decode with the same functions after the scanner's checks
// alone (well-formed JSON, no duplicate keys, bounded numbers), without
// validation: a named type may stand for several schema locations (types
// are shared by content), so it has no one schema to validate against, and
// UnmarshalJSON also reads values that are not deliveries (stored, built,
// partial); Parse is the validating entry point. A Go type these decoders do not know is decoded by encoding/json
// from the node's bytes (decodeFallback), so a new form of the model is
// decoded correctly before it is decoded fast.

// decFunc names the decoder of named type t.
func decFunc(t *namedType) string { return "hcDec" + t.Name }

// eventDecFunc names the function that validates and decodes event e.
func eventDecFunc(e *eventModel) string { return "hcDecEvent" + e.GoName }

func (g *generator) emitDecoders() error {
	f := newFile(g.opts.Package)
	types := append([]*namedType(nil), g.m.tb.order...)
	sort.Slice(types, func(i, j int) bool { return types[i].Name < types[j].Name })
	comment(f, "hcReflectDecode makes the UnmarshalJSON methods decode with encoding/json's\nreflection (and hcrt.DecodeJSON's integer rules), as the package did before it\nhad decoders of its own. Only this package's tests set it: it is the\nreference their differential tests compare the decoders with.")
	f.Var().Id("hcReflectDecode").Qual("sync/atomic", "Bool")
	f.Line()
	uses := &decUses{enums: map[*namedType]bool{}}
	for _, t := range types {
		switch t.Kind {
		case kindStruct:
			emitStructDecoder(f, t, uses)
		case kindSum:
			if t.Discriminator != "" { // a sum by shape decodes itself (emitShapeDecode)
				emitSumDecoder(f, t)
			}
		}
	}
	for _, e := range g.m.events {
		if err := g.emitEventDecoder(f, e, uses); err != nil {
			return err
		}
	}
	for _, t := range types {
		if uses.enums[t] {
			emitEnumDecoder(f, t)
		}
	}
	if uses.eventName {
		emitEventNameDecoder(f)
	}
	if err := g.put(FilePrefix+"decode.go", []byte(f.GoString())); err != nil {
		return err
	}
	return g.emitDecodeTests()
}

func emitStructDecoder(f *jen.File, t *namedType, uses *decUses) {
	// The members held by a pointer (optional or nullable) point into one
	// allocation per decoded object, made at the first of them: the
	// object's slots. The objects among them that only branches of a
	// union declare have slots of their own, made at the first of them
	// present: a body of another branch's shape has none of them, and in
	// the other slots they would weigh on its decoding where a scalar
	// weighs a few bytes.
	slots, objs := jen.Id("hcSlots"+t.Name), jen.Id("hcObjs"+t.Name)
	var slotFields, objFields []jen.Code
	held := map[*field]goType{}
	for _, fd := range t.Fields {
		switch {
		case !fd.Required && optionalIsPointer(fd.Type):
			held[fd] = fd.Type
		case fd.Required && fd.Type.Kind == kindNullable && !fd.Type.Elem.nilable():
			held[fd] = *fd.Type.Elem
		default:
			continue
		}
		if branchObject(fd, held[fd]) {
			objFields = append(objFields, jen.Id(fd.GoName).Add(held[fd].code()))
		} else {
			slotFields = append(slotFields, jen.Id(fd.GoName).Add(held[fd].code()))
		}
	}
	if len(slotFields) > 0 {
		f.Commentf("%s holds the values the pointer members of a decoded %s point at.", "hcSlots"+t.Name, t.Name)
		f.Type().Add(slots.Clone()).Struct(slotFields...)
		f.Line()
	}
	if len(objFields) > 0 {
		f.Commentf("%s holds the objects the pointer members of a decoded %s point at.", "hcObjs"+t.Name, t.Name)
		f.Type().Add(objs.Clone()).Struct(objFields...)
		f.Line()
	}
	f.Commentf("%s decodes object node i into v.", decFunc(t))
	f.Func().Id(decFunc(t)).Params(jen.Id("st").Op("*").Qual(schemagen.RuntimePath, "State"), jen.Id("i").Int32(), jen.Id("v").Op("*").Id(t.Name)).Error().BlockFunc(func(b *jen.Group) {
		b.Id("nd").Op(":=").Op("&").Id("st").Dot("Nodes").Index(jen.Id("i"))
		b.If(jen.Id("nd").Dot("Kind").Op("!=").Qual(schemagen.RuntimePath, "KObject")).Block(
			jen.If(jen.Id("nd").Dot("Kind").Op("==").Qual(schemagen.RuntimePath, "KNull")).Block(jen.Return(jen.Nil())),
			jen.Return(jen.Id("st").Dot("Mismatch").Call(jen.Id("i"), jen.Lit("an object"))),
		)
		if len(t.Fields) > 0 {
			b.If(jen.Id("nd").Dot("N").Op("==").Lit(0)).Block(jen.Return(jen.Nil()))
			if len(slotFields) > 0 {
				b.Var().Id("o").Op("*").Add(slots.Clone())
			}
			if len(objFields) > 0 {
				b.Var().Id("ob").Op("*").Add(objs.Clone())
			}
			// the key read in place (st.Text, which calls out, is not inlined)
			key := schemagen.TextInline("key", "kn", jen.Id("k"))
			b.For(jen.Id("k").Op(":=").Id("i").Op("+").Lit(1), jen.Id("k").Op("!=").Lit(0), jen.Id("k").Op("=").Id("st").Dot("Nodes").Index(jen.Id("k")).Dot("Next")).Block(
				append(key, jen.Switch(jen.String().Parens(jen.Id("key"))).BlockFunc(func(sw *jen.Group) {
					for _, fd := range t.Fields {
						dst := func() *jen.Statement { return jen.Id("v").Dot(fd.GoName) }
						node := func() *jen.Statement { return jen.Id("k").Op("+").Lit(1) }
						sw.Case(jen.Lit(fd.JSONName)).BlockFunc(func(c *jen.Group) {
							u, ptr := held[fd]
							if !fd.Required && fd.Type.Kind == kindNullable {
								// a Nullable: null and absent differ
								c.If(jen.Id("err").Op(":=").Id("st").Dot("DecodeFallback").Call(node(), jen.Op("&").Add(dst())), jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("err")))
								return
							}
							if !ptr {
								decodeInto(uses, c, fd.Type, node, at(dst), 0)
								return
							}
							c.If(jen.Id("st").Dot("IsNull").Call(node())).Block(
								dst().Op("=").Nil(),
							).Else().BlockFunc(func(e *jen.Group) {
								o, in := "o", slots
								if branchObject(fd, u) {
									o, in = "ob", objs
								}
								e.If(dst().Op("==").Nil()).Block(
									jen.If(jen.Id(o).Op("==").Nil()).Block(jen.Id(o).Op("=").New(in.Clone())),
									dst().Op("=").Op("&").Id(o).Dot(fd.GoName),
								)
								decodeInto(uses, e, u, node, pointee(dst), 0)
							})
						})
					}
				}))...,
			)
		}
		b.Return(jen.Nil())
	})
	f.Line()
	comment(f, "UnmarshalJSON decodes data, after the JSON scanner's checks (well-formed, no\nduplicate keys, bounded numbers) but without validation: a value of the\nwrong JSON type for its field is an error naming its pointer.")
	f.Func().Params(jen.Id("v").Op("*").Id(t.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.If(jen.Id("hcReflectDecode").Dot("Load").Call()).BlockFunc(func(b *jen.Group) {
			b.Type().Id("plain").Id(t.Name)
			reflect := jen.Qual(schemagen.RuntimePath, "DecodeJSON").Call(jen.Id("data"), jen.Parens(jen.Op("*").Id("plain")).Parens(jen.Id("v")))
			untagged := untaggedFields(t)
			if len(untagged) == 0 {
				b.Return(reflect)
				return
			}
			// the members no tag names, by name
			b.Add(checkErr(reflect))
			for _, fd := range untagged {
				dst := jen.Op("&").Id("v").Dot(fd.GoName)
				// a string's content comes unescaped: its JSON text again
				b.If(jen.List(jen.Id("raw"), jen.Id("isString"), jen.Id("ok")).Op(":=").Qual(schemagen.RuntimePath, "LookupMember").Call(jen.Id("data"), jen.Index().String().Values(jen.Lit(fd.JSONName))), jen.Id("ok")).Block(
					jen.If(jen.Id("isString")).Block(jen.List(jen.Id("raw"), jen.Id("_")).Op("=").Qual(jsonPkg, "Marshal").Call(jen.String().Parens(jen.Id("raw")))),
					checkErr(jen.Qual(schemagen.RuntimePath, "DecodeJSON").Call(jen.Id("raw"), dst)),
				)
			}
			b.Return(jen.Nil())
		}),
		jen.Return(jen.Qual(schemagen.RuntimePath, "DecodeOnly").Call(jen.Id("data"), jen.Func().Params(jen.Id("st").Op("*").Qual(schemagen.RuntimePath, "State")).Error().Block(
			jen.Return(jen.Id(decFunc(t)).Call(jen.Id("st"), jen.Lit(0), jen.Id("v"))),
		))),
	)
	f.Line()
}

// branchObject reports whether member fd, of type t held by a pointer, is
// in its object's slots of objects (see emitStructDecoder): a struct, or
// a union of branches, that only branches of a union declare.
func branchObject(fd *field, t goType) bool {
	return fd.Branch && (t.Kind == kindStruct || t.Kind == kindSum)
}

// optionalIsPointer reports whether an optional member of type t is held
// by a pointer (see goType.optional).
func optionalIsPointer(t goType) bool {
	return !(t.Kind == kindNullable || t.nilable())
}

func emitSumDecoder(f *jen.File, t *namedType) {
	// The discriminator only names the branch to try first: the schema's
	// oneOf (or anyOf) checks the branches, not the mapping, so a body
	// Validate accepts may name another branch, or none, or lack the
	// member. Then the first branch whose type holds the value is taken,
	// not a refused delivery. UnmarshalJSON, which does not validate, does
	// the same: what it decodes, Parse would, and a parsed value marshals
	// to JSON it decodes again.
	var types []*namedType // each branch's type once, in order
	for _, br := range t.Branches {
		if !slices.Contains(types, br.Type.Named) {
			types = append(types, br.Type.Named)
		}
	}
	f.Commentf("%s decodes object node i into v: the branch its %q member names or, when that branch's type does not hold the value, the first that does.", decFunc(t), t.Discriminator)
	f.Func().Id(decFunc(t)).Params(jen.Id("st").Op("*").Qual(schemagen.RuntimePath, "State"), jen.Id("i").Int32(), jen.Id("v").Op("*").Id(t.Name)).Error().BlockFunc(func(b *jen.Group) {
		b.Id("nd").Op(":=").Op("&").Id("st").Dot("Nodes").Index(jen.Id("i"))
		b.If(jen.Id("nd").Dot("Kind").Op("!=").Qual(schemagen.RuntimePath, "KObject")).Block(
			jen.If(jen.Id("nd").Dot("Kind").Op("==").Qual(schemagen.RuntimePath, "KNull")).Block(jen.Return(jen.Nil())),
			jen.Return(jen.Id("st").Dot("Mismatch").Call(jen.Id("i"), jen.Lit("an object"))),
		)
		b.Var().Id("err").Error()
		b.If(jen.Id("d").Op(":=").Id("st").Dot("Discriminator").Call(jen.Id("i"), jen.Lit(t.Discriminator)), jen.Id("d").Op(">=").Lit(0)).Block(
			jen.Switch(jen.String().Parens(jen.Id("st").Dot("Text").Call(jen.Id("d")))).BlockFunc(func(sw *jen.Group) {
				for _, br := range t.Branches {
					sw.Case(jen.Lit(br.Value)).Block(
						jen.Id("b").Op(":=").New(jen.Id(br.Type.Named.Name)),
						jen.If(jen.Id("err").Op("=").Id(decFunc(br.Type.Named)).Call(jen.Id("st"), jen.Id("i"), jen.Id("b")), jen.Id("err").Op("==").Nil()).Block(
							jen.Id("v").Dot("Value").Op("=").Id("b"),
							jen.Return(jen.Nil()),
						),
					)
				}
				sw.Default().Block(jen.Id("err").Op("=").Id("st").Dot("UnknownBranch").Call(jen.Id("d"), jen.Lit(t.Name), jen.Lit(t.Discriminator)))
			}),
		).Else().Block(
			jen.Id("err").Op("=").Id("st").Dot("NoDiscriminator").Call(jen.Id("i"), jen.Lit(t.Name), jen.Lit(t.Discriminator)),
		)
		b.Comment("the first branch whose type holds the value")
		for _, bt := range types {
			b.If(jen.Id("b").Op(":=").New(jen.Id(bt.Name)), jen.Id(decFunc(bt)).Call(jen.Id("st"), jen.Id("i"), jen.Id("b")).Op("==").Nil()).Block(
				jen.Id("v").Dot("Value").Op("=").Id("b"),
				jen.Return(jen.Nil()),
			)
		}
		b.Return(jen.Id("err"))
	})
	f.Line()
	comment(f, fmt.Sprintf("UnmarshalJSON decodes the branch the %q member names (or the first whose\ntype holds the value), after the JSON scanner's checks but without\nvalidation.", t.Discriminator))
	f.Func().Params(jen.Id("u").Op("*").Id(t.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.If(jen.Id("hcReflectDecode").Dot("Load").Call()).BlockFunc(func(rb *jen.Group) {
			// LookupMember gives a string's content, unescaped
			rb.List(jen.Id("name"), jen.Id("isString"), jen.Id("ok")).Op(":=").Qual(schemagen.RuntimePath, "LookupMember").Call(jen.Id("data"), jen.Index().String().Values(jen.Lit(t.Discriminator)))
			rb.Id("err").Op(":=").Qual("errors", "New").Call(jen.Lit(fmt.Sprintf("decode %s: expected the %q member, a string", t.Name, t.Discriminator)))
			rb.If(jen.Id("ok").Op("&&").Id("isString")).Block(
				jen.Switch(jen.String().Parens(jen.Id("name"))).BlockFunc(func(sw *jen.Group) {
					for _, br := range t.Branches {
						sw.Case(jen.Lit(br.Value)).Block(
							jen.Id("v").Op(":=").New(jen.Id(br.Type.Named.Name)),
							jen.If(jen.Id("err").Op("=").Qual(schemagen.RuntimePath, "DecodeJSON").Call(jen.Id("data"), jen.Id("v")), jen.Id("err").Op("==").Nil()).Block(
								jen.Id("u").Dot("Value").Op("=").Id("v"),
								jen.Return(jen.Nil()),
							),
						)
					}
					sw.Default().Block(jen.Id("err").Op("=").Qual("fmt", "Errorf").Call(jen.Lit(fmt.Sprintf("decode %s: unknown %s %%q", t.Name, t.Discriminator)), jen.Id("name")))
				}),
			)
			for _, bt := range types {
				rb.If(jen.Id("v").Op(":=").New(jen.Id(bt.Name)), jen.Qual(schemagen.RuntimePath, "DecodeJSON").Call(jen.Id("data"), jen.Id("v")).Op("==").Nil()).Block(
					jen.Id("u").Dot("Value").Op("=").Id("v"),
					jen.Return(jen.Nil()),
				)
			}
			rb.Return(jen.Id("err"))
		}),
		jen.Return(jen.Qual(schemagen.RuntimePath, "DecodeOnly").Call(jen.Id("data"), jen.Func().Params(jen.Id("st").Op("*").Qual(schemagen.RuntimePath, "State")).Error().Block(
			jen.Return(jen.Id(decFunc(t)).Call(jen.Id("st"), jen.Lit(0), jen.Id("u"))),
		))),
	)
	f.Line()
}

// checkErr is the statement that returns the error call returns, if any.
func checkErr(call *jen.Statement) *jen.Statement {
	return jen.If(jen.Id("err").Op(":=").Add(call), jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("err")))
}

// decUses records the decoders of strings the struct and event decoders
// call, so that only those are written: the enums' and the event name's.
type decUses struct {
	enums     map[*namedType]bool
	eventName bool
}

// maxConstCases bounds the values an enum's decoder switches on: an enum
// of more values (a 20 000-value one doubled the package's build time and
// took 1.3 GB more) is decoded as a string, copied.
const maxConstCases = 256

// emitEnumDecoder writes the decoder of enum t: a declared value written
// without escapes is its constant (the payload's bytes are not copied),
// any other a copied string.
func emitEnumDecoder(f *jen.File, t *namedType) {
	other := jen.Return(jen.Id("st").Dot("DecString").Call(jen.Id("i"), jen.Parens(jen.Op("*").String()).Parens(jen.Id("v"))))
	f.Commentf("%s decodes string node i into v: a declared value as its constant, any other as a copy.", decFunc(t))
	f.Func().Id(decFunc(t)).Params(jen.Id("st").Op("*").Qual(schemagen.RuntimePath, "State"), jen.Id("i").Int32(), jen.Id("v").Op("*").Id(t.Name)).Error().Block(
		jen.List(jen.Id("text"), jen.Id("ok")).Op(":=").Id("st").Dot("Plain").Call(jen.Id("i")),
		jen.If(jen.Op("!").Id("ok")).Block(other.Clone()),
		jen.Switch(jen.String().Parens(jen.Id("text"))).BlockFunc(func(sw *jen.Group) {
			for k, v := range t.Values {
				sw.Case(jen.Lit(v)).Block(jen.Op("*").Id("v").Op("=").Id(t.ConstNames[k]))
			}
			sw.Default().Block(other.Clone())
		}),
		jen.Id("st").Dot("Spare").Call(jen.Id("i")),
		jen.Return(jen.Nil()),
	)
	f.Line()
}

// emitEventNameDecoder writes hcEventNameDecode, the decoder of a member
// holding the event's name: a declared event's is its constant (by the
// events file's knownEvent and eventName), any other a copied string.
// (Not hcDec...: hcDecEvent<Name> is an event's decoder, hcDec<Type> a
// type's.)
func emitEventNameDecoder(f *jen.File) {
	comment(f, "hcEventNameDecode decodes string node i into v: a declared event's name as its\nconstant, any other as a copy.")
	f.Func().Id("hcEventNameDecode").Params(jen.Id("st").Op("*").Qual(schemagen.RuntimePath, "State"), jen.Id("i").Int32(), jen.Id("v").Op("*").Id("EventName")).Error().Block(
		jen.List(jen.Id("text"), jen.Id("ok")).Op(":=").Id("st").Dot("Plain").Call(jen.Id("i")),
		jen.If(jen.Op("!").Id("ok").Op("||").Op("!").Id("knownEvent").Call(jen.Id("text"))).Block(
			jen.Return(jen.Id("st").Dot("DecString").Call(jen.Id("i"), jen.Parens(jen.Op("*").String()).Parens(jen.Id("v")))),
		),
		jen.Op("*").Id("v").Op("=").Id("eventName").Call(jen.Id("text")),
		jen.Id("st").Dot("Spare").Call(jen.Id("i")),
		jen.Return(jen.Nil()),
	)
	f.Line()
}

// place is where a decoded value goes: an addressable expression of its
// type and the expression of its address.
type place struct{ val, addr func() *jen.Statement }

// at is the place of addressable expression e.
func at(e func() *jen.Statement) place {
	return place{val: e, addr: func() *jen.Statement { return jen.Op("&").Add(e()) }}
}

// pointee is the place pointer expression p points at.
func pointee(p func() *jen.Statement) place {
	return place{val: func() *jen.Statement { return jen.Parens(jen.Op("*").Add(p())) }, addr: p}
}

// decodePointer appends the statements that decode node into dst, a
// pointer to a value of type t: nil for JSON null, else the value (into
// the one dst points at, if any, as encoding/json does).
func decodePointer(uses *decUses, g *jen.Group, t goType, node, dst func() *jen.Statement, depth int) {
	g.If(jen.Id("st").Dot("IsNull").Call(node())).Block(
		dst().Op("=").Nil(),
	).Else().BlockFunc(func(b *jen.Group) {
		b.If(dst().Op("==").Nil()).Block(dst().Op("=").New(t.code()))
		decodeInto(uses, b, t, node, pointee(dst), depth)
	})
}

// decodeInto appends the statements that decode node (an int32
// expression) into dst, an addressable expression of type t; they return
// the error when there is one.
func decodeInto(uses *decUses, g *jen.Group, t goType, node func() *jen.Statement, p place, depth int) {
	dst, addr := p.val, p.addr
	check := func(call *jen.Statement) { g.Add(checkErr(call)) }
	st := func(method string, args ...jen.Code) *jen.Statement {
		return jen.Id("st").Dot(method).Call(append([]jen.Code{node()}, args...)...)
	}
	v := fmt.Sprint(depth) // suffix of this level's variables
	switch t.Kind {
	case kindNullable:
		if t.Elem.nilable() {
			decodeInto(uses, g, *t.Elem, node, p, depth) // nil for null
			return
		}
		decodePointer(uses, g, *t.Elem, node, dst, depth)
	case kindStruct:
		check(jen.Id(decFunc(t.Named)).Call(jen.Id("st"), node(), addr()))
	case kindSum:
		if t.Named.Discriminator == "" {
			check(st("DecodeFallback", addr())) // by shape: its UnmarshalJSON
			return
		}
		check(jen.Id(decFunc(t.Named)).Call(jen.Id("st"), node(), addr()))
	case kindEnum:
		if len(t.Named.Values) > maxConstCases {
			check(st("DecString", jen.Parens(jen.Op("*").String()).Parens(addr())))
			return
		}
		uses.enums[t.Named] = true
		check(jen.Id(decFunc(t.Named)).Call(jen.Id("st"), node(), addr()))
	case kindAlias:
		if t.Named.Transparent {
			decodeInto(uses, g, t.Named.Underlying, node, p, depth)
			return
		}
		// the same bytes as its underlying type: decoded through a conversion
		u := t.Named.Underlying
		conv := func() *jen.Statement { return jen.Parens(jen.Op("*").Add(u.code())).Parens(addr()) }
		decodeInto(uses, g, u, node, pointee(conv), depth)
	case kindSlice:
		s, j, e := "s"+v, "j"+v, "e"+v
		g.If(jen.Id("st").Dot("IsNull").Call(node())).Block(
			dst().Op("=").Nil(),
		).Else().If(jen.Id("st").Dot("Nodes").Index(node()).Dot("Kind").Op("!=").Qual(schemagen.RuntimePath, "KArray")).Block(
			jen.Return(st("Mismatch", jen.Lit("an array"))),
		).Else().BlockFunc(func(b *jen.Group) {
			b.Id(s).Op(":=").Make(t.code(), jen.Id("st").Dot("Nodes").Index(node()).Dot("N"))
			b.For(
				jen.List(jen.Id(j), jen.Id(e)).Op(":=").List(jen.Lit(0), node().Op("+").Lit(1)),
				jen.Id(j).Op("<").Len(jen.Id(s)),
				jen.List(jen.Id(j), jen.Id(e)).Op("=").List(jen.Id(j).Op("+").Lit(1), jen.Id("st").Dot("Nodes").Index(jen.Id(e)).Dot("Next")),
			).BlockFunc(func(lb *jen.Group) {
				decodeInto(uses, lb, *t.Elem, func() *jen.Statement { return jen.Id(e) }, at(func() *jen.Statement { return jen.Id(s).Index(jen.Id(j)) }), depth+1)
			})
			b.Add(dst()).Op("=").Id(s)
		})
	case kindMap:
		k, x := "k"+v, "x"+v
		g.If(jen.Id("st").Dot("IsNull").Call(node())).Block(
			dst().Op("=").Nil(),
		).Else().If(jen.Id("st").Dot("Nodes").Index(node()).Dot("Kind").Op("!=").Qual(schemagen.RuntimePath, "KObject")).Block(
			jen.Return(st("Mismatch", jen.Lit("an object"))),
		).Else().BlockFunc(func(b *jen.Group) {
			b.If(dst().Op("==").Nil()).Block(dst().Op("=").Make(t.code(), jen.Id("st").Dot("Nodes").Index(node()).Dot("N")))
			b.If(jen.Id("st").Dot("Nodes").Index(node()).Dot("N").Op(">").Lit(0)).Block(
				jen.For(jen.Id(k).Op(":=").Add(node()).Op("+").Lit(1), jen.Id(k).Op("!=").Lit(0), jen.Id(k).Op("=").Id("st").Dot("Nodes").Index(jen.Id(k)).Dot("Next")).BlockFunc(func(lb *jen.Group) {
					lb.Var().Id(x).Add(t.Elem.code())
					decodeInto(uses, lb, *t.Elem, func() *jen.Statement { return jen.Id(k).Op("+").Lit(1) }, at(func() *jen.Statement { return jen.Id(x) }), depth+1)
					// the key last: decoding the value may reuse the scratch buffer
					lb.Add(dst()).Index(jen.Id("st").Dot("DecKey").Call(jen.Id(k))).Op("=").Id(x)
				}),
			)
		})
	case kindScalar:
		switch t.Scalar {
		case "string":
			check(st("DecString", addr()))
		case "EventName":
			uses.eventName = true
			check(jen.Id("hcEventNameDecode").Call(jen.Id("st"), node(), addr()))
		case "StringBool":
			check(st("DecString", jen.Parens(jen.Op("*").String()).Parens(addr())))
		case "int64":
			check(st("DecInt", addr()))
		case "bool":
			// in place: a call per boolean costs more than the test
			g.Switch(jen.Id("st").Dot("Nodes").Index(node()).Dot("Kind")).Block(
				jen.Case(jen.Qual(schemagen.RuntimePath, "KTrue")).Block(dst().Op("=").True()),
				jen.Case(jen.Qual(schemagen.RuntimePath, "KFalse")).Block(dst().Op("=").False()),
				jen.Case(jen.Qual(schemagen.RuntimePath, "KNull")),
				jen.Default().Block(jen.Return(st("Mismatch", jen.Lit("a boolean")))),
			)
		case "json.Number":
			check(st("DecNumber", addr()))
		case "json.RawMessage":
			check(st("DecRaw", addr()))
		case "IntOrString":
			check(st("DecIntOrString", jen.Op("&").Add(dst()).Dot("Digits"), jen.Op("&").Add(dst()).Dot("Quoted")))
		case "BoolOrString":
			check(st("DecBoolOrString", jen.Op("&").Add(dst()).Dot("Value"), jen.Op("&").Add(dst()).Dot("Quoted")))
		default:
			check(st("DecodeFallback", addr()))
		}
	default:
		check(st("DecodeFallback", addr()))
	}
}

// emitEventDecoder writes the function decodeEvent calls for event e: on
// the body scanned once (st), it validates the tape with the event's validator (the
// bare body's when bare) and, when every guarantee holds, decodes the same
// tape into the event's value.
func (g *generator) emitEventDecoder(f *jen.File, e *eventModel, uses *decUses) error {
	if g.validators.NodeFunc(e.Validate) == "" {
		return fmt.Errorf("event %q: no validator for its decoder", e.Name)
	}
	envelope := schemagen.TapeFunc(e.Validate)
	bareParam := jen.Id("_")
	if e.Bare != nil {
		bareParam = jen.Id("bare")
	}
	f.Commentf("%s validates and decodes a body of the event %q (its bare form when bare).", eventDecFunc(e), e.Name)
	f.Func().Id(eventDecFunc(e)).Params(jen.Id("st").Op("*").Qual(schemagen.RuntimePath, "State"), bareParam.Bool()).Params(jen.Id("Event"), jen.Index().Id("Violation"), jen.Error()).BlockFunc(func(b *jen.Group) {
		b.Id("e").Op(":=").New(jen.Id(e.TypeName))
		b.Var().Id("verr").Op("*").Id("ValidationError")
		b.Var().Id("err").Error()
		payload := func() *jen.Statement {
			return jen.List(jen.Id("verr"), jen.Id("err")).Op("=").Id("st").Dot("Then").Call(jen.Id(envelope), jen.Func().Params(jen.Id("st").Op("*").Qual(schemagen.RuntimePath, "State")).Error().BlockFunc(func(fb *jen.Group) {
				decodeInto(uses, fb, e.Payload, func() *jen.Statement { return jen.Lit(0) }, at(func() *jen.Statement { return jen.Id("e").Dot("Payload") }), 0)
				fb.Return(jen.Nil())
			}))
		}
		if e.Bare != nil {
			if g.validators.NodeFunc(e.ValidateB) == "" {
				return
			}
			bareFn := schemagen.TapeFunc(e.ValidateB)
			b.If(jen.Id("bare")).Block(
				jen.List(jen.Id("verr"), jen.Id("err")).Op("=").Id("st").Dot("Then").Call(jen.Id(bareFn), jen.Func().Params(jen.Id("st").Op("*").Qual(schemagen.RuntimePath, "State")).Error().BlockFunc(func(fb *jen.Group) {
					dst := func() *jen.Statement { return jen.Id("e").Dot("Bare") }
					node := func() *jen.Statement { return jen.Lit(0) }
					if optionalIsPointer(*e.Bare) {
						decodePointer(uses, fb, *e.Bare, node, dst, 0)
					} else {
						decodeInto(uses, fb, *e.Bare, node, at(dst), 0)
					}
					fb.Return(jen.Nil())
				})),
			).Else().Block(payload())
		} else {
			b.Add(payload())
		}
		b.If(jen.Id("verr").Op("!=").Nil().Op("&&").Op("!").Id("verr").Dot("Drift").Call()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Id("verr")))
		b.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("decode "+e.Name+": %w"), jen.Id("err"))))
		b.Return(jen.Id("e"), jen.Qual(schemagen.RuntimePath, "DriftOf").Call(jen.Id("verr")), jen.Nil())
	})
	if e.Bare != nil && g.validators.NodeFunc(e.ValidateB) == "" {
		return fmt.Errorf("event %q: no validator for its bare form's decoder", e.Name)
	}
	f.Line()
	return nil
}

// emitDecodeTests writes, when the spec has fixtures, the differential
// tests of the decoders: over every fixture and, as a fuzz target, over
// mutations of them, Parse (and ParseEvent) accepts exactly what Validate
// (ValidateEvent) accepts, and decodes an accepted body into the value
// encoding/json's reflection gives for the same types; MarshalJSON output
// decodes back to an equal value.
func (g *generator) emitDecodeTests() error {
	m := g.m
	if m.p.Fixtures == nil {
		return nil
	}
	f := jen.NewFile(g.opts.Package)
	f.ImportName(jsonPkg, "json")
	t := jen.Id("t")
	fatal := func(args ...jen.Code) *jen.Statement { return t.Clone().Dot("Fatalf").Call(args...) }

	comment(f, "hcReference decodes a body of the event named name (its bare form when\nbare) with encoding/json's reflection and hcrt.DecodeJSON's integer rules: the\nreference the decoders are compared with.")
	f.Func().Id("hcReference").Params(jen.Id("name").Id("EventName"), jen.Id("data").Index().Byte(), jen.Id("bare").Bool()).Params(jen.Id("Event"), jen.Error()).BlockFunc(func(b *jen.Group) {
		b.Id("hcReflectDecode").Dot("Store").Call(jen.True())
		b.Defer().Id("hcReflectDecode").Dot("Store").Call(jen.False())
		if len(m.events) > 0 {
			b.Switch(jen.Id("name")).BlockFunc(func(sw *jen.Group) {
				for _, e := range m.events {
					sw.Case(jen.Id(e.ConstName)).BlockFunc(func(c *jen.Group) {
						c.Id("e").Op(":=").New(jen.Id(e.TypeName))
						if e.Bare != nil {
							c.If(jen.Id("bare")).Block(jen.Return(jen.Id("e"), jen.Qual(schemagen.RuntimePath, "DecodeJSON").Call(jen.Id("data"), jen.Op("&").Id("e").Dot("Bare"))))
						}
						c.Return(jen.Id("e"), jen.Qual(schemagen.RuntimePath, "DecodeJSON").Call(jen.Id("data"), jen.Op("&").Id("e").Dot("Payload")))
					})
				}
			})
		}
		b.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("no event %q"), jen.Id("name")))
	})

	names := map[string]bool{}
	for _, nt := range m.tb.order {
		for _, fd := range nt.Fields {
			names[fd.JSONName] = true
		}
	}
	var lits []jen.Code
	for _, n := range slices.Sorted(maps.Keys(names)) {
		lits = append(lits, jen.Lit(n))
	}
	f.Comment("hcFieldNames are the JSON names of the members of the package's structs.")
	f.Var().Id("hcFieldNames").Op("=").Index().String().Values(lits...)
	comment(f, "hcFolds reports whether value v (decoded into any) holds a member whose\nname is one of hcFieldNames but for case: encoding/json decodes it into\nthat field, the decoders (like the validators) take it for another member.")
	f.Func().Id("hcFolds").Params(jen.Id("v").Any()).Bool().Block(
		jen.Switch(jen.Id("v").Op(":=").Id("v").Assert(jen.Type())).Block(
			jen.Case(jen.Map(jen.String()).Any()).Block(
				jen.For(jen.List(jen.Id("k"), jen.Id("x")).Op(":=").Range().Id("v")).Block(
					jen.For(jen.List(jen.Id("_"), jen.Id("n")).Op(":=").Range().Id("hcFieldNames")).Block(
						jen.If(jen.Id("k").Op("!=").Id("n").Op("&&").Qual("strings", "EqualFold").Call(jen.Id("k"), jen.Id("n"))).Block(jen.Return(jen.True())),
					),
					jen.If(jen.Id("hcFolds").Call(jen.Id("x"))).Block(jen.Return(jen.True())),
				),
			),
			jen.Case(jen.Index().Any()).Block(
				jen.For(jen.List(jen.Id("_"), jen.Id("x")).Op(":=").Range().Id("v")).Block(
					jen.If(jen.Id("hcFolds").Call(jen.Id("x"))).Block(jen.Return(jen.True())),
				),
			),
		),
		jen.Return(jen.False()),
	)
	f.Comment("hcFoldsBody is hcFolds of a JSON body.")
	f.Func().Id("hcFoldsBody").Params(jen.Id("data").Index().Byte()).Bool().Block(
		jen.Var().Id("v").Any(),
		jen.Return(jen.Qual(jsonPkg, "Unmarshal").Call(jen.Id("data"), jen.Op("&").Id("v")).Op("==").Nil().Op("&&").Id("hcFolds").Call(jen.Id("v"))),
	)

	// the acceptors, each beside its validator
	var pairs []jen.Code
	roots := []string{"validateJSON"}
	for _, e := range m.events {
		roots = append(roots, e.Validate)
		if e.ValidateB != "" {
			roots = append(roots, e.ValidateB)
		}
	}
	for _, r := range m.requests {
		roots = append(roots, r.Validate)
	}
	for _, r := range roots {
		if acc := g.validators.AcceptFunc(r); acc != "" {
			pairs = append(pairs, jen.Values(jen.Lit(r), jen.Id(acc), jen.Id(g.validators.GuaranteeAcceptFunc(r)), jen.Id(g.validators.NodeFunc(r))))
		}
	}
	stateFn := func() *jen.Statement {
		return jen.Func().Params(jen.Op("*").Qual(schemagen.RuntimePath, "State"), jen.Int32()).Bool()
	}
	comment(f, "hcAcceptors are the acceptors of the package's validators, the exact one and\nthe one of guarantees alone (the same function for a schema without\nexpectations), each beside the validator they answer for.")
	f.Var().Id("hcAcceptors").Op("=").Index().Struct(
		jen.Id("name").String(),
		jen.List(jen.Id("accept"), jen.Id("guarantees"), jen.Id("check")).Add(stateFn()),
	).Values(pairs...)
	comment(f, "hcCheckAcceptors checks that on data every acceptor says what its validator\nsays: the exact one accepts exactly the bodies in which the validator finds\nno violation, the one of guarantees alone those in which it finds no\nguaranteed violation (drift at most).")
	f.Func().Id("hcCheckAcceptors").Params(t.Clone().Op("*").Qual("testing", "T"), jen.Id("data").Index().Byte()).Block(
		t.Clone().Dot("Helper").Call(),
		jen.Id("st").Op(":=").Qual(schemagen.RuntimePath, "Scan").Call(jen.Id("data")),
		jen.Defer().Id("st").Dot("Release").Call(),
		jen.For(jen.List(jen.Id("_"), jen.Id("p")).Op(":=").Range().Id("hcAcceptors")).Block(
			jen.Id("acc").Op(":=").Id("st").Dot("Accept").Call(jen.Id("p").Dot("accept")),
			jen.Id("verr").Op(":=").Id("st").Dot("Check").Call(jen.Id("p").Dot("check")),
			jen.If(jen.Id("acc").Op("!=").Parens(jen.Id("verr").Op("==").Nil())).Block(
				fatal(jen.Lit("the acceptor of %s says %v, its validator finds %v\nbody: %q"), jen.Id("p").Dot("name"), jen.Id("acc"), jen.Id("verr"), jen.Id("data")),
			),
			jen.If(jen.Id("g").Op(":=").Id("st").Dot("Accept").Call(jen.Id("p").Dot("guarantees")), jen.Id("g").Op("!=").Parens(jen.Id("verr").Op("==").Nil().Op("||").Id("verr").Dot("Drift").Call())).Block(
				fatal(jen.Lit("the acceptor of guarantees alone of %s says %v, its validator finds %v\nbody: %q"), jen.Id("p").Dot("name"), jen.Id("g"), jen.Id("verr"), jen.Id("data")),
			),
		),
	)
	comment(f, "BenchmarkAcceptors times, on each valid fixture and for each schema it\nconforms to, the acceptor and the validator alone on the same tape: what\nValidate pays for a conforming body, and what it would pay without the\nacceptor.")
	bb := jen.Id("b")
	f.Func().Id("BenchmarkAcceptors").Params(bb.Clone().Op("*").Qual("testing", "B")).Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("fx")).Op(":=").Range().Id("fixtures")).Block(
			jen.If(jen.Op("!").Id("fx").Dot("valid").Op("||").Id("fx").Dot("drift")).Block(jen.Continue()),
			jen.Id("st").Op(":=").Qual(schemagen.RuntimePath, "Scan").Call(jen.Index().Byte().Parens(jen.Id("fx").Dot("body"))),
			jen.For(jen.List(jen.Id("_"), jen.Id("p")).Op(":=").Range().Id("hcAcceptors")).Block(
				jen.If(jen.Op("!").Id("st").Dot("Accept").Call(jen.Id("p").Dot("accept"))).Block(jen.Continue()),
				bb.Clone().Dot("Run").Call(jen.Qual("path", "Base").Call(jen.Id("fx").Dot("file")).Op("+").Lit("/").Op("+").Id("p").Dot("name").Op("+").Lit("/accept"), jen.Func().Params(bb.Clone().Op("*").Qual("testing", "B")).Block(
					bb.Clone().Dot("SetBytes").Call(jen.Int64().Call(jen.Len(jen.Id("fx").Dot("body")))),
					bb.Clone().Dot("ReportAllocs").Call(),
					jen.For(jen.Range().Id("b").Dot("N")).Block(jen.Id("st").Dot("Accept").Call(jen.Id("p").Dot("accept"))),
				)),
				bb.Clone().Dot("Run").Call(jen.Qual("path", "Base").Call(jen.Id("fx").Dot("file")).Op("+").Lit("/").Op("+").Id("p").Dot("name").Op("+").Lit("/validator"), jen.Func().Params(bb.Clone().Op("*").Qual("testing", "B")).Block(
					bb.Clone().Dot("SetBytes").Call(jen.Int64().Call(jen.Len(jen.Id("fx").Dot("body")))),
					bb.Clone().Dot("ReportAllocs").Call(),
					jen.For(jen.Range().Id("b").Dot("N")).Block(jen.Id("st").Dot("Check").Call(jen.Id("p").Dot("check"))),
				)),
			),
			jen.Id("st").Dot("Release").Call(),
		),
	)
	comment(f, "hcCheckDecode checks Parse (ParseEvent when event is set) on data against\nValidate (ValidateEvent) and against the reference decoding, and the\nround trip of what it decodes through MarshalJSON and UnmarshalJSON; and\nthe acceptors against their validators (hcCheckAcceptors).")
	f.Func().Id("hcCheckDecode").Params(t.Clone().Op("*").Qual("testing", "T"), jen.Id("event").String(), jen.Id("data").Index().Byte()).BlockFunc(func(b *jen.Group) {
		b.Add(t.Clone().Dot("Helper").Call())
		b.Id("hcCheckAcceptors").Call(t.Clone(), jen.Id("data"))
		b.Var().Id("ev").Id("Event")
		b.Var().List(jen.Id("perr"), jen.Id("verr")).Error()
		b.Var().Id("name").Id("EventName")
		b.Id("bare").Op(":=").False()
		b.List(jen.Id("n"), jen.Id("isString"), jen.Id("present"), jen.Id("_")).Op(":=").Id("lookupEvent").Call(jen.Id("data"))
		b.If(jen.Id("event").Op("==").Lit("")).Block(
			jen.List(jen.Id("ev"), jen.Id("perr")).Op("=").Id("Parse").Call(jen.Id("data")),
			jen.Id("verr").Op("=").Id("Validate").Call(jen.Id("data")),
			jen.If(jen.Id("present").Op("&&").Id("isString")).Block(jen.Id("name").Op("=").Id("EventName").Call(jen.Id("n"))),
		).Else().Block(
			jen.List(jen.Id("ev"), jen.Id("perr")).Op("=").Id("ParseEvent").Call(jen.Id("event"), jen.Id("data")),
			jen.Id("verr").Op("=").Id("ValidateEvent").Call(jen.Id("event"), jen.Id("data")),
			jen.Id("name").Op("=").Id("EventName").Call(jen.Id("event")),
			jen.List(jen.Id("_"), jen.Id("b"), jen.Id("_")).Op(":=").Id("validatorFor").Call(jen.Id("name")),
			jen.Id("bare").Op("=").Op("!").Id("present").Op("&&").Id("b").Op("!=").Nil(),
		)
		b.If(jen.Op("!").Id("name").Dot("Known").Call()).Block(
			jen.Return(), // *UnknownEvent, a request or no event: no type of the package holds it
		)
		b.List(jen.Id("ref"), jen.Id("rerr")).Op(":=").Id("hcReference").Call(jen.Id("name"), jen.Id("data"), jen.Id("bare"))
		b.Switch().Block(
			jen.Case(jen.Id("verr").Op("!=").Nil()).Block(
				jen.If(jen.Id("perr").Op("==").Nil()).Block(fatal(jen.Lit("Parse accepted a body Validate refuses (%v): %q"), jen.Id("verr"), jen.Id("data"))),
			),
			jen.Case(jen.Id("perr").Op("!=").Nil()).Block(
				// accepted by the validators, but no value of the Go types
				// can hold it: only an integer beyond int64, which Parse
				// reports as a violation at its pointer (any other refusal
				// is a lost delivery, whatever encoding/json makes of it)
				jen.Var().Id("ve").Op("*").Id("ValidationError"),
				jen.If(jen.Op("!").Qual("errors", "As").Call(jen.Id("perr"), jen.Op("&").Id("ve"))).Block(fatal(jen.Lit("Parse refused a body Validate accepts: %v (encoding/json: %v)\nbody: %q"), jen.Id("perr"), jen.Id("rerr"), jen.Id("data"))),
				jen.For(jen.List(jen.Id("_"), jen.Id("v")).Op(":=").Range().Id("ve").Dot("Violations")).Block(
					jen.If(jen.Id("v").Dot("Keyword").Op("!=").Lit("type").Op("||").Op("!").Qual("strings", "Contains").Call(jen.Id("v").Dot("Message"), jen.Lit("does not fit the int64"))).Block(
						fatal(jen.Lit("Parse refused a body Validate accepts: %v\nbody: %q"), jen.Id("v"), jen.Id("data")),
					),
				),
			),
			jen.Case(jen.Id("hcFoldsBody").Call(jen.Id("data"))).Block(jen.Comment("encoding/json matches member names regardless of case: no reference")),
			jen.Case(jen.Id("rerr").Op("!=").Nil()).Block(fatal(jen.Lit("Parse decoded a body encoding/json refuses (%v): %q"), jen.Id("rerr"), jen.Id("data"))),
			jen.Case(jen.Op("!").Qual("reflect", "DeepEqual").Call(jen.Id("ev"), jen.Id("ref"))).Block(
				fatal(jen.Lit("Parse and encoding/json decode differently\nParse:         %#v\nencoding/json: %#v\nbody: %q"), jen.Id("ev"), jen.Id("ref"), jen.Id("data")),
			),
		)
		b.If(jen.Id("perr").Op("==").Nil()).Block(jen.Id("hcRoundTrip").Call(jen.Id("t"), jen.Id("ev")))
	})

	comment(f, "hcRoundTrip checks that the values of ev encode (MarshalJSON) to JSON that\ndecodes (UnmarshalJSON) to an equal value. Raw JSON members are compacted\nby encoding, so the first decoding is compared by its encoding, the second\nby value.")
	f.Func().Id("hcRoundTrip").Params(t.Clone().Op("*").Qual("testing", "T"), jen.Id("ev").Id("Event")).Block(
		t.Clone().Dot("Helper").Call(),
		jen.Id("v").Op(":=").Qual("reflect", "ValueOf").Call(jen.Id("ev")).Dot("Elem").Call(),
		jen.For(jen.List(jen.Id("_"), jen.Id("field")).Op(":=").Range().Index().String().Values(jen.Lit("Payload"), jen.Lit("Bare"))).Block(
			jen.Id("fv").Op(":=").Id("v").Dot("FieldByName").Call(jen.Id("field")),
			jen.If(jen.Op("!").Id("fv").Dot("IsValid").Call()).Block(jen.Continue()),
			jen.Id("once").Op(":=").Id("hcEncodeDecode").Call(jen.Id("t"), jen.Id("fv")),
			jen.Id("twice").Op(":=").Id("hcEncodeDecode").Call(jen.Id("t"), jen.Id("once")),
			jen.List(jen.Id("a"), jen.Id("_")).Op(":=").Qual(jsonPkg, "Marshal").Call(jen.Id("fv").Dot("Interface").Call()),
			jen.List(jen.Id("b"), jen.Id("_")).Op(":=").Qual(jsonPkg, "Marshal").Call(jen.Id("once").Dot("Interface").Call()),
			jen.If(jen.String().Parens(jen.Id("a")).Op("!=").String().Parens(jen.Id("b")).Op("||").Op("!").Qual("reflect", "DeepEqual").Call(jen.Id("once").Dot("Interface").Call(), jen.Id("twice").Dot("Interface").Call())).Block(
				fatal(jen.Lit("%s does not survive MarshalJSON and UnmarshalJSON:\nencoded: %s\nagain:   %s"), jen.Id("field"), jen.Id("a"), jen.Id("b")),
			),
		),
	)
	f.Comment("hcEncodeDecode encodes v and decodes the JSON into a new value of its type.")
	f.Func().Id("hcEncodeDecode").Params(t.Clone().Op("*").Qual("testing", "T"), jen.Id("v").Qual("reflect", "Value")).Qual("reflect", "Value").Block(
		t.Clone().Dot("Helper").Call(),
		jen.List(jen.Id("b"), jen.Id("err")).Op(":=").Qual(jsonPkg, "Marshal").Call(jen.Id("v").Dot("Interface").Call()),
		jen.If(jen.Id("err").Op("!=").Nil()).Block(fatal(jen.Lit("encode: %v"), jen.Id("err"))),
		jen.Id("back").Op(":=").Qual("reflect", "New").Call(jen.Id("v").Dot("Type").Call()),
		jen.If(jen.Id("err").Op(":=").Qual(jsonPkg, "Unmarshal").Call(jen.Id("b"), jen.Id("back").Dot("Interface").Call()), jen.Id("err").Op("!=").Nil()).Block(fatal(jen.Lit("decode %s: %v"), jen.Id("b"), jen.Id("err"))),
		jen.Return(jen.Id("back").Dot("Elem").Call()),
	)

	comment(f, "TestDecodersMatchValidateAndEncodingJSON runs hcCheckDecode over every\nfixture, through Parse and through ParseEvent.")
	f.Func().Id("TestDecodersMatchValidateAndEncodingJSON").Params(t.Clone().Op("*").Qual("testing", "T")).Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("fx")).Op(":=").Range().Id("fixtures")).Block(
			t.Clone().Dot("Run").Call(jen.Id("fx").Dot("file"), jen.Func().Params(t.Clone().Op("*").Qual("testing", "T")).Block(
				jen.Id("hcCheckDecode").Call(jen.Id("t"), jen.Lit(""), jen.Index().Byte().Parens(jen.Id("fx").Dot("body"))),
				jen.If(jen.Id("fx").Dot("event").Op("!=").Lit("")).Block(
					jen.Id("hcCheckDecode").Call(jen.Id("t"), jen.Id("fx").Dot("event"), jen.Index().Byte().Parens(jen.Id("fx").Dot("body"))),
				),
			)),
		),
	)
	f.Comment("FuzzDecoders runs hcCheckDecode over mutations of the fixtures.")
	f.Func().Id("FuzzDecoders").Params(jen.Id("f").Op("*").Qual("testing", "F")).Block(
		jen.For(jen.List(jen.Id("_"), jen.Id("fx")).Op(":=").Range().Id("fixtures")).Block(
			jen.Id("f").Dot("Add").Call(jen.Id("fx").Dot("event"), jen.Index().Byte().Parens(jen.Id("fx").Dot("body"))),
			jen.Id("f").Dot("Add").Call(jen.Lit(""), jen.Index().Byte().Parens(jen.Id("fx").Dot("body"))),
		),
		jen.Id("f").Dot("Fuzz").Call(jen.Func().Params(t.Clone().Op("*").Qual("testing", "T"), jen.Id("event").String(), jen.Id("data").Index().Byte()).Block(
			jen.Id("hcCheckDecode").Call(jen.Id("t"), jen.Id("event"), jen.Id("data")),
		)),
	)
	return g.put(FilePrefix+"decode_test.go", []byte(f.GoString()))
}
