package contracttest

import (
	"bufio"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// ndjsonReader generates n NDJSON lines on the fly, cycling through
// bodies, so that a test can stream more input than it holds.
type ndjsonReader struct {
	bodies [][]byte
	n, i   int
	rest   []byte
}

func (r *ndjsonReader) Read(p []byte) (int, error) {
	if len(r.rest) == 0 {
		if r.i == r.n {
			return 0, io.EOF
		}
		r.rest = append(r.bodies[r.i%len(r.bodies)], '\n')
		r.i++
	}
	n := copy(p, r.rest)
	r.rest = r.rest[n:]
	return n, nil
}

// streamBodies are the compact valid fixtures the benchmark is built
// from, and their mean size in NDJSON.
func streamBodies(t *testing.T) (*Suite, [][]byte, int) {
	t.Helper()
	s, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	bodies, err := benchBodies(s)
	if err != nil {
		t.Fatal(err)
	}
	size := 0
	for i, b := range bodies {
		bodies[i] = b[:len(b):len(b)]
		size += len(b) + 1
	}
	return s, bodies, size / len(bodies)
}

// TestStreamBoundedMemory streams 24 MB of valid payloads and three
// times as many failing ones (`{}`: an unknown provider) through RunStream and samples
// the heap in the sink: it stays under a bound that does not depend on
// the size of the input. RunPaths on the same input holds all of it and
// every result at once (a failing result alone holds about a kilobyte).
//
// The heap is that of a process of its own (this test binary run again
// for this test alone), as it is for `hookcontract test`: the other
// tests' heaps are not the run's.
func TestStreamBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 25 MB")
	}
	if os.Getenv("CONTRACTTEST_STREAM_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestStreamBoundedMemory$", "-test.v")
		cmd.Env = append(os.Environ(), "CONTRACTTEST_STREAM_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		for _, l := range strings.Split(string(out), "\n") {
			if strings.Contains(l, "peak heap") {
				t.Log(strings.TrimSpace(l))
			}
		}
		return
	}
	s, bodies, avg := streamBodies(t)
	const valid = 24 << 20
	const bound = 96 << 20
	// Each fixture is followed by three `{}`.
	var mixed [][]byte
	for _, b := range bodies {
		mixed = append(mixed, b, []byte("{}"), []byte("{}"), []byte("{}"))
	}
	lines := 4 * (valid / avg)
	var peak uint64
	var ms runtime.MemStats
	seen := 0
	rep, err := s.RunStream([]string{"-"}, &ndjsonReader{bodies: mixed, n: lines}, Options{Jobs: 2}, func(r *Result) error {
		seen++
		if r.Line != seen {
			return fmt.Errorf("result %d is line %d", seen, r.Line)
		}
		if seen%5000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum := rep.Summary(); sum.Total != lines || sum.Failed != lines/4*3 || len(rep.Errors) != 0 {
		t.Fatalf("summary %+v, errors %v; want %d payloads, %d failed", sum, rep.Errors, lines, lines/4*3)
	}
	t.Logf("%d lines: peak heap in use %.1f MB", lines, float64(peak)/(1<<20))
	if peak > bound {
		t.Errorf("peak heap in use %d MB streaming %d lines; want under %d MB", peak>>20, lines, bound>>20)
	}
}

// TestStreamOrder: over several files, batches and jobs, the sink sees
// every result in input order, and the shards split the payloads as
// RunPaths does.
func TestStreamOrder(t *testing.T) {
	s, bodies, _ := streamBodies(t)
	dir := t.TempDir()
	var want []string
	for f := range 3 {
		var b bytes.Buffer
		name := filepath.Join(dir, "p"+strconv.Itoa(f)+".ndjson")
		for i := range 1500 + f*100 {
			b.Write(bodies[(i*7+f)%len(bodies)])
			b.WriteString("\n")
			want = append(want, name+":"+strconv.Itoa(i+1))
		}
		if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, opts := range []Options{{Jobs: 1}, {Jobs: 3}, {Jobs: 2, Shard: 2, Shards: 3}} {
		var got []string
		rep, err := s.RunStream([]string{dir}, nil, opts, func(r *Result) error {
			got = append(got, r.Location())
			return nil
		})
		if err != nil || len(rep.Errors) > 0 || len(rep.Results) > 0 {
			t.Fatalf("%+v: %v, errors %v, %d results kept", opts, err, rep.Errors, len(rep.Results))
		}
		w := want
		if opts.Shards > 1 {
			w = nil
			for i, loc := range want {
				if i%opts.Shards == opts.Shard-1 {
					w = append(w, loc)
				}
			}
		}
		if strings.Join(got, " ") != strings.Join(w, " ") {
			t.Errorf("%+v: %d results out of order or missing (want %d)", opts, len(got), len(w))
		}
		if rep.Summary().Total != len(w) {
			t.Errorf("%+v: summary %+v, want %d payloads", opts, rep.Summary(), len(w))
		}
	}
}

// TestStreamSinkError: a failing sink stops the run at once (no hang),
// and its error is returned.
func TestStreamSinkError(t *testing.T) {
	s, bodies, _ := streamBodies(t)
	boom := errors.New("disk full")
	n := 0
	_, err := s.RunStream([]string{"-"}, &ndjsonReader{bodies: bodies, n: 1_000_000}, Options{Jobs: 2}, func(*Result) error {
		n++
		if n == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || n != 10 {
		t.Errorf("error %v after %d results; want %v after 10", err, n, boom)
	}
}

// TestLongLine: a line longer than MaxPayloadBytes is an input error at
// its line, and the lines after it are still checked; the same for a
// whole file and for stdin.
func TestLongLine(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 17 MB")
	}
	s := testSuite(t)
	compact := strings.Join(strings.Fields(ticket), " ")
	long := `{"topic": "` + strings.Repeat("x", MaxPayloadBytes) + `"}`
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.ndjson": compact + "\n" + long + "\r\n" + compact + "\n",
		"b.json":   long,
	})
	rep := s.RunPaths([]string{filepath.Join(dir, "a.ndjson"), filepath.Join(dir, "b.json")}, nil, Options{})
	var got []string
	for _, r := range rep.Results {
		got = append(got, strings.TrimPrefix(r.Location(), dir+string(filepath.Separator))+" "+string(r.Verdict))
	}
	for _, e := range rep.Errors {
		got = append(got, strings.ReplaceAll(e.Error(), dir+string(filepath.Separator), ""))
	}
	want := []string{
		"a.ndjson:1 pass", "a.ndjson:3 pass",
		"read a.ndjson:2: a line larger than 16777216 bytes (MaxPayloadBytes), not read",
		"read b.json: a payload larger than 16777216 bytes (MaxPayloadBytes), not read",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// On stdin, as a line among others and as the whole input.
	rep = s.RunPaths([]string{"-"}, strings.NewReader(compact+"\n"+long+"\n"+compact+"\n"), Options{})
	if len(rep.Results) != 2 || rep.Results[1].Line != 3 || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Error(), "read -:2: a line larger") {
		t.Errorf("stdin with a long line: %d results, errors %v", len(rep.Results), rep.Errors)
	}
	rep = s.RunPaths([]string{"-"}, strings.NewReader(long), Options{})
	if len(rep.Results) != 0 || len(rep.Errors) != 1 || !strings.Contains(rep.Errors[0].Error(), "read -: a payload larger") {
		t.Errorf("a long stdin: %d results, errors %v", len(rep.Results), rep.Errors)
	}
}

// TestStdinOneLine: stdin of one line (and blank lines) is one payload,
// its bytes all of stdin, as a .json file would be.
func TestStdinOneLine(t *testing.T) {
	s := testSuite(t)
	compact := strings.Join(strings.Fields(ticket), " ")
	in := "\n" + compact + "\r\n\n"
	rep := s.RunPaths([]string{"-"}, strings.NewReader(in), Options{})
	if len(rep.Results) != 1 || rep.Results[0].Location() != "-" || rep.Results[0].Bytes != len(in) || rep.Results[0].Verdict != Pass {
		t.Errorf("one line on stdin: %+v", rep.Results)
	}
}

// TestStreamedReports: each format written as it goes is a well-formed
// document whose totals count what it holds, with and without results.
func TestStreamedReports(t *testing.T) {
	s := testSuite(t)
	dir := t.TempDir()
	compact := strings.Join(strings.Fields(ticket), " ")
	writeFiles(t, dir, map[string]string{
		"a.ndjson":  compact + "\n" + `{"topic": 1}` + "\n" + strings.Replace(compact, `"topic"`, `"x": 1, "topic"`, 1) + "\n",
		"notes.txt": "x",
	})
	for _, paths := range [][]string{{dir}, {filepath.Join(dir, "missing.json")}} {
		for _, format := range Formats {
			var out bytes.Buffer
			rw, err := NewReportWriter(&out, format, false)
			if err != nil {
				t.Fatal(err)
			}
			rep, err := s.RunStream(paths, nil, Options{}, rw.Result)
			if err != nil {
				t.Fatal(err)
			}
			if err := rw.Close(rep); err != nil {
				t.Fatal(err)
			}
			// The same report kept whole and written at once.
			var whole bytes.Buffer
			if err := s.RunPaths(paths, nil, Options{}).Write(&whole, format, false); err != nil {
				t.Fatal(err)
			}
			if out.String() != whole.String() {
				t.Errorf("%s %v: streamed report differs from the whole one:\n%s\n---\n%s", format, paths, out.String(), whole.String())
			}
			sum := rep.Summary()
			switch format {
			case "json":
				var doc JSONReport
				if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
					t.Fatalf("json %v: %v\n%s", paths, err, out.String())
				}
				if doc.Summary != sum || len(doc.Results) != sum.Total || doc.Results == nil {
					t.Errorf("json %v: summary %+v, %d results; want %+v", paths, doc.Summary, len(doc.Results), sum)
				}
			case "junit":
				var doc junitSuites
				if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
					t.Fatalf("junit %v: %v\n%s", paths, err, out.String())
				}
				cases := len(doc.Suites[0].Cases)
				if doc.Tests != cases || cases != sum.Total+sum.InputErrors+sum.Skipped || doc.Failures != sum.Failed || doc.Errors != sum.InputErrors {
					t.Errorf("junit %v: tests %d, failures %d, errors %d, %d cases; summary %+v", paths, doc.Tests, doc.Failures, doc.Errors, cases, sum)
				}
			}
		}
	}
}

