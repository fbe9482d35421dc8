package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/hookcontract/hookcontract/gen"
	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/specs"
)

// defaultConfig is the config file generate reads when no flag says what
// to generate.
const defaultConfig = "hookcontract.yaml"

func defineGenerate(fs *flag.FlagSet) func(*env, []string) int {
	var (
		provider = fs.String("provider", "", "embedded spec `NAME` (ampersand, salesforce, salesiq, sonar, tickets)")
		spec     = fs.String("spec", "", "OpenAPI 3.1 spec `FILE` with webhooks")
		pkg      = fs.String("package", "", "Go package `NAME`")
		out      = fs.String("out", "", "output `DIR`")
		config   = fs.String("config", "", "config `FILE` (default: ./hookcontract.yaml when neither --provider nor --spec is given)")
		check    = fs.Bool("check", false, "write nothing; exit 1 with a diff when the output is not up to date")
	)
	return func(e *env, rest []string) int {
		stdout, stderr := e.stdout, e.stderr
		if len(rest) > 0 {
			return e.usageError("unexpected argument %q", rest[0])
		}
		var jobs []gen.PackageConfig
		var cfgFile string // the config file, "" for flags
		var cfgRaw []byte
		base := "."
		cfg := *config
		if cfg == "" && *provider == "" && *spec == "" {
			// No flag names what to generate: the config file of the
			// current directory, as buf and sqlc read theirs.
			if *pkg != "" || *out != "" {
				return e.usageError("--package and --out need --provider or --spec")
			}
			if _, err := os.Stat(defaultConfig); err != nil {
				return e.usageError("no %s in this directory: pass --config FILE, --provider NAME or --spec FILE", defaultConfig)
			}
			cfg = defaultConfig
		}
		switch {
		case cfg != "":
			if *provider != "" || *spec != "" || *pkg != "" || *out != "" {
				return e.usageError("--config excludes --provider, --spec, --package and --out")
			}
			data, err := os.ReadFile(cfg)
			if err != nil {
				e.errorf("config: %v", err)
				return ExitUsage
			}
			c, err := gen.ParseConfig(data)
			if err != nil {
				e.errorf("config %s: %v", cfg, err)
				return ExitUsage
			}
			jobs, base, cfgFile, cfgRaw = c.Packages, filepath.Dir(cfg), cfg, data
		default:
			if *provider != "" && *spec != "" {
				return e.usageError("--provider and --spec exclude each other")
			}
			if *pkg == "" || *out == "" {
				return e.usageError("expected --package and --out")
			}
			jobs = []gen.PackageConfig{{Provider: *provider, Spec: *spec, Package: *pkg, Out: *out}}
		}

		drift := false
		var embedded *contract.Spec // loaded once, when a job names a provider
		for i, j := range jobs {
			var ref *contract.ConfigRef // where the config declares j, for errors about what it says
			if cfgFile != "" {
				ref = &contract.ConfigRef{File: cfgFile, Raw: cfgRaw, Pointer: fmt.Sprintf("/packages/%d", i)}
			}
			p, source, err := loadForGenerate(j, base, ref, &embedded)
			if err != nil {
				fmt.Fprintf(stderr, "hookcontract generate: %v\n", err)
				return ExitUsage
			}
			dir := under(base, j.Out)
			warn := func(s string) { fmt.Fprintf(stderr, "hookcontract generate: warning: %s\n", s) }
			files, err := gen.Generate(p, gen.Options{Package: j.Package, Source: source, ImportPath: importPath(dir), Warn: warn, Types: j.TypeOptions()})
			if err != nil {
				fmt.Fprintf(stderr, "hookcontract generate: %v\n", err)
				return ExitUsage
			}
			if *check {
				d, err := gen.Diff(dir, files)
				if err != nil {
					fmt.Fprintf(stderr, "hookcontract generate: %v\n", err)
					return ExitUsage
				}
				if d != "" {
					drift = true
					fmt.Fprintf(stdout, "%s is not up to date; run hookcontract generate:\n%s", dir, d)
				}
				continue
			}
			if err := gen.WriteDir(dir, files); err != nil {
				fmt.Fprintf(stderr, "hookcontract generate: %v\n", err)
				return ExitUsage
			}
		}
		if drift {
			return ExitFindings
		}
		return ExitOK
	}
}

