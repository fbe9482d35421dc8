//go:build unix

package contracttest

import (
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

// TestNamedPipe: a named pipe found under a directory is reported, not
// opened: reading it would block until some process writes to it.
func TestNamedPipe(t *testing.T) {
	s := testSuite(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"good.json": ticket})
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.json"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan struct{})
	var res map[string]Result
	var errs []string
	go func() {
		defer close(done)
		res, errs = runDir(t, s, dir, Options{})
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("reading the directory blocked on a named pipe")
	}
	if len(res) != 1 || res["good.json"].Verdict != Pass {
		t.Errorf("results %v, want good.json to pass", res)
	}
	if want := []string{"read pipe.json: not a regular file (a named pipe)"}; !slices.Equal(errs, want) {
		t.Errorf("errors %q, want %q", errs, want)
	}
}
