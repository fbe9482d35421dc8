package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden (read the diff first)")

// goldenCase runs `hookcontract <args>` in-process from this directory.
// "$TMP" in args is a fresh temporary directory, replaced back by "$TMP"
// in the outputs; stdin is read from a file under testdata when set.
// testdata/golden/<name>.{stdout,stderr,code} hold the expected outputs,
// and <name>.file what --output wrote to $TMP/report when it is used.
type goldenCase struct {
	name  string
	args  []string
	stdin string
}

var goldenCases = []goldenCase{
	// Embedded fixtures against their recorded outcomes (one provider, so
	// that the output does not change with every fixture added elsewhere).
	{name: "fixtures-tickets", args: []string{"test", "--provider", "tickets"}},
	{name: "fixtures-sonar-json", args: []string{"test", "--provider", "sonar", "--format", "json"}},
	{name: "fixtures-shard-1-of-4", args: []string{"test", "--provider", "tickets", "--shard", "1/4"}},

	// One report per format over the same payloads: valid, invalid, drift,
	// a secret, NDJSON with blank lines and a line that is not JSON.
	{name: "mixed-text", args: []string{"test", "testdata/payloads/mixed"}},
	{name: "mixed-json", args: []string{"test", "--format", "json", "testdata/payloads/mixed"}},
	{name: "mixed-junit", args: []string{"test", "--format=junit", "testdata/payloads/mixed"}},
	{name: "mixed-github", args: []string{"test", "--format", "github", "testdata/payloads/mixed"}},
	{name: "mixed-strict", args: []string{"test", "--strict", "testdata/payloads/mixed"}},
	{name: "mixed-shard-1-of-2", args: []string{"test", "--shard", "1/2", "--jobs", "1", "testdata/payloads/mixed"}},
	{name: "mixed-shard-2-of-2", args: []string{"test", "testdata/payloads/mixed", "--shard", "2/2"}},
	{name: "mixed-output", args: []string{"test", "--output", "$TMP/report", "--format", "json", "testdata/payloads/mixed"}},

	// The README's second command: an invalid payload with --provider.
	{name: "invalid-with-provider", args: []string{"test", "--provider", "salesiq", "testdata/payloads/salesiq-app-id-string.json"}},
	{name: "ndjson-lines", args: []string{"test", "testdata/payloads/mixed/events.ndjson"}},
	{name: "stdin", args: []string{"test", "-"}, stdin: "testdata/payloads/stdin.ndjson"},
	{name: "stdin-one-payload", args: []string{"test", "--provider", "tickets", "-"}, stdin: "testdata/payloads/mixed/tickets-status-lowercase.json"},
	{name: "drift", args: []string{"test", "testdata/payloads/mixed/sonar-drift.json"}},
	{name: "drift-strict", args: []string{"test", "--strict", "testdata/payloads/mixed/sonar-drift.json"}},
	{name: "drift-strict-github", args: []string{"test", "--strict", "--format", "github", "testdata/payloads/mixed/sonar-drift.json"}},
	{name: "bare-with-event", args: []string{"test", "--provider", "ampersand", "--event", "connection.deleted", "-"}, stdin: "testdata/payloads/ampersand-connection-data-only.json"},

	// A spec directory of one's own (--specs), fixtures and payloads.
	{name: "own-specs-fixtures", args: []string{"test", "--specs", "testdata/specs-mini"}},
	{name: "own-specs-payloads", args: []string{"test", "--specs", "testdata/specs-mini", "--format", "json", "testdata/payloads/mini-shapes.ndjson"}},

	// Exit 2: usage and I/O errors.
	{name: "usage-unknown-flag", args: []string{"test", "--colour"}},
	{name: "usage-bad-format", args: []string{"test", "--format", "yaml", "testdata/payloads/mixed"}},
	{name: "usage-bad-shard", args: []string{"test", "--shard", "3/2", "testdata/payloads/mixed"}},
	{name: "usage-bad-jobs", args: []string{"test", "--jobs", "-1"}},
	{name: "usage-unknown-provider", args: []string{"test", "--provider", "stripe", "testdata/payloads/mixed"}},
	{name: "usage-unknown-event", args: []string{"test", "--event", "ticket.closed", "testdata/payloads/mixed"}},
	{name: "unknown-path", args: []string{"test", "testdata/payloads/mixed/tickets-created.json", "testdata/payloads/no-such-file.json"}},
	{name: "empty-directory", args: []string{"test", "$TMP"}},
	{name: "broken-specs", args: []string{"test", "--specs", "testdata/specs-dangling-ref"}},
	{name: "specs-not-a-directory", args: []string{"test", "--specs", "testdata/payloads/mixed/tickets-created.json"}},
	{name: "output-unwritable", args: []string{"test", "--output", "$TMP/no/such/dir/report", "testdata/payloads/mixed/tickets-created.json"}},
	{name: "help", args: []string{"test", "-h"}},

	// Honest output: inputs skipped and why, empty inputs, the events
	// --event may name, JUnit errors apart from failures, an event the
	// contract does not declare.
	{name: "skipped-inputs", args: []string{"test", "testdata/payloads/skips"}},
	{name: "empty-json", args: []string{"test", "testdata/payloads/empty/empty.json"}},
	{name: "empty-ndjson", args: []string{"test", "testdata/payloads/empty/empty.ndjson"}},
	{name: "usage-unknown-event-of-provider", args: []string{"test", "--provider", "tickets", "--event", "sac_invoice", "-"}},
	{name: "junit-errors-and-skips", args: []string{"test", "--format", "junit", "testdata/payloads/skips", "testdata/payloads/no-such-file.json", "testdata/payloads/mixed/tickets-status-lowercase.json"}},
	{name: "unknown-event-drift", args: []string{"test", "testdata/payloads/tickets-unknown-event.json"}},
	{name: "unknown-event-strict-github", args: []string{"test", "--strict", "--format", "github", "testdata/payloads/tickets-unknown-event.json"}},

	// The command's conventions: the manual, help <command>, a command
	// run without what it needs.
	{name: "root-help", args: []string{"--help"}},
	{name: "help-send", args: []string{"help", "send"}},
	{name: "generate-no-config", args: []string{"generate", "--check"}},
}

