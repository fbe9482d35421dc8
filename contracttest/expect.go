package contracttest

// Grades of a violation.
const (
	Guaranteed = "guaranteed" // the provider's document says so: the payload fails
	Expected   = "expected"   // inferred from examples (x-hookcontract-expect): the payload drifts
)

// expectations lists the expectations v breaks along its evaluation path
// under t, which v satisfies (see package internal/expect for the rule).
func (s *Suite) expectations(t target, v any) []Violation {
	if t.expect == nil {
		return nil
	}
	var out []Violation
	for _, b := range t.expect.Walk(t.schema, v) {
		for _, x := range normalize(b.Err, b.Schema, b.Value, s.schemas) {
			x.Pointer = b.Pointer + x.Pointer
			x.Grade = Expected
			if b.Secret {
				x.Message = "expected the value to satisfy " + x.Keyword + ", found a secret value (redacted)"
			}
			out = append(out, x)
		}
	}
	sortViolations(out)
	return out
}
