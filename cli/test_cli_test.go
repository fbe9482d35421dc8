package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestEmbeddedFixtures: `hookcontract test` with no PATH checks every
// embedded fixture against its recorded outcome, they all hold, and the
// summary says what was checked: valid, invalid and drift fixtures apart.
func TestEmbeddedFixtures(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := Run([]string{"test"}, nil, &stdout, &stderr)
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	summary := regexp.MustCompile(`^[1-9][0-9]* valid fixtures conform, [1-9][0-9]* invalid fixtures fail as recorded, [1-9][0-9]* drift fixtures drift as recorded$`)
	if code != ExitOK || len(lines) != 1 || !summary.MatchString(lines[0]) || stderr.Len() != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
	}
}

func TestVersion(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"version"}, nil, &stdout, &stderr); code != ExitOK || !strings.HasPrefix(stdout.String(), "hookcontract ") || stderr.Len() != 0 {
		t.Fatalf("version: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

// TestProgress: the progress line is drawn only on a terminal, and only
// once the run has taken more than a second; it is cleared at the end.
func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf)
	p.start = time.Now().Add(-time.Hour)
	p.update(1, 2)
	p.clear()
	if buf.Len() != 0 {
		t.Errorf("progress on a buffer: %q", buf.String())
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if newProgress(w).enabled {
		t.Error("progress enabled on a pipe")
	}
	p = &progress{w: &buf, start: time.Now(), enabled: true}
	p.update(1, 2)
	if buf.Len() != 0 {
		t.Errorf("progress before a second: %q", buf.String())
	}
	p.start = time.Now().Add(-2 * time.Second)
	p.update(1, 2)
	p.clear()
	if got := buf.String(); got != "\rhookcontract: checked 1/2 payloads\r\033[K" {
		t.Errorf("progress = %q", got)
	}
}

// failingWriter accepts n bytes, then fails.
type failingWriter struct{ n int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return 0, errors.New("no space left on device")
	}
	w.n -= len(p)
	return len(p), nil
}

// TestTestStreamsToStdout: a long NDJSON stdin is reported as it is
// checked, and a report that cannot be written stops the run with exit
// status 2 and says why, whatever the format.
func TestTestStreamsToStdout(t *testing.T) {
	var in strings.Builder
	for range 20000 {
		in.WriteString("{}\n")
	}
	for _, format := range []string{"text", "json", "junit", "github"} {
		var stderr bytes.Buffer
		code := Run([]string{"test", "--format", format, "-"}, strings.NewReader(in.String()), &failingWriter{n: 100 << 10}, &stderr)
		if code != ExitUsage || !strings.Contains(stderr.String(), "hookcontract test: write report: no space left on device") {
			t.Errorf("%s: exit %d, stderr %q; want 2 and the write error", format, code, stderr.String())
		}
	}
}

// TestMaxBodyBytes: a conforming payload larger than the handler it is
// for reads drifts, saying that handler answers it 413; --strict fails
// it; a bound below -1 is bad usage.
func TestMaxBodyBytes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ticket.json")
	body := `{"data": {"status": "CREATION", "params": {"id": "debde69a-2dbb-427b-b478-6cffd7930ecf"}, "resource": "/v0/tickets/debde69a-2dbb-427b-b478-6cffd7930ecf"}, "tenant_id": "3b5cf468-c858-404b-9e53-630e3df9d74a", "topic": "sac_ticket"}`
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run(t, "test", path); code != ExitOK || strings.Contains(out, "413") {
		t.Fatalf("default bound: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, errs := run(t, "test", "--max-body-bytes", "100", path)
	if code != ExitOK || !strings.Contains(out, "more than the 100 a handler so bounded reads (the bound checked)") || !strings.Contains(out, "answers 413") {
		t.Errorf("--max-body-bytes 100: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	if code, out, _ := run(t, "test", "--strict", "--max-body-bytes", "100", path); code != ExitFindings {
		t.Errorf("--strict --max-body-bytes 100: exit %d, want %d: %s", code, ExitFindings, out)
	}
	if code, out, _ := run(t, "test", "--format", "json", "--max-body-bytes", "100", path); code != ExitOK || !strings.Contains(out, `"overBodyLimit": 100`) {
		t.Errorf("--format json: exit %d, stdout %s", code, out)
	}
	if code, _, errs := run(t, "test", "--max-body-bytes", "-2", path); code != ExitUsage || !strings.Contains(errs, "--max-body-bytes") {
		t.Errorf("--max-body-bytes -2: exit %d, stderr %q", code, errs)
	}
}
