package gen

import (
	"bytes"
	"fmt"
	"github.com/hookcontract/hookcontract/gen/schemagen"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"
)

const jsonPkg = "encoding/json"

func (t goType) code() jen.Code {
	switch t.Kind {
	case kindStruct, kindSum, kindEnum, kindAlias:
		return jen.Id(t.Named.Name)
	case kindNullable:
		if t.Elem.nilable() {
			return t.Elem.code() // nil for null
		}
		return jen.Op("*").Add(t.Elem.code())
	case kindSlice:
		return jen.Index().Add(t.Elem.code())
	case kindMap:
		return jen.Map(jen.String()).Add(t.Elem.code())
	case kindScalar:
		switch t.Scalar {
		case "json.Number":
			return jen.Qual(jsonPkg, "Number")
		case "json.RawMessage":
			return jen.Qual(jsonPkg, "RawMessage")
		}
		return jen.Id(t.Scalar)
	}
	// Not a kind of the model: a name that does not compile, so that a
	// builder bug cannot pass as valid output.
	return jen.Id(fmt.Sprintf("invalidGoTypeKind%d", int(t.Kind)))
}

// optional is the type of a value that may be absent: a pointer, except
// for what nil already says absent of (slices, maps, raw JSON, a nullable
// value's pointer).
func (t goType) optional() jen.Code {
	if t.Kind == kindNullable || t.nilable() {
		return t.code()
	}
	return jen.Op("*").Add(t.code())
}

// nilable tells whether t has a nil that no JSON value but null (for raw
// JSON: none) decodes to, so that nil can say absent: a slice, a map, raw
// JSON, or a named slice or map.
func (t goType) nilable() bool {
	switch t.Kind {
	case kindSlice, kindMap:
		return true
	case kindAlias:
		return t.Named.Underlying.nilable()
	}
	return t.isRaw()
}

// member is the type of an optional member, with the option of its json
// tag that omits it when absent. A member that may also be null is a
// Nullable, which tells absent from null; slices, maps and raw JSON are
// nil when absent (an empty one is kept); the others are pointers.
func (t goType) member() (jen.Code, string) {
	switch {
	case t.Kind == kindNullable:
		return jen.Id("Nullable").Types(t.Elem.code()), "omitzero"
	case t.nilable():
		return t.code(), "omitzero"
	}
	return jen.Op("*").Add(t.code()), "omitempty"
}

// comment adds text as // line comments (jennifer would use /* */ for
// several lines).
func comment(f *jen.File, text string) {
	for _, l := range strings.Split(text, "\n") {
		f.Comment(l)
	}
}

func newFile(pkg string) *jen.File {
	f := jen.NewFile(pkg)
	f.ImportName(jsonPkg, "json")
	f.ImportName(schemagen.RuntimePath, "hcrt")
	return f
}

func (g *generator) emitTypes() error {
	f := newFile(g.opts.Package)
	types := append([]*namedType(nil), g.m.tb.order...)
	sort.Slice(types, func(i, j int) bool { return types[i].Name < types[j].Name })
	for _, t := range types {
		switch t.Kind {
		case kindStruct:
			emitStruct(f, t)
		case kindEnum:
			emitEnum(f, t)
		case kindSum:
			emitSum(f, t)
		case kindAlias:
			emitAlias(f, t)
		default:
			return fmt.Errorf("type %s: %s is not a kind of declared type", t.Name, t.Kind)
		}
	}
	if len(types) == 0 {
		f.Comment("This spec declares no payload types.")
	}
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return fmt.Errorf("render %stypes.go: %w", FilePrefix, err)
	}
	return g.put(FilePrefix+"types.go", buf.Bytes())
}

func docComment(name, doc, source string) string {
	var b strings.Builder
	doc = strings.Join(strings.Fields(doc), " ")
	if doc != "" {
		fmt.Fprintf(&b, "%s: %s", name, doc)
	} else {
		fmt.Fprintf(&b, "%s is a payload shape.", name)
	}
	if source != "" {
		fmt.Fprintf(&b, "\n\nSchema: %s", source)
	}
	return b.String()
}

