package goident

import (
	"go/parser"
	"go/token"
	"testing"
)

func TestIsIdentifier(t *testing.T) {
	for _, tc := range []struct {
		s                 string
		ident, declarable bool
	}{
		{"payloads", true, true},
		{"_x", true, true},
		{"x9", true, true},
		{"Größe", true, true},
		{"validateEvent", true, true},
		{"", false, false},
		{"_", false, false},
		{"9x", false, false},
		{"a-b", false, false},
		{"a b", false, false},
		{"func", false, false},
		{"package", false, false},
		{"type", false, false},
		{"chan", false, false},
		{"string", true, false},
		{"len", true, false},
		{"nil", true, false},
		{"true", true, false},
		{"any", true, false},
		{"error", true, false},
		{"min", true, false},
	} {
		if got := IsIdentifier(tc.s); got != tc.ident {
			t.Errorf("IsIdentifier(%q) = %v, want %v", tc.s, got, tc.ident)
		}
		if got := IsDeclarable(tc.s); got != tc.declarable {
			t.Errorf("IsDeclarable(%q) = %v, want %v", tc.s, got, tc.declarable)
		}
	}
}

// TestAgreesWithParser: what IsIdentifier accepts, the Go parser accepts as
// a package name and a function name; what it refuses for a keyword or a
// malformed name, the parser refuses.
func TestAgreesWithParser(t *testing.T) {
	for _, s := range []string{"payloads", "x9", "Größe", "func", "type", "9x", "a-b", "", "range"} {
		src := "package " + s + "\nfunc " + s + "() {}\n"
		_, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0)
		if (err == nil) != IsIdentifier(s) {
			t.Errorf("%q: parser error %v, IsIdentifier %v", s, err, IsIdentifier(s))
		}
	}
}
