package support

import (
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

// TestEventViolation: why a body has no event to check against, as the
// handler's 400 reports it.
func TestEventViolation(t *testing.T) {
	if hcrt.AsError(nil) != nil {
		t.Error("hcrt.AsError(nil) is not nil")
	}
	for _, c := range []struct {
		name             []byte
		isString, exists bool
		keyword          string
	}{
		{nil, false, false, "required"},
		{[]byte("42"), false, true, "type"},
		{[]byte(strings.Repeat("x", 100)), true, true, "enum"},
	} {
		v := eventViolation([]byte(`{}`), "/event", c.name, c.isString, c.exists)
		if len(v.Violations) != 1 || v.Violations[0].Keyword != c.keyword || v.Violations[0].Pointer != "/event" || len(v.Violations[0].Message) > 120 {
			t.Errorf("%q: %+v", c.name, v.Violations)
		}
		if hcrt.AsError(v) == nil {
			t.Error("AsError lost the violations")
		}
	}
	old := stubValidateJSON
	defer func() { stubValidateJSON = old }()
	stubValidateJSON = func([]byte) *ValidationError {
		return &ValidationError{Violations: []Violation{{Keyword: "json"}}}
	}
	if v := eventViolation([]byte(`{`), "/event", nil, false, false); v.Violations[0].Keyword != "json" {
		t.Errorf("not JSON: %+v", v.Violations)
	}
}
