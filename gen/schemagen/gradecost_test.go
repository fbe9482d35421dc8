package schemagen

import (
	"encoding/json"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/internal/testmod"
)

var gradeCost = flag.Bool("grade-cost", false, "run the benchmarks of TestGradeCost (slow)")

// strictSchema turns the expectations of a schema document into
// guarantees, as the specs had them before they were graded: each
// expectation's keywords join the schema holding it (under allOf when the
// schema has the keyword already). $id moves from .../schemas/ to
// .../strict/ so that both versions compile into one program.
func strictSchema(doc any) any {
	switch x := doc.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, v := range x {
			out[k] = strictSchema(v)
		}
		if id, ok := out["$id"].(string); ok {
			out["$id"] = strings.Replace(id, "/schemas/", "/strict/", 1)
		}
		if exp, ok := out[ExpectKeyword].(map[string]any); ok {
			delete(out, ExpectKeyword)
			rest := map[string]any{}
			for k, v := range exp {
				if _, taken := out[k]; taken {
					rest[k] = v
				} else {
					out[k] = v
				}
			}
			if len(rest) > 0 {
				all, _ := out["allOf"].([]any)
				out["allOf"] = append(slices.Clip(all), rest)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, v := range x {
			out[i] = strictSchema(v)
		}
		return out
	}
	return doc
}

// TestGradeCost measures what grading costs the generated validators on
// the payloads of the bench module: each payload's validator generated
// from the graded specs beside one generated from the same specs with
// every expectation turned back into a guarantee (the specs before
// grading), benchmarked side by side in one process. Run it with
//
//	go test ./gen/schemagen -run TestGradeCost -grade-cost -v
func TestGradeCost(t *testing.T) {
	if !*gradeCost {
		t.Skip("run with -grade-cost")
	}
	root := repoRoot(t)
	c := &corpus{schemas: map[string][]byte{}, sources: map[string]string{}}
	loadCorpus(t, filepath.Join(root, "specs"), "specs", c)
	set := NewSet()
	for _, id := range sortedKeys(c.schemas) {
		if err := set.Add(id, c.schemas[id], c.sources[id]); err != nil {
			t.Fatal(err)
		}
		doc, err := decodeJSON(c.schemas[id])
		if err != nil {
			t.Fatal(err)
		}
		strict, _ := json.Marshal(strictSchema(doc))
		if err := set.Add(strings.Replace(id, "/schemas/", "/strict/", 1), strict, c.sources[id]+" (strict)"); err != nil {
			t.Fatal(err)
		}
	}
	payloads := []struct{ name, uri, file string }{
		{"small_ticket", "https://hookcontract.dev/schemas/tickets/sac_ticket.json", "tickets/examples/valid/sac_ticket.creation.json"},
		{"medium_operator_created", "https://hookcontract.dev/schemas/salesiq/operator.created.json", "salesiq/examples/valid/operator.created.json"},
		{"installation_created", "https://hookcontract.dev/schemas/ampersand/installation.created.json", "ampersand/examples/valid/installation.created.json"},
	}
	var roots []Root
	var bench strings.Builder
	bench.WriteString("package main\n\nimport \"testing\"\n\n")
	for i, p := range payloads {
		roots = append(roots, Root{URI: p.uri, FuncName: "Graded" + strconv.Itoa(i)},
			Root{URI: strings.Replace(p.uri, "/schemas/", "/strict/", 1), FuncName: "Strict" + strconv.Itoa(i)})
		data, err := os.ReadFile(filepath.Join(root, "specs", p.file))
		if err != nil {
			t.Fatal(err)
		}
		bench.WriteString("func Benchmark_" + p.name + "(b *testing.B) {\n\tdata := []byte(" + strconv.Quote(string(data)) + ")\n")
		bench.WriteString("\tfor _, v := range []struct{ name string; fn func([]byte) *ValidationError }{{\"before-strict\", Strict" + strconv.Itoa(i) + "}, {\"after-graded\", Graded" + strconv.Itoa(i) + "}} {\n")
		bench.WriteString("\t\tif v.fn(data) != nil { b.Fatalf(\"%s rejects the payload: %v\", v.name, v.fn(data)) }\n")
		bench.WriteString("\t\tb.Run(v.name, func(b *testing.B) {\n\t\t\tb.SetBytes(int64(len(data)))\n\t\t\tb.ReportAllocs()\n\t\t\tfor b.Loop() { _ = v.fn(data) }\n\t\t})\n\t}\n}\n\n")
	}
	prog, err := set.Compile(roots)
	if err != nil {
		t.Fatal(err)
	}
	src, err := emitSource(prog, "main")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"go.mod": testmod.GoMod("hcgradecost", ""), "validators.go": src,
		"main.go": []byte("package main\n\nfunc main() {}\n"), "bench_test.go": []byte(bench.String()),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "CGO_ENABLED=0")
	cmd := exec.Command("go", "test", "-c", "-o", "bench.test", ".")
	cmd.Dir, cmd.Env = dir, env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build benchmarks: %v\n%s", err, out)
	}
	// Rounds alternate the two versions, so that both see the same load.
	var out []byte
	for range 6 {
		cmd := exec.Command(filepath.Join(dir, "bench.test"), "-test.run", "^$", "-test.bench", ".", "-test.benchmem", "-test.benchtime", "200ms")
		cmd.Dir, cmd.Env = dir, env
		o, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("benchmarks: %v\n%s", err, o)
		}
		out = append(out, o...)
	}
	t.Logf("\n%s", out)
	re := regexp.MustCompile(`Benchmark_(\w+)/(\S+)-\d+\s+\d+\s+[\d.]+ ns/op\s+([\d.]+) MB/s`)
	mbs := map[string][]float64{}
	for _, m := range re.FindAllStringSubmatch(string(out), -1) {
		v, _ := strconv.ParseFloat(m[3], 64)
		mbs[m[1]+" "+m[2]] = append(mbs[m[1]+" "+m[2]], v)
	}
	median := func(xs []float64) float64 {
		slices.Sort(xs)
		return xs[len(xs)/2]
	}
	for _, p := range payloads {
		b, a := mbs[p.name+" before-strict"], mbs[p.name+" after-graded"]
		if len(a) == 0 || len(b) == 0 {
			t.Errorf("%s: no results", p.name)
			continue
		}
		t.Logf("%s: graded/strict throughput %.3f (median MB/s %.1f vs %.1f)", p.name, median(a)/median(b), median(a), median(b))
	}
}
