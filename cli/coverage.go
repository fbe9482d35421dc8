package cli

import (
	"fmt"
	"io"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/internal/contractdiff"
)

const coverageUsage = `[flags] PATH...

Reports what captured or fixture payloads exercise of the contracts: per
provider and event, how many payloads were seen, and per field whether it
was seen, the JSON types observed and, for strings, the distinct values
(up to --values; never for secret fields); the events no payload
exercised; and the expectations (x-hookcontract-expect) no payload has
tested. A PATH is a file, an NDJSON file, a directory of them (captures of
'hookcontract serve' included) or - for stdin. Fields of an array's items
are written with * for the index.

Examples:
  hookcontract coverage captures/
  hookcontract coverage --provider tickets captures/
  hookcontract coverage --specs specs --format markdown captures/ >> "$GITHUB_STEP_SUMMARY"

Exit status: 0 the report was written, 2 usage or unreadable input.`

func runCoverage(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("coverage", stderr, coverageUsage)
	var (
		format  = fs.String("format", "text", "output `FORMAT`: text, json or markdown")
		specDir = fs.String("specs", "", "spec `DIR` to use instead of the embedded specs")
		values  = fs.Int("values", 10, "distinct string values shown per field, at most `N`")
		only    = fs.String("provider", "", "measure only provider `NAME`'s events (payloads of others are not detected)")
	)
	paths, err := parseInterleaved(fs, args)
	if err != nil {
		return flagError(err)
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "hookcontract coverage: "+format+"\n", a...)
		return ExitUsage
	}
	if !oneOf(*format, contractdiff.CoverageFormats) {
		return fail("unknown --format %q (expected text, json or markdown)", *format)
	}
	if *values < 0 {
		return fail("--values: expected a number of values, found %d", *values)
	}
	if len(paths) == 0 {
		fs.Usage()
		return fail("expected the payloads to measure as PATHs")
	}
	c, suite, err := loadContract(*specDir)
	if err != nil {
		return fail("%v", err)
	}
	if *only != "" && !contains(suite.Providers(), *only) {
		return fail("unknown --provider %q", *only)
	}
	cov := contractdiff.MeasureCoverage(c, suite, paths, stdin, contractdiff.CoverageOptions{Values: *values, Provider: *only})
	if err := cov.Write(stdout, *format); err != nil {
		return fail("write report: %v", err)
	}
	for _, e := range cov.Errors {
		fmt.Fprintf(stderr, "hookcontract coverage: %v\n", e)
	}
	if len(cov.Errors) > 0 {
		return ExitUsage
	}
	return ExitOK
}

// loadContract loads the embedded specs, or a spec directory, both as the
// runner's suite and as the diff's contract.
func loadContract(specDir string) (contractdiff.Contract, *contracttest.Suite, error) {
	suite, err := loadSuite(specDir)
	if err != nil {
		return nil, nil, err
	}
	root := specDir
	if root == "" {
		root = "specs"
	}
	c, err := contractdiff.FromProviders(root, suite.Spec().Providers)
	if err != nil {
		return nil, nil, err
	}
	return c, suite, nil
}
