package gen

import (
	"fmt"

	"github.com/hookcontract/hookcontract/gen/schemagen"
	"github.com/hookcontract/hookcontract/internal/contract"
)

// jsonOnlyID is a schema that accepts any JSON value: its validator checks
// only that the bytes are JSON.
const jsonOnlyID = "https://hookcontract.dev/internal/json.json"

func (g *generator) emitValidators() error {
	m := g.m
	var opts []schemagen.Option
	if m.p.IsCatalog() {
		opts = append(opts, schemagen.UnknownKeywordsAsAnnotations())
	}
	set := schemagen.NewSet(opts...)
	for _, f := range m.p.Schemas {
		raw, err := contract.WithoutOpenAPIAnnotations(f.Raw, f.Path == m.p.DocPath)
		if err != nil {
			return fmt.Errorf("%s: %w", f.Path, err)
		}
		// a problem is placed in the file as written (a YAML document is
		// compiled as the JSON it converts to, which has one line)
		var locate schemagen.Locator
		if path := f.Path; !(m.p.IsCatalog() && path == m.p.DocPath) {
			locate = func(ptr string) (int, int) {
				e := m.p.Locate(path, ptr, nil)
				return e.Line, e.Col
			}
		}
		if err := set.AddWithLocator(f.ID, raw, f.Path, locate); err != nil {
			return fmt.Errorf("add schema: %w", err)
		}
	}
	if err := set.Add(jsonOnlyID, []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "`+jsonOnlyID+`"}`), "(any JSON value)"); err != nil {
		return fmt.Errorf("add schema: %w", err)
	}
	roots := []schemagen.Root{{URI: jsonOnlyID, FuncName: "validateJSON"}}
	for _, e := range m.events {
		roots = append(roots, schemagen.Root{URI: e.Schema, FuncName: e.Validate})
		if e.ValidateB != "" {
			roots = append(roots, schemagen.Root{URI: e.BareURI, FuncName: e.ValidateB})
		}
	}
	for _, r := range m.requests {
		roots = append(roots, schemagen.Root{URI: r.Schema, FuncName: r.Validate})
	}
	prog, err := set.Compile(roots)
	if err != nil {
		return fmt.Errorf("compile validators: %w", err)
	}
	f := newFile(g.opts.Package)
	prog.Emit(f)
	g.validators = prog
	return g.put(FilePrefix+"validate.go", []byte(f.GoString()))
}
