package contracttest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// writeFiles writes name -> content under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// runDir checks dir and returns its results by location relative to dir,
// as "verdict keyword..." strings, and its errors relative to dir.
func runDir(t *testing.T, s *Suite, dir string, opts Options) (map[string]Result, []string) {
	t.Helper()
	rep := s.RunPaths([]string{dir}, nil, opts)
	res := map[string]Result{}
	for _, r := range rep.Results {
		rel, err := filepath.Rel(dir, r.Source)
		if err != nil {
			t.Fatal(err)
		}
		r.Source = filepath.ToSlash(rel)
		res[r.Location()] = r
	}
	var errs []string
	for _, e := range rep.Errors {
		errs = append(errs, strings.ReplaceAll(e.Error(), dir+string(filepath.Separator), ""))
	}
	for _, sk := range rep.Skipped {
		errs = append(errs, strings.ReplaceAll(sk.Error(), dir+string(filepath.Separator), ""))
	}
	return res, errs
}

func mustFail(t *testing.T, r Result, keyword, inMessage string) {
	t.Helper()
	if r.Verdict != Fail || len(r.Violations) != 1 || r.Violations[0].Keyword != keyword || !strings.Contains(r.Violations[0].Message, inMessage) {
		t.Errorf("%s: %s %+v, want one %s violation with %q", r.Location(), r.Verdict, r.Violations, keyword, inMessage)
	}
}

// TestBadInputs: every kind of bad input gives a clear result or error.
func TestBadInputs(t *testing.T) {
	s := testSuite(t)
	dir := t.TempDir()
	compact := strings.Join(strings.Fields(ticket), " ")
	writeFiles(t, dir, map[string]string{
		"empty.json":       "",
		"blank.json":       " \n\n",
		"bom.json":         "\xEF\xBB\xBF" + ticket,
		"utf8.json":        strings.Replace(ticket, "CREATION", "CRE\xC3\x28ATION", 1),
		"binary.json":      "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
		"duplicate.json":   strings.Replace(ticket, `"topic"`, `"tenant_id": "3b5cf468-c858-404b-9e53-630e3df9d74a", "topic"`, 1),
		"not-json.json":    "{\n  \"topic\": \"sac_ticket\",\n  \"data\": {,}\n}",
		"lines.ndjson":     "\n" + compact + "\n   \n\t\n" + compact + "\r\n\n{oops}\n" + compact,
		"blank.ndjson":     "\n  \n\t\r\n",
		"ignored.txt":      "not a payload",
		"sub/deep.jsonl":   compact + "\n",
		"sub/valid.json":   ticket,
		"sub/.hidden.json": ticket,
	})
	res, errs := runDir(t, s, dir, Options{})

	mustFail(t, res["bom.json"], "json", "byte order mark")
	mustFail(t, res["utf8.json"], "json", "invalid UTF-8 byte 0xc3")
	mustFail(t, res["binary.json"], "json", "byte 0x89")
	mustFail(t, res["duplicate.json"], "duplicate-key", `duplicate object key "tenant_id"`)
	mustFail(t, res["not-json.json"], "json", "line 3, column 12")
	if v := res["duplicate.json"].Violations; len(v) == 1 && v[0].Pointer != "/tenant_id" {
		t.Errorf("duplicate key pointer %q, want /tenant_id", v[0].Pointer)
	}
	// Blank and whitespace-only lines are skipped, lines keep their numbers.
	for _, loc := range []string{"lines.ndjson:2", "lines.ndjson:5", "lines.ndjson:8", "sub/deep.jsonl:1", "sub/valid.json", "sub/.hidden.json"} {
		if r, ok := res[loc]; !ok || r.Verdict != Pass {
			t.Errorf("%s: %+v, want pass", loc, r)
		}
	}
	mustFail(t, res["lines.ndjson:7"], "json", "column 2")
	var locs []string
	for loc := range res {
		locs = append(locs, loc)
	}
	slices.Sort(locs)
	if want := []string{"binary.json", "bom.json", "duplicate.json", "lines.ndjson:2", "lines.ndjson:5", "lines.ndjson:7", "lines.ndjson:8", "not-json.json", "sub/.hidden.json", "sub/deep.jsonl:1", "sub/valid.json", "utf8.json"}; !slices.Equal(locs, want) {
		t.Errorf("results for %v, want %v", locs, want)
	}
	// An input with nothing in it is the same error whatever its name;
	// a file of another extension is skipped, and said so.
	if want := []string{
		"read blank.json: no payload: the input is empty",
		"read blank.ndjson: no payload: the input is empty",
		"read empty.json: no payload: the input is empty",
		"skipped ignored.txt: not a .json, .ndjson or .jsonl file",
	}; !slices.Equal(errs, want) {
		t.Errorf("errors %q, want %q", errs, want)
	}
}

