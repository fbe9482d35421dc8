package gen

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pmezard/go-difflib/difflib"

	"github.com/hookcontract/hookcontract/internal/contract"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/vendors/*/golden (read the diff first)")

// goldenCases are the vendor-style specs of testdata/vendors, each a
// construct real documents use: a Stripe-style 3.0 components-only
// document with an event map (nullable, boolean exclusive bounds), a 3.1
// JSON document (inline bodies, const wire names that differ from the
// keys, a schema named like an event type, a discriminated oneOf, type
// arrays with null, a surrogate pair), an event named only in a header, a
// header qualified by a body member (GitHub's), an event named in a header
// and in the body, and the Go types of gotypes.
var goldenCases = []realSpec{
	{pkg: "stripelike", root: "stripelike", doc: "spec3.yaml", opts: contract.LoadOptions{Events: map[string]string{
		"customer.created":       "#/components/schemas/customer.created",
		"invoice.payment_failed": "#/components/schemas/invoice.payment_failed",
		"charge.refund.updated":  "#/components/schemas/charge.refund.updated",
	}}},
	{pkg: "relay", root: "relay", doc: "openapi.json"},
	{pkg: "hubstyle", root: "hubstyle", doc: "openapi.yaml"},
	// Go types: named scalar and array components, nullable members
	// (required: a pointer; optional: Nullable), date-time as time.Time,
	// unions told apart by shape and one that cannot be.
	{pkg: "gotypes", root: "gotypes", doc: "openapi.yaml", types: TypeOptions{DateTime: DateTimeTime}},
	// GitHub's own style: the X-Github-Event header qualified by /action
	// (issues + opened is issues-opened), inferred.
	{pkg: "githubstyle", root: "githubstyle", doc: "openapi.yaml"},
	// The event named in a header and in the body, declared in that order.
	{pkg: "twoplaces", root: "twoplaces", doc: "openapi.yaml", opts: contract.LoadOptions{EventPointers: []string{"header:X-Hook-Event", "/type"}}},
	// Remote's construct: an event member some webhooks do not require;
	// a body without it is told by its schema (parseUnnamed).
	{pkg: "optionalname", root: "optionalname", doc: "openapi.yaml"},
}

// TestVendorGolden compares the payload types and the event API generated
// for each case with testdata/vendors/<case>/golden; -update rewrites them.
// (TestUnseenVendorSpecs builds, vets and runs the same packages.)
func TestVendorGolden(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.pkg, func(t *testing.T) {
			dir := filepath.Join("testdata", "vendors", c.root)
			p, err := contract.LoadFileWith(os.DirFS(dir), c.doc, c.opts)
			if err != nil {
				t.Fatal(err)
			}
			files, err := Generate(p, Options{Package: c.pkg, Source: c.doc, Types: c.types})
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{FilePrefix + "types.go", FilePrefix + "events.go", FilePrefix + "decode.go"} {
				golden := filepath.Join(dir, "golden", strings.TrimSuffix(name, ".go")+".golden")
				if *update {
					if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(golden, files[name], 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if !bytes.Equal(want, files[name]) {
					t.Errorf("%s differs from %s (run with -update after reading the diff):\n%s", name, golden, lineDiff(string(want), string(files[name])))
				}
			}
		})
	}
}

// lineDiff is a unified diff of want and got.
func lineDiff(want, got string) string {
	text, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(want), B: difflib.SplitLines(got), FromFile: "golden", ToFile: "generated", Context: 2,
	})
	if err != nil {
		return err.Error()
	}
	return text
}