func emitStruct(f *jen.File, t *namedType) {
	doc := docComment(t.Name, t.Doc, t.Source)
	if t.Ambiguous != "" {
		doc += "\n\nIt holds the members of every branch of its union, which shape cannot\ntell apart (" + t.Ambiguous + "):\nthe validator decides which combination is allowed."
	}
	comment(f, doc)
	var fields []jen.Code
	for _, fd := range t.Fields {
		tag := fd.JSONName
		typ := fd.Type.code()
		if !fd.Required {
			var omit string
			typ, omit = fd.Type.member()
			tag += "," + omit
		}
		c := jen.Id(fd.GoName).Add(typ).Tag(map[string]string{"json": tag})
		comment := strings.Join(strings.Fields(fd.Doc), " ")
		if fd.Secret {
			comment = strings.TrimSpace(comment + " Secret: reports and errors show it redacted.")
		}
		if comment != "" {
			fields = append(fields, jen.Comment(comment))
		}
		fields = append(fields, c)
	}
	f.Type().Id(t.Name).Struct(fields...)
	f.Line()
}

func emitEnum(f *jen.File, t *namedType) {
	comment(f, docComment(t.Name, t.Doc, t.Source)+"\n\nIt also holds values the spec does not know; Known tells them apart.")
	f.Type().Id(t.Name).String()
	var consts []jen.Code
	var names []jen.Code
	for k, n := range enumConstNames(t) {
		consts = append(consts, jen.Id(n).Id(t.Name).Op("=").Lit(t.Values[k]))
		names = append(names, jen.Id(n))
	}
	f.Const().Defs(consts...)
	f.Comment("Known reports whether v is a value the spec declares.")
	f.Func().Params(jen.Id("v").Id(t.Name)).Id("Known").Params().Bool().Block(
		jen.Switch(jen.Id("v")).Block(
			jen.Case(names...).Block(jen.Return(jen.True())),
		),
		jen.Return(jen.False()),
	)
	f.Line()
}

// enumConstNames names the constants of enum t's values, in the order of
// t.Values.
func enumConstNames(t *namedType) []string {
	used := map[string]bool{}
	names := make([]string, 0, len(t.Values))
	for _, v := range t.Values {
		n := goName(v)
		if n == "" {
			n = "Empty"
		}
		n = t.Name + n
		for base, i := n, 2; used[n]; i++ {
			n = fmt.Sprintf("%s%d", base, i)
		}
		used[n] = true
		names = append(names, n)
	}
	return names
}

// emitAlias writes a named scalar, array or map. A scalar whose JSON form
// is its own (json.Number, the support types) keeps it: as a Go alias, or,
// for a branch of a union (which needs a method of its own), through
// methods that encode and decode the value as that type does.
func emitAlias(f *jen.File, t *namedType) {
	comment(f, docComment(t.Name, t.Doc, t.Source))
	u := t.Underlying
	if t.Transparent {
		f.Type().Id(t.Name).Op("=").Add(u.code())
		f.Line()
		return
	}
	f.Type().Id(t.Name).Add(u.code())
	if u.Kind != kindScalar || plainScalar(u.Scalar) {
		f.Line()
		return
	}
	comment(f, "MarshalJSON encodes the value as its underlying type does.")
	f.Func().Params(jen.Id("v").Id(t.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Qual(jsonPkg, "Marshal").Call(jen.Add(u.code()).Call(jen.Id("v")))),
	)
	comment(f, "UnmarshalJSON decodes the value as its underlying type does.")
	f.Func().Params(jen.Id("v").Op("*").Id(t.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Return(jen.Qual(jsonPkg, "Unmarshal").Call(jen.Id("data"), jen.Parens(jen.Op("*").Add(u.code())).Call(jen.Id("v")))),
	)
	f.Line()
}

// byPointer tells whether a branch value is held by pointer (structs and
// sums) or by value (aliases and enums).
func (br sumBranch) byPointer() bool {
	return br.Type.Kind == kindStruct || br.Type.Kind == kindSum
}

// valueName is how a branch's value is written in the doc comments.
func (br sumBranch) valueName() string {
	if br.byPointer() {
		return "*" + br.Type.Named.Name
	}
	return br.Type.Named.Name
}

// decodeBranch decodes data into a new value of br's type and stores it
// in u.Value.
func decodeBranch(br sumBranch) []jen.Code {
	name := br.Type.Named.Name
	if br.byPointer() {
		return []jen.Code{
			jen.Id("v").Op(":=").New(jen.Id(name)),
			jen.If(jen.Id("err").Op(":=").Qual(schemagen.RuntimePath, "DecodeJSON").Call(jen.Id("data"), jen.Id("v")), jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("err"))),
			jen.Id("u").Dot("Value").Op("=").Id("v"),
			jen.Return(jen.Nil()),
		}
	}
	return []jen.Code{
		jen.Var().Id("v").Id(name),
		jen.If(jen.Id("err").Op(":=").Qual(schemagen.RuntimePath, "DecodeJSON").Call(jen.Id("data"), jen.Op("&").Id("v")), jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Id("err"))),
		jen.Id("u").Dot("Value").Op("=").Id("v"),
		jen.Return(jen.Nil()),
	}
}

