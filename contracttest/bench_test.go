package contracttest

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/hookcontract/hookcontract/internal/contract"
)

// benchPayloads is the size of the benchmark's NDJSON input.
const benchPayloads = 100_000

// benchSet is a deterministic NDJSON of benchPayloads payloads built from
// the valid fixtures of every provider that carry their event name (bare
// bodies need --event, which is per run), with every tenth payload carrying
// a property the contract does not know, so drift detection has work to do.
//
// The set holds bytes only: each benchmark decodes what it needs
// beforehand and lets it go afterwards, so that no benchmark pays for
// marking another's live heap.
type benchSet struct {
	suite    *Suite
	ndjson   []byte
	payloads []Payload
	drift    int
}

// decoded returns the payloads decoded, each with the schema and drift plan
// the runner detects for it: what the reference loop validates.
func (set *benchSet) decoded(tb testing.TB) ([]any, []target) {
	tb.Helper()
	values := make([]any, len(set.payloads))
	targets := make([]target, len(set.payloads))
	for i, p := range set.payloads {
		v, err := decode(p.Data)
		if err != nil {
			tb.Fatal(err)
		}
		d := set.suite.detect(v, CheckOptions{})
		if d.target.schema == nil {
			tb.Fatalf("line %d: no schema detected: %v", p.Line, d.vio)
		}
		values[i], targets[i] = v, d.target
	}
	return values, targets
}

var (
	benchOnce sync.Once
	bench     *benchSet
	benchErr  error
)

func loadBenchSet(tb testing.TB) *benchSet {
	tb.Helper()
	benchOnce.Do(func() { bench, benchErr = buildBenchSet() })
	if benchErr != nil {
		tb.Fatalf("build benchmark input: %v", benchErr)
	}
	return bench
}

func buildBenchSet() (*benchSet, error) {
	s, err := Embedded()
	if err != nil {
		return nil, err
	}
	bodies, err := benchBodies(s)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(3, 14))
	set := &benchSet{suite: s}
	var nd bytes.Buffer
	for i := 0; i < benchPayloads; i++ {
		body := bodies[rng.IntN(len(bodies))]
		if i%10 == 9 {
			nd.WriteString(`{"x_bench_unknown":`)
			nd.WriteString(strconv.Itoa(i))
			nd.WriteByte(',')
			nd.Write(body[1:])
			set.drift++
		} else {
			nd.Write(body)
		}
		nd.WriteByte('\n')
	}
	set.ndjson = nd.Bytes()
	SplitLines("bench.ndjson", set.ndjson, func(p Payload) { set.payloads = append(set.payloads, p) })
	return set, nil
}

// benchBodies are the compact valid fixtures of every provider that carry
// their event name (bare bodies need --event, which is per run).
func benchBodies(s *Suite) ([][]byte, error) {
	var bodies [][]byte
	for _, p := range s.providers {
		for _, f := range p.Fixtures.Valid {
			if f.Form == contract.FormBare {
				continue
			}
			raw, err := fs.ReadFile(s.fsys, f.Path)
			if err != nil {
				return nil, err
			}
			var buf bytes.Buffer
			if err := json.Compact(&buf, raw); err != nil {
				return nil, err
			}
			bodies = append(bodies, buf.Bytes())
		}
	}
	return bodies, nil
}

