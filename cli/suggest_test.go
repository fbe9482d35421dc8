package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/contracttest"
)

var suggestGoldenCases = []goldenCase{
	// Drift (a property the contract does not know) and an expectation
	// that a payload contradicts.
	{name: "drift-and-expectation", args: []string{"suggest", "--specs", "testdata/diff/mixed/new", "testdata/diff/captures"}},
	{name: "drift-and-expectation-json", args: []string{"suggest", "--specs", "testdata/diff/mixed/new", "--format", "json", "testdata/diff/captures"}},
	// An enum value that payloads carry: it loosens a guarantee, and says so.
	{name: "enum-value", args: []string{"suggest", "--specs", "testdata/diff/mixed/old", "testdata/diff/captures"}},
	// A member a closed schema (additionalProperties: false) excludes.
	{name: "closed-schema", args: []string{"suggest", "--specs", "testdata/suggest/closed", "testdata/diff/captures"}},
	// The embedded specs against payloads with drift and a wrong enum value.
	{name: "embedded", args: []string{"suggest", "testdata/payloads/mixed"}},
	{name: "nothing", args: []string{"suggest", "--specs", "testdata/diff/mixed/new", "testdata/diff/captures/created-web.json"}},
	{name: "usage-write-embedded", args: []string{"suggest", "--write", "testdata/diff/captures"}},
	{name: "usage-no-path", args: []string{"suggest"}},
}

func TestSuggestGolden(t *testing.T) {
	runGoldenCases(t, filepath.Join("suggest", "golden"), suggestGoldenCases)
}

// TestSuggestWrite applies the suggestions to a copy of a contract and
// checks what they promise: the payloads that drifted now pass, the
// payload that contradicted an expectation is no longer contradicted, the
// enum failure passes, every other payload keeps its verdict, and a second
// run has nothing left to suggest.
func TestSuggestWrite(t *testing.T) {
	for _, c := range []string{"diff/mixed/new", "diff/mixed/old", "suggest/closed"} {
		t.Run(c, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "specs")
			copyTree(t, "testdata/"+c, dir)
			before := verdicts(t, dir)
			var out, errb bytes.Buffer
			if code := Run([]string{"suggest", "--specs", dir, "testdata/diff/captures"}, nil, &out, &errb); code != ExitFindings {
				t.Fatalf("suggest: exit %d, want 1: %s", code, errb.String())
			}
			printed := out.String()
			out.Reset()
			if code := Run([]string{"suggest", "--specs", dir, "--write", "testdata/diff/captures"}, nil, &out, &errb); code != ExitOK {
				t.Fatalf("suggest --write: exit %d: %s", code, errb.String())
			}
			if out.String() != printed {
				t.Errorf("--write printed another proposal than the one without it")
			}
			after := verdicts(t, dir)
			for loc, v := range before {
				switch {
				case v == contracttest.Drift && after[loc] != contracttest.Pass:
					t.Errorf("%s drifted before and is %s after the suggestions", loc, after[loc])
				case v == contracttest.Pass && after[loc] != contracttest.Pass:
					t.Errorf("%s passed before and is %s after the suggestions", loc, after[loc])
				}
			}
			out.Reset()
			if code := Run([]string{"suggest", "--specs", dir, "testdata/diff/captures"}, nil, &out, &errb); code != ExitOK {
				t.Errorf("a second suggest: exit %d, want 0:\n%s", code, out.String())
			}
			if c == "suggest/closed" && after["testdata/diff/captures/cancelled-reason.json"] != contracttest.Pass {
				t.Errorf("the payload with the excluded member is %s after the suggestions", after["testdata/diff/captures/cancelled-reason.json"])
			}
			if strings.Contains(printed, "enum value") {
				// The enum's payloads may still fail for other reasons
				// (an amount below the minimum), never for the enum.
				for loc, v := range after {
					if v == contracttest.Fail && strings.Contains(violationsOf(t, dir, loc), `"enum"`) {
						t.Errorf("%s still fails its enum", loc)
					}
				}
			}
		})
	}
}

func verdicts(t *testing.T, specs string) map[string]contracttest.Verdict {
	t.Helper()
	m := map[string]contracttest.Verdict{}
	for _, r := range testResults(t, specs) {
		m[r.Location()] = r.Verdict
	}
	return m
}

func violationsOf(t *testing.T, specs, loc string) string {
	for _, r := range testResults(t, specs) {
		if r.Location() == loc {
			b, _ := json.Marshal(r.Violations)
			return string(b)
		}
	}
	return ""
}

func testResults(t *testing.T, specs string) []contracttest.Result {
	t.Helper()
	var out, errb bytes.Buffer
	if code := Run([]string{"test", "--format", "json", "--specs", specs, "testdata/diff/captures"}, nil, &out, &errb); code == ExitUsage {
		t.Fatalf("test: exit 2: %s", errb.String())
	}
	var jr contracttest.JSONReport
	if err := json.Unmarshal(out.Bytes(), &jr); err != nil {
		t.Fatal(err)
	}
	return jr.Results
}

// TestSuggestNeverShowsSecrets marks the field whose enum payloads break
// as secret: no suggestion may carry the value it was sent.
func TestSuggestNeverShowsSecrets(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "specs")
	copyTree(t, "testdata/diff/mixed/old", dir)
	file := filepath.Join(dir, "shop", "schemas", "order.created.json")
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	data = bytes.Replace(data, []byte(`"channel": {`), []byte(`"channel": {"x-hookcontract-secret": true,`), 1)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"diff", "json"} {
		var out, errb bytes.Buffer
		if code := Run([]string{"suggest", "--format", format, "--specs", dir, "testdata/diff/captures"}, nil, &out, &errb); code == ExitUsage {
			t.Fatalf("suggest: exit 2: %s", errb.String())
		}
		if strings.Contains(out.String(), `"app"`) {
			t.Errorf("%s: a suggestion shows the secret value:\n%s", format, out.String())
		}
	}
}
