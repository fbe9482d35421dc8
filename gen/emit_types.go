package gen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"
)

const jsonPkg = "encoding/json"

func (t goType) code() jen.Code {
	if t.Nullable && t.Slice == nil && t.Map == nil {
		u := t
		u.Nullable = false
		return jen.Op("*").Add(u.code())
	}
	switch {
	case t.Named != nil:
		return jen.Id(t.Named.Name)
	case t.Slice != nil:
		return jen.Index().Add(t.Slice.code())
	case t.Map != nil:
		return jen.Map(jen.String()).Add(t.Map.code())
	case t.Builtin == "json.Number":
		return jen.Qual(jsonPkg, "Number")
	case t.Builtin == "json.RawMessage":
		return jen.Qual(jsonPkg, "RawMessage")
	}
	return jen.Id(t.Builtin)
}

// optional is the type of a member that may be absent: a pointer, except
// for slices and raw JSON, whose nil already says absent.
func (t goType) optional() jen.Code {
	if t.Slice != nil || t.Map != nil || t.Builtin == "json.RawMessage" || t.Nullable {
		return t.code()
	}
	return jen.Op("*").Add(t.code())
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
		}
	}
	if len(types) == 0 {
		f.Comment("This spec declares no payload types.")
	}
	return g.put(FilePrefix+"types.go", []byte(f.GoString()))
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
	comment(f, docComment(t.Name, t.Doc, t.Source))
	var fields []jen.Code
	for _, fd := range t.Fields {
		tag := fd.JSONName
		var typ jen.Code
		if fd.Required {
			typ = fd.Type.code()
		} else {
			tag += ",omitzero"
			typ = fd.Type.optional()
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
	used := map[string]bool{}
	var consts []jen.Code
	var names []jen.Code
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
		consts = append(consts, jen.Id(n).Id(t.Name).Op("=").Lit(v))
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

// emitSum writes a discriminated union: a holder struct whose Value is one
// branch type behind a sealed interface, decoded by the discriminator.
func emitSum(f *jen.File, t *namedType) {
	var names []string
	for _, br := range t.Branches {
		names = append(names, "*"+br.Type.Named.Name)
	}
	doc := fmt.Sprintf("%s is one of %s, told apart by the %q member.", t.Name, strings.Join(names, ", "), t.Discriminator)
	if d := strings.Join(strings.Fields(t.Doc), " "); d != "" {
		doc += " " + d
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
		f.Func().Params(jen.Op("*").Id(br.Type.Named.Name)).Id("is" + t.Name).Params().Block()
	}
	f.Line()
	comment(f, "MarshalJSON encodes the branch.")
	f.Func().Params(jen.Id("u").Id(t.Name)).Id("MarshalJSON").Params().Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Return(jen.Qual(jsonPkg, "Marshal").Call(jen.Id("u").Dot("Value"))),
	)
	f.Line()
}