func TestTestCommandGolden(t *testing.T) { runGoldenCases(t, "golden", goldenCases) }

// runGoldenCases runs cases against the golden files under testdata/dir.
func runGoldenCases(t *testing.T, dir string, cases []goldenCase) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.ReplaceAll(a, "$TMP", tmp)
			}
			stdin := bytes.NewReader(nil)
			if tc.stdin != "" {
				data, err := os.ReadFile(tc.stdin)
				if err != nil {
					t.Fatal(err)
				}
				stdin = bytes.NewReader(data)
			}
			var stdout, stderr bytes.Buffer
			code := Run(args, stdin, &stdout, &stderr)
			clean := func(s string) string { return strings.ReplaceAll(s, tmp, "$TMP") }
			got := map[string]string{
				"stdout": clean(stdout.String()),
				"stderr": clean(stderr.String()),
				"code":   strconv.Itoa(code) + "\n",
			}
			if data, err := os.ReadFile(filepath.Join(tmp, "report")); err == nil {
				got["file"] = clean(string(data))
			}
			for _, ext := range []string{"stdout", "stderr", "code", "file"} {
				path := filepath.Join("testdata", dir, tc.name+"."+ext)
				content, ok := got[ext]
				if *update {
					if !ok {
						os.Remove(path)
						continue
					}
					if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if !ok {
					if err == nil {
						t.Errorf("%s exists, but the command wrote no %s", path, ext)
					}
					continue
				}
				if err != nil {
					t.Errorf("%v (run with -update to create it)", err)
					continue
				}
				if content != string(want) {
					t.Errorf("%s differs (run with -update to rewrite it after reading the diff):\n%s", path, lineDiff(string(want), content))
				}
			}
		})
	}
}

// lineDiff shows the lines that differ between want and got.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			b.WriteString("line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl + "\n")
		}
	}
	return b.String()
}

// TestGoldenOutputsAreClean: no golden output holds a machine path or a
// secret value of the payloads.
func TestGoldenOutputsAreClean(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "golden", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	wd, _ := os.Getwd()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{wd, os.TempDir() + "/", "hunter2-do-not-print", "do-not-print-me"} {
			if strings.Contains(string(data), bad) {
				t.Errorf("%s contains %q", f, bad)
			}
		}
	}
}
