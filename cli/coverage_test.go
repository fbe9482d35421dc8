package cli

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
)

var coverageGoldenCases = []goldenCase{
	{name: "text", args: []string{"coverage", "--specs", "testdata/diff/mixed/new", "testdata/diff/captures"}},
	{name: "json", args: []string{"coverage", "--specs", "testdata/diff/mixed/new", "--format", "json", "--values", "2", "testdata/diff/captures"}},
	{name: "markdown", args: []string{"coverage", "--specs", "testdata/diff/mixed/new", "--format", "markdown", "testdata/diff/captures"}},
	{name: "provider", args: []string{"coverage", "--provider", "tickets", "testdata/payloads/mixed"}},
	{name: "usage-unknown-provider", args: []string{"coverage", "--provider", "stripe", "testdata/payloads/mixed"}},
	{name: "usage-no-path", args: []string{"coverage"}},
	{name: "usage-bad-format", args: []string{"coverage", "--format", "junit", "testdata/diff/captures"}},
	{name: "missing-path", args: []string{"coverage", "--specs", "testdata/diff/mixed/new", "testdata/diff/no-such-dir"}},
}

func TestCoverageGolden(t *testing.T) {
	runGoldenCases(t, filepath.Join("coverage", "golden"), coverageGoldenCases)
}

// TestCoverageNeverShowsSecrets measures payloads that carry credentials,
// declared secret by the contract or only named like one, and checks that
// no value of theirs reaches any format.
func TestCoverageNeverShowsSecrets(t *testing.T) {
	for _, format := range []string{"text", "json", "markdown"} {
		var out, errb bytes.Buffer
		if code := Run([]string{"coverage", "--format", format, "testdata/payloads/mixed"}, nil, &out, &errb); code != ExitOK {
			t.Fatalf("%s: exit %d: %s", format, code, errb.String())
		}
		for _, secret := range []string{"hunter2", "client-3c9d"} {
			if strings.Contains(out.String(), secret) {
				t.Errorf("%s: the report shows the secret %q", format, secret)
			}
		}
		if !strings.Contains(out.String(), "clientSecret") {
			t.Errorf("%s: the report does not list the secret field at all", format)
		}
	}
}
