package gen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oapi-codegen/oapi-codegen/v2/pkg/codegen"

	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
	"github.com/hookcontract/hookcontract/templates"
)

// ClientDir is the subdirectory, beside the generated package, that holds
// the management endpoints' client. It is a package of its own because
// oapi-codegen's clients import github.com/oapi-codegen/runtime; the
// payload package stays standard-library only.
const ClientDir = "client"

// oapi-codegen keeps global state (its issues #1805 and #1813): it is
// called one spec at a time.
var oapiMu sync.Mutex

// emitClient generates, through oapi-codegen, a client for the management
// endpoints the spec declares under paths. Request and response bodies are
// the payload package's own types (x-go-type), so a shape is generated
// once. It needs the payload package's import path (Options.ImportPath);
// without it, or without paths, no client is generated.
func (g *generator) emitClient() error {
	doc := g.clientDocument
	if doc == nil {
		return nil
	}
	overrides, err := templates.Overrides()
	if err != nil {
		return fmt.Errorf("read template overrides: %w", err)
	}
	cfg := codegen.Configuration{
		PackageName: "client",
		Generate:    codegen.GenerateOptions{Client: true, Models: true},
		OutputOptions: codegen.OutputOptions{
			SkipPrune:     true,
			UserTemplates: overrides,
		},
	}
	oapiMu.Lock()
	src, err := codegen.Generate(doc, cfg)
	oapiMu.Unlock()
	if err != nil {
		// Clients never block payloads: the payload package is generated
		// without a client.
		g.warn(g.m.p.DocPath, "/paths", fmt.Errorf("client not generated: oapi-codegen: %w", err))
		return nil
	}
	out, err := shapeClient([]byte(src))
	if err != nil {
		g.warn(g.m.p.DocPath, "/paths", fmt.Errorf("client not generated: %w", err))
		return nil
	}
	if err := g.put(ClientDir+"/"+FilePrefix+"client.go", out); err != nil {
		delete(g.files, ClientDir+"/"+FilePrefix+"client.go")
		g.warn(g.m.p.DocPath, "/paths", fmt.Errorf("client not generated: %w", err))
	}
	return nil
}

// prepareClient derives the client's document before the types are
// emitted, so that the body types it needs are part of the model.
func (g *generator) prepareClient() error {
	p := g.m.p
	if g.opts.ImportPath == "" || p.Doc.Paths == nil || p.Doc.Paths.Len() == 0 {
		return nil
	}
	doc, err := g.clientDoc()
	if err != nil {
		g.warn(p.DocPath, "/paths", fmt.Errorf("client not generated: %w", err))
		return nil
	}
	if doc.Paths.Len() > 0 {
		g.clientDocument = doc
	}
	return nil
}

// clientDoc derives from the spec a document oapi-codegen can read: the
// paths only, with every JSON body replaced by a reference to the payload
// package's Go type for it.
func (g *generator) clientDoc() (*openapi3.T, error) {
	p := g.m.p
	pkgName := g.opts.Package
	doc := &openapi3.T{
		OpenAPI: p.Doc.OpenAPI,
		Info:    p.Doc.Info,
		Servers: p.Doc.Servers,
		Paths:   openapi3.NewPaths(),
		Components: &openapi3.Components{
			Schemas:         openapi3.Schemas{},
			SecuritySchemes: openapi3.SecuritySchemes{},
		},
	}
	bodyType := func(sr *openapi3.SchemaRef, hint string) (*openapi3.SchemaRef, error) {
		if sr == nil {
			return nil, nil
		}
		t, err := g.goTypeForRef(sr, hint)
		if err != nil {
			return nil, err
		}
		return &openapi3.SchemaRef{Value: &openapi3.Schema{
			Extensions: map[string]any{
				"x-go-type":        pkgName + "." + t,
				"x-go-type-import": map[string]any{"path": g.opts.ImportPath, "name": pkgName},
			},
		}}, nil
	}
	for _, path := range p.Doc.Paths.InMatchingOrder() {
		item := p.Doc.Paths.Value(path)
		ni := &openapi3.PathItem{Parameters: item.Parameters}
		kept := 0
	operations:
		for _, method := range sortedMethods(item) {
			op := item.GetOperation(method)
			opPtr := "/paths/" + jsonpointer.Escape(path) + "/" + strings.ToLower(method)
			nop := *op
			nop.Callbacks = nil
			name := goName(op.OperationID)
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				rb := *op.RequestBody.Value
				rb.Content = openapi3.Content{}
				for ct, mt := range op.RequestBody.Value.Content {
					nmt := &openapi3.MediaType{}
					var err error
					if nmt.Schema, err = bodyType(mt.Schema, name+"Body"); err != nil {
						g.warn(p.DocPath, opPtr+"/requestBody", fmt.Errorf("client operation skipped: %w", err))
						continue operations
					}
					rb.Content[ct] = nmt
				}
				nop.RequestBody = &openapi3.RequestBodyRef{Value: &rb}
			}
			if op.Responses != nil {
				nr := openapi3.NewResponses()
				for code, rr := range op.Responses.Map() {
					if rr == nil || rr.Value == nil {
						continue
					}
					r := *rr.Value
					r.Content = openapi3.Content{}
					for ct, mt := range rr.Value.Content {
						nmt := &openapi3.MediaType{}
						var err error
						if nmt.Schema, err = bodyType(mt.Schema, name+"Response"+code); err != nil {
							g.warn(p.DocPath, opPtr+"/responses/"+code, fmt.Errorf("client operation skipped: %w", err))
							continue operations
						}
						r.Content[ct] = nmt
					}
					nr.Set(code, &openapi3.ResponseRef{Value: &r})
				}
				nop.Responses = nr
			}
			ni.SetOperation(method, &nop)
			kept++
		}
		if kept > 0 {
			doc.Paths.Set(path, ni)
		}
	}
	if p.Doc.Components != nil {
		for n, s := range p.Doc.Components.SecuritySchemes {
			doc.Components.SecuritySchemes[n] = s
		}
		doc.Components.Parameters = p.Doc.Components.Parameters
	}
	return doc, nil
}

