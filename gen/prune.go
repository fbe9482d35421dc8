package gen

import (
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"path"
	"sort"
	"strconv"
	"strings"
)

// profileAPI lists the exported support declarations that belong to one
// signature profile: a generated package exports them only when its spec
// signs with that profile, so salesiq (RSA) has no HMAC or Standard
// Webhooks signer or verifier to mislead its users.
var profileAPI = map[string][]string{
	ProfileRSA:  {"RSASigner", "RSAVerifier", "ParsePrivateKeyPEM", "ParsePublicKeysPEM"},
	ProfileHMAC: {"HMACSigner", "HMACVerifier"},
	ProfileStandard: {"StandardWebhooksSigner", "StandardWebhooksVerifier", "VerifierOption", "WithTolerance", "WithClock", "NewStandardWebhooksVerifier", "DecodeWebhookSecret",
		"DefaultTolerance", "StandardIDHeader", "StandardTimestampHeader", "StandardSignatureHeader"},
}

// typesAPI lists the exported support declarations of value types the
// payload types may use, by the type: a package exports them only when
// one of its own files refers to the type.
var typesAPI = map[string][]string{
	"Nullable": {"Nullable", "NewNullable", "NewNull"},
	"DateTime": {"DateTime", "NewDateTime", "ParseDateTime"},
}

// encodingAPI is what the profiles that encode one signature in a header
// (RSA, HMAC) share.
var encodingAPI = []string{"EncodingBase64", "EncodingHex"}

// pruneSupport drops from the copied support file the declarations of the
// profiles the spec does not sign with, then every unexported declaration
// and import nothing uses any more (in the support file or in the other
// files of the package).
func (g *generator) pruneSupport() error {
	name := FilePrefix + "support.go"
	src, ok := g.files[name]
	if !ok {
		return nil
	}
	used := map[string]bool{}
	for _, s := range g.m.sig {
		used[s.Profile] = true
	}
	var drop []string
	for profile, names := range profileAPI {
		if !used[profile] {
			drop = append(drop, names...)
		}
	}
	if !used[ProfileRSA] && !used[ProfileHMAC] {
		drop = append(drop, encodingAPI...)
	}
	var others [][]byte
	for n, b := range g.files {
		if n != name && !strings.Contains(n, "/") && strings.HasSuffix(n, ".go") {
			others = append(others, b)
		}
	}
	external, err := identifiers(others)
	if err != nil {
		return fmt.Errorf("prune %s: %w", name, err)
	}
	for typ, names := range typesAPI {
		if !external[typ] {
			drop = append(drop, names...)
		}
	}
	out, err := pruneDecls(src, drop, others)
	if err != nil {
		return fmt.Errorf("prune %s: %w", name, err)
	}
	g.files[name] = out
	return nil
}

// pruneDecls removes from src the top-level declarations named in drop
// (types with their methods), then, until nothing changes, the unexported
// ones that neither src nor others refer to, and the imports left unused.
func pruneDecls(src []byte, drop []string, others [][]byte) ([]byte, error) {
	external, err := identifiers(others)
	if err != nil {
		return nil, err
	}
	dropped := map[string]bool{}
	for _, n := range drop {
		dropped[n] = true
	}
	for {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, "", src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		// Who refers to a name: every identifier of every declaration but
		// the names it declares.
		refs := map[string]int{}
		for _, d := range f.Decls {
			own := map[*ast.Ident]bool{}
			for _, id := range declNames(d) {
				own[id] = true
			}
			ast.Inspect(d, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && !own[id] {
					refs[id.Name]++
				}
				return true
			})
		}
		var cuts [][2]int
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
				continue
			}
			if !removable(d, dropped, refs, external) {
				continue
			}
			start := d.Pos()
			if doc := declDoc(d); doc != nil {
				start = doc.Pos()
			}
			cuts = append(cuts, [2]int{fset.Position(start).Offset, fset.Position(d.End()).Offset})
			for _, id := range declNames(d) {
				dropped[id.Name] = true
			}
		}
		cuts = append(cuts, unusedImports(fset, f)...)
		if len(cuts) == 0 {
			return format.Source(src)
		}
		sort.Slice(cuts, func(i, j int) bool { return cuts[i][0] > cuts[j][0] })
		for _, c := range cuts {
			// A cut that takes a whole line takes its indentation and its
			// newline too, so that no blank line is left where it was (an
			// import spec between two others).
			for c[0] > 0 && (src[c[0]-1] == ' ' || src[c[0]-1] == '\t') {
				c[0]--
			}
			if c[1] < len(src) && src[c[1]] == '\n' && (c[0] == 0 || src[c[0]-1] == '\n') {
				c[1]++
			}
			src = append(src[:c[0]:c[0]], src[c[1]:]...)
		}
	}
}

