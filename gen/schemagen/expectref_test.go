package schemagen

import (
	"slices"
	"strings"

	jsonschema "github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hookcontract/hookcontract/internal/expect"
)

// ReferenceDrift is what jsonschema/v5 with package expect says of a
// decoded value v that satisfies s: each broken expectation as "pointer
// keyword" (a missing member at its object), sorted and deduplicated. The
// external tests use it too.
func ReferenceDrift(s *jsonschema.Schema, plan *expect.Plan, v any) []string {
	var out []string
	var leaves func(base string, e *jsonschema.ValidationError)
	leaves = func(base string, e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			toks := strings.Split(e.KeywordLocation, "/")
			out = append(out, base+e.InstanceLocation+" "+toks[len(toks)-1])
			return
		}
		for _, c := range e.Causes {
			leaves(base, c)
		}
	}
	for _, b := range plan.Walk(s, v) {
		leaves(b.Pointer, b.Err)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// DriftKey is a generated violation as ReferenceDrift lists it.
func DriftKey(pointer, keyword string) string {
	if keyword == "required" {
		pointer = pointer[:strings.LastIndexByte(pointer, '/')]
	}
	return pointer + " " + keyword
}

// ReferenceDecode decodes a payload as the reference sees it (see
// refDecode).
func ReferenceDecode(data []byte) (any, bool) { return refDecode(data) }
