package contracttest

import (
	"errors"
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
	// MaxBodyBytes bounds the payloads as the handler they are for does
	// (CheckOptions.MaxBodyBytes: 0 for the generated handler's default,
	// negative for none).
	MaxBodyBytes int64
	// Progress, when set, is called from time to time with the number of
	// payloads checked and the total, or -1 for the total while a stream
	// is being read (RunStream, RunPaths).
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
	// counted tallies the results a run gave to its sink rather than
	// keeping them in Results (RunStream).
	counted Summary
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
	s := r.counted
	s.Skipped, s.InputErrors = len(r.Skipped), len(r.Errors)
	for i := range r.Results {
		s.Add(r.Results[i].Verdict)
	}
	return s
}

// Add counts one verdict.
func (s *Summary) Add(v Verdict) {
	s.Total++
	switch v {
	case Pass:
		s.Passed++
	case Drift:
		s.Drift++
	default:
		s.Failed++
	}
}

// OK tells whether every payload conforms; with strict, drift does not.
func (r *Report) OK(strict bool) bool {
	s := r.Summary()
	return s.Failed == 0 && (!strict || s.Drift == 0)
}

// RunPaths reads the given paths (see ExpandPaths and ReadPayloads) and
// checks every payload, in parallel, returning results in input order.
// It keeps every result; RunStream keeps none.
func (s *Suite) RunPaths(paths []string, stdin io.Reader, opts Options) *Report {
	var results []Result
	rep, _ := s.RunStream(paths, stdin, opts, func(r *Result) error {
		results = append(results, *r)
		return nil
	})
	rep.Results, rep.counted = results, Summary{}
	return rep
}

// Bounds of a run's batches: payloads are read in batches of at most
// streamBatchPayloads payloads or streamBatchBytes bytes (a larger
// payload is a batch of its own), and at most two batches per job are
// read ahead of the sink, so that a run holds a few megabytes of input
// whatever the size of its inputs.
const (
	streamBatchPayloads = 256
	streamBatchBytes    = 1 << 20
)

// batch is a run of payloads read in order and checked by one worker.
type batch struct {
	buf      []byte // the payloads' bytes
	ends     []int  // the end of each payload's bytes in buf
	payloads []Payload
	results  []Result
	done     chan struct{} // closed when results are set
}

func (b *batch) add(p Payload) {
	b.buf = append(b.buf, p.Data...)
	b.ends = append(b.ends, len(b.buf))
	p.Data = nil
	b.payloads = append(b.payloads, p)
}

func (b *batch) full() bool {
	return len(b.payloads) >= streamBatchPayloads || len(b.buf) >= streamBatchBytes
}

// seal points the payloads at their bytes, once buf no longer grows.
func (b *batch) seal() {
	start := 0
	for i, end := range b.ends {
		b.payloads[i].Data = b.buf[start:end:end]
		start = end
	}
	b.results = slices.Grow(b.results[:0], len(b.payloads))[:len(b.payloads)]
	b.done = make(chan struct{})
}

func (b *batch) reset() {
	b.buf, b.ends, b.payloads = b.buf[:0], b.ends[:0], b.payloads[:0]
	clear(b.results)
	if cap(b.buf) > 4*streamBatchBytes {
		b.buf = nil // a batch of one large payload
	}
}