// TestLineReaderAgreesWithSplitLines: reading NDJSON line by line through
// a reader buffer of 16 bytes (so that most lines are longer than it)
// gives the payloads SplitLines gives from the whole input.
func TestLineReaderAgreesWithSplitLines(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 5))
	pieces := []string{"{}", `{"a": 1}`, " ", "\t", "\r", "\n", "\r\n", strings.Repeat("x", 40), `"é"`}
	for i := range 3000 {
		var b strings.Builder
		for n := rng.IntN(20); n >= 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		in := b.String()
		var want, got []string
		SplitLines("f", []byte(in), func(p Payload) { want = append(want, p.Source+":"+strconv.Itoa(p.Line)+" "+string(p.Data)) })
		lr := &lineReader{r: bufio.NewReaderSize(strings.NewReader(in), 16)}
		err := readLines("f", lr, func(p Payload, err error) error {
			if err != nil {
				return err
			}
			got = append(got, p.Source+":"+strconv.Itoa(p.Line)+" "+string(p.Data))
			return nil
		}, 0)
		if len(want) == 0 {
			if err == nil || err.Error() != "read f: no payload: the input is empty" {
				t.Fatalf("case %d %q: error %v, want the empty input error", i, in, err)
			}
			continue
		}
		if err != nil || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("case %d %q: got %q (%v), want %q", i, in, got, err, want)
		}
	}
}

