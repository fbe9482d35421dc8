package gen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
)

// A Go type the decoders do not know is decoded by the one fallback.
func TestDecodeIntoFallsBack(t *testing.T) {
	for _, typ := range []goType{
		scalarType("DateTime"),
		{Kind: kind(99), Named: &namedType{Name: "Later", Kind: kind(99)}},
		sliceOf(scalarType("Later")),
		namedOf(&namedType{Name: "ByShape", Kind: kindSum}),
	} {
		f := jen.NewFile("p")
		f.Func().Id("f").Params().Error().BlockFunc(func(g *jen.Group) {
			decodeInto(&decUses{enums: map[*namedType]bool{}}, g, typ, func() *jen.Statement { return jen.Id("n") }, at(func() *jen.Statement { return jen.Id("v").Dot("F") }), 0)
			g.Return(jen.Nil())
		})
		if src := f.GoString(); !strings.Contains(src, "st.DecodeFallback(") {
			t.Errorf("%+v: no fallback in\n%s", typ, src)
		}
	}
}

// A member named "-" is tagged "-," ("-" alone skips it), optional or
// required; one no tag can name is tagged "-" and written by MarshalJSON.
func TestMemberTags(t *testing.T) {
	f := jen.NewFile("p")
	emitStruct(f, &namedType{Name: "T", Kind: kindStruct, Fields: []*field{
		{GoName: "Dash", JSONName: "-", Required: true, Type: scalarType("string")},
		{GoName: "OptDash", JSONName: "-", Type: scalarType("string")},
		{GoName: "Comma", JSONName: "a,b", Required: true, Type: scalarType("string")},
	}})
	src := f.GoString()
	for _, want := range []string{"Dash    string  `json:\"-,\"`", "OptDash *string `json:\"-,omitempty\"`", "Comma string `json:\"-\"`", `hcAppendMember(b, "\"a,b\"", x)`} {
		if !strings.Contains(src, want) {
			t.Errorf("no %s in\n%s", want, src)
		}
	}
}

// An enum is decoded by its constants' switch up to maxConstCases values,
// and as a copied string beyond: a switch of 20 000 cases doubled a
// package's build.
func TestEnumDecoderBounded(t *testing.T) {
	for _, n := range []int{3, maxConstCases, maxConstCases + 1} {
		e := &namedType{Name: "Big", Kind: kindEnum}
		for i := range n {
			e.Values = append(e.Values, fmt.Sprint("v", i))
			e.ConstNames = append(e.ConstNames, fmt.Sprint("BigV", i))
		}
		uses := &decUses{enums: map[*namedType]bool{}}
		f := jen.NewFile("p")
		f.Func().Id("f").Params().Error().BlockFunc(func(g *jen.Group) {
			decodeInto(uses, g, namedOf(e), func() *jen.Statement { return jen.Id("n") }, at(func() *jen.Statement { return jen.Id("v").Dot("F") }), 0)
			g.Return(jen.Nil())
		})
		src := f.GoString()
		if byConsts := n <= maxConstCases; uses.enums[e] != byConsts || strings.Contains(src, "hcDecBig(") != byConsts || strings.Contains(src, "st.DecString(") == byConsts {
			t.Errorf("%d values: decoder used %v, want %v\n%s", n, uses.enums[e], byConsts, src)
		}
	}
}
