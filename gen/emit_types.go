package gen

import (
	"fmt"
	"sort"
	"strings"

	"github.com/dave/jennifer/jen"
)

const jsonPkg = "encoding/json"

func (t goType) code() jen.Code {
	switch {
	case t.Named != nil:
		return jen.Id(t.Named.Name)
	case t.Slice != nil:
		return jen.Index().Add(t.Slice.code())
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
	if t.Slice != nil || t.Builtin == "json.RawMessage" {
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
			tag += ",omitempty"
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
