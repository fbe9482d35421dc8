package contract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// copyProvider copies specs/<name> into a new spec directory and returns it.
func copyProvider(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("..", "..", "specs", name)
	dst := filepath.Join(t.TempDir(), "specs")
	if err := os.CopyFS(filepath.Join(dst, name), os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

// A schema file that is a symbolic link to a file outside the spec
// directory is refused with an error naming it, never read.
func TestSymlinkOutOfSpecDirRefused(t *testing.T) {
	dir := copyProvider(t, "tickets")
	schema := filepath.Join(dir, "tickets", "schemas", "status.json")
	content, err := os.ReadFile(schema)
	if err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "elsewhere.json")
	if err := os.WriteFile(outside, content, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(os.DirFS(dir)); err != nil {
		t.Fatalf("the copy does not load: %v", err)
	}
	for _, target := range []string{outside, filepath.Join("..", "..", "..", "..", filepath.Base(filepath.Dir(outside)), "elsewhere.json")} {
		os.Remove(schema)
		if err := os.Symlink(target, schema); err != nil {
			t.Skipf("cannot create a symbolic link: %v", err)
		}
		_, err := Load(os.DirFS(dir))
		if err == nil || !strings.Contains(err.Error(), "tickets/schemas/status.json") || !strings.Contains(err.Error(), "outside the spec directory") {
			t.Errorf("link to %s: %v, want an error naming the link and saying it leaves the spec directory", target, err)
		}
	}
	// A link that stays inside is followed.
	inside := filepath.Join(dir, "tickets", "status-copy.json")
	if err := os.WriteFile(inside, content, 0o600); err != nil {
		t.Fatal(err)
	}
	os.Remove(schema)
	if err := os.Symlink(filepath.Join("..", "status-copy.json"), schema); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(os.DirFS(dir)); err != nil {
		t.Errorf("link inside the spec directory: %v", err)
	}
}
