package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/contractdiff"
)

const diffUsage = `[flags] OLD NEW
       hookcontract diff [flags] --against REPO#ref=REV[,subdir=DIR] [NEW]

Compares two versions of the contracts from the receiver's side. OLD and
NEW are spec directories (specs/LAYOUT.md), provider folders, OpenAPI
documents, or git revisions of them: REPO#ref=REV[,subdir=DIR] (REPO is
a path in the repository, .git for the current one; branch= and tag= are
read as ref=). With --against, NEW defaults to the same subdir in the
working tree.

Schemas are compared resolved: descriptions, titles, examples, $ids, key
order and $ref layout are ignored. Each change has one or more classes:
  widening     the provider may now send what the old contract excluded
               (new event, enum value or optional property; type widened;
               constraint relaxed; required -> optional)
  narrowing    the contract now excludes what it allowed (new required
               property, enum value removed, constraint tightened, an
               expectation promoted to a guarantee)
  go-api       the generated package's exported API changes incompatibly
  expectation  only x-hookcontract-expect changed: verdicts may move
               between pass and drift, never to fail

With --captures, every payload under DIR is checked with both contracts
and the payloads whose verdict changes are listed, with counts per event
(the counts two 'hookcontract test' runs, one per contract, give).

Examples:
  hookcontract diff old/specs specs
  hookcontract diff --against .git#ref=main,subdir=specs
  hookcontract diff --fail-on widening,narrowing --format markdown vendor-v1.yaml vendor-v2.yaml
  hookcontract diff --against .git#ref=v1.2.0 --captures captures/ specs

Exit status: 0 no change of a --fail-on class, 1 such a change, 2 usage,
unreadable input or a spec that does not load.`

func runDiff(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("diff", stderr, diffUsage)
	var (
		format   = fs.String("format", "text", "output `FORMAT`: text, json, markdown or github")
		failOn   = fs.String("fail-on", "go-api", "comma-separated `CLASSES` that exit 1: widening, narrowing, go-api, expectation (none: never)")
		against  = fs.String("against", "", "the OLD contract as a git revision `REPO#ref=REV[,subdir=DIR]`")
		noGoAPI  = fs.Bool("no-go-api", false, "do not compare the generated Go packages")
		captures stringList
	)
	fs.Var(&captures, "captures", "check the payloads under `DIR` (or file) with both contracts; repeatable")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return flagError(err)
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "hookcontract diff: "+format+"\n", a...)
		return ExitUsage
	}
	if !oneOf(*format, contractdiff.Formats) {
		return fail("unknown --format %q (expected text, json, markdown or github)", *format)
	}
	classes, err := parseClasses(*failOn)
	if err != nil {
		return fail("--fail-on: %v", err)
	}
	var oldArg, newArg string
	switch {
	case *against != "" && len(pos) <= 1:
		if !contractdiff.IsGitInput(*against) {
			return fail("--against %q: expected REPO#ref=REV[,subdir=DIR]", *against)
		}
		oldArg = *against
		if len(pos) == 1 {
			newArg = pos[0]
		} else {
			g, err := contractdiff.ParseGitInput(*against)
			if err != nil {
				return fail("%v", err)
			}
			newArg = filepath.Join(g.Repo, filepath.FromSlash(g.Subdir))
		}
	case *against == "" && len(pos) == 2:
		oldArg, newArg = pos[0], pos[1]
	default:
		fs.Usage()
		return fail("expected OLD and NEW, or --against and at most NEW")
	}
	if _, errs := contracttest.ExpandPaths(captures); len(errs) > 0 {
		for _, e := range errs {
			fmt.Fprintf(stderr, "hookcontract diff: --captures: %v\n", e)
		}
		return ExitUsage
	}
	oldSrc, err := contractdiff.Open(oldArg)
	if err != nil {
		return fail("old contract: %v", err)
	}
	defer oldSrc.Close()
	newSrc, err := contractdiff.Open(newArg)
	if err != nil {
		return fail("new contract: %v", err)
	}
	defer newSrc.Close()
	if err := contractdiff.Pair(oldSrc, newSrc); err != nil {
		return fail("%v", err)
	}
	oldC, err := oldSrc.Contract()
	if err != nil {
		return fail("old contract: %v", err)
	}
	newC, err := newSrc.Contract()
	if err != nil {
		return fail("new contract: %v", err)
	}
	res := contractdiff.Diff(oldC, newC, contractdiff.Options{SkipGoAPI: *noGoAPI})
	rep := &contractdiff.Report{Old: oldArg, New: newArg, Result: res, FailOn: classes}
	if len(captures) > 0 {
		oldS, err := suiteOf(oldSrc)
		if err != nil {
			return fail("old contract: %v", err)
		}
		newS, err := suiteOf(newSrc)
		if err != nil {
			return fail("new contract: %v", err)
		}
		rep.Blast = contractdiff.Blast(oldS, newS, captures, stdin)
	}
	if err := rep.Write(stdout, *format); err != nil {
		return fail("write report: %v", err)
	}
	status := ExitOK
	if res.Fails(classes) {
		status = ExitFindings
	}
	for _, e := range res.Errors {
		fmt.Fprintf(stderr, "hookcontract diff: %v\n", e)
		status = ExitUsage
	}
	if rep.Blast != nil {
		for _, e := range rep.Blast.Errors {
			fmt.Fprintf(stderr, "hookcontract diff: %v\n", e)
			status = ExitUsage
		}
	}
	if hasClass(classes, contractdiff.GoAPI) {
		names := make([]string, 0, len(res.GoAPIErrors))
		for n := range res.GoAPIErrors {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			// --fail-on go-api cannot be honoured without the comparison.
			fmt.Fprintf(stderr, "hookcontract diff: %s: generated Go API not compared (use --no-go-api to compare the schemas only): %v\n", n, res.GoAPIErrors[n])
			status = ExitUsage
		}
	}
	return status
}

// suiteOf compiles a source for the contract test runner, exactly as
// 'hookcontract test --specs DIR' does for a spec directory.
func suiteOf(s *contractdiff.Source) (*contracttest.Suite, error) {
	if s.Dir != "" {
		return loadSuite(s.Dir)
	}
	ps, err := s.Providers()
	if err != nil {
		return nil, err
	}
	return contracttest.FromSpec(&contract.Spec{Providers: ps})
}

func parseClasses(s string) ([]contractdiff.Class, error) {
	if s == "none" || s == "" {
		return nil, nil
	}
	var out []contractdiff.Class
	for _, part := range strings.Split(s, ",") {
		c, ok := contractdiff.ParseClass(strings.TrimSpace(part))
		if !ok {
			return nil, fmt.Errorf("unknown class %q (expected widening, narrowing, go-api, expectation or none)", part)
		}
		out = append(out, c)
	}
	return out, nil
}

func hasClass(list []contractdiff.Class, c contractdiff.Class) bool {
	for _, x := range list {
		if x == c {
			return true
		}
	}
	return false
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }

func (s *stringList) Set(v string) error {
	if v == "" {
		return fmt.Errorf("expected a path")
	}
	*s = append(*s, v)
	return nil
}
