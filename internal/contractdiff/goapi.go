package contractdiff

import (
	"errors"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/hookcontract/hookcontract/runtime/hcrt"
	"golang.org/x/exp/apidiff"
)

// APIChange is one difference between two versions of a Go package's
// exported API, as golang.org/x/exp/apidiff reports it.
type APIChange struct {
	Package    string `json:"package"`
	Message    string `json:"message"`
	Compatible bool   `json:"compatible"`
}

// CheckPackage type-checks the non-test Go files of one package (file name
// to contents) and returns it for comparison. Imports are resolved from
// the standard library's export data and, for the hookcontract runtime
// generated code imports, from the runtime's own source (hcrt.Source), so
// that what a package declares through it (its Violation and Grade
// aliases) is compared by value; an import that cannot be found (a module
// the caller does not have) becomes an empty package, so that the rest of
// the API can still be compared.
func CheckPackage(path string, files map[string][]byte) (*types.Package, error) {
	fset := token.NewFileSet()
	var parsed []*ast.File
	names := make([]string, 0, len(files))
	for n := range files {
		if strings.HasSuffix(n, ".go") && !strings.HasSuffix(n, "_test.go") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("package %s: no Go file", path)
	}
	for _, n := range names {
		f, err := parser.ParseFile(fset, n, files[n], parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("package %s: parse: %w", path, err)
		}
		parsed = append(parsed, f)
	}
	var errs []error
	imp := &fallbackImporter{}
	conf := types.Config{
		Importer: imp,
		Error:    func(err error) { errs = append(errs, err) },
	}
	pkg, _ := conf.Check(path, fset, parsed, nil)
	if pkg == nil || (len(errs) > 0 && len(imp.faked) == 0) {
		// With every import found, an error is the code's own: its API
		// cannot be trusted.
		return nil, fmt.Errorf("package %s: type-check: %w", path, errors.Join(errs...))
	}
	return pkg, nil
}

var stdImporter = sync.OnceValue(func() types.Importer { return importer.Default() })

var importMu sync.Mutex

// fallbackImporter imports from export data and stands in an empty,
// complete package for an import it cannot find.
type fallbackImporter struct{ faked []string }

func (f *fallbackImporter) Import(path string) (*types.Package, error) {
	importMu.Lock()
	defer importMu.Unlock()
	if p, err := stdImporter().Import(path); err == nil {
		return p, nil
	}
	if path == hcrtPath {
		if p, err := runtimePackage(); err == nil {
			return p, nil
		}
	}
	f.faked = append(f.faked, path)
	name := path[strings.LastIndex(path, "/")+1:]
	p := types.NewPackage(path, name)
	p.MarkComplete()
	return p, nil
}

// ComparePackages lists the exported API changes from old to new. Either
// may be nil: a package added or removed.
func ComparePackages(path string, old, new *types.Package) []APIChange {
	switch {
	case old == nil && new == nil:
		return nil
	case old == nil:
		return []APIChange{{Package: path, Message: "package added", Compatible: true}}
	case new == nil:
		return []APIChange{{Package: path, Message: "package removed", Compatible: false}}
	}
	var out []APIChange
	for _, c := range apidiff.Changes(old, new).Changes {
		out = append(out, APIChange{Package: path, Message: c.Message, Compatible: c.Compatible})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Compatible != out[j].Compatible {
			return !out[i].Compatible
		}
		return out[i].Message < out[j].Message
	})
	return out
}

// Bump is the semantic version increment a set of API changes requires.
type Bump string

// Bumps.
const (
	BumpNone  Bump = "none"
	BumpPatch Bump = "patch"
	BumpMinor Bump = "minor"
	BumpMajor Bump = "major"
)

// RequiredBump returns the increment the changes require: major for an
// incompatible change, minor for a compatible addition, patch otherwise
// (the code changed, its API did not).
func RequiredBump(changes []APIChange, codeChanged bool) Bump {
	b := BumpNone
	if codeChanged {
		b = BumpPatch
	}
	for _, c := range changes {
		if !c.Compatible {
			return BumpMajor
		}
		b = BumpMinor
	}
	return b
}

// hcrtPath is the import path of the runtime generated code imports.
const hcrtPath = "github.com/hookcontract/hookcontract/runtime/hcrt"

// runtimePackage type-checks the runtime from the source it embeds, once.
var runtimePackage = sync.OnceValues(func() (*types.Package, error) {
	names, err := fs.Glob(hcrt.Source, "*.go")
	if err != nil {
		return nil, fmt.Errorf("runtime source: %w", err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, n := range names {
		src, err := fs.ReadFile(hcrt.Source, n)
		if err != nil {
			return nil, fmt.Errorf("runtime source: %w", err)
		}
		f, err := parser.ParseFile(fset, n, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("runtime source: %w", err)
		}
		files = append(files, f)
	}
	conf := types.Config{Importer: stdImporter()}
	p, err := conf.Check(hcrtPath, fset, files, nil)
	if err != nil {
		return nil, fmt.Errorf("runtime source: type-check: %w", err)
	}
	return p, nil
})
