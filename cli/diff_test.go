package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/internal/contractdiff"
)

// diffCase returns the golden case that diffs testdata/diff/<c>/old with
// testdata/diff/<c>/new.
func diffCase(name, c string, flags ...string) goldenCase {
	args := append([]string{"diff"}, flags...)
	args = append(args, "testdata/diff/"+c+"/old", "testdata/diff/"+c+"/new")
	return goldenCase{name: name, args: args}
}

// The golden cases of diff: one per change class, one per format over the
// same pair, --fail-on, the blast radius, and the usage errors.
var diffGoldenCases = []goldenCase{
	diffCase("widening", "widening"),
	diffCase("narrowing", "narrowing"),
	diffCase("go-api", "go-api"),
	diffCase("expectation", "expectation"),
	diffCase("events", "events"),
	// The body without its envelope (x-hookcontract-bare): a form added,
	// and a constraint of one tightened.
	diffCase("bare", "bare"),
	diffCase("bare-json", "bare", "--format", "json"),
	// A schema inlined instead of referenced, titles, descriptions,
	// examples, key order and $id changed: the schemas are the same, but
	// the generated package loses the referenced schema's named type.
	diffCase("layout", "layout"),
	diffCase("layout-schemas-only", "layout", "--no-go-api"),

	// Two versions of one OpenAPI document (schemas under components), in
	// folders of their own: compared as one provider, captures included.
	{name: "file-specs", args: []string{"diff", "--captures", "testdata/diff/file-captures", "testdata/diff/file/v1/acme.yaml", "testdata/diff/file/v2/acme.yaml"}},
	{name: "file-specs-json", args: []string{"diff", "--format", "json", "--captures", "testdata/diff/file-captures", "testdata/diff/file/v1/acme.yaml", "testdata/diff/file/v2/acme.yaml"}},

	diffCase("mixed-text", "mixed"),
	diffCase("mixed-json", "mixed", "--format", "json"),
	diffCase("mixed-markdown", "mixed", "--format", "markdown"),
	diffCase("mixed-github", "mixed", "--format", "github"),
	diffCase("mixed-fail-on-widening-narrowing", "mixed", "--fail-on", "widening,narrowing", "--no-go-api"),
	diffCase("mixed-fail-on-none", "mixed", "--fail-on", "none"),
	diffCase("widening-fail-on-widening", "widening", "--fail-on=widening"),

	diffCase("blast-text", "mixed", "--captures", "testdata/diff/captures"),
	diffCase("blast-json", "mixed", "--captures", "testdata/diff/captures", "--format", "json"),
	diffCase("blast-markdown", "mixed", "--captures", "testdata/diff/captures", "--format", "markdown"),
	diffCase("blast-github", "mixed", "--captures", "testdata/diff/captures", "--format", "github"),

	{name: "usage-one-argument", args: []string{"diff", "testdata/diff/mixed/old"}},
	{name: "usage-bad-format", args: []string{"diff", "--format", "yaml", "a", "b"}},
	{name: "usage-bad-class", args: []string{"diff", "--fail-on", "breaking", "a", "b"}},
	{name: "usage-missing-old", args: []string{"diff", "testdata/diff/no-such-dir", "testdata/diff/mixed/new"}},
	{name: "usage-broken-spec", args: []string{"diff", "testdata/diff/mixed/old", "testdata/specs-dangling-ref"}},
	{name: "usage-missing-captures", args: []string{"diff", "--captures", "testdata/diff/no-such-dir", "testdata/diff/mixed/old", "testdata/diff/mixed/new"}},
	{name: "usage-bad-git-input", args: []string{"diff", "--against", ".git#ref=main,color=blue"}},
	{name: "diff-help", args: []string{"diff", "-h"}},
}

func TestDiffGolden(t *testing.T) {
	runGoldenCases(t, filepath.Join("diff", "golden"), diffGoldenCases)
}

// TestDiffBlastRadiusMatchesTestRuns checks that the blast radius's
// counts per event are those of two `hookcontract test` runs over the same
// payloads, one per contract, and that the verdict changes are exactly
// the payloads whose verdict differs between the runs.
func TestDiffBlastRadiusMatchesTestRuns(t *testing.T) {
	for _, c := range []string{"mixed", "narrowing", "widening", "go-api", "events", "expectation", "bare", "layout"} {
		t.Run(c, func(t *testing.T) {
			old, new := "testdata/diff/"+c+"/old", "testdata/diff/"+c+"/new"
			checkBlastAgainstTestRuns(t, old, new, "testdata/diff/captures")
		})
	}
}