// goTypeForRef returns the payload package's type name for a body schema,
// adding the type to the model when no event uses it yet.
func (g *generator) goTypeForRef(sr *openapi3.SchemaRef, hint string) (string, error) {
	if sr.Ref == "" {
		return "", fmt.Errorf("body schemas of management endpoints must be a $ref to a schema file, found an inline schema (%s)", hint)
	}
	uri, err := g.m.p.ResolveRef(sr.Ref)
	if err != nil {
		return "", err
	}
	n, err := g.m.s.At(uri)
	if err != nil {
		return "", err
	}
	t := g.m.tb.typeOf([]contract.Node{n}, nameForNode(n, hint))
	if t.Named == nil {
		return "", fmt.Errorf("body schema %s is not an object or enum; the client needs a named type", sr.Ref)
	}
	return t.Named.Name, nil
}

// shapeClient adjusts oapi-codegen's output: simple-style path parameters
// of string and integer types are escaped with the standard library
// instead of github.com/oapi-codegen/runtime (which then is no longer
// imported when nothing else needs it), and the imports it writes twice
// (it does for x-go-type-import) are merged and sorted.
func shapeClient(src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "client.go", src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("parse oapi-codegen output: %w", err)
	}
	rewritten := inlineSimplePathParams(f)
	if rewritten && !usesIdent(f, "runtime") {
		removeImport(f, "github.com/oapi-codegen/runtime")
	}
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		seen := map[string]bool{}
		var specs []ast.Spec
		for _, s := range gd.Specs {
			is := s.(*ast.ImportSpec)
			key := is.Path.Value
			if is.Name != nil {
				key = is.Name.Name + " " + key
			}
			if seen[key] {
				continue
			}
			seen[key] = true
			specs = append(specs, is)
		}
		sort.SliceStable(specs, func(i, j int) bool {
			a, _ := strconv.Unquote(specs[i].(*ast.ImportSpec).Path.Value)
			b, _ := strconv.Unquote(specs[j].(*ast.ImportSpec).Path.Value)
			return a < b
		})
		gd.Specs = specs
	}
	var buf bytes.Buffer
	if err := printer.Fprint(&buf, fset, f); err != nil {
		return nil, fmt.Errorf("print client: %w", err)
	}
	if rewritten {
		buf.WriteString(pathSegmentFunc)
	}
	return []byte(strings.TrimLeft(buf.String(), "\n")), nil
}

const pathSegmentFunc = `
// pathSegment renders a path parameter in OpenAPI's simple style.
func pathSegment(v any) (string, error) {
	return url.PathEscape(fmt.Sprint(v)), nil
}
`

// inlineSimplePathParams replaces runtime.StyleParamWithOptions("simple",
// false, name, v, ...) for a path parameter v of a string or integer type
// with pathSegment(v).
func inlineSimplePathParams(f *ast.File) bool {
	changed := false
	scalarTypes := map[string]bool{"string": true, "int": true, "int32": true, "int64": true}
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				if id, ok := ts.Type.(*ast.Ident); ok && scalarTypes[id.Name] {
					scalarTypes[ts.Name.Name] = true
				}
			}
		}
	}
	for _, d := range f.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		scalar := map[string]bool{}
		for _, p := range fd.Type.Params.List {
			if id, ok := p.Type.(*ast.Ident); ok && scalarTypes[id.Name] {
				for _, n := range p.Names {
					scalar[n.Name] = true
				}
			}
		}
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 5 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "StyleParamWithOptions" {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "runtime" {
				return true
			}
			style, ok := call.Args[0].(*ast.BasicLit)
			explode, ok2 := call.Args[1].(*ast.Ident)
			arg, ok3 := call.Args[3].(*ast.Ident)
			if !ok || !ok2 || !ok3 || style.Value != `"simple"` || explode.Name != "false" || !scalar[arg.Name] {
				return true
			}
			if !strings.Contains(fmt.Sprint(call.Args[4]), "ParamLocationPath") && !isPathLocation(call.Args[4]) {
				return true
			}
			call.Fun = ast.NewIdent("pathSegment")
			call.Args = []ast.Expr{arg}
			changed = true
			return true
		})
	}
	return changed
}

func isPathLocation(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if s, ok := n.(*ast.SelectorExpr); ok && s.Sel.Name == "ParamLocationPath" {
			found = true
		}
		return !found
	})
	return found
}

func usesIdent(f *ast.File, name string) bool {
	used := false
	for _, d := range f.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			continue
		}
		ast.Inspect(d, func(n ast.Node) bool {
			if s, ok := n.(*ast.SelectorExpr); ok {
				if x, ok := s.X.(*ast.Ident); ok && x.Name == name {
					used = true
				}
			}
			return !used
		})
	}
	return used
}

func removeImport(f *ast.File, path string) {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		var kept []ast.Spec
		for _, s := range gd.Specs {
			if p, _ := strconv.Unquote(s.(*ast.ImportSpec).Path.Value); p == path {
				continue
			}
			kept = append(kept, s)
		}
		gd.Specs = kept
	}
}

// sortedMethods returns the methods of a path item's operations, sorted.
func sortedMethods(item *openapi3.PathItem) []string {
	ops := item.Operations()
	out := make([]string, 0, len(ops))
	for m := range ops {
		out = append(out, m)
	}
	sort.Strings(out)
	return out
}
