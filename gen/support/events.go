package support

import "fmt"

// asError returns v as an error, or a nil error when v is nil or lists
// expectations only (drift is not an error: see Check).
func asError(v *ValidationError) error {
	if v == nil || v.Drift() {
		return nil
	}
	return v
}

// driftOf returns the violations of v when they are drift only.
func driftOf(v *ValidationError) []Violation {
	if v == nil || !v.Drift() {
		return nil
	}
	return v.Violations
}

// Conformance is what checking a payload found.
type Conformance string

// Conformances.
const (
	ConformancePass  Conformance = "pass"  // every guarantee and every expectation holds
	ConformanceDrift Conformance = "drift" // every guarantee holds, some expectations do not
	ConformanceFail  Conformance = "fail"  // some guarantee does not hold, or the body is not a payload
)

// Result is the outcome of Check: the conformance, and the violations
// that make it (grade GradeGuaranteed when it fails, GradeExpected when it
// drifts).
type Result struct {
	Conformance Conformance
	Violations  []Violation
}

// Check is Validate telling drift apart: a body that satisfies every
// guarantee but breaks expectations (constraints the provider's examples
// suggest and its document does not promise) is ConformanceDrift, with
// those expectations as its violations.
func Check(data []byte) Result { return resultOf(graded(data)) }

// CheckEvent is ValidateEvent telling drift apart (see Check).
func CheckEvent(event string, data []byte) Result { return resultOf(gradedEvent(event, data)) }

func resultOf(v *ValidationError) Result {
	switch {
	case v == nil:
		return Result{Conformance: ConformancePass}
	case v.Drift():
		return Result{Conformance: ConformanceDrift, Violations: v.Violations}
	}
	return Result{Conformance: ConformanceFail, Violations: v.Violations}
}

// eventViolation explains why a body has no event to check it against: it
// is not JSON, it names no event, or it names one the spec does not declare.
func eventViolation(data []byte, pointer string, name []byte, isString, present bool) *ValidationError {
	if v := validateJSON(data); v != nil {
		return v
	}
	var x Violation
	switch {
	case !present:
		x = Violation{Pointer: pointer, Keyword: "required", Message: "expected the event name at " + pointer + ", found it missing", Grade: GradeGuaranteed}
	case !isString:
		x = Violation{Pointer: pointer, Keyword: "type", Message: "expected the event name as a string, found " + shorten(string(name)), Grade: GradeGuaranteed}
	default:
		x = Violation{Pointer: pointer, Keyword: "enum", Message: fmt.Sprintf("expected an event the spec declares, found %q", shorten(string(name))), Grade: GradeGuaranteed}
	}
	return &ValidationError{Violations: []Violation{x}}
}

func shorten(s string) string {
	if len(s) > 64 {
		return s[:61] + "..."
	}
	return s
}