// TestWalkOrder: the walk gives the files of a tree in the lexical order
// of their paths, though it never holds more than one directory's
// entries per level.
func TestWalkOrder(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for _, name := range []string{"a.json", "a/b.json", "a/b/c.json", "a.b/x.json", "a-/x.json", "ab/c.json", "a/b.ndjson", "a0.json", "A.json", "a/ b.json", "z/y/x/w.json"} {
		files[name] = "{}"
	}
	writeFiles(t, dir, files)
	got, errs := ExpandPaths([]string{dir})
	if len(errs) > 0 || len(got) != len(files) {
		t.Fatalf("%d files, errors %v; want %d files", len(got), errs, len(files))
	}
	if !sort.StringsAreSorted(got) {
		t.Errorf("files not in lexical order:\n%s", strings.Join(got, "\n"))
	}
}

// TestLargePayloadsShareABudget attacks the runner with payloads of
// 300 000 values each on 8 jobs: checked all at once they would hold 2.4
// million values, and about 200 bytes each (the payload's value and the
// reference validator's work on it). The checkers share a budget of
// MaxPayloadValues values, so no more than that are held at once; every
// payload is still checked.
func TestLargePayloadsShareABudget(t *testing.T) {
	if testing.Short() {
		t.Skip("checks 12 payloads of 300 000 values")
	}
	s, err := Embedded()
	if err != nil {
		t.Fatal(err)
	}
	const values = 300_000
	body := []byte(`{"topic":"sac_ticket","data":[` + strings.Repeat("0,", values-6) + `0]}`)
	valuesHeldPeak.Store(0)
	rep, err := s.RunStream([]string{"-"}, &ndjsonReader{bodies: [][]byte{body}, n: 12}, Options{Jobs: 8, Provider: "tickets"}, func(r *Result) error {
		if r.Verdict != Fail || len(r.Violations) == 0 || r.Violations[0].Keyword == "limit" {
			return fmt.Errorf("line %d: %s %+v, want checked and failed", r.Line, r.Verdict, r.Violations)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum := rep.Summary(); sum.Total != 12 || sum.Failed != 12 {
		t.Fatalf("summary %+v, errors %v", sum, rep.Errors)
	}
	peak := valuesHeldPeak.Load()
	t.Logf("at most %d values held at once (%d payloads of %d)", peak, peak/values, values)
	if peak > MaxPayloadValues || peak < values {
		t.Errorf("%d values held at once; want %d to %d", peak, values, MaxPayloadValues)
	}
	if n := valuesHeld.Load(); n != 0 {
		t.Errorf("%d values still held after the run", n)
	}
}
