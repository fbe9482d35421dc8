package contracttest

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// FixtureOutcome is a fixture checked against its recorded outcome.
type FixtureOutcome struct {
	Fixture  *contract.Fixture
	Provider string
	Valid    bool     // listed under valid
	Drifts   bool     // listed under drift
	Result   Result   // what the check found
	Problems []string // differences from the record; empty when it holds
}

// CheckFixtures checks every fixture listed in each provider's
// examples/fixtures.yaml against its recorded outcome: a valid fixture must
// pass (drift counts as a problem: fixtures describe the contract), an
// invalid one must fail with exactly the recorded (pointer, keyword) pairs,
// and a drift one must satisfy every guarantee and break exactly the
// recorded expectations.
func (s *Suite) CheckFixtures() []FixtureOutcome {
	var out []FixtureOutcome
	for _, p := range s.providers {
		if p.Fixtures == nil {
			continue
		}
		for _, group := range []struct {
			list  []*contract.Fixture
			valid bool
			drift bool
		}{{p.Fixtures.Valid, true, false}, {p.Fixtures.Invalid, false, false}, {p.Fixtures.Drift, false, true}} {
			for _, f := range group.list {
				o := s.checkFixture(p, f, group.valid, group.drift)
				out = append(out, o)
			}
		}
	}
	return out
}

func (s *Suite) checkFixture(p *provider, f *contract.Fixture, valid, drift bool) FixtureOutcome {
	o := FixtureOutcome{Fixture: f, Provider: p.Name, Valid: valid, Drifts: drift}
	data, err := fs.ReadFile(s.fsys, f.Path)
	if err != nil {
		o.Result = Result{Source: f.Path, Verdict: Fail}
		o.Problems = []string{fmt.Sprintf("cannot read the fixture: %v", err)}
		return o
	}
	opts := CheckOptions{Provider: p.Name, Event: f.Event}
	r := s.Check(data, opts)
	r.Source = f.Path
	o.Result = r
	if f.Event != "" && r.Event != "" && r.Event != f.Event {
		o.Problems = append(o.Problems, fmt.Sprintf("detected event %q, recorded %q", r.Event, f.Event))
	}
	if f.Form != "" && r.Form != "" && r.Form != f.Form {
		o.Problems = append(o.Problems, fmt.Sprintf("checked as %s form, recorded %s", r.Form, f.Form))
	}
	if valid {
		switch r.Verdict {
		case Fail:
			for _, v := range r.Violations {
				o.Problems = append(o.Problems, fmt.Sprintf("expected valid, found %s: %s [%s]", jsonpointer.Display(v.Pointer), v.Message, v.Keyword))
			}
		case Drift:
			if len(r.Unknown) > 0 {
				o.Problems = append(o.Problems, fmt.Sprintf("expected every property to be in the contract, found unknown %s", strings.Join(r.Unknown, ", ")))
			}
			for _, v := range r.Violations {
				o.Problems = append(o.Problems, fmt.Sprintf("expected every expectation met, found %s: %s [%s] (list the fixture under drift)", jsonpointer.Display(v.Pointer), v.Message, v.Keyword))
			}
		}
		return o
	}
	if drift {
		switch {
		case r.Verdict == Pass:
			o.Problems = append(o.Problems, "expected drift, found every expectation met")
		case r.Verdict == Fail:
			for _, v := range r.Violations {
				o.Problems = append(o.Problems, fmt.Sprintf("expected drift, found a failure %s: %s [%s]", jsonpointer.Display(v.Pointer), v.Message, v.Keyword))
			}
			return o
		case len(r.Unknown) > 0:
			o.Problems = append(o.Problems, fmt.Sprintf("expected every property to be in the contract, found unknown %s", strings.Join(r.Unknown, ", ")))
		}
	}
	got := map[string]bool{}
	for _, v := range r.Violations {
		got[v.Pointer+" "+v.Keyword] = true
	}
	want := map[string]bool{}
	for _, e := range f.Expect {
		want[e.Pointer+" "+e.Keyword] = true
	}
	for _, e := range f.Expect {
		if !got[e.Pointer+" "+e.Keyword] {
			o.Problems = append(o.Problems, fmt.Sprintf("expected violation %s [%s], not reported", jsonpointer.Display(e.Pointer), e.Keyword))
		}
	}
	for _, v := range r.Violations {
		if !want[v.Pointer+" "+v.Keyword] {
			o.Problems = append(o.Problems, fmt.Sprintf("unexpected violation %s: %s [%s]", jsonpointer.Display(v.Pointer), v.Message, v.Keyword))
		}
	}
	return o
}

