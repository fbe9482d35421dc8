package schemagen_test

import "github.com/hookcontract/hookcontract/runtime/hcrt"

// The names a generated package declares as aliases of the runtime's
// (see EmitRuntimeLink), for the demo validators of
// zz_demo_validator_test.go and the tests that call them.
type (
	ValidationError = hcrt.ValidationError
	Violation       = hcrt.Violation
)

const (
	GradeGuaranteed = hcrt.GradeGuaranteed
	GradeExpected   = hcrt.GradeExpected
)
