package schemagen

import (
	"strings"
	"testing"
)

// TestNamesAreGoIdentifiers: a package name or validator function name the
// emitted code could not compile with is refused before anything is
// emitted: keywords, the blank identifier, malformed names and
// predeclared names the emitted code relies on.
func TestNamesAreGoIdentifiers(t *testing.T) {
	const id = "https://example.com/s.json"
	for _, name := range []string{"func", "type", "_", "len", "string", "nil", "9x", ""} {
		s := NewSet()
		if err := s.Add(id, []byte(`{"type": "object"}`), "s.json"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Compile([]Root{{URI: id, FuncName: name}}); err == nil || !strings.Contains(err.Error(), "is not a Go identifier") {
			t.Errorf("Compile with function name %q: %v, want a refusal", name, err)
		}
	}
	s := NewSet()
	if err := s.Add(id, []byte(`{"type": "object"}`), "s.json"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Compile([]Root{{URI: id, FuncName: "ValidateS"}}); err != nil {
		t.Errorf("Compile with ValidateS: %v", err)
	}
}
