package contracttest

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// fakeT records what Run reports, so failures can be checked.
type fakeT struct {
	name   string
	errors []string
	logs   []string
	fatal  bool
	subs   []*fakeT
}

func (f *fakeT) Helper() {}
func (f *fakeT) Errorf(format string, a ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, a...))
}
func (f *fakeT) Logf(format string, a ...any) { f.logs = append(f.logs, fmt.Sprintf(format, a...)) }
func (f *fakeT) Fatalf(format string, a ...any) {
	f.errors = append(f.errors, fmt.Sprintf(format, a...))
	f.fatal = true
}
func (f *fakeT) Run(name string, fn func(*fakeT)) bool {
	sub := &fakeT{name: name}
	f.subs = append(f.subs, sub)
	fn(sub)
	return len(sub.errors) == 0
}

// TestRunWithTestingT: the Go API with a real *testing.T, over payloads
// that all conform.
func TestRunWithTestingT(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"tickets/created.json":   ticket,
		"tickets/all.ndjson":     strings.Join(strings.Fields(ticket), " ") + "\n",
		"salesforce/update.json": settings,
	})
	Run(t, dir, WithSuite(testSuite(t)))
	Run(t, dir+"/tickets", WithProvider("tickets"))
}

func TestRunReportsEveryPayload(t *testing.T) {
	dir := t.TempDir()
	compact := strings.Join(strings.Fields(ticket), " ")
	writeFiles(t, dir, map[string]string{
		"ok.json":        ticket,
		"drift.json":     strings.Replace(ticket, `"topic"`, `"extra": true, "topic"`, 1),
		"bad.json":       strings.Replace(ticket, `"CREATION"`, `"NEW"`, 1),
		"sub/log.ndjson": compact + "\n\n" + `{"topic": "sac_ticket"}` + "\n",
	})
	for _, strict := range []bool{false, true} {
		ft := &fakeT{}
		opts := []Option{WithSuite(testSuite(t))}
		if strict {
			opts = append(opts, WithStrict())
		}
		Run(ft, dir, opts...)
		var names, failed []string
		for _, sub := range ft.subs {
			names = append(names, sub.name)
			if len(sub.errors) > 0 {
				failed = append(failed, sub.name)
			}
		}
		if want := []string{"bad.json", "drift.json", "ok.json", "sub/log.ndjson:1", "sub/log.ndjson:3"}; !slices.Equal(names, want) {
			t.Errorf("subtests %v, want %v", names, want)
		}
		wantFailed := []string{"bad.json", "sub/log.ndjson:3"}
		if strict {
			wantFailed = []string{"bad.json", "drift.json", "sub/log.ndjson:3"}
		}
		if !slices.Equal(failed, wantFailed) {
			t.Errorf("strict=%v: failed %v, want %v", strict, failed, wantFailed)
		}
		if len(ft.errors) != 0 {
			t.Errorf("top-level errors %v", ft.errors)
		}
		// A failing subtest lists every violation.
		last := ft.subs[len(ft.subs)-1].errors
		if len(last) != 1 || !strings.Contains(last[0], "/data: expected required property") || !strings.Contains(last[0], "/tenant_id: expected required property") {
			t.Errorf("failure message %q, want every violation", last)
		}
		if !strict && (len(ft.subs[1].logs) != 1 || !strings.Contains(ft.subs[1].logs[0], "/extra")) {
			t.Errorf("drift logs %q, want /extra", ft.subs[1].logs)
		}
	}
}

// TestRunWithMaxBodyBytes: a payload over the bound of the handler it is
// for is logged as drift, saying that handler answers it 413, and fails
// with WithStrict.
func TestRunWithMaxBodyBytes(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"ticket.json": ticket})
	for _, strict := range []bool{false, true} {
		ft := &fakeT{}
		opts := []Option{WithSuite(testSuite(t)), WithMaxBodyBytes(100)}
		if strict {
			opts = append(opts, WithStrict())
		}
		Run(ft, dir, opts...)
		if len(ft.subs) != 1 {
			t.Fatalf("strict=%v: %d subtests, want 1", strict, len(ft.subs))
		}
		said := strings.Join(append(ft.subs[0].logs, ft.subs[0].errors...), "\n")
		if failed := len(ft.subs[0].errors) > 0; failed != strict || !strings.Contains(said, "answers 413") {
			t.Errorf("strict=%v: failed %v, said %q", strict, failed, said)
		}
	}
}

func TestRunErrors(t *testing.T) {
	for _, tc := range []struct {
		name, dir string
		opts      []Option
		want      string
	}{
		{"missing directory", "testdata/no-such-dir", nil, "contracttest: read testdata/no-such-dir: no such file or directory"},
		{"unknown provider", t.TempDir(), []Option{WithProvider("nope")}, `contracttest: unknown provider "nope"`},
		{"broken specs", t.TempDir(), []Option{WithSpecs(miniSpec(`{"$id": "https://hookcontract.dev/schemas/mini/shape.json", "$ref": "gone.json"}`, nil))}, `$ref "gone.json" names no schema file`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ft := &fakeT{}
			Run(ft, tc.dir, tc.opts...)
			if len(ft.errors) == 0 || !strings.Contains(ft.errors[0], tc.want) || len(ft.subs) != 0 {
				t.Errorf("errors %q, subtests %d; want an error with %q", ft.errors, len(ft.subs), tc.want)
			}
		})
	}
}