// emitSum writes a union: a holder struct whose Value is one branch type
// behind a sealed interface, decoded by the discriminator or, without
// one, by the shape of the value.
func emitSum(f *jen.File, t *namedType) {
	var names []string
	for _, br := range t.Branches {
		names = append(names, br.valueName())
	}
	var doc string
	if t.Discriminator != "" {
		doc = fmt.Sprintf("%s is one of %s, told apart by the %q member.", t.Name, strings.Join(names, ", "), t.Discriminator)
	} else {
		doc = fmt.Sprintf("%s is one of %s, told apart by shape.", t.Name, strings.Join(names, ", "))
	}
	if d := strings.Join(strings.Fields(t.Doc), " "); d != "" {
		doc += " " + d
	}
	if t.Discriminator == "" {
		doc += "\n"
		for _, br := range t.Branches {
			doc += "\n  - " + br.Value + ": " + br.valueName()
		}
	}
	if t.Source != "" {
		doc += "\n\nSchema: " + t.Source
	}
	comment(f, doc)
	f.Type().Id(t.Name).Struct(
		jen.Comment("Value is "+strings.Join(names, " or ")+"."),
		jen.Id("Value").Id(t.Iface),
	)
	f.Line()
	comment(f, fmt.Sprintf("%s is implemented by the branches of %s only.", t.Iface, t.Name))
	f.Type().Id(t.Iface).Interface(jen.Id("is" + t.Name).Params())
	f.Line()
	for _, br := range t.Branches {
		recv := jen.Id(br.Type.Named.Name)
		if br.byPointer() {
			recv = jen.Op("*").Id(br.Type.Named.Name)
		}
		f.Func().Params(recv).Id("is" + t.Name).Params().Block()
	}
	f.Line()
	if t.Discriminator == "" {
		// A discriminated sum is read by its decoder (emit_decode.go).
		emitShapeDecode(f, t)
	}
	comment(f, "MarshalJSON encodes the branch.")
	f.Func().Params(jen.Id("u").Id(t.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Qual(jsonPkg, "Marshal").Call(jen.Id("u").Dot("Value"))),
	)
	f.Line()
}

// emitShapeDecode decodes the branch the JSON type of the value picks and,
// among objects, the first whose telling member and required members are
// all present (the branch without a telling member last).
func emitShapeDecode(f *jen.File, t *namedType) {
	byJSON := map[string][]sumBranch{}
	var order []string
	for _, br := range t.Branches {
		if _, ok := byJSON[br.JSON]; !ok {
			order = append(order, br.JSON)
		}
		byJSON[br.JSON] = append(byJSON[br.JSON], br)
	}
	sort.Strings(order)
	comment(f, "UnmarshalJSON decodes the branch the shape of the value picks.")
	f.Func().Params(jen.Id("u").Op("*").Id(t.Name)).Id("UnmarshalJSON").Params(jen.Id("data").Index().Byte()).Error().Block(
		jen.Id("kind").Op(":=").Qual(schemagen.RuntimePath, "JSONKind").Call(jen.Id("data")),
		jen.Switch(jen.Id("kind")).BlockFunc(func(sw *jen.Group) {
			for _, js := range order {
				brs := byJSON[js]
				sw.Case(jen.Lit(js)).BlockFunc(func(g *jen.Group) {
					for _, br := range brs {
						if br.Member == "" {
							for _, c := range decodeBranch(br) {
								g.Add(c)
							}
							return
						}
						var present []jen.Code
						for _, r := range br.Required {
							present = append(present, jen.Lit(r))
						}
						g.If(jen.Qual(schemagen.RuntimePath, "HasMembers").Call(append([]jen.Code{jen.Id("data")}, present...)...)).Block(decodeBranch(br)...)
					}
				})
			}
		}),
		jen.Return(jen.Qual("fmt", "Errorf").Call(jen.Lit(fmt.Sprintf("decode %s: a JSON %%s of no branch's shape", t.Name)), jen.Id("kind"))),
	)
}