func checkBlastAgainstTestRuns(t *testing.T, old, new string, captures ...string) {
	t.Helper()
	var out, errb bytes.Buffer
	args := []string{"diff", "--format", "json", "--fail-on", "none", "--no-go-api"}
	for _, c := range captures {
		args = append(args, "--captures", c)
	}
	if code := Run(append(args, old, new), nil, &out, &errb); code != ExitOK {
		t.Fatalf("diff: exit %d: %s", code, errb.String())
	}
	var rep contractdiff.JSONReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatal(err)
	}
	run := func(specs string) map[string]contracttest.Result {
		var out, errb bytes.Buffer
		code := Run(append([]string{"test", "--format", "json", "--specs", specs}, captures...), nil, &out, &errb)
		if code == ExitUsage {
			t.Fatalf("test --specs %s: exit 2: %s", specs, errb.String())
		}
		var jr contracttest.JSONReport
		if err := json.Unmarshal(out.Bytes(), &jr); err != nil {
			t.Fatal(err)
		}
		m := map[string]contracttest.Result{}
		for _, r := range jr.Results {
			m[r.Location()] = r
		}
		return m
	}
	before, after := run(old), run(new)
	if rep.Payloads == nil || *rep.Payloads != len(before) || len(before) != len(after) {
		t.Fatalf("diff checked %v payloads; the test runs %d and %d", rep.Payloads, len(before), len(after))
	}
	type counts struct{ old, new contracttest.Summary }
	want := map[string]*counts{}
	at := func(p, e string) *counts {
		k := p + " " + e
		if want[k] == nil {
			want[k] = &counts{}
		}
		return want[k]
	}
	changed := map[string]bool{}
	for loc, o := range before {
		n := after[loc]
		at(o.Provider, o.Event).old.Add(o.Verdict)
		at(n.Provider, n.Event).new.Add(n.Verdict)
		if o.Verdict != n.Verdict {
			changed[loc] = true
		}
	}
	for _, e := range rep.Events {
		w := want[e.Provider+" "+e.Event]
		if w == nil {
			t.Errorf("diff counts %s %s, which no test run reports", e.Provider, e.Event)
			continue
		}
		if e.Old != w.old || e.New != w.new {
			t.Errorf("%s %s: diff counts old %+v new %+v; test runs give %+v and %+v", e.Provider, e.Event, e.Old, e.New, w.old, w.new)
		}
		delete(want, e.Provider+" "+e.Event)
	}
	for k := range want {
		t.Errorf("test runs report %s, which the diff does not count", k)
	}
	if len(rep.VerdictChanges) != len(changed) {
		t.Errorf("diff lists %d verdict changes; the test runs differ on %d payloads", len(rep.VerdictChanges), len(changed))
	}
	for _, v := range rep.VerdictChanges {
		r := contracttest.Result{Source: v.Path, Line: v.Line}
		loc := r.Location()
		if !changed[loc] {
			t.Errorf("diff lists %s as changed; the test runs agree on it", loc)
			continue
		}
		if before[loc].Verdict != v.Old || after[loc].Verdict != v.New {
			t.Errorf("%s: diff says %s -> %s; test runs say %s -> %s", loc, v.Old, v.New, before[loc].Verdict, after[loc].Verdict)
		}
	}
}

// TestDiffAgainstGitRevision builds a temporary git repository with two
// commits of a contract and diffs the working tree against the first.
func TestDiffAgainstGitRevision(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	repo := t.TempDir()
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", repo, "-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	git("init", "-q", "-b", "main")
	copyTree(t, "testdata/diff/mixed/old", filepath.Join(repo, "contracts"))
	os.WriteFile(filepath.Join(repo, "README"), []byte("a repository with contracts under contracts/\n"), 0o644)
	git("add", ".")
	git("commit", "-q", "-m", "first")
	git("tag", "v1")
	os.RemoveAll(filepath.Join(repo, "contracts"))
	copyTree(t, "testdata/diff/mixed/new", filepath.Join(repo, "contracts"))
	git("add", "-A")
	git("commit", "-q", "-m", "second")

	var want bytes.Buffer
	if code := Run([]string{"diff", "--format", "json", "testdata/diff/mixed/old", "testdata/diff/mixed/new"}, nil, &want, os.Stderr); code != ExitFindings {
		t.Fatalf("diff of the folders: exit %d", code)
	}
	changes := func(b []byte) string {
		var rep contractdiff.JSONReport
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		out, _ := json.Marshal(rep.Changes)
		return string(out)
	}
	for _, args := range [][]string{
		{"--against", repo + "/.git#ref=v1,subdir=contracts", filepath.Join(repo, "contracts")},
		{"--against", repo + "#tag=v1,subdir=contracts"}, // NEW: the same subdir in the working tree
		{repo + "#ref=main~1,subdir=contracts", repo + "#ref=main,subdir=contracts"},
	} {
		var out, errb bytes.Buffer
		code := Run(append([]string{"diff", "--format", "json"}, args...), nil, &out, &errb)
		if code != ExitFindings {
			t.Fatalf("diff %v: exit %d, want 1: %s", args, code, errb.String())
		}
		if got := changes(out.Bytes()); got != changes(want.Bytes()) {
			t.Errorf("diff %v:\n%s\nwant the folders' changes:\n%s", args, got, changes(want.Bytes()))
		}
	}
	// Annotations name the document where it lives in the repository.
	var gh, ghErr bytes.Buffer
	Run([]string{"diff", "--format", "github", repo + "#ref=v1,subdir=contracts", repo + "#ref=main,subdir=contracts"}, nil, &gh, &ghErr)
	if want := "file=" + strings.ReplaceAll(filepath.ToSlash(repo), ":", "%3A") + "/contracts/shop/openapi.yaml,"; !strings.Contains(gh.String(), want) {
		t.Errorf("github annotations do not name %s:\n%s%s", want, gh.String(), ghErr.String())
	}
	for _, tc := range []struct{ arg, msg string }{
		{repo + "#ref=no-such-branch,subdir=contracts", "no commit"},
		{repo + "#ref=v1,subdir=elsewhere", "subdir"},
		{repo + "#ref=v1,subdir=../..", "leaves the repository"},
		{repo + "#ref=--output=x", "not a revision"},
		{repo + "/no-such-dir#ref=v1", "no repository directory"},
		{t.TempDir() + "#ref=v1", "not in a git repository"},
	} {
		var out, errb bytes.Buffer
		if code := Run([]string{"diff", "--against", tc.arg, "testdata/diff/mixed/new"}, nil, &out, &errb); code != ExitUsage {
			t.Errorf("diff --against %s: exit %d, want 2", tc.arg, code)
		}
		if !strings.Contains(errb.String(), tc.msg) {
			t.Errorf("diff --against %s: %q does not say %q", tc.arg, errb.String(), tc.msg)
		}
	}
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
