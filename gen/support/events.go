package support

import (
	"fmt"
	"net/http"
	"strings"
)

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

// eventLocation is one place a delivery carries its event name: a body
// member, or a request header, optionally qualified by a body member
// (X-GitHub-Event: issues with /action: opened is issues-opened).
type eventLocation struct {
	name    string   // as the spec writes it: /type, header:X-GitHub-Event/action
	header  string   // the request header, "" for a body member
	pointer []string // the body member's tokens; with header, the qualifier's
}

// lookupDelivery reads the event name of a delivery at eventLocations, the
// rule the runner applies too (contract.FindEvent): the first location
// that names a known event wins; when none does, the first location
// present is returned. A later location naming a different known event
// makes the delivery ambiguous, reported in amb. Header locations are
// skipped when h is nil (a body alone: Validate, Parse).
func lookupDelivery(h http.Header, data []byte) (name []byte, isString, present bool, amb *ValidationError) {
	return findDelivery(h, func(p []string) ([]byte, bool, bool) { return lookupMember(data, p) })
}

// findDelivery is lookupDelivery reading body members with look
// (lookupMember on the bytes, or the lookup of a parsed tape).
func findDelivery(h http.Header, look func(path []string) (value []byte, isString, ok bool)) (name []byte, isString, present bool, amb *ValidationError) {
	at := -1
	for i, l := range eventLocations {
		var v []byte
		var s, ok bool
		if l.header == "" {
			v, s, ok = look(l.pointer)
		} else if h != nil {
			v, ok = headerEvent(h, look, l)
			s = ok
		}
		if !ok {
			continue
		}
		if !present {
			name, isString, present = v, s, true
		}
		if !s || !knownEvent(v) {
			continue
		}
		if at < 0 {
			name, isString, at = v, true, i
			continue
		}
		if string(v) != string(name) {
			return name, true, true, &ValidationError{Violations: []Violation{{
				Pointer: bodyPointer(l),
				Keyword: "event",
				Message: fmt.Sprintf("expected one event name, found %q at %s and %q at %s", name, eventLocations[at].name, v, l.name),
				Grade:   GradeGuaranteed,
			}}}
		}
	}
	return name, isString, present, nil
}

// bodyPointer is the JSON pointer into the body of a body location, ""
// for a header.
func bodyPointer(l eventLocation) string {
	if l.header != "" {
		return ""
	}
	return l.name
}

// headerEvent reads the event a header location names: its value, joined
// with eventSeparator to the qualifier's when that is a string, else the
// value alone, each also with "_" read as "-" (GitHub sends check_run for
// webhooks its spec keys check-run-completed); the first the spec
// declares, or else the first. ok is false when the header is absent.
func headerEvent(h http.Header, look func(path []string) (value []byte, isString, ok bool), l eventLocation) (name []byte, ok bool) {
	value := h.Get(l.header)
	if value == "" {
		return nil, false
	}
	folded := strings.ReplaceAll(value, "_", "-")
	var cands []string
	if len(l.pointer) > 0 {
		if q, s, ok := look(l.pointer); ok && s {
			cands = append(cands, value+eventSeparator+string(q), folded+eventSeparator+string(q))
		}
	}
	cands = append(cands, value, folded)
	for _, c := range cands {
		if knownEvent([]byte(c)) {
			return []byte(c), true
		}
	}
	return []byte(cands[0]), true
}