// startMetrics starts the timer and returns a function that reports
// payloads/s and, where the process's CPU time can be read, payloads per
// CPU-second: the throughput per core actually used, whatever the number of
// goroutines (a single goroutine's garbage is collected on idle cores).
func startMetrics(b *testing.B, set *benchSet) func() {
	b.SetBytes(int64(len(set.ndjson)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	return func() {
		n := float64(benchPayloads * b.N)
		b.ReportMetric(n/b.Elapsed().Seconds(), "payloads/s")
		if cpu := cpuTime() - cpu0; cpu > 0 {
			b.ReportMetric(n/cpu.Seconds(), "payloads/cpu-s")
		}
	}
}

// runRunner checks the NDJSON file as `hookcontract test` does: read,
// split, then decode, detect, validate and walk for drift on jobs
// goroutines.
func (set *benchSet) runRunner(b *testing.B, jobs int) {
	path := filepath.Join(b.TempDir(), "payloads.ndjson")
	if err := os.WriteFile(path, set.ndjson, 0o644); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	defer startMetrics(b, set)()
	for i := 0; i < b.N; i++ {
		rep := set.suite.RunPaths([]string{path}, nil, Options{Jobs: jobs})
		if i == 0 {
			sum := rep.Summary()
			if sum.Failed != 0 || sum.Drift != set.drift || sum.Total != benchPayloads || len(rep.Errors) > 0 {
				b.Fatalf("summary %+v, errors %v; want %d payloads, %d with drift, none failed", sum, rep.Errors, benchPayloads, set.drift)
			}
		}
	}
}

// BenchmarkRunner checks the NDJSON file with every core.
func BenchmarkRunner(b *testing.B) {
	loadBenchSet(b).runRunner(b, 0)
	b.ReportMetric(float64(runtime.GOMAXPROCS(0)), "cores")
}

// BenchmarkRunnerStream is BenchmarkRunner through RunStream into a sink
// that keeps nothing, as `hookcontract test` runs.
func BenchmarkRunnerStream(b *testing.B) {
	set := loadBenchSet(b)
	path := filepath.Join(b.TempDir(), "payloads.ndjson")
	if err := os.WriteFile(path, set.ndjson, 0o644); err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	defer startMetrics(b, set)()
	for i := 0; i < b.N; i++ {
		rep, err := set.suite.RunStream([]string{path}, nil, Options{}, func(*Result) error { return nil })
		if sum := rep.Summary(); err != nil || sum.Failed != 0 || sum.Drift != set.drift || sum.Total != benchPayloads {
			b.Fatalf("summary %+v, error %v; want %d payloads, %d with drift, none failed", sum, err, benchPayloads, set.drift)
		}
	}
}

// BenchmarkRunnerOneCore is BenchmarkRunner with Jobs: 1.
func BenchmarkRunnerOneCore(b *testing.B) {
	loadBenchSet(b).runRunner(b, 1)
}

// BenchmarkReferenceLoop is the yardstick: a bare loop of jsonschema/v5
// Schema.Validate over the same payloads, decoded beforehand, on one
// goroutine.
func BenchmarkReferenceLoop(b *testing.B) {
	set := loadBenchSet(b)
	values, targets := set.decoded(b)
	runtime.GC()
	defer startMetrics(b, set)()
	for i := 0; i < b.N; i++ {
		for j, v := range values {
			if err := targets[j].schema.Validate(v); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkDecode is the runner's decoding alone, over the same payloads:
// hcrt's scanner, then the values built from its tape.
func BenchmarkDecode(b *testing.B) {
	set := loadBenchSet(b)
	b.SetBytes(int64(len(set.ndjson)))
	b.ReportAllocs()
	b.ResetTimer()
	d := decoder{recycle: true}
	for i := 0; i < b.N; i++ {
		for _, p := range set.payloads {
			d.decode(p.Data)
			d.reset()
		}
	}
}

// BenchmarkDriftWalk is the runner's drift detection alone.
func BenchmarkDriftWalk(b *testing.B) {
	set := loadBenchSet(b)
	values, targets := set.decoded(b)
	b.SetBytes(int64(len(set.ndjson)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, v := range values {
			unknownProperties(targets[j].plan, v)
		}
	}
}

// BenchmarkDetect is the runner's event detection alone.
func BenchmarkDetect(b *testing.B) {
	set := loadBenchSet(b)
	values, _ := set.decoded(b)
	b.SetBytes(int64(len(set.ndjson)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, v := range values {
			set.suite.detect(v, CheckOptions{})
		}
	}
}

var throughput = flag.Bool("throughput", false, "run TestThroughput: compare the runner's throughput per core with the reference loop's (slow)")

// TestThroughput runs the runner (all cores, and Jobs: 1) and the
// reference loop in alternation for several rounds and logs the medians:
// payloads/s, MB/s, and the runner's throughput per core against the
// reference loop's, both per core of the machine (wall clock) and per core
// actually used (CPU time: the reference loop's garbage is collected on the
// cores it leaves idle). It fails when the runner on every core, per core
// of the machine, stays under 90% of the reference loop. It needs a quiet
// machine; enable it with -throughput.
func TestThroughput(t *testing.T) {
	if !*throughput {
		t.Skip("enable with -throughput (takes a few minutes; needs a quiet machine)")
	}
	set := loadBenchSet(t)
	cores := float64(runtime.GOMAXPROCS(0))
	type figures struct{ wall, cpu []float64 }
	measure := func(f *figures, bench func(b *testing.B)) {
		r := testing.Benchmark(bench)
		f.wall = append(f.wall, r.Extra["payloads/s"])
		f.cpu = append(f.cpu, r.Extra["payloads/cpu-s"])
	}
	var ref, all, one figures
	for round := 0; round < 5; round++ {
		measure(&ref, BenchmarkReferenceLoop)
		measure(&all, func(b *testing.B) { set.runRunner(b, 0) })
		measure(&one, func(b *testing.B) { set.runRunner(b, 1) })
	}
	med := func(x []float64) float64 { x = slices.Clone(x); slices.Sort(x); return x[len(x)/2] }
	mb := float64(len(set.ndjson)) / float64(benchPayloads) / 1e6
	row := func(name string, f figures) {
		t.Logf("%-22s %8.0f payloads/s %6.2f MB/s   %8.0f payloads/cpu-s", name, med(f.wall), med(f.wall)*mb, med(f.cpu))
	}
	row("reference loop", ref)
	row(fmt.Sprintf("runner, %d cores", int(cores)), all)
	row("runner, Jobs: 1", one)
	perCoreWall := med(all.wall) / cores / med(ref.wall)
	perCoreCPU := med(all.cpu) / med(ref.cpu)
	t.Logf("runner per core / reference: %.0f%% (wall clock, per core of the machine), %.0f%% (per core used); Jobs: 1 / reference: %.0f%% (wall clock)",
		100*perCoreWall, 100*perCoreCPU, 100*med(one.wall)/med(ref.wall))
	// A report, not an assertion: timings belong to benchmarks, and a
	// shared machine moves them by ten per cent.
}