// TestPathErrors: unreadable paths are errors beside the payloads that
// could be read, never a hang or a silent pass.
func TestPathErrors(t *testing.T) {
	s := testSuite(t)
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"good.json": ticket, "empty/readme.txt": "no payload here"})
	link := func(target, name string) {
		t.Helper()
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	link("missing.json", "dangling.json")
	link("loop.json", "loop.json")
	link(".", "self") // a directory loop: walked once
	link("good.json", "alias.json")

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
		t.Fatal("the walk did not finish: a link loop trapped it")
	}
	for _, loc := range []string{"good.json", "alias.json"} {
		if res[loc].Verdict != Pass {
			t.Errorf("%s: %+v, want pass", loc, res[loc])
		}
	}
	if len(res) != 2 {
		t.Errorf("results %v, want good.json and alias.json", res)
	}
	want := []string{
		"read dangling.json: symbolic link: no such file or directory",
		"read loop.json: symbolic link: too many levels of symbolic links",
		"skipped empty/readme.txt: not a .json, .ndjson or .jsonl file",
		"skipped self: a link to a directory already walked",
	}
	if !slices.Equal(errs, want) {
		t.Errorf("errors:\n%s\nwant\n%s", strings.Join(errs, "\n"), strings.Join(want, "\n"))
	}

	// Explicit paths: a missing one is an error, the rest is checked.
	rep := s.RunPaths([]string{filepath.Join(dir, "good.json"), filepath.Join(dir, "nope.json"), filepath.Join(dir, "empty")}, nil, Options{})
	if len(rep.Results) != 1 || len(rep.Errors) != 2 {
		t.Errorf("explicit paths: %d results, errors %v; want 1 result, 2 errors", len(rep.Results), rep.Errors)
	}
	var ie *InputError
	if !errors.As(rep.Errors[0], &ie) || !errors.Is(rep.Errors[0], os.ErrNotExist) {
		t.Errorf("missing path: %v, want an *InputError wrapping fs.ErrNotExist", rep.Errors[0])
	}

	// A directory given through a symbolic link is walked.
	link("empty/..", "via-link")
	rep = s.RunPaths([]string{filepath.Join(dir, "via-link")}, nil, Options{})
	if len(rep.Results) == 0 {
		t.Errorf("a directory given through a link was not walked: %v", rep.Errors)
	}
}

// TestUnreadableFile: a payload file that cannot be read is an error. As
// root every file is readable, so the case is skipped there; the
// not-a-regular-file cases (named pipe, dangling link) cover unreadable
// entries for everyone.
func TestUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "secret.json")
	writeFiles(t, dir, map[string]string{"secret.json": ticket})
	if err := os.Chmod(p, 0); err != nil {
		t.Fatal(err)
	}
	if f, err := os.Open(p); err == nil {
		f.Close()
		t.Skip("a file with mode 000 is readable here (running as root): see TestNamedPipe and TestPathErrors")
	}
	rep := testSuite(t).RunPaths([]string{dir}, nil, Options{})
	if len(rep.Results) != 0 || len(rep.Errors) != 1 || !errors.Is(rep.Errors[0], os.ErrPermission) {
		t.Errorf("results %v, errors %v; want one permission error", rep.Results, rep.Errors)
	}
}

// TestBigPayload: a 50 MB payload is read and judged.
func TestBigPayload(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 50 MB payload")
	}
	s := testSuite(t)
	var b bytes.Buffer
	b.WriteString(`{"topic": "sac_ticket", "tenant_id": "3b5cf468-c858-404b-9e53-630e3df9d74a", "padding": [`)
	item := `{"k": "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz"},`
	for b.Len() < 50<<20 {
		b.WriteString(item)
	}
	b.WriteString(`{}], "data": {"status": "UPDATE", "params": {"id": "debde69a-2dbb-427b-b478-6cffd7930ecf"}, "resource": "/v0/tickets/debde69a-2dbb-427b-b478-6cffd7930ecf"}}`)
	r := s.Check(b.Bytes(), CheckOptions{})
	if r.Verdict != Drift || !slices.Equal(r.Unknown, []string{"/padding"}) || r.Bytes != b.Len() {
		t.Errorf("50 MB payload: %s, unknown %v, %d bytes", r.Verdict, r.Unknown, r.Bytes)
	}
	// The same payload, broken at its very end.
	data := b.Bytes()
	data[len(data)-1] = ']'
	r = s.Check(data, CheckOptions{})
	if r.Verdict != Fail || r.Violations[0].Keyword != "json" {
		t.Errorf("broken 50 MB payload: %s %+v", r.Verdict, r.Violations)
	}
}

