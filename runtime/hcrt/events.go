package hcrt

import (
	"fmt"
	"net/http"
	"strings"
)

// AsError returns v as an error, or a nil error when v is nil or lists
// expectations only (drift is not an error: see a generated package's
// Check).
func AsError(v *ValidationError) error {
	if v == nil || v.Drift() {
		return nil
	}
	return v
}

// DriftOf returns the violations of v when they are drift only.
func DriftOf(v *ValidationError) []Violation {
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

// ResultOf is the Result of a validation that found v (nil: none).
func ResultOf(v *ValidationError) Result {
	switch {
	case v == nil:
		return Result{Conformance: ConformancePass}
	case v.Drift():
		return Result{Conformance: ConformanceDrift, Violations: v.Violations}
	}
	return Result{Conformance: ConformanceFail, Violations: v.Violations}
}

// EventViolation explains why a JSON body has no event to check it
// against: it names no event at pointer, or names one the spec does not
// declare.
func EventViolation(pointer string, name []byte, isString, present bool) *ValidationError {
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

// EventLocation is one place a delivery carries its event name: a body
// member, or a request header, optionally qualified by a body member
// (X-GitHub-Event: issues with /action: opened is issues-opened).
type EventLocation struct {
	Name    string   // as the spec writes it: /type, header:X-GitHub-Event/action
	Header  string   // the request header, "" for a body member
	Pointer []string // the body member's tokens; with Header, the qualifier's
}

// Events is how a generated package's deliveries name their event: the
// places, in the order detection tries them, the separator joining a
// qualified header's value and its qualifier, and which names the spec
// declares.
type Events struct {
	Locations []EventLocation
	Separator string
	Known     func(name []byte) bool
}

// LookupDelivery reads the event name of a delivery at the locations, the
// rule the runner applies too (contract.FindEvent): the first location
// that names a known event wins; when none does, the first location
// present is returned. A later location naming a different known event
// makes the delivery ambiguous, reported in amb. Header locations are
// skipped when h is nil (a body alone: Validate, Parse).
func (e *Events) LookupDelivery(h http.Header, data []byte) (name []byte, isString, present bool, amb *ValidationError) {
	return e.FindDelivery(h, func(p []string) ([]byte, bool, bool) { return LookupMember(data, p) })
}

// FindDelivery is LookupDelivery reading body members with look
// (LookupMember on the bytes, or the Lookup of a scanned tape).
func (e *Events) FindDelivery(h http.Header, look func(path []string) (value []byte, isString, ok bool)) (name []byte, isString, present bool, amb *ValidationError) {
	if len(e.Locations) == 1 && e.Locations[0].Header == "" {
		// one place in the body: what it holds, declared or not (the loop
		// below answers the same, after asking Known for nothing)
		if v, s, ok := look(e.Locations[0].Pointer); ok {
			return v, s, true, nil
		}
		return nil, false, false, nil
	}
	at := -1
	for i, l := range e.Locations {
		var v []byte
		var s, ok bool
		if l.Header == "" {
			v, s, ok = look(l.Pointer)
		} else if h != nil {
			v, ok = e.headerEvent(h, look, l)
			s = ok
		}
		if !ok {
			continue
		}
		if !present {
			name, isString, present = v, s, true
		}
		if !s || !e.Known(v) {
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
				Message: fmt.Sprintf("expected one event name, found %q at %s and %q at %s", name, e.Locations[at].Name, v, l.Name),
				Grade:   GradeGuaranteed,
			}}}
		}
	}
	return name, isString, present, nil
}

// bodyPointer is the JSON pointer into the body of a body location, ""
// for a header.
func bodyPointer(l EventLocation) string {
	if l.Header != "" {
		return ""
	}
	return l.Name
}

// headerEvent reads the event a header location names: its value, joined
// with the separator to the qualifier's when that is a string, else the
// value alone, each also with "_" read as "-" (GitHub sends check_run for
// webhooks its spec keys check-run-completed); the first the spec
// declares, or else the first. ok is false when the header is absent.
func (e *Events) headerEvent(h http.Header, look func(path []string) (value []byte, isString, ok bool), l EventLocation) (name []byte, ok bool) {
	value := h.Get(l.Header)
	if value == "" {
		return nil, false
	}
	folded := strings.ReplaceAll(value, "_", "-")
	var cands []string
	if len(l.Pointer) > 0 {
		if q, s, ok := look(l.Pointer); ok && s {
			cands = append(cands, value+e.Separator+string(q), folded+e.Separator+string(q))
		}
	}
	cands = append(cands, value, folded)
	for _, c := range cands {
		if e.Known([]byte(c)) {
			return []byte(c), true
		}
	}
	return []byte(cands[0]), true
}