// identifiers is every identifier the Go files srcs mention.
func identifiers(srcs [][]byte) (map[string]bool, error) {
	out := map[string]bool{}
	for _, o := range srcs {
		f, err := parser.ParseFile(token.NewFileSet(), "", o, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok {
				out[id.Name] = true
			}
			return true
		})
	}
	return out, nil
}

// removable tells whether a declaration goes: it declares a dropped name,
// is a method of a dropped type, or declares only unexported names that
// nothing refers to.
func removable(d ast.Decl, dropped map[string]bool, refs map[string]int, external map[string]bool) bool {
	if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil {
		return dropped[recvType(fd)]
	}
	names := declNames(d)
	if len(names) == 0 {
		return false
	}
	for _, id := range names {
		if dropped[id.Name] {
			continue
		}
		if id.Name == "_" || id.IsExported() || refs[id.Name] > 0 || external[id.Name] {
			return false
		}
	}
	return true
}

// declNames are the identifiers a top-level declaration declares; none for
// a method.
func declNames(d ast.Decl) []*ast.Ident {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil {
			return []*ast.Ident{d.Name}
		}
	case *ast.GenDecl:
		var out []*ast.Ident
		for _, sp := range d.Specs {
			switch sp := sp.(type) {
			case *ast.TypeSpec:
				out = append(out, sp.Name)
			case *ast.ValueSpec:
				out = append(out, sp.Names...)
			}
		}
		return out
	}
	return nil
}

func declDoc(d ast.Decl) *ast.CommentGroup {
	switch d := d.(type) {
	case *ast.FuncDecl:
		return d.Doc
	case *ast.GenDecl:
		return d.Doc
	}
	return nil
}

func recvType(fd *ast.FuncDecl) string {
	t := fd.Recv.List[0].Type
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch g := t.(type) { // a generic type's receiver: Nullable[T]
	case *ast.IndexExpr:
		t = g.X
	case *ast.IndexListExpr:
		t = g.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// unusedImports returns the ranges of the import specs whose package
// nothing in f selects from.
func unusedImports(fset *token.FileSet, f *ast.File) [][2]int {
	selected := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if se, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := se.X.(*ast.Ident); ok {
				selected[id.Name] = true
			}
		}
		return true
	})
	var cuts [][2]int
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		for _, sp := range gd.Specs {
			imp := sp.(*ast.ImportSpec)
			p, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				continue
			}
			name := path.Base(p)
			if isMajorVersion(name) {
				name = path.Base(path.Dir(p))
			}
			if imp.Name != nil {
				name = imp.Name.Name
			}
			if name == "_" || name == "." || selected[name] {
				continue
			}
			node := ast.Node(imp)
			if !gd.Lparen.IsValid() {
				node = gd // import "x": the whole declaration goes
			}
			cuts = append(cuts, [2]int{fset.Position(node.Pos()).Offset, fset.Position(node.End()).Offset})
		}
	}
	return cuts
}

// isMajorVersion tells whether an import path element is a major version
// suffix (v2, v5), which is not the package's name.
func isMajorVersion(s string) bool {
	if len(s) < 2 || s[0] != 'v' {
		return false
	}
	_, err := strconv.Atoi(s[1:])
	return err == nil
}
