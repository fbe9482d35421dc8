package cli

import (
	"flag"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/contractdiff"
)

var diffCommand = &command{
	name:    "diff",
	summary: "compare two versions of the contracts from the receiver's side",
	usage:   "[flags] OLD NEW\n       hookcontract diff [flags] --against REPO#ref=REV[,subdir=DIR] [NEW]",
	about: `Compares two versions of the contracts from the receiver's side. OLD and
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
(the counts two 'hookcontract test' runs, one per contract, give).`,
	examples: []string{
		"hookcontract diff old/specs specs",
		"hookcontract diff --against .git#ref=main,subdir=specs",
		"hookcontract diff --fail-on widening,narrowing --format markdown vendor-v1.yaml vendor-v2.yaml",
		"hookcontract diff --against .git#ref=v1.2.0 --captures captures/ specs",
	},
	exits: []exitStatus{
		{ExitOK, "no change of a --fail-on class"},
		{ExitFindings, "a change of a --fail-on class"},
		{ExitUsage, "bad usage, an unreadable input, a spec that does not load, or a Go API that could not be compared under --fail-on go-api"},
	},
	define: defineDiff,
}

func defineDiff(fs *flag.FlagSet) func(*env, []string) int {
	var (
		format   = fs.String("format", "text", "output `FORMAT`: text, json, markdown or github")
		failOn   = fs.String("fail-on", "go-api", "comma-separated `CLASSES` that exit 1: widening, narrowing, go-api, expectation (none: never)")
		against  = fs.String("against", "", "the OLD contract as a git revision `REPO#ref=REV[,subdir=DIR]`")
		noGoAPI  = fs.Bool("no-go-api", false, "do not compare the generated Go packages")
		captures stringList
	)
	fs.Var(&captures, "captures", "check the payloads under `DIR` (or file) with both contracts; repeatable")
	return func(e *env, pos []string) int {
		stdin, stdout := e.stdin, e.stdout
		if !oneOf(*format, contractdiff.Formats) {
			return e.fail("unknown --format %q (expected text, json, markdown or github)", *format)
		}
		classes, err := parseClasses(*failOn)
		if err != nil {
			return e.fail("--fail-on: %v", err)
		}
		var oldArg, newArg string
		switch {
		case *against != "" && len(pos) <= 1:
			if !contractdiff.IsGitInput(*against) {
				return e.fail("--against %q: expected REPO#ref=REV[,subdir=DIR]", *against)
			}
			oldArg = *against
			if len(pos) == 1 {
				newArg = pos[0]
			} else {
				g, err := contractdiff.ParseGitInput(*against)
				if err != nil {
					return e.fail("%v", err)
				}
				newArg = filepath.Join(g.Repo, filepath.FromSlash(g.Subdir))
			}
		case *against == "" && len(pos) == 2:
			oldArg, newArg = pos[0], pos[1]
		default:
			return e.usageError("expected OLD and NEW, or --against and at most NEW")
		}
		if _, errs := contracttest.ExpandPaths(captures); len(errs) > 0 {
			for _, err := range errs {
				e.errorf("--captures: %v", err)
			}
			return ExitUsage
		}
		oldSrc, err := contractdiff.Open(oldArg)
		if err != nil {
			return e.fail("old contract: %v", err)
		}
		defer oldSrc.Close()
		newSrc, err := contractdiff.Open(newArg)
		if err != nil {
			return e.fail("new contract: %v", err)
		}
		defer newSrc.Close()
		if err := contractdiff.Pair(oldSrc, newSrc); err != nil {
			return e.fail("%v", err)
		}
		oldC, err := oldSrc.Contract()
		if err != nil {
			return e.fail("old contract: %v", err)
		}
		newC, err := newSrc.Contract()
		if err != nil {
			return e.fail("new contract: %v", err)
		}
		res := contractdiff.Diff(oldC, newC, contractdiff.Options{SkipGoAPI: *noGoAPI})
		rep := &contractdiff.Report{Old: oldArg, New: newArg, Result: res, FailOn: classes}
		if len(captures) > 0 {
			oldS, err := suiteOf(oldSrc)
			if err != nil {
				return e.fail("old contract: %v", err)
			}
			newS, err := suiteOf(newSrc)
			if err != nil {
				return e.fail("new contract: %v", err)
			}
			rep.Blast = contractdiff.Blast(oldS, newS, captures, stdin)
		}
		if err := rep.Write(stdout, *format); err != nil {
			return e.fail("write report: %v", err)
		}
		status := ExitOK
		if res.Fails(classes) {
			status = ExitFindings
		}
		for _, err := range res.Errors {
			e.errorf("%v", err)
			status = ExitUsage
		}
		if rep.Blast != nil {
			for _, err := range rep.Blast.Errors {
				e.errorf("%v", err)
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
				e.errorf("%s: generated Go API not compared (use --no-go-api to compare the schemas only): %v", n, res.GoAPIErrors[n])
				status = ExitUsage
			}
		}
		return status
	}
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