// CheckCoverage lists, sorted, what the spec directory does not cover: every
// event and case of coverage.yaml, a drift fixture breaking each
// expectation of a provider coverage.yaml lists, a valid fixture for every declared event,
// and fixture files that are on disk but not listed (or listed but absent).
func (s *Suite) CheckCoverage() []string {
	var problems []string
	add := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }
	var outcomes []FixtureOutcome
	if len(s.spec.Coverage) > 0 {
		outcomes = s.CheckFixtures()
	}
	for name, cov := range s.spec.Coverage {
		p := s.provider(name)
		if p == nil {
			add("coverage.yaml: provider %q has no spec folder %s/openapi.yaml", name, name)
			continue
		}
		problems = append(problems, s.uncoveredExpectations(p, outcomes)...)
		for _, ev := range cov.Events {
			if p.events[ev] == nil {
				add("%s: event %q required by coverage.yaml has no webhook or request with a schema", p.DocPath, ev)
			}
		}
		covered := map[string]bool{}
		if p.Fixtures != nil {
			for _, f := range p.Fixtures.Valid {
				for _, c := range f.Covers {
					covered[c] = true
				}
			}
		}
		for _, c := range cov.Cases {
			if !covered[c] {
				add("%s/examples/fixtures.yaml: no valid fixture covers case %q required by coverage.yaml", p.Name, c)
			}
		}
	}
	for _, p := range s.providers {
		withFixture := map[string]bool{}
		listed := map[string]bool{}
		if p.Fixtures != nil {
			for _, f := range p.Fixtures.Valid {
				withFixture[f.Event] = true
				listed[f.Path] = true
			}
			for _, f := range p.Fixtures.Invalid {
				listed[f.Path] = true
			}
			for _, f := range p.Fixtures.Drift {
				listed[f.Path] = true
			}
		}
		if p.Fixtures != nil {
			for _, f := range p.Fixtures.Valid {
				if f.Event == "" {
					// An envelope fixture's event is detected; find it.
					if data, err := fs.ReadFile(s.fsys, f.Path); err == nil {
						if r := s.Check(data, CheckOptions{Provider: p.Name}); r.Event != "" {
							withFixture[r.Event] = true
						}
					}
				}
			}
		}
		for _, e := range p.Events {
			if !withFixture[e.Name] {
				add("%s: event %q has no valid fixture in %s/examples/fixtures.yaml", p.DocPath, e.Name, p.Name)
			}
		}
		onDisk := map[string]bool{}
		for _, dir := range []string{"valid", "invalid", "drift"} {
			d := path.Join(p.Dir, "examples", dir)
			entries, _ := fs.ReadDir(s.fsys, d)
			for _, e := range entries {
				if !e.IsDir() {
					onDisk[path.Join(d, e.Name())] = true
				}
			}
		}
		for f := range onDisk {
			if !listed[f] {
				add("%s: fixture file is not listed in %s/examples/fixtures.yaml", f, p.Name)
			}
		}
		for f := range listed {
			if !onDisk[f] {
				add("%s/examples/fixtures.yaml: lists %s, which does not exist", p.Name, f)
			}
		}
	}
	sort.Strings(problems)
	return problems
}
