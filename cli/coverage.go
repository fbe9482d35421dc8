package cli

import (
	"flag"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/internal/contractdiff"
)

var coverageCommand = &command{
	name:    "coverage",
	summary: "report what payloads exercise of the contracts",
	usage:   "[flags] PATH...",
	about: `Reports what captured or fixture payloads exercise of the contracts: per
provider and event, how many payloads were seen, and per field whether it
was seen, the JSON types observed and, for strings, the distinct values
(up to --values; never for secret fields); the events no payload
exercised; and the expectations (x-hookcontract-expect) no payload has
tested. A PATH is a file, an NDJSON file, a directory of them (captures of
'hookcontract serve' included) or - for stdin. Fields of an array's items
are written with * for the index.`,
	examples: []string{
		"hookcontract coverage captures/",
		"hookcontract coverage --provider tickets captures/",
		"hookcontract coverage --specs specs --format markdown captures/ >> \"$GITHUB_STEP_SUMMARY\"",
	},
	exits: []exitStatus{
		{ExitOK, "the report was written"},
		{ExitUsage, "bad usage, an unreadable input or a spec that does not load"},
	},
	define: defineCoverage,
}

func defineCoverage(fs *flag.FlagSet) func(*env, []string) int {
	var (
		format  = fs.String("format", "text", "output `FORMAT`: text, json or markdown")
		specDir = fs.String("specs", "", "spec `DIR` to use instead of the embedded specs")
		values  = fs.Int("values", 10, "distinct string values shown per field, at most `N`")
		only    = fs.String("provider", "", "measure only provider `NAME`'s events (payloads of others are not detected)")
	)
	return func(e *env, paths []string) int {
		if !oneOf(*format, contractdiff.CoverageFormats) {
			return e.fail("unknown --format %q (expected text, json or markdown)", *format)
		}
		if *values < 0 {
			return e.fail("--values: expected a number of values, found %d", *values)
		}
		if len(paths) == 0 {
			return e.usageError("expected the payloads to measure as PATHs")
		}
		c, suite, err := loadContract(*specDir)
		if err != nil {
			return e.fail("%v", err)
		}
		if *only != "" && !contains(suite.Providers(), *only) {
			return e.fail("unknown --provider %q", *only)
		}
		cov := contractdiff.MeasureCoverage(c, suite, paths, e.stdin, contractdiff.CoverageOptions{Values: *values, Provider: *only})
		if err := cov.Write(e.stdout, *format); err != nil {
			return e.fail("write report: %v", err)
		}
		for _, err := range cov.Errors {
			e.errorf("%v", err)
		}
		if len(cov.Errors) > 0 {
			return ExitUsage
		}
		return ExitOK
	}
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
