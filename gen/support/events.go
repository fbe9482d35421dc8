package support

import "fmt"

// asError returns v as an error, or a nil error when v is nil.
func asError(v *ValidationError) error {
	if v == nil {
		return nil
	}
	return v
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
		x = Violation{Pointer: pointer, Keyword: "required", Message: "expected the event name at " + pointer + ", found it missing"}
	case !isString:
		x = Violation{Pointer: pointer, Keyword: "type", Message: "expected the event name as a string, found " + shorten(string(name))}
	default:
		x = Violation{Pointer: pointer, Keyword: "enum", Message: fmt.Sprintf("expected an event the spec declares, found %q", shorten(string(name)))}
	}
	return &ValidationError{Violations: []Violation{x}}
}

func shorten(s string) string {
	if len(s) > 64 {
		return s[:61] + "..."
	}
	return s
}