// RunStream reads the given paths (see ExpandPaths and ReadPayloads) and
// checks every payload in bounded memory whatever the size of the inputs:
// NDJSON is read line by line, payloads are checked in parallel in
// batches, and each result is given to sink in input order (files
// sorted, lines in order) as soon as it and those before it are known.
// sink must not keep r past the call (copy *r to keep it). The report
// returned holds no Results but counts them in its Summary, and holds
// the input errors and the inputs skipped. An error from sink stops the
// run and is returned.
func (s *Suite) RunStream(paths []string, stdin io.Reader, opts Options, sink func(r *Result) error) (*Report, error) {
	rep := &Report{}
	if opts.Shards > 1 && (opts.Shard < 1 || opts.Shard > opts.Shards) {
		rep.Errors = []error{fmt.Errorf("shard %d/%d: expected 1 <= K <= N", opts.Shard, opts.Shards)}
		return rep, nil
	}
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = runtime.GOMAXPROCS(0)
	}
	co := CheckOptions{Provider: opts.Provider, Event: opts.Event, MaxBodyBytes: opts.MaxBodyBytes}

	work := make(chan *batch)
	order := make(chan *batch, 2*jobs) // the batches read ahead, in order
	free := make(chan *batch, 2*jobs+2)
	stop := make(chan struct{})
	var errs []error // the reader's, read once it is done
	readerDone := make(chan struct{})
	go func() {
		defer close(readerDone)
		defer close(order)
		defer close(work)
		cur := &batch{}
		send := func() error {
			if len(cur.payloads) == 0 {
				return nil
			}
			cur.seal()
			for _, ch := range []chan *batch{order, work} {
				select {
				case ch <- cur:
				case <-stop:
					return errStopped
				}
			}
			select {
			case cur = <-free:
			default:
				cur = &batch{}
			}
			return nil
		}
		n := 0
		emit := func(p Payload, err error) error {
			k := n
			n++
			// The n-th payload (from 0) belongs to shard n mod N + 1.
			if opts.Shards > 1 && k%opts.Shards != opts.Shard-1 {
				return nil
			}
			if err != nil {
				errs = append(errs, err)
				return nil
			}
			cur.add(p)
			if cur.full() {
				return send()
			}
			return nil
		}
		werrs, err := walkPaths(paths, func(f string) error {
			if err := readInput(f, stdin, emit); err != nil {
				if errors.Is(err, errStopped) {
					return err
				}
				errs = append(errs, err)
			}
			return nil
		})
		errs = append(errs, werrs...)
		if err == nil {
			send()
		}
	}()

	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newRunChecker()
			for b := range work {
				for i := range b.payloads {
					b.results[i] = s.checkPayload(c, &b.payloads[i], co)
				}
				close(b.done)
			}
		}()
	}

	var sinkErr error
	done, tuned := 0, false
	last := time.Now()
	for b := range order {
		if sinkErr != nil {
			continue // drain; the batch may never be checked
		}
		<-b.done
		for i := range b.results {
			rep.counted.Add(b.results[i].Verdict)
			if err := sink(&b.results[i]); err != nil {
				sinkErr = err
				close(stop)
				break
			}
		}
		done += len(b.results)
		if done >= batchGCThreshold && !tuned {
			// A large run: its payloads are short-lived garbage, so
			// trade memory for fewer collections while it lasts.
			tuned = true
			defer debug.SetGCPercent(debug.SetGCPercent(batchGCPercent))
		}
		if opts.Progress != nil && time.Since(last) >= 100*time.Millisecond {
			opts.Progress(done, -1)
			last = time.Now()
		}
		if sinkErr == nil {
			b.reset()
			select {
			case free <- b:
			default:
			}
		}
	}
	<-readerDone
	wg.Wait()
	if opts.Progress != nil && sinkErr == nil {
		opts.Progress(done, done)
	}
	rep.Skipped, rep.Errors = SplitSkipped(errs)
	slices.SortStableFunc(rep.Skipped, func(a, b Skipped) int { return strings.Compare(a.Path, b.Path) })
	return rep, sinkErr
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
	co := CheckOptions{Provider: opts.Provider, Event: opts.Event, MaxBodyBytes: opts.MaxBodyBytes}
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
			c := newRunChecker()
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= len(payloads) {
					return
				}
				end := min(start+chunk, len(payloads))
				for i := start; i < end; i++ {
					results[i] = s.checkPayload(c, &payloads[i], co)
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

// checkPayload checks one payload of a run.
func (s *Suite) checkPayload(c *checker, p *Payload, co CheckOptions) Result {
	if co.Provider == "" {
		co.Provider = p.Provider
	}
	if p.Header != nil {
		co.Header = p.Header
	}
	r := s.check(c, p.Data, co)
	c.dec.reset()
	r.Source, r.Line = p.Source, p.Line
	return r
}