// TestDeepNesting: 100 000 levels of nesting are refused without
// exhausting the stack (a hang would meet go test's timeout); nesting
// within the limit is checked.
func TestDeepNesting(t *testing.T) {
	s := testSuite(t)
	const depth = 100_000
	for _, data := range []string{
		strings.Repeat("[", depth) + strings.Repeat("]", depth),
		`{"topic": "sac_ticket", "x": ` + strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth) + "}",
		strings.Repeat("[", depth),
	} {
		r := s.Check([]byte(data), CheckOptions{})
		if r.Verdict != Fail || !strings.Contains(r.Violations[0].Message, "nesting depth exceeds 10000") {
			t.Errorf("%d-deep payload: %s %+v", depth, r.Verdict, r.Violations)
		}
	}
	// Within the limit: an unknown member nested 9 990 deep is drift.
	deep := strings.Replace(ticket, `"topic"`, `"x": `+strings.Repeat("[", 9990)+strings.Repeat("]", 9990)+`, "topic"`, 1)
	if r := s.Check([]byte(deep), CheckOptions{}); r.Verdict != Drift {
		t.Errorf("9 990-deep unknown member: %s %+v", r.Verdict, r.Violations)
	}
}

// TestStdin: stdin holds one payload, pretty-printed or not, or several
// compact ones, one per line.
func TestStdin(t *testing.T) {
	s := testSuite(t)
	compact := strings.Join(strings.Fields(ticket), " ")
	for _, tc := range []struct {
		in    string
		locs  []string
		fails int
	}{
		{ticket, []string{"-"}, 0},
		{compact, []string{"-"}, 0},
		{compact + "\n\n" + compact + "\n", []string{"-:1", "-:3"}, 0},
		{compact + "\n" + `{"topic": 1}` + "\n", []string{"-:1", "-:2"}, 1},
	} {
		rep := s.RunPaths([]string{"-"}, strings.NewReader(tc.in), Options{})
		var locs []string
		for _, r := range rep.Results {
			locs = append(locs, r.Location())
		}
		if !slices.Equal(locs, tc.locs) || rep.Summary().Failed != tc.fails || len(rep.Errors) != 0 {
			t.Errorf("stdin %.40q: %v, %d failed, errors %v; want %v, %d failed", tc.in, locs, rep.Summary().Failed, rep.Errors, tc.locs, tc.fails)
		}
	}
}

// TestEmptyStdin: empty standard input is the same error as an empty file.
func TestEmptyStdin(t *testing.T) {
	for _, in := range []string{"", "\n", " \r\n\t"} {
		rep := testSuite(t).RunPaths([]string{"-"}, strings.NewReader(in), Options{})
		if len(rep.Results) != 0 || len(rep.Errors) != 1 || rep.Errors[0].Error() != "read -: no payload: the input is empty" {
			t.Errorf("stdin %q: %d results, errors %v", in, len(rep.Results), rep.Errors)
		}
	}
}

// TestSymlinkedDirectories: a link to a directory is walked, under its
// own name; a loop deep in the tree ends the walk of that branch, said as
// skipped, and nothing is checked twice.
func TestSymlinkedDirectories(t *testing.T) {
	s := testSuite(t)
	root, outside := t.TempDir(), t.TempDir()
	writeFiles(t, root, map[string]string{"a/b/one.json": ticket})
	writeFiles(t, outside, map[string]string{"two.json": ticket})
	for target, name := range map[string]string{outside: "linked", "../..": "a/b/up", "b": "a/zz-again"} {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Skipf("symbolic links: %v", err)
		}
	}
	res, errs := runDir(t, s, root, Options{})
	var locs []string
	for loc, r := range res {
		if r.Verdict != Pass {
			t.Errorf("%s: %s", loc, r.Verdict)
		}
		locs = append(locs, loc)
	}
	slices.Sort(locs)
	if want := []string{"a/b/one.json", "linked/two.json"}; !slices.Equal(locs, want) {
		t.Errorf("results %v, want %v", locs, want)
	}
	if want := []string{"skipped a/b/up: a link to a directory already walked", "skipped a/zz-again: a link to a directory already walked"}; !slices.Equal(errs, want) && !slices.Equal(errs, []string{want[1], want[0]}) {
		t.Errorf("skipped %q, want %q", errs, want)
	}
}

// TestShards: shards split the payloads, in input order, with nothing lost
// or checked twice.
func TestShards(t *testing.T) {
	s := testSuite(t)
	dir := t.TempDir()
	compact := strings.Join(strings.Fields(ticket), " ")
	writeFiles(t, dir, map[string]string{
		"a.json":   ticket,
		"b.ndjson": strings.Repeat(compact+"\n", 5),
		"c.json":   ticket,
	})
	all := s.RunPaths([]string{dir}, nil, Options{})
	var seen []string
	for k := 1; k <= 3; k++ {
		rep := s.RunPaths([]string{dir}, nil, Options{Shard: k, Shards: 3})
		for _, r := range rep.Results {
			seen = append(seen, r.Location())
		}
	}
	var want []string
	for _, r := range all.Results {
		want = append(want, r.Location())
	}
	slices.Sort(seen)
	slices.Sort(want)
	if len(want) != 7 || !slices.Equal(seen, want) {
		t.Errorf("shards checked %v, want each of %v once", seen, want)
	}
}
