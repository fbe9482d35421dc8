package cli

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

var testCommand = &command{
	name:    "test",
	summary: "check webhook payloads against the contracts",
	usage:   "[flags] [PATH...]",
	about: `Checks payloads against the contracts. A PATH is a .json file (one payload),
an .ndjson/.jsonl file (one payload per line), a capture of 'hookcontract
serve', a directory (walked recursively; symbolic links to directories are
followed, each directory once) or - for stdin. Every file under a directory
that is not read (another extension, a capture of a request that is not a
delivery) is listed as skipped, with its reason, and counted.

Each payload is pass, drift (conforms, but carries what the contract does
not know: a property, or an event it does not declare) or fail. With no
PATH, checks the embedded fixtures against their recorded outcomes: valid
fixtures must conform, invalid ones must fail as recorded.`,
	examples: []string{
		"hookcontract test                                            # the embedded fixtures",
		"hookcontract test captures/                                  # every payload under captures/",
		"hookcontract test --provider salesiq body.json               # skip provider detection",
		"hookcontract test --event conversation.created entity.json   # a bare SalesIQ entity",
		"cat deliveries.ndjson | hookcontract test -                  # one payload per line",
		"hookcontract test --format junit --output report.xml --shard 2/4 captures/",
	},
	exits: []exitStatus{
		{ExitOK, "every payload conforms (drift too, unless --strict)"},
		{ExitFindings, "a payload does not conform, or drifts with --strict"},
		{ExitUsage, "bad usage; an input that cannot be read, or an input that holds no payload (an empty file, an empty directory); a broken --specs"},
	},
	define: defineTest,
}

func defineTest(fs *flag.FlagSet) func(*env, []string) int {
	var (
		provider = fs.String("provider", "", "provider `NAME` (skip provider detection)")
		event    = fs.String("event", "", "event `NAME` of bodies that carry no event name (SalesIQ bare entities,\nAmpersand data-only bodies)")
		specDir  = fs.String("specs", "", "spec `DIR` to use instead of the embedded specs (layout: specs/LAYOUT.md)")
		format   = fs.String("format", "text", "output `FORMAT`: text, json, junit or github")
		output   = fs.String("output", "", "write the report to `FILE` instead of stdout")
		strict   = fs.Bool("strict", false, "fail on drift (properties or events the contract does not know, bodies over\n--max-body-bytes)")
		jobs     = fs.Int("jobs", 0, "parallel checks `N` (0: every core)")
		shard    = fs.String("shard", "", "check only shard `K/N` of the payloads (1 <= K <= N), for splitting a run\nacross CI runners")
		maxBody  = fs.Int64("max-body-bytes", 0, "the body bound of the handler the payloads are for, in `BYTES` (its WithMaxBodyBytes):\na conforming payload larger drifts, as that handler answers it 413 (0: a generated\nhandler's default, 1 MiB; -1: no bound)")
	)
	return func(e *env, paths []string) int {
		return runTest(e, paths, testFlags{provider: *provider, event: *event, specDir: *specDir, format: *format, output: *output, strict: *strict, jobs: *jobs, shard: *shard, maxBody: *maxBody})
	}
}

type testFlags struct {
	provider, event, specDir, format, output, shard string
	strict                                          bool
	jobs                                            int
	maxBody                                         int64
}

func runTest(e *env, paths []string, f testFlags) int {
	stdin, stderr := e.stdin, e.stderr
	if !oneOf(f.format, []string{"github", "json", "junit", "text"}) {
		fmt.Fprintf(stderr, "hookcontract test: unknown --format %q (expected text, json, junit or github)\n", f.format)
		return ExitUsage
	}
	if f.jobs < 0 {
		fmt.Fprintf(stderr, "hookcontract test: --jobs: expected a number of parallel checks (0 for every core), found %d\n", f.jobs)
		return ExitUsage
	}
	if f.maxBody < -1 {
		return e.usageError("--max-body-bytes: expected a number of bytes (0 for a generated handler's default, -1 for no bound), found %d", f.maxBody)
	}
	opts := contracttest.Options{Provider: f.provider, Event: f.event, Strict: f.strict, Jobs: f.jobs, MaxBodyBytes: f.maxBody}
	if f.shard != "" {
		k, n, ok := parseShard(f.shard)
		if !ok {
			fmt.Fprintf(stderr, "hookcontract test: --shard %q: expected K/N with 1 <= K <= N\n", f.shard)
			return ExitUsage
		}
		opts.Shard, opts.Shards = k, n
	}
	suite, err := loadSuite(f.specDir)
	if err != nil {
		fmt.Fprintf(stderr, "hookcontract test: %v\n", err)
		return ExitUsage
	}
	if f.provider != "" && !contains(suite.Providers(), f.provider) {
		fmt.Fprintf(stderr, "hookcontract test: unknown --provider %q (known: %s)\n", f.provider, strings.Join(suite.Providers(), ", "))
		return ExitUsage
	}
	if f.event != "" && !suiteHasEvent(suite, f.provider, f.event) {
		return e.usageError("unknown --event %q; %s", f.event, eventList(suite, f.provider))
	}

	progress := newProgress(stderr)
	opts.Progress = progress.update
	if len(paths) == 0 {
		rep := fixtureReport(suite, opts)
		if rep == nil {
			fmt.Fprintf(stderr, "hookcontract test: no fixture to check (no examples/fixtures.yaml lists one); give the payloads to check as PATHs\n")
			return ExitUsage
		}
		return writeTestReport(e, f, progress, rep, nil)
	}
	return writeTestReport(e, f, progress, nil, func(rw *contracttest.ReportWriter, flushed func()) (*contracttest.Report, error) {
		return suite.RunStream(paths, stdin, opts, func(r *contracttest.Result) error {
			if err := rw.Result(r); err != nil {
				return err
			}
			flushed()
			return nil
		})
	})
}

