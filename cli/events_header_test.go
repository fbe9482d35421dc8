package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/hookcontract/hookcontract/internal/capture"
)

// TestTestReadsCaptureHeaders: hookcontract test reads the event name
// from a capture's headers where the spec says it travels there
// (GitHub's X-Github-Event, qualified by /action), as the generated
// handler does; a capture without the header, and a plain payload file,
// have no event name to tell.
func TestTestReadsCaptureHeaders(t *testing.T) {
	spec, err := os.ReadFile(filepath.Join("..", "gen", "testdata", "vendors", "githubstyle", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "githubstyle"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "githubstyle", "openapi.yaml"), spec, 0o644); err != nil {
		t.Fatal(err)
	}
	const repo = `"repository": {"id": 1, "full_name": "o/r", "owner": {"login": "o", "id": 1}}, "sender": {"login": "o", "id": 1}`
	opened := `{"action": "opened", "issue": {"number": 1, "title": "t", "state": "open"}, ` + repo + `}`
	cases := []struct {
		file, header, body, verdict, event string
		unknown                            bool
	}{
		{"a-opened.json", "issues", opened, "pass", "issues-opened", false},
		{"b-check-run.json", "check_run", `{"action": "completed", "check_run": {"id": 4, "status": "completed"}, ` + repo + `}`, "pass", "check-run-completed", false},
		{"c-transferred.json", "issues", `{"action": "transferred"}`, "drift", "issues-transferred", true},
		{"d-no-header.json", "", opened, "fail", "", false},
		{"e-refused.json", "issues", `{"action": "opened"}`, "fail", "issues-opened", false},
	}
	caps := filepath.Join(dir, "captures")
	if err := os.MkdirAll(caps, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		cp := capture.Capture{Capture: capture.Format, Provider: "githubstyle", Method: "POST", Path: "/githubstyle", Headers: map[string][]string{}, Status: 204}
		if c.header != "" {
			cp.Headers["X-Github-Event"] = []string{c.header}
		}
		cp.SetBody([]byte(c.body))
		b, err := json.Marshal(cp)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(caps, c.file), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The same body as a plain payload file: no headers to read.
	plain := filepath.Join(dir, "plain.json")
	if err := os.WriteFile(plain, []byte(opened), 0o644); err != nil {
		t.Fatal(err)
	}
	_, out, errs := run(t, "test", "--specs", filepath.Join(dir, "githubstyle", "openapi.yaml"), "--format", "json", caps, plain)
	var rep struct {
		Results []struct {
			Source, Verdict, Event string
			UnknownEvent           bool
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || len(rep.Results) != len(cases)+1 {
		t.Fatalf("report: %v (%d results)\n%s\n%s", err, len(rep.Results), out, errs)
	}
	for i, c := range cases {
		r := rep.Results[i]
		if filepath.Base(r.Source) != c.file || r.Verdict != c.verdict || r.Event != c.event || r.UnknownEvent != c.unknown {
			t.Errorf("%s: %+v, want verdict %s, event %q, unknown %v", c.file, r, c.verdict, c.event, c.unknown)
		}
	}
	if r := rep.Results[len(cases)]; r.Verdict != "fail" || r.Event != "" {
		t.Errorf("plain file: %+v, want a failure telling no event", r)
	}
}
