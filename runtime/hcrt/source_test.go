package hcrt

import (
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSourceIsWhole: Source embeds every non-test Go file of the package.
func TestSourceIsWhole(t *testing.T) {
	onDisk, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, f := range onDisk {
		if !strings.HasSuffix(f, "_test.go") {
			want = append(want, f)
		}
	}
	got, err := fs.Glob(Source, "*.go")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("Source embeds %v, the package has %v", got, want)
	}
}
