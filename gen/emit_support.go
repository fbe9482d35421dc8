package gen

import (
	"bytes"
	"embed"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"sort"
	"strconv"
	"strings"
)

// The support package's layer.go is copied, as source, into every
// generated package: the package's own names for the runtime module's
// webhook code, bound to its events and provider. stubs.go declares what
// each generated package defines itself and is left out.
//
//go:embed support/*.go
var supportFS embed.FS

func (g *generator) emitSupport() error {
	src, err := mergePackage(supportFS, "support", g.opts.Package, func(name string) bool {
		return !strings.HasSuffix(name, "_test.go") && !strings.HasSuffix(name, "/stubs.go")
	})
	if err != nil {
		return fmt.Errorf("support: %w", err)
	}
	return g.put(FilePrefix+"support.go", src)
}

// mergePackage joins the Go files of dir in fsys into one file of package
// pkg: their imports merged, their declarations in file order.
func mergePackage(fsys fs.FS, dir, pkg string, keep func(string) bool) ([]byte, error) {
	names, err := fs.Glob(fsys, dir+"/*.go")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	imports := map[string]bool{}
	var body bytes.Buffer
	for _, name := range names {
		if !keep(name) {
			continue
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		start := fset.Position(f.Name.End()).Offset
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
				start = fset.Position(gd.End()).Offset
			}
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if imp.Name != nil {
				p = imp.Name.Name + " " + strconv.Quote(p)
			} else {
				p = strconv.Quote(p)
			}
			imports[p] = true
		}
		body.Write(bytes.TrimSpace(src[start:]))
		body.WriteString("\n\n")
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "package %s\n\n", pkg)
	if len(imports) > 0 {
		list := make([]string, 0, len(imports))
		for p := range imports {
			list = append(list, p)
		}
		sort.Strings(list)
		// The standard library first, then the rest, as goimports groups
		// them.
		sort.SliceStable(list, func(i, j int) bool { return isStdImport(list[i]) && !isStdImport(list[j]) })
		out.WriteString("import (\n")
		for i, p := range list {
			if i > 0 && isStdImport(list[i-1]) && !isStdImport(p) {
				out.WriteString("\n")
			}
			out.WriteString("\t" + p + "\n")
		}
		out.WriteString(")\n\n")
	}
	out.Write(body.Bytes())
	return out.Bytes(), nil
}

// isStdImport reports whether an import line (a quoted path, maybe named)
// is of the standard library: its first path element has no dot.
func isStdImport(line string) bool {
	path := line[strings.IndexByte(line, '"')+1:]
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(strings.TrimSuffix(first, `"`), ".")
}
