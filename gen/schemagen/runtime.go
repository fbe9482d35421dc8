package schemagen

import (
	"strconv"
	"strings"

	"github.com/dave/jennifer/jen"
)

// The demo validators the fuzz target and benchmarks use are generated
// into this package's tests.
//go:generate go test -run TestGeneratedDemoUpToDate -update .

// RuntimeModule is the module of the runtime the emitted code imports. It
// needs only the standard library, so a generated package adds one
// requirement to its module and no others.
const RuntimeModule = "github.com/hookcontract/hookcontract/runtime"

// RuntimePath is the import path of that runtime's package: the JSON
// scanner and its tape, the validators' state, pointer building, the error
// types, format checkers, exact number comparison and the decoders'
// helpers.
const RuntimePath = RuntimeModule + "/hcrt"

// RuntimeVersion is the version of the runtime's API the emitted code is
// written against. Each generated package checks it at compile time
// against the range the runtime in the build serves (hcrt.MinVersion to
// hcrt.MaxVersion), so that code generated for one runtime never builds,
// and misbehaves, against another.
const RuntimeVersion = 3

// EmitRuntimeLink adds to f what ties a package of emitted validators to
// the runtime: the compile-time version check (see hcrt.EnforceVersion)
// and the runtime's Violation, ValidationError and Grade under the
// package's own names, as type aliases, which the emitted code names.
func EmitRuntimeLink(f *jen.File) {
	comment := func(f *jen.File, text string) {
		for _, l := range strings.Split(text, "\n") {
			f.Comment(l)
		}
	}
	v := jen.Lit(RuntimeVersion)
	comment(f, "This package calls the hookcontract runtime ("+RuntimeModule+",\nstandard library only), written for its API version "+strconv.Itoa(RuntimeVersion)+". If a line below does\nnot compile, the runtime in this build is too old (go get\n"+RuntimeModule+"@latest) or too new for this code\n(regenerate it with the hookcontract release that matches the runtime).")
	f.Const().Defs(
		jen.Id("_").Op("=").Qual(RuntimePath, "EnforceVersion").Call(v.Clone().Op("-").Qual(RuntimePath, "MinVersion")),
		jen.Id("_").Op("=").Qual(RuntimePath, "EnforceVersion").Call(jen.Qual(RuntimePath, "MaxVersion").Op("-").Add(v.Clone())),
	)
	comment(f, "Violation is one rule a payload breaks: where (an RFC 6901 pointer into\nthe payload, \"\" for the root), which keyword, what was expected and\nfound, and its grade.")
	f.Type().Id("Violation").Op("=").Qual(RuntimePath, "Violation")
	comment(f, "ValidationError lists the violations of a payload (the first\nhcrt.MaxViolations, then one counting the rest).")
	f.Type().Id("ValidationError").Op("=").Qual(RuntimePath, "ValidationError")
	comment(f, "Grade tells what breaking a constraint means.")
	f.Type().Id("Grade").Op("=").Qual(RuntimePath, "Grade")
	comment(f, "Grades. An expected constraint is one written under\nx-hookcontract-expect: the provider's examples suggest it, its document\ndoes not promise it.")
	f.Const().Defs(
		jen.Id("GradeGuaranteed").Op("=").Qual(RuntimePath, "GradeGuaranteed").Comment("the payload breaks the contract"),
		jen.Id("GradeExpected").Op("=").Qual(RuntimePath, "GradeExpected").Comment("the payload drifts from what was seen so far"),
	)
}
