package gen

import (
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/internal/testmod"
)

// topLevel lists the names a Go file declares at top level.
func topLevel(t *testing.T, src []byte) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range f.Decls {
		for _, id := range declNames(d) {
			out = append(out, id.Name)
		}
	}
	return out
}

// TestProfileAPIIsSupport: every name the pruning table gives a profile is
// a declaration of the support code, so renaming one there cannot leave it
// exported everywhere unnoticed.
func TestProfileAPIIsSupport(t *testing.T) {
	exports := supportExports()
	for profile, names := range profileAPI {
		for _, n := range names {
			if !slices.Contains(exports, n) {
				t.Errorf("profileAPI[%s]: %s is not declared by the support code", profile, n)
			}
		}
	}
	for _, n := range encodingAPI {
		if !slices.Contains(exports, n) {
			t.Errorf("encodingAPI: %s is not declared by the support code", n)
		}
	}
}

// TestNoUnusedSchemeExported: a generated package exports the signer and
// verifier of the profiles its spec signs with, and not the others; what
// every receiver needs (Verifier, WithVerifier, NewHandler) stays.
func TestNoUnusedSchemeExported(t *testing.T) {
	sp := embedded(t)
	for _, tc := range []struct {
		provider string
		want     []string
		not      []string
	}{
		{"salesiq", []string{"RSASigner", "RSAVerifier", "ParsePublicKeysPEM", "EncodingBase64"}, []string{"HMACSigner", "HMACVerifier", "StandardWebhooksSigner", "StandardWebhooksVerifier", "WithTolerance", "DecodeWebhookSecret", "StandardIDHeader"}},
		{"ampersand", []string{"StandardWebhooksSigner", "StandardWebhooksVerifier", "WithTolerance", "DecodeWebhookSecret"}, []string{"RSASigner", "RSAVerifier", "HMACSigner", "HMACVerifier", "ParsePrivateKeyPEM", "EncodingHex"}},
		{"tickets", nil, []string{"RSASigner", "RSAVerifier", "HMACSigner", "HMACVerifier", "StandardWebhooksSigner", "StandardWebhooksVerifier", "EncodingBase64"}},
	} {
		p := sp.Provider(tc.provider)
		files, err := Generate(p, Options{Package: tc.provider})
		if err != nil {
			t.Fatal(err)
		}
		names := topLevel(t, files[FilePrefix+"support.go"])
		for _, n := range append(tc.want, "Verifier", "VerifierFunc", "WithVerifier", "NewHandler", "Signer") {
			if !slices.Contains(names, n) {
				t.Errorf("%s: %s missing", tc.provider, n)
			}
		}
		for _, n := range tc.not {
			if slices.Contains(names, n) {
				t.Errorf("%s: exports %s, which its spec does not use", tc.provider, n)
			}
		}
	}
}

// TestPruneDecls: a dropped type goes with its methods and doc, then the
// helpers only it used and the imports left unused; what others use stays.
func TestPruneDecls(t *testing.T) {
	src := []byte(`package p

import (
	"crypto/hmac"
	"fmt"
	"strings"
)

// Gone is dropped.
type Gone struct{}

// Do is its method.
func (Gone) Do() { helper(); _ = hmac.Equal }

func helper() { fmt.Println() }

func kept() string { return strings.ToUpper("x") }

// Stays is exported.
func Stays() {}
`)
	other := []byte("package p\n\nfunc use() { kept() }\n")
	out, err := pruneDecls(src, []string{"Gone"}, [][]byte{other})
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, gone := range []string{"Gone", "Do is its method", "helper", "crypto/hmac", `"fmt"`} {
		if strings.Contains(got, gone) {
			t.Errorf("%q left:\n%s", gone, got)
		}
	}
	for _, stays := range []string{"func kept", "func Stays", `"strings"`} {
		if !strings.Contains(got, stays) {
			t.Errorf("%q removed:\n%s", stays, got)
		}
	}
}

// TestPackageDoc: every generated package has one package comment, naming
// the provider and the source spec and showing NewHandler with the
// provider's verifier where it signs.
func TestPackageDoc(t *testing.T) {
	for _, p := range embedded(t).Providers {
		files, err := Generate(p, Options{Package: p.Name, Source: "specs/" + p.DocPath})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for name, src := range files {
			f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ParseComments|parser.PackageClauseOnly)
			if err != nil {
				t.Fatal(err)
			}
			if f.Doc == nil {
				continue
			}
			n++
			doc := f.Doc.Text()
			for _, want := range []string{"Package " + p.Name + " ", "webhooks of " + p.Name, "specs/" + p.DocPath, p.Name + ".NewHandler(app{}", p.Name + ".Parse(body)"} {
				if !strings.Contains(doc, want) {
					t.Errorf("%s: package comment lacks %q:\n%s", p.Name, want, doc)
				}
			}
		}
		if n != 1 {
			t.Errorf("%s: %d files carry a package comment, want 1", p.Name, n)
		}
	}
}

// TestExamplesInPackage: without an import path (no go.mod above the
// output) the examples live in the package itself, and still run.
func TestExamplesInPackage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated package")
	}
	dir := t.TempDir()
	p := embedded(t).Provider("ampersand")
	files, err := Generate(p, Options{Package: "hooks"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(files[FilePrefix+"example_test.go"]), "\npackage hooks\n") {
		t.Fatalf("examples not in package hooks:\n%.400s", files[FilePrefix+"example_test.go"])
	}
	if err := WriteDir(filepath.Join(dir, "hooks"), files); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), testmod.GoMod("example.com/m", ""), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "test", "-count=1", "-run", "^Example", "-v", "./hooks")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS: ExampleNewHandler") || !strings.Contains(string(out), "--- PASS: ExampleParse") {
		t.Fatalf("go test: %v\n%s", err, out)
	}
}
