package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hookcontract/hookcontract/contracttest"
)

func runTest(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("test", stderr, "[flags] [PATH...]\n\nChecks payloads against the contracts. A PATH is a .json file (one payload),\nan .ndjson/.jsonl file (one payload per line), a directory (walked\nrecursively) or - for stdin. With no PATH, checks the embedded fixtures\nagainst their recorded outcomes.")
	var (
		provider = fs.String("provider", "", "provider `NAME` (skip provider detection)")
		event    = fs.String("event", "", "event `NAME` of bodies that carry no event name (SalesIQ bare entities, Ampersand data-only bodies)")
		specDir  = fs.String("specs", "", "spec `DIR` to use instead of the embedded specs (layout: specs/LAYOUT.md)")
		format   = fs.String("format", "text", "output `FORMAT`: text, json, junit or github")
		output   = fs.String("output", "", "write the report to `FILE` instead of stdout")
		strict   = fs.Bool("strict", false, "fail on drift (properties the contract does not know)")
		jobs     = fs.Int("jobs", 0, "parallel checks `N` (default: every core)")
		shard    = fs.String("shard", "", "check only shard `K/N` of the payloads (1 <= K <= N), for splitting a run across CI runners")
	)
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagError(err)
	}
	if !oneOf(*format, []string{"github", "json", "junit", "text"}) {
		fmt.Fprintf(stderr, "hookcontract test: unknown --format %q (expected text, json, junit or github)\n", *format)
		return ExitUsage
	}
	if *jobs < 0 {
		fmt.Fprintf(stderr, "hookcontract test: --jobs: expected a number of parallel checks (0 for every core), found %d\n", *jobs)
		return ExitUsage
	}
	opts := contracttest.Options{Provider: *provider, Event: *event, Strict: *strict, Jobs: *jobs}
	if *shard != "" {
		k, n, ok := parseShard(*shard)
		if !ok {
			fmt.Fprintf(stderr, "hookcontract test: --shard %q: expected K/N with 1 <= K <= N\n", *shard)
			return ExitUsage
		}
		opts.Shard, opts.Shards = k, n
	}
	suite, err := loadSuite(*specDir)
	if err != nil {
		fmt.Fprintf(stderr, "hookcontract test: %v\n", err)
		return ExitUsage
	}
	if *provider != "" && !contains(suite.Providers(), *provider) {
		fmt.Fprintf(stderr, "hookcontract test: unknown --provider %q (known: %s)\n", *provider, strings.Join(suite.Providers(), ", "))
		return ExitUsage
	}
	if *event != "" && !suiteHasEvent(suite, *provider, *event) {
		fmt.Fprintf(stderr, "hookcontract test: unknown --event %q\n", *event)
		return ExitUsage
	}

	progress := newProgress(stderr)
	opts.Progress = progress.update
	var rep *contracttest.Report
	if len(paths) == 0 {
		rep = fixtureReport(suite, opts)
		if rep == nil {
			progress.clear()
			fmt.Fprintf(stderr, "hookcontract test: no fixture to check (no examples/fixtures.yaml lists one); give the payloads to check as PATHs\n")
			return ExitUsage
		}
	} else {
		rep = suite.RunPaths(paths, stdin, opts)
	}
	progress.clear()

	out := stdout
	var buf bytes.Buffer
	if *output != "" {
		out = &buf
	}
	if err := rep.Write(out, *format, *strict); err != nil {
		fmt.Fprintf(stderr, "hookcontract test: write report: %v\n", err)
		return ExitUsage
	}
	if *output != "" {
		if err := os.WriteFile(*output, buf.Bytes(), 0o644); err != nil {
			fmt.Fprintf(stderr, "hookcontract test: write report: %v\n", err)
			return ExitUsage
		}
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(stderr, "hookcontract test: %v\n", e)
	}
	switch {
	case len(rep.Errors) > 0:
		return ExitUsage
	case !rep.OK(*strict):
		return ExitFindings
	}
	return ExitOK
}

func loadSuite(dir string) (*contracttest.Suite, error) {
	if dir == "" {
		return contracttest.Embedded()
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("--specs: %w", err)
	}
	if !fi.IsDir() {
		// One document, read exactly as generate reads it.
		p, err := loadSpecFile(dir, nil)
		if err != nil {
			return nil, fmt.Errorf("--specs %s: %w", dir, err)
		}
		return contracttest.LoadProvider(p)
	}
	return contracttest.Load(os.DirFS(dir))
}

// fixtureReport checks the suite's fixtures against their recorded
// outcomes: a fixture passes when it behaves as recorded, and coverage
// problems are failures too. It returns nil when there is nothing to
// check.
func fixtureReport(suite *contracttest.Suite, opts contracttest.Options) *contracttest.Report {
	rep := &contracttest.Report{}
	for _, o := range suite.CheckFixtures() {
		if opts.Provider != "" && o.Provider != opts.Provider {
			continue
		}
		r := o.Result
		r.Violations, r.Unknown = nil, nil
		r.Verdict = contracttest.Pass
		if len(o.Problems) > 0 {
			r.Verdict = contracttest.Fail
			for _, p := range o.Problems {
				r.Violations = append(r.Violations, contracttest.Violation{Keyword: "fixture", Message: p})
			}
		}
		rep.Results = append(rep.Results, r)
	}
	for _, p := range suite.CheckCoverage() {
		rep.Results = append(rep.Results, contracttest.Result{Source: "coverage", Verdict: contracttest.Fail, Violations: []contracttest.Violation{{Keyword: "coverage", Message: p}}})
	}
	if len(rep.Results) == 0 {
		return nil
	}
	if opts.Shards > 1 {
		// The same split as for payloads: the n-th result (from 0)
		// belongs to shard n mod N + 1.
		var mine []contracttest.Result
		for i, r := range rep.Results {
			if i%opts.Shards == opts.Shard-1 {
				mine = append(mine, r)
			}
		}
		rep.Results = mine
	}
	return rep
}

func parseShard(s string) (k, n int, ok bool) {
	a, b, found := strings.Cut(s, "/")
	if !found {
		return 0, 0, false
	}
	k, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || n < 1 || k < 1 || k > n {
		return 0, 0, false
	}
	return k, n, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func suiteHasEvent(s *contracttest.Suite, provider, event string) bool {
	for _, p := range s.Spec().Providers {
		if provider != "" && p.Name != provider {
			continue
		}
		if p.Event(event) != nil {
			return true
		}
	}
	return false
}

// progress draws a progress line on stderr when it is a terminal and the
// run has taken more than a second.
type progress struct {
	w       io.Writer
	start   time.Time
	drawn   bool
	enabled bool
}

func newProgress(stderr io.Writer) *progress {
	p := &progress{w: stderr, start: time.Now()}
	if f, ok := stderr.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.enabled = true
		}
	}
	return p
}

func (p *progress) update(done, total int) {
	if !p.enabled || time.Since(p.start) < time.Second {
		return
	}
	p.drawn = true
	fmt.Fprintf(p.w, "\rhookcontract: checked %d/%d payloads", done, total)
}

func (p *progress) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
