package contracttest

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Options control a run over many payloads.
type Options struct {
	Provider string // skip provider detection
	Event    string // event of bodies that carry no event name
	Strict   bool   // drift fails the run
	Jobs     int    // parallel checks; 0 means every core
	Shard    int    // 1-based index of this shard; 0 means no sharding
	Shards   int    // number of shards
	// Progress, when set, is called from time to time with the number of
	// payloads checked and the total.
	Progress func(done, total int)
}

// Report is the outcome of a run.
type Report struct {
	Results []Result  // in input order: files sorted, lines in order
	Errors  []error   // inputs that could not be read
	Skipped []Skipped // inputs found but not checked, and why
	// Fixtures, when the report checks fixtures against their recorded
	// outcomes, counts them by kind.
	Fixtures *FixtureCount
}

// FixtureCount counts the fixtures of a self-check by kind and by whether
// they held as recorded.
type FixtureCount struct {
	Valid       int `json:"valid"`       // valid fixtures checked
	ValidHeld   int `json:"validHeld"`   // of which conform
	Invalid     int `json:"invalid"`     // invalid fixtures checked
	InvalidHeld int `json:"invalidHeld"` // of which fail exactly as recorded
	Drift       int `json:"drift"`       // drift fixtures checked
	DriftHeld   int `json:"driftHeld"`   // of which break exactly the recorded expectations
	Coverage    int `json:"coverage"`    // coverage problems
}

// Summary counts the verdicts of a report.
type Summary struct {
	Total  int `json:"total"`
	Passed int `json:"passed"`
	Drift  int `json:"drift"`
	Failed int `json:"failed"`
	// Skipped counts the inputs found but not checked, InputErrors those
	// that could not be read or held no payload; neither is a payload.
	Skipped     int `json:"skipped"`
	InputErrors int `json:"inputErrors"`
}

// Summary counts the report's verdicts.
func (r *Report) Summary() Summary {
	s := Summary{Total: len(r.Results), Skipped: len(r.Skipped), InputErrors: len(r.Errors)}
	for i := range r.Results {
		switch r.Results[i].Verdict {
		case Pass:
			s.Passed++
		case Drift:
			s.Drift++
		default:
			s.Failed++
		}
	}
	return s
}

// OK tells whether every payload conforms; with strict, drift does not.
func (r *Report) OK(strict bool) bool {
	s := r.Summary()
	return s.Failed == 0 && (!strict || s.Drift == 0)
}

// RunPaths reads the given paths (see ExpandPaths and ReadPayloads) and
// checks every payload, in parallel, returning results in input order.
func (s *Suite) RunPaths(paths []string, stdin io.Reader, opts Options) *Report {
	if opts.Shards > 1 && (opts.Shard < 1 || opts.Shard > opts.Shards) {
		return &Report{Errors: []error{fmt.Errorf("shard %d/%d: expected 1 <= K <= N", opts.Shard, opts.Shards)}}
	}
	files, errs := ExpandPaths(paths)
	var payloads []Payload
	n := 0
	for _, f := range files {
		err := ReadPayloads(f, stdin, func(p Payload) {
			if opts.Shards > 1 && n%opts.Shards != opts.Shard-1 {
				n++
				return
			}
			n++
			payloads = append(payloads, p)
		})
		if err != nil {
			errs = append(errs, err)
		}
	}
	rep := s.CheckPayloads(payloads, opts)
	rep.Skipped, rep.Errors = SplitSkipped(errs)
	slices.SortStableFunc(rep.Skipped, func(a, b Skipped) int { return strings.Compare(a.Path, b.Path) })
	return rep
}

// batchGCThreshold and batchGCPercent tune the collector for large runs.
const (
	batchGCThreshold = 1000
	batchGCPercent   = 400
)

// CheckPayloads checks payloads in parallel and returns results in order.
func (s *Suite) CheckPayloads(payloads []Payload, opts Options) *Report {
	results := make([]Result, len(payloads))
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	if jobs > len(payloads) {
		jobs = max(1, len(payloads))
	}
	co := CheckOptions{Provider: opts.Provider, Event: opts.Event}
	if len(payloads) >= batchGCThreshold {
		// A large batch is short-lived garbage: trade memory for fewer
		// collections while it runs (every worker allocates the decoded
		// payload and jsonschema/v5's per-object bookkeeping).
		defer debug.SetGCPercent(debug.SetGCPercent(batchGCPercent))
	}
	const chunk = 32
	var next, done atomic.Int64
	var wg sync.WaitGroup
	stop := make(chan struct{})
	progressDone := make(chan struct{})
	if opts.Progress != nil {
		go func() {
			defer close(progressDone)
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					opts.Progress(int(done.Load()), len(payloads))
				}
			}
		}()
	} else {
		close(progressDone)
	}
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newChecker()
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= len(payloads) {
					return
				}
				end := min(start+chunk, len(payloads))
				for i := start; i < end; i++ {
					p := &payloads[i]
					o := co
					if o.Provider == "" {
						o.Provider = p.Provider
					}
					r := s.check(c, p.Data, o)
					c.dec.reset()
					r.Source, r.Line = p.Source, p.Line
					results[i] = r
				}
				done.Add(int64(end - start))
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-progressDone
	if opts.Progress != nil {
		opts.Progress(len(payloads), len(payloads))
	}
	return &Report{Results: results}
}
