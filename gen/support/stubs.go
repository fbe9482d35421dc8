package support

// This file declares, for the package to compile and be tested on its
// own, the names every generated package defines itself. It is not copied
// into generated packages.

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

// Violation is one rule a payload breaks (generated: an alias of the
// runtime's).
type Violation = hcrt.Violation

// Grade of a violation (generated: an alias).
type Grade = hcrt.Grade

// Grades (generated).
const (
	GradeGuaranteed = hcrt.GradeGuaranteed
	GradeExpected   = hcrt.GradeExpected
)

// ValidationError lists violations (generated: an alias).
type ValidationError = hcrt.ValidationError

// Event is a parsed delivery (generated).
type Event interface {
	EventName() string
	isEvent()
}

// UnknownEvent is an event the spec does not declare (generated).
type UnknownEvent struct {
	Name string
	Raw  json.RawMessage
}

// EventName returns the name.
func (e *UnknownEvent) EventName() string { return e.Name }
func (*UnknownEvent) isEvent()            {}

// Handler has one method per event (generated).
type Handler interface{}

// Dispatch calls h's method for e (generated).
func Dispatch(ctx context.Context, h Handler, e Event) error { return stubDispatch(ctx, h, e) }

// Parse detects, validates and decodes (generated).
func Parse(data []byte) (Event, error) {
	ev, _, err := parse(data, false)
	return ev, err
}

// parse is Parse returning the drift of an accepted body (generated).
func parse(data []byte, _ bool) (Event, []Violation, error) {
	ev, err := stubParse(data)
	if err != nil {
		return nil, nil, err
	}
	return ev, hcrt.DriftOf(&ValidationError{Violations: stubDrift(data)}), nil
}

func graded(data []byte, _ bool) *ValidationError { return stubValidate(data) }

func gradedEvent(_ string, data []byte, _ bool) *ValidationError { return stubValidate(data) }

// parseDelivery parses a delivery, reading the event name from its header
// when the spec says it travels there, with the drift of an accepted body
// (generated).
func parseDelivery(_ http.Header, data []byte) (Event, []Violation, error) { return parse(data, true) }

func validateJSON(data []byte) *ValidationError { return stubValidateJSON(data) }

// eventLocations are the places a delivery carries its event name, in
// the order detection tries them (generated).
var eventLocations = []eventLocation{{Name: "/event", Pointer: []string{"event"}}}

// eventSeparator joins a qualified header's value and its qualifier
// (generated).
var eventSeparator = "."

// knownEvent reports whether name is an event the spec declares (generated).
func knownEvent(name []byte) bool { return knownEventFunc(name) }

var knownEventFunc = func(name []byte) bool { return len(name) > 0 }

// thisProvider describes the provider's signature and dedupe keys
// (generated from the spec by the verify emitter).
var thisProvider = providerProfile{Name: "example"}

var (
	stubDispatch     = func(context.Context, Handler, Event) error { return nil }
	stubParse        = func([]byte) (Event, error) { return nil, nil }
	stubDrift        = func([]byte) []Violation { return nil }
	stubValidate     = func([]byte) *ValidationError { return nil }
	stubValidateJSON = func([]byte) *ValidationError { return nil }
)

// The generated code calls these helpers of layer.go; nothing in this
// package does.
var _ = []any{findDelivery, findEvent}
