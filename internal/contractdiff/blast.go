package contractdiff

import (
	"bytes"
	"encoding/json"
	"io"
	"sort"

	"github.com/hookcontract/hookcontract/contracttest"
)

// VerdictChange is a payload whose verdict differs between the contracts.
type VerdictChange struct {
	Path     string               `json:"path"`
	Line     int                  `json:"line,omitempty"` // in an NDJSON file
	Provider string               `json:"provider"`
	Event    string               `json:"event"`
	Old      contracttest.Verdict `json:"old"`
	New      contracttest.Verdict `json:"new"`
}

// EventCounts are one event's verdict counts under each contract: what
// `hookcontract test` gives for that event, once per contract.
type EventCounts struct {
	Provider    string               `json:"provider"`
	Event       string               `json:"event"`
	Old         contracttest.Summary `json:"old"`
	New         contracttest.Summary `json:"new"`
	Changed     int                  `json:"changed"`
	Transitions map[string]int       `json:"transitions,omitempty"` // "pass->fail": n
}

// MarshalJSON writes each contract's counts as verdicts only: an input
// skipped or unreadable belongs to no event, so its counts are not part of
// an event's.
func (c EventCounts) MarshalJSON() ([]byte, error) {
	type verdicts struct {
		Total  int `json:"total"`
		Passed int `json:"passed"`
		Drift  int `json:"drift"`
		Failed int `json:"failed"`
	}
	of := func(s contracttest.Summary) verdicts { return verdicts{s.Total, s.Passed, s.Drift, s.Failed} }
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // "pass->fail" as written
	err := enc.Encode(struct {
		Provider    string         `json:"provider"`
		Event       string         `json:"event"`
		Old         verdicts       `json:"old"`
		New         verdicts       `json:"new"`
		Changed     int            `json:"changed"`
		Transitions map[string]int `json:"transitions,omitempty"`
	}{c.Provider, c.Event, of(c.Old), of(c.New), c.Changed, c.Transitions})
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), err
}

// BlastRadius is what a contract change does to a set of payloads.
type BlastRadius struct {
	Payloads int             `json:"payloads"`
	Changes  []VerdictChange `json:"verdict_changes"`
	Events   []EventCounts   `json:"events"`
	Errors   []error         `json:"-"`
}

// Blast reads the payloads under paths once and checks each with both
// suites, as two `hookcontract test` runs would.
func Blast(old, new *contracttest.Suite, paths []string, stdin io.Reader) *BlastRadius {
	payloads, errs := readPayloads(paths, stdin)
	or := old.CheckPayloads(payloads, contracttest.Options{})
	nr := new.CheckPayloads(payloads, contracttest.Options{})
	b := &BlastRadius{Payloads: len(payloads), Errors: errs}
	type key struct{ p, e string }
	counts := map[key]*EventCounts{}
	at := func(p, e string) *EventCounts {
		k := key{p, e}
		if counts[k] == nil {
			counts[k] = &EventCounts{Provider: p, Event: e}
		}
		return counts[k]
	}
	for i := range payloads {
		o, n := &or.Results[i], &nr.Results[i]
		at(o.Provider, o.Event).Old.Add(o.Verdict)
		at(n.Provider, n.Event).New.Add(n.Verdict)
		if o.Verdict == n.Verdict {
			continue
		}
		p, e := n.Provider, n.Event
		if p == "" {
			p, e = o.Provider, o.Event
		}
		b.Changes = append(b.Changes, VerdictChange{Path: o.Source, Line: o.Line, Provider: p, Event: e, Old: o.Verdict, New: n.Verdict})
		c := at(p, e)
		c.Changed++
		if c.Transitions == nil {
			c.Transitions = map[string]int{}
		}
		c.Transitions[string(o.Verdict)+"->"+string(n.Verdict)]++
	}
	for _, c := range counts {
		b.Events = append(b.Events, *c)
	}
	sort.Slice(b.Events, func(i, j int) bool {
		if b.Events[i].Provider != b.Events[j].Provider {
			return b.Events[i].Provider < b.Events[j].Provider
		}
		return b.Events[i].Event < b.Events[j].Event
	})
	return b
}

// readPayloads reads every payload under paths, as `hookcontract test`
// does.
func readPayloads(paths []string, stdin io.Reader) ([]contracttest.Payload, []error) {
	files, errs := contracttest.ExpandPaths(paths)
	var payloads []contracttest.Payload
	for _, f := range files {
		if err := contracttest.ReadPayloads(f, stdin, func(p contracttest.Payload) { payloads = append(payloads, p) }); err != nil {
			errs = append(errs, err)
		}
	}
	return payloads, errs
}
