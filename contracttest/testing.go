package contracttest

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// TB is what Run needs of a test: *testing.T and *testing.B satisfy it
// (with T = *testing.T or *testing.B). It is a type parameter rather than
// testing.TB so that this package does not import "testing" into the
// binaries that use it, and so that Run can start subtests, which
// testing.TB cannot.
type TB[T any] interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
	Run(name string, f func(T)) bool
}

// Option configures Run.
type Option func(*runConfig)

type runConfig struct {
	opts  Options
	specs fs.FS
	suite *Suite
}

// WithProvider checks every payload against the named provider's contract
// instead of detecting the provider.
func WithProvider(name string) Option { return func(c *runConfig) { c.opts.Provider = name } }

// WithEvent checks payloads that carry no event name (bare entities,
// data-only bodies) as the named event.
func WithEvent(name string) Option { return func(c *runConfig) { c.opts.Event = name } }

// WithSpecs checks against the spec directory fsys (layout: specs/LAYOUT.md)
// instead of the embedded specs.
func WithSpecs(fsys fs.FS) Option { return func(c *runConfig) { c.specs = fsys } }

// WithSuite checks against an already loaded suite.
func WithSuite(s *Suite) Option { return func(c *runConfig) { c.suite = s } }

// WithStrict fails payloads that carry properties the contract does not
// know (drift); without it they pass and their unknown properties are
// logged.
func WithStrict() Option { return func(c *runConfig) { c.opts.Strict = true } }

// WithMaxBodyBytes checks payloads against the body bound of the handler
// they are for (its WithMaxBodyBytes; without it, a generated handler's
// default, 1 MiB; negative: no bound): a larger payload drifts, as that
// handler answers it 413.
func WithMaxBodyBytes(n int64) Option { return func(c *runConfig) { c.opts.MaxBodyBytes = n } }

// Run checks every payload under dir (a directory walked recursively, or
// one file; .json files hold one payload, .ndjson/.jsonl one per line)
// against the contracts, with one subtest per payload named after its
// path relative to dir, and its line in an NDJSON file. A failing subtest
// lists every violation. A directory that cannot be read, or holds no
// payload, fails the test. Use it in a _test.go file:
//
//	func TestCapturedWebhooks(t *testing.T) {
//		contracttest.Run(t, "testdata/captured")
//	}
func Run[T TB[T]](t T, dir string, opts ...Option) {
	t.Helper()
	var c runConfig
	for _, o := range opts {
		o(&c)
	}
	s := c.suite
	if s == nil {
		var err error
		if c.specs != nil {
			s, err = Load(c.specs)
		} else {
			s, err = embedded()
		}
		if err != nil {
			t.Fatalf("contracttest: %v", err)
			return
		}
	}
	if c.opts.Provider != "" && s.provider(c.opts.Provider) == nil {
		t.Fatalf("contracttest: unknown provider %q (known: %s)", c.opts.Provider, strings.Join(s.Providers(), ", "))
		return
	}
	rep := s.RunPaths([]string{dir}, nil, c.opts)
	for _, err := range rep.Errors {
		var ie *InputError
		if errors.As(err, &ie) {
			t.Errorf("contracttest: read %s: %v", ie.Path, ie.Err)
		} else {
			t.Errorf("contracttest: %v", err)
		}
	}
	if len(rep.Results) == 0 && len(rep.Errors) == 0 {
		t.Fatalf("contracttest: no payload in %s", dir)
		return
	}
	for i := range rep.Results {
		r := &rep.Results[i]
		t.Run(subtestName(dir, r), func(t T) {
			t.Helper()
			reportResult(t, r, c.opts.Strict)
		})
	}
}

func reportResult[T TB[T]](t T, r *Result, strict bool) {
	t.Helper()
	switch r.Verdict {
	case Fail:
		var b strings.Builder
		for _, v := range r.Violations {
			b.WriteString("\n  ")
			b.WriteString(jsonpointer.Display(v.Pointer))
			b.WriteString(": ")
			b.WriteString(v.Message)
			b.WriteString(" [")
			b.WriteString(v.Keyword)
			b.WriteString("]")
		}
		if l := r.limitLine(); l != "" {
			b.WriteString("\n  ")
			b.WriteString(l)
		}
		t.Errorf("%s: %s does not conform to the contract:%s", r.Location(), r.title(), b.String())
	case Drift:
		msg := r.Location() + ": " + r.title() + " carries what the contract does not know:\n  " + strings.Join(r.driftLines(), "\n  ")
		if strict {
			t.Errorf("%s", msg)
		} else {
			t.Logf("%s", msg)
		}
	}
}

// subtestName is a result's source relative to dir, with its line.
func subtestName(dir string, r *Result) string {
	name := filepath.Base(r.Source)
	if rel, err := filepath.Rel(dir, r.Source); err == nil && rel != "." {
		name = filepath.ToSlash(rel)
	}
	if r.Line > 0 {
		name += ":" + strconv.Itoa(r.Line)
	}
	return name
}
