package gen

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// isOurs tells whether a file in an output directory was written by the
// generator: its name has our prefix and it starts with our header.
func isOurs(path string) bool {
	if !strings.HasPrefix(filepath.Base(path), FilePrefix) {
		return false
	}
	b, err := os.ReadFile(path)
	return err == nil && bytes.HasPrefix(b, []byte(Header+"\n"))
}

// existing lists the generated files in dir (recursively), relative to dir.
func existing(dir string) (map[string][]byte, error) {
	out := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return fs.SkipDir
			}
			return err
		}
		if d.IsDir() || !isOurs(p) {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		out[filepath.ToSlash(rel)] = b
		return err
	})
	return out, err
}

// WriteDir writes files into dir, creating it, and removes the files a
// previous run generated there that are no longer generated. Files are
// replaced atomically (written beside, then renamed).
func WriteDir(dir string, files Files) error {
	old, err := existing(dir)
	if err != nil {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	for _, name := range files.Names() {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if bytes.Equal(old[name], files[name]) {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
		tmp, err := os.CreateTemp(filepath.Dir(p), ".hookcontract-*")
		if err != nil {
			return fmt.Errorf("write %s: %w", p, err)
		}
		_, werr := tmp.Write(files[name])
		cerr := tmp.Close()
		if werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Chmod(tmp.Name(), 0o644)
		}
		if werr == nil {
			werr = os.Rename(tmp.Name(), p)
		}
		if werr != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("write %s: %w", p, werr)
		}
	}
	for name := range old {
		if _, ok := files[name]; !ok {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
				return fmt.Errorf("remove stale %s: %w", name, err)
			}
		}
	}
	return nil
}

// Diff compares files with what dir holds and returns a unified diff, empty
// when dir is up to date.
func Diff(dir string, files Files) (string, error) {
	old, err := existing(dir)
	if err != nil {
		return "", fmt.Errorf("read %s: %w", dir, err)
	}
	names := map[string]bool{}
	for n := range old {
		names[n] = true
	}
	for n := range files {
		names[n] = true
	}
	var out strings.Builder
	sorted := make([]string, 0, len(names))
	for n := range names {
		sorted = append(sorted, n)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		a, b := old[n], files[n]
		if bytes.Equal(a, b) {
			continue
		}
		text := unifiedDiff(string(a), string(b), filepath.ToSlash(filepath.Join(dir, n))+" (on disk)", filepath.ToSlash(filepath.Join(dir, n))+" (generated)", 2)
		if len(text) > 20000 {
			text = text[:20000] + "\n... (diff truncated)\n"
		}
		out.WriteString(text)
	}
	return out.String(), nil
}
