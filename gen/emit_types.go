package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/hookcontract/hookcontract/gen/schemagen"
	"sort"
	"strings"
	"unicode"

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
	untagged := false
	for _, t := range types {
		switch t.Kind {
		case kindStruct:
			untagged = emitStruct(f, t) || untagged
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
	if untagged {
		emitAppendMember(f)
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

// emitStruct writes struct t; it reports whether a member's JSON name is
// one no struct tag holds (its MarshalJSON then calls hcAppendMember).
func emitStruct(f *jen.File, t *namedType) bool {
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
		} else if tag == "-" {
			tag = "-," // "-" alone skips the member
		}
		comment := strings.Join(strings.Fields(fd.Doc), " ")
		if fd.Secret {
			comment = strings.TrimSpace(comment + " Secret: reports and errors show it redacted.")
		}
		if !tagHolds(fd.JSONName) {
			comment = strings.TrimSpace(comment + fmt.Sprintf(" JSON name %q, which a struct tag cannot hold: MarshalJSON and UnmarshalJSON use it.", fd.JSONName))
			tag = "-"
		}
		if comment != "" {
			fields = append(fields, jen.Comment(comment))
		}
		fields = append(fields, jen.Id(fd.GoName).Add(typ).Tag(map[string]string{"json": tag}))
	}
	f.Type().Id(t.Name).Struct(fields...)
	f.Line()
	untagged := untaggedFields(t)
	if len(untagged) > 0 {
		emitUntaggedMarshal(f, t, untagged)
	}
	return len(untagged) > 0
}

// untaggedFields lists the members of struct t whose JSON names no struct
// tag holds (tagged "-"; MarshalJSON and the reflection reference handle
// them by name).
func untaggedFields(t *namedType) []*field {
	var out []*field
	for _, fd := range t.Fields {
		if !tagHolds(fd.JSONName) {
			out = append(out, fd)
		}
	}
	return out
}

// tagHolds reports whether a json struct tag can hold member name name,
// by encoding/json's rule for tag names: letters, digits and some
// punctuation; "" and names holding any other character (a quote, a
// backslash, a comma, an apostrophe, a symbol) fall back to the Go
// field's name.
func tagHolds(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// untaggedKey names the key of the one-member struct that encodes, with
// its member's omit option, a member no tag can name (see
// emitUntaggedMarshal).
const untaggedKey = "v"

// emitUntaggedMarshal writes the MarshalJSON of struct t, some of whose
// members (untagged) have JSON names no struct tag holds (their tags skip
// them): encoding/json encodes the others, and each of them is encoded
// alone, with its omit option, and added under its name. UnmarshalJSON
// reads them by name too (see emitStructDecoder).
func emitUntaggedMarshal(f *jen.File, t *namedType, untagged []*field) {
	comment(f, "MarshalJSON encodes v as encoding/json does, with the members whose JSON\nnames no struct tag can hold under those names.")
	f.Func().Params(jen.Id("v").Id(t.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).BlockFunc(func(b *jen.Group) {
		b.Type().Id("plain").Id(t.Name)
		b.List(jen.Id("b"), jen.Id("err")).Op(":=").Qual(jsonPkg, "Marshal").Call(jen.Id("plain").Call(jen.Id("v")))
		b.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("err")))
		b.Var().Id("x").Index().Byte()
		for _, fd := range untagged {
			typ, tag := fd.Type.code(), untaggedKey
			if !fd.Required {
				var omit string
				typ, omit = fd.Type.member()
				tag += "," + omit
			}
			key, _ := json.Marshal(fd.JSONName)
			b.Comment(fmt.Sprintf("%s, with its omit option", fd.GoName))
			b.List(jen.Id("x"), jen.Id("err")).Op("=").Qual(jsonPkg, "Marshal").Call(
				jen.Struct(jen.Id("V").Add(typ).Tag(map[string]string{"json": tag})).Values(jen.Id("v").Dot(fd.GoName)))
			b.If(jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Id("err")))
			b.Id("b").Op("=").Id("hcAppendMember").Call(jen.Id("b"), jen.Lit(string(key)), jen.Id("x"))
		}
		b.Return(jen.Id("b"), jen.Nil())
	})
	f.Line()
}

// emitAppendMember writes hcAppendMember, which adds to the encoded
// object b the member under key (JSON text) that one, the encoding of a
// struct of one member (untaggedKey), holds; none when one is "{}" (the
// member omitted).
func emitAppendMember(f *jen.File) {
	comment(f, "hcAppendMember adds to the encoded object b the member key (JSON text) holding\nthe value one, the encoding of a struct of one member, holds; none when one\nis {}, its member omitted.")
	f.Func().Id("hcAppendMember").Params(jen.Id("b").Index().Byte(), jen.Id("key").String(), jen.Id("one").Index().Byte()).Index().Byte().Block(
		jen.If(jen.Len(jen.Id("one")).Op("==").Len(jen.Lit("{}"))).Block(jen.Return(jen.Id("b"))),
		jen.Id("b").Op("=").Id("b").Index(jen.Empty(), jen.Len(jen.Id("b")).Op("-").Lit(1)).Comment("its closing brace"),
		jen.If(jen.Len(jen.Id("b")).Op(">").Lit(1)).Block(jen.Id("b").Op("=").Append(jen.Id("b"), jen.LitRune(','))),
		jen.Id("b").Op("=").Append(jen.Id("b"), jen.Id("key").Op("...")),
		jen.Id("b").Op("=").Append(jen.Id("b"), jen.LitRune(':')),
		jen.Id("b").Op("=").Append(jen.Id("b"), jen.Id("one").Index(jen.Len(jen.Lit(`{"`+untaggedKey+`":`)), jen.Len(jen.Id("one")).Op("-").Lit(1)).Op("...")),
		jen.Return(jen.Append(jen.Id("b"), jen.LitRune('}'))),
	)
	f.Line()
}

func emitEnum(f *jen.File, t *namedType) {
	comment(f, docComment(t.Name, t.Doc, t.Source)+"\n\nIt also holds values the spec does not know; Known tells them apart.")
	f.Type().Id(t.Name).String()
	var consts []jen.Code
	var names []jen.Code
	for k, n := range t.ConstNames {
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
