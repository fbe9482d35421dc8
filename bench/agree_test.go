package bench

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/generated/ampersand"
	"github.com/hookcontract/hookcontract/generated/salesforce"
	"github.com/hookcontract/hookcontract/generated/salesiq"
	"github.com/hookcontract/hookcontract/generated/sonar"
	"github.com/hookcontract/hookcontract/generated/tickets"
	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

// validators are each generated package's entry points.
var validators = map[string]struct {
	validate      func([]byte) error
	validateEvent func(string, []byte) error
	// unknown tells whether Parse returns the payload as an event the
	// spec does not declare (acknowledged by NewHandler).
	unknown func([]byte) bool
	drift   func(event string, data []byte) []string // the expectations broken, as "pointer keyword"
}{
	"ampersand": {ampersand.Validate, ampersand.ValidateEvent,
		func(b []byte) bool { return isUnknown[*ampersand.UnknownEvent](ampersand.Parse(b)) },
		func(e string, d []byte) []string {
			return driftOf(ampersand.Check, ampersand.CheckEvent, e, d, func(r ampersand.Result) (string, []string) { return string(r.Conformance), pairsOf(r.Violations) })
		}},
	"salesforce": {salesforce.Validate, salesforce.ValidateEvent,
		func(b []byte) bool { return isUnknown[*salesforce.UnknownEvent](salesforce.Parse(b)) },
		func(e string, d []byte) []string {
			return driftOf(salesforce.Check, salesforce.CheckEvent, e, d, func(r salesforce.Result) (string, []string) { return string(r.Conformance), pairsOf(r.Violations) })
		}},
	"salesiq": {salesiq.Validate, salesiq.ValidateEvent,
		func(b []byte) bool { return isUnknown[*salesiq.UnknownEvent](salesiq.Parse(b)) },
		func(e string, d []byte) []string {
			return driftOf(salesiq.Check, salesiq.CheckEvent, e, d, func(r salesiq.Result) (string, []string) { return string(r.Conformance), pairsOf(r.Violations) })
		}},
	"sonar": {sonar.Validate, sonar.ValidateEvent,
		func(b []byte) bool { return isUnknown[*sonar.UnknownEvent](sonar.Parse(b)) },
		func(e string, d []byte) []string {
			return driftOf(sonar.Check, sonar.CheckEvent, e, d, func(r sonar.Result) (string, []string) { return string(r.Conformance), pairsOf(r.Violations) })
		}},
	"tickets": {tickets.Validate, tickets.ValidateEvent,
		func(b []byte) bool { return isUnknown[*tickets.UnknownEvent](tickets.Parse(b)) },
		func(e string, d []byte) []string {
			return driftOf(tickets.Check, tickets.CheckEvent, e, d, func(r tickets.Result) (string, []string) { return string(r.Conformance), pairsOf(r.Violations) })
		}},
}

// isUnknown tells whether Parse returned an unknown event of type T.
func isUnknown[T any](e any, err error) bool {
	_, ok := e.(T)
	return err == nil && ok
}

// driftOf runs a generated Check (or CheckEvent when event is given) and
// returns the expectations it reports broken.
func driftOf[R any](check func([]byte) R, checkEvent func(string, []byte) R, event string, data []byte, read func(R) (string, []string)) []string {
	var r R
	if event != "" {
		r = checkEvent(event, data)
	} else {
		r = check(data)
	}
	if c, vs := read(r); c == "drift" {
		return vs
	}
	return nil
}

// pairsOf lists violations as sorted "pointer keyword" pairs. Every
// generated package's Violation is the runtime's (hcrt.Violation).
func pairsOf(vs []hcrt.Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Pointer+" "+v.Keyword)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// TestGeneratedAgreesWithRunner: on every fixture, and on every payload of
// the hold-out set (contracttest/testdata/holdout/{valid,invalid}/<provider>/,
// written apart from the specs), the generated Validate/ValidateEvent and
// the contract test runner give the same verdict: conforms (pass or drift)
// or not; and an event the spec does not declare is one for both.
func TestGeneratedAgreesWithRunner(t *testing.T) {
	suite, err := contracttest.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	compared := 0
	check := func(name, provider, event string, data []byte) {
		t.Helper()
		v, ok := validators[provider]
		if !ok {
			t.Fatalf("%s: no generated package for provider %q", name, provider)
		}
		var gerr error
		if event != "" {
			gerr = v.validateEvent(event, data)
		} else {
			gerr = v.validate(data)
		}
		r := suite.Check(data, contracttest.CheckOptions{Provider: provider, Event: event})
		if r.UnknownEvent {
			// An event the spec does not declare: drift for the runner,
			// an *UnknownEvent for Parse (and so acknowledged by
			// NewHandler), though Validate, which checks against the
			// declared events, reports it.
			if !v.unknown(data) {
				t.Errorf("%s: runner says an unknown event (%s), generated Parse does not", name, r.Event)
			}
			compared++
			return
		}
		if (r.Verdict == contracttest.Fail) != (gerr != nil) {
			t.Errorf("%s: runner says %s %v, generated says %v", name, r.Verdict, r.Violations, gerr)
		}
		if r.Verdict != contracttest.Fail {
			var want []string
			for _, x := range r.Violations {
				if x.Grade == contracttest.Expected {
					want = append(want, x.Pointer+" "+x.Keyword)
				}
			}
			slices.Sort(want)
			want = slices.Compact(want)
			if got := v.drift(event, data); !slices.Equal(got, want) {
				t.Errorf("%s: runner drift %q, generated drift %q", name, want, got)
			}
		}
		compared++
	}
	for _, o := range suite.CheckFixtures() {
		data, err := os.ReadFile(filepath.Join("..", "specs", filepath.FromSlash(o.Fixture.Path)))
		if err != nil {
			t.Fatal(err)
		}
		check(o.Fixture.Path, o.Provider, o.Fixture.Event, data)
	}
	root := filepath.Join("..", "contracttest", "testdata", "holdout")
	fixtures := compared
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if len(parts) < 3 {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		// A bare body names its event in its file name: <event>.bare[.x].json.
		event := ""
		if base := parts[len(parts)-1]; strings.Contains(base, ".bare") {
			event = base[:strings.Index(base, ".bare")]
		}
		check(rel, parts[1], event, data)
		return nil
	})
	if err != nil {
		t.Fatalf("read the hold-out set: %v", err)
	}
	if fixtures == 0 || compared == fixtures {
		t.Fatalf("compared %d fixtures and %d hold-out payloads; expected both", fixtures, compared-fixtures)
	}
	t.Logf("%d payloads compared (%d fixtures, %d hold-out)", compared, fixtures, compared-fixtures)
}