// loadForGenerate loads the provider of one package and says what the
// generated files' source line shows.
func loadForGenerate(j gen.PackageConfig, base string, ref *contract.ConfigRef, embedded **contract.Spec) (*contract.Provider, string, error) {
	if j.Provider != "" {
		if *embedded == nil {
			sp, err := contract.Load(specs.FS())
			if err != nil {
				return nil, "", fmt.Errorf("load embedded specs: %w", err)
			}
			*embedded = sp
		}
		sp := *embedded
		p := sp.Provider(j.Provider)
		if p == nil {
			var names []string
			for _, q := range sp.Providers {
				names = append(names, q.Name)
			}
			return nil, "", fmt.Errorf("unknown provider %q (embedded: %v)", j.Provider, names)
		}
		return p, "specs/" + p.DocPath, nil
	}
	if j.Catalog != "" {
		ev := j.Events
		// Read from the config's folder when the catalog lies under it, so
		// that errors name its files as the config does (schemas/a.json).
		fsys, dir := os.DirFS(under(base, j.Catalog)), "."
		if rel := path.Clean(filepath.ToSlash(j.Catalog)); fs.ValidPath(rel) {
			fsys, dir = os.DirFS(base), rel
		}
		p, err := contract.LoadCatalog(fsys, dir, contract.CatalogOptions{Name: j.Package, Dialect: j.Dialect, Events: ev.Map, EventsKeyword: ev.Keyword, EventPointer: ev.Pointer, EventPointers: ev.Pointers, EventHeader: ev.Header, Config: ref})
		if err != nil {
			return nil, "", fmt.Errorf("load catalog %s: %w", j.Catalog, err)
		}
		return p, filepath.ToSlash(j.Catalog), nil
	}
	p, err := loadSpecFile(under(base, j.Spec), j.Events, ref)
	if err != nil {
		return nil, "", fmt.Errorf("load spec %s: %w", j.Spec, err)
	}
	return p, filepath.ToSlash(j.Spec), nil
}

// loadSpecFile loads a user's spec document as generate reads it (and as
// test --specs FILE does): events inferred, or declared by ev.
func loadSpecFile(file string, ev *gen.EventsConfig, ref *contract.ConfigRef) (*contract.Provider, error) {
	fi, err := os.Stat(file)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, errors.New("expected a file, found a directory")
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, err
	}
	// The spec's folder and its parent are visible: schema files live beside
	// the document or under it.
	dir := filepath.Dir(abs)
	root := filepath.Dir(dir)
	var opts contract.LoadOptions
	if ev != nil {
		opts = contract.LoadOptions{Events: ev.Map, EventPointer: ev.Pointer, EventPointers: ev.Pointers, EventHeader: ev.Header}
	}
	opts.Config = ref
	return contract.LoadFileWith(os.DirFS(root), path.Join(filepath.Base(dir), filepath.Base(abs)), opts)
}

// importPath returns the import path a package in dir would have: the
// module path of the nearest go.mod above it plus the relative directory;
// "" when there is no go.mod (no client is generated then).
func importPath(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for d := abs; ; d = filepath.Dir(d) {
		if data, err := os.ReadFile(filepath.Join(d, "go.mod")); err == nil {
			mod := modulePath(data)
			if mod == "" {
				return ""
			}
			rel, err := filepath.Rel(d, abs)
			if err != nil {
				return ""
			}
			if rel == "." {
				return mod
			}
			return mod + "/" + filepath.ToSlash(rel)
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

func modulePath(gomod []byte) string {
	for _, line := range strings.Split(string(gomod), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

// under resolves a path from the command line or a config file: absolute
// as it is, relative against base (the config file's folder).
func under(base, p string) string {
	p = filepath.FromSlash(p)
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(base, p)
}

var generateCommand = &command{
	name:    "generate",
	summary: "generate Go packages from a webhook spec",
	usage:   "[--config FILE | --provider NAME | --spec FILE] [--package NAME --out DIR] [--check]",
	about: `Generates a Go package (types, validators, Parse, Handler) from an embedded
spec (--provider), from any OpenAPI spec with webhooks (--spec), or for
every package of a config file (--config). With no --provider, --spec or
--config, reads ./hookcontract.yaml, as buf and sqlc read theirs. With
--check, writes nothing and fails with a diff when the files on disk
differ.`,
	examples: []string{
		"hookcontract generate                                   # every package of ./hookcontract.yaml",
		"hookcontract generate --check                           # in CI: exit 1 with a diff when stale",
		"hookcontract generate --provider salesiq --package salesiq --out internal/salesiq",
		"hookcontract generate --spec specs/acme/openapi.yaml --package acme --out internal/acme",
		"//go:generate go tool hookcontract generate --config hookcontract.yaml",
	},
	exits: []exitStatus{
		{ExitOK, "generated (with --check: everything is up to date)"},
		{ExitFindings, "with --check: a generated file is stale, missing or extra (a diff is printed)"},
		{ExitUsage, "bad usage, an unreadable or invalid config or spec, a file that cannot be written"},
	},
	define: defineGenerate,
}