// writeTestReport writes the report of a test run to stdout or --output
// as it goes: rep's results, or those run gives the report writer, then
// the input errors on stderr, then the end of the report. It returns the
// exit status.
func writeTestReport(e *env, f testFlags, p *progress, rep *contracttest.Report, run func(rw *contracttest.ReportWriter, flushed func()) (*contracttest.Report, error)) int {
	stdout, stderr := e.stdout, e.stderr
	out := stdout
	var file *os.File
	if f.output != "" {
		var err error
		if file, err = os.Create(f.output); err != nil {
			fmt.Fprintf(stderr, "hookcontract test: write report: %v\n", err)
			return ExitUsage
		}
		defer file.Close()
		out = file
	}
	bw := bufio.NewWriterSize(out, 64<<10)
	fail := func(err error) int {
		p.clear()
		fmt.Fprintf(stderr, "hookcontract test: write report: %v\n", err)
		return ExitUsage
	}
	rw, err := contracttest.NewReportWriter(bw, f.format, f.strict)
	if err != nil {
		return fail(err)
	}
	defer rw.Abort()
	if rep == nil {
		// Where the report and the progress line share a terminal, what
		// the report says is shown at once, the progress line cleared
		// before it.
		live := p.enabled && file == nil && isTerminal(stdout)
		flushed := func() {
			if live && bw.Buffered() > 0 {
				p.clear()
				bw.Flush()
			}
		}
		if rep, err = run(rw, flushed); err != nil {
			return fail(err)
		}
	} else {
		for i := range rep.Results {
			if err := rw.Result(&rep.Results[i]); err != nil {
				return fail(err)
			}
		}
	}
	p.clear()
	// Inputs that could not be read are said before the summary, so that
	// no summary line reads as the last word before them.
	bw.Flush()
	for _, err := range rep.Errors {
		e.errorf("%v", err)
	}
	if err := rw.Close(rep); err != nil {
		return fail(err)
	}
	if err := bw.Flush(); err != nil {
		return fail(err)
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return fail(err)
		}
	}
	switch {
	case len(rep.Errors) > 0:
		return ExitUsage
	case !rep.OK(f.strict):
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
		p, err := loadSpecFile(dir, nil, nil)
		if err != nil {
			return nil, fmt.Errorf("--specs %s: %w", dir, err)
		}
		return contracttest.LoadProvider(p)
	}
	return contracttest.Load(os.DirFS(dir))
}

// fixtureReport checks the suite's fixtures against their recorded
// outcomes: a fixture passes when it behaves as recorded, and coverage
// problems are failures too; the report counts valid, invalid and drift
// fixtures apart. It returns nil when there is nothing to check.
func fixtureReport(suite *contracttest.Suite, opts contracttest.Options) *contracttest.Report {
	type item struct {
		r     contracttest.Result
		valid bool // a valid fixture (false: an invalid or drift one, or coverage)
		drift bool // a drift fixture
		cover bool // a coverage problem
	}
	var items []item
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
				r.Violations = append(r.Violations, contracttest.Violation{Violation: hcrt.Violation{Keyword: "fixture", Message: p}})
			}
		}
		items = append(items, item{r: r, valid: o.Valid, drift: o.Drifts})
	}
	for _, p := range suite.CheckCoverage() {
		items = append(items, item{cover: true, r: contracttest.Result{Source: "coverage", Verdict: contracttest.Fail, Violations: []contracttest.Violation{{Violation: hcrt.Violation{Keyword: "coverage", Message: p}}}}})
	}
	if len(items) == 0 {
		return nil
	}
	rep := &contracttest.Report{Fixtures: &contracttest.FixtureCount{}}
	for i, it := range items {
		// The same split as for payloads: the n-th result (from 0)
		// belongs to shard n mod N + 1.
		if opts.Shards > 1 && i%opts.Shards != opts.Shard-1 {
			continue
		}
		rep.Results = append(rep.Results, it.r)
		ok := it.r.Verdict == contracttest.Pass
		c := rep.Fixtures
		switch {
		case it.cover:
			c.Coverage++
		case it.valid:
			c.Valid++
			if ok {
				c.ValidHeld++
			}
		case it.drift:
			c.Drift++
			if ok {
				c.DriftHeld++
			}
		default:
			c.Invalid++
			if ok {
				c.InvalidHeld++
			}
		}
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

// eventList names the events --event may name: the provider's, or every
// provider's when none is given.
func eventList(s *contracttest.Suite, provider string) string {
	var parts []string
	for _, p := range s.Spec().Providers {
		if provider != "" && p.Name != provider {
			continue
		}
		var names []string
		for _, ev := range p.Events {
			names = append(names, ev.Name)
		}
		sort.Strings(names)
		parts = append(parts, "\n  "+p.Name+": "+strings.Join(names, ", "))
	}
	return "the events are:" + strings.Join(parts, "")
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
	return &progress{w: stderr, start: time.Now(), enabled: isTerminal(stderr)}
}

func (p *progress) update(done, total int) {
	if !p.enabled || time.Since(p.start) < time.Second {
		return
	}
	p.drawn = true
	if total < 0 {
		// A stream: the total is known at its end.
		fmt.Fprintf(p.w, "\rhookcontract: checked %d payloads", done)
		return
	}
	fmt.Fprintf(p.w, "\rhookcontract: checked %d/%d payloads", done, total)
}

// clear erases the progress line, if drawn; the next update draws it
// again.
func (p *progress) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}

// isTerminal tells whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
