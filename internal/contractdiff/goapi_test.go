package contractdiff

import (
	"strings"
	"testing"
)

func TestCheckPackage(t *testing.T) {
	if _, err := CheckPackage("example.com/p", map[string][]byte{"p.go": []byte("package p\n\nvar X int = \"not an int\"\n")}); err == nil || !strings.Contains(err.Error(), "type-check") {
		t.Errorf("code that does not type-check: %v", err)
	}
	// An import that cannot be found stands in empty: the rest compares.
	p, err := CheckPackage("example.com/p", map[string][]byte{
		"p.go":      []byte("package p\n\nimport \"example.com/missing\"\n\nvar _ = missing.X\n\n// Y is y.\nconst Y = 1\n"),
		"p_test.go": []byte("package p\n\nthis is not Go\n"),
	})
	if err != nil || p.Scope().Lookup("Y") == nil {
		t.Errorf("a missing import: %v", err)
	}
	old, _ := CheckPackage("example.com/p", map[string][]byte{"p.go": []byte("package p\n\n// T is t.\ntype T struct{ A, B any }\n")})
	new, _ := CheckPackage("example.com/p", map[string][]byte{"p.go": []byte("package p\n\n// T is t.\ntype T struct{ A any }\n\n// U is u.\ntype U int\n")})
	changes := ComparePackages("example.com/p", old, new)
	if len(changes) != 2 || changes[0].Compatible || !strings.Contains(changes[0].Message, "T.B") || !changes[1].Compatible {
		t.Errorf("changes %+v", changes)
	}
	if b := RequiredBump(changes, true); b != BumpMajor {
		t.Errorf("bump %s", b)
	}
}
