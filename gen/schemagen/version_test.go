package schemagen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
	"github.com/hookcontract/hookcontract/internal/testmod"
)

// TestRuntimeVersionGuard builds a package linked to the runtime
// (EmitRuntimeLink) against copies of this checkout's runtime that serve
// other versions: it builds against the runtime as it is, and fails to
// compile, at the guard, against one too new (MinVersion above
// RuntimeVersion) and one too old (MaxVersion below it).
func TestRuntimeVersionGuard(t *testing.T) {
	if testing.Short() {
		t.Skip("builds three modules")
	}
	f := jen.NewFile("linked")
	EmitRuntimeLink(f)
	var src bytes.Buffer
	if err := f.Render(&src); err != nil {
		t.Fatal(err)
	}
	v := strconv.Itoa(RuntimeVersion)
	for _, c := range []struct {
		name     string
		min, max string
		builds   bool
	}{
		{"same", v, v, true},
		{"a range holding it", "1", strconv.Itoa(RuntimeVersion + 1), true},
		{"runtime too new", strconv.Itoa(RuntimeVersion + 1), strconv.Itoa(RuntimeVersion + 1), false},
		{"runtime too old", strconv.Itoa(RuntimeVersion - 1), strconv.Itoa(RuntimeVersion - 1), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			rt := filepath.Join(t.TempDir(), "runtime")
			copyTree(t, testmod.RuntimeDir(), rt)
			ver := filepath.Join(rt, "hcrt", "version.go")
			b, err := os.ReadFile(ver)
			if err != nil {
				t.Fatal(err)
			}
			s := regexp.MustCompile(`MinVersion = [0-9]+`).ReplaceAllString(string(b), "MinVersion = "+c.min)
			s = regexp.MustCompile(`MaxVersion = [0-9]+`).ReplaceAllString(s, "MaxVersion = "+c.max)
			if err := os.WriteFile(ver, []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			for name, data := range map[string][]byte{"go.mod": testmod.GoModAt("linked", rt, ""), "link.go": src.Bytes()} {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cmd := exec.Command("go", "build", "./...")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "CGO_ENABLED=0")
			out, err := cmd.CombinedOutput()
			switch {
			case c.builds && err != nil:
				t.Fatalf("does not build against the runtime it was written for: %v\n%s", err, out)
			case !c.builds && err == nil:
				t.Fatalf("builds against a runtime serving versions %s to %s", c.min, c.max)
			case !c.builds && !strings.Contains(string(out), "EnforceVersion"):
				t.Errorf("the build fails elsewhere than at the guard:\n%s", out)
			}
		})
	}
}

// copyTree copies the regular files under from to to.
func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
