package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/internal/contractdiff"
)

// TestCoverageAndSuggestOnServeCaptures runs the whole loop on captures
// of `hookcontract serve`: the embedded tickets fixtures and two
// deliveries of a newer API (a new member, a new status) are sent to it;
// coverage reports what they carry, suggest proposes the contract change,
// and once it is written every capture passes.
func TestCoverageAndSuggestOnServeCaptures(t *testing.T) {
	dir := t.TempDir()
	base, _, stop := startServe(t, serveConfig{dir: dir})
	for _, args := range [][]string{
		{"send", "--url", base + "/tickets", "--provider", "tickets"},
		{"send", "--url", base + "/tickets", "--provider", "tickets", "testdata/suggest/newer-api.ndjson"},
	} {
		var out, errb bytes.Buffer
		Run(args, nil, &out, &errb)
		if errb.Len() > 0 {
			t.Fatalf("send: %s", errb.String())
		}
	}
	stop()

	var out, errb bytes.Buffer
	if code := Run([]string{"coverage", "--provider", "tickets", "--format", "json", dir}, nil, &out, &errb); code != ExitOK {
		t.Fatalf("coverage: exit %d: %s", code, errb.String())
	}
	var cov contractdiff.Coverage
	if err := json.Unmarshal(out.Bytes(), &cov); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range cov.Events {
		if e.Event != "sac_ticket" {
			continue
		}
		for _, f := range e.Fields {
			if f.Pointer == "/data/priority" {
				found = true
				if f.Declared || f.Seen != 2 || strings.Join(f.Values, ",") != "high,low" {
					t.Errorf("/data/priority: %+v", f)
				}
			}
		}
	}
	if !found || cov.Payloads < 3 {
		t.Fatalf("coverage of %d payloads does not report /data/priority:\n%s", cov.Payloads, out.String())
	}

	specs := filepath.Join(t.TempDir(), "specs")
	copyTree(t, "../specs", specs)
	if code := Run([]string{"test", "--specs", specs, dir}, nil, &out, &errb); code != ExitFindings {
		t.Fatalf("test before the suggestions: exit %d, want 1", code)
	}
	out.Reset()
	if code := Run([]string{"suggest", "--specs", specs, "--write", dir}, nil, &out, &errb); code != ExitOK {
		t.Fatalf("suggest --write: exit %d: %s", code, errb.String())
	}
	for _, want := range []string{`add optional property "priority" (string)`, `add enum value "REOPENED"`, "this loosens a guarantee", "payloads: "} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("suggest does not say %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if code := Run([]string{"test", "--strict", "--specs", specs, dir}, nil, &out, &errb); code != ExitOK {
		t.Errorf("test --strict after the suggestions: exit %d\n%s", code, out.String())
	}
}
