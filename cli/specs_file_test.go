package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSpecsFileInfersAsGenerate: test --specs on a plain vendor document
// (no x-hookcontract) infers the events as generate does: the wire name
// pinned by const, not the webhook key.
func TestSpecsFileInfersAsGenerate(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.json")
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(good, []byte(`{"type":"message.created","id":"3f1c1a52-8a9e-4f6b-9b2a-2f4c1d0e9a11","data":{"message":{"kind":"text","text":"hi"},"channel":"g"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte(`{"type":"message.created","id":"x","data":{"channel":"g"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := filepath.Join("..", "gen", "testdata", "vendors", "relay", "openapi.json")
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"test", "--specs", spec, good}, nil, &stdout, &stderr); code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	code := Run([]string{"test", "--specs", spec, bad}, nil, &stdout, &stderr)
	if code != ExitFindings || !strings.Contains(stdout.String(), "relay/message.created") || !strings.Contains(stdout.String(), "/data/message") {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
}
