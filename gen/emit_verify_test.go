package gen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/testmod"
)

// profileSpec is a spec directory of one provider signing with the given
// x-hookcontract-signature profile, deduplicating on dedupe.
func profileSpec(name, signature, dedupe string) fstest.MapFS {
	doc := `openapi: 3.1.0
info: {title: ` + name + `, version: "1"}
x-hookcontract:
  provider: ` + name + `
  event: {pointer: /type}
  dedupe: ` + dedupe + `
webhooks:
  order.paid:
    post:
      operationId: orderPaid
      security: [{sig: []}]
      requestBody:
        content:
          application/json:
            schema: {$ref: schemas/order.json}
      responses: {"204": {description: ok}}
components:
  securitySchemes:
    sig:
      type: apiKey
      in: header
      name: x-sig
      x-hookcontract-signature:
` + signature
	schema := `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://hookcontract.dev/schemas/` + name + `/order.json",
  "type": "object",
  "required": ["type", "id"],
  "properties": {"type": {"const": "order.paid"}, "id": {"type": "string"}, "amount": {"type": "integer"}}
}`
	return fstest.MapFS{
		name + "/openapi.yaml":                   {Data: []byte(doc)},
		name + "/schemas/order.json":             {Data: []byte(schema)},
		name + "/examples/valid/order.paid.json": {Data: []byte(`{"type": "order.paid", "id": "o-1", "amount": 1250}`)},
		name + "/examples/fixtures.yaml":         {Data: []byte("valid:\n  - {file: valid/order.paid.json, event: order.paid}\n")},
	}
}

var profileCases = []struct {
	name, signature, dedupe string
	want                    []string // in hookcontract_verify.go
}{
	{
		name: "hmacco", dedupe: "[/id]",
		signature: "        profile: hmac-sha256\n        header: x-hmac-signature\n        encoding: base64\n",
		want: []string{
			`func NewSigVerifier(secrets ...[]byte) *HMACVerifier {`, `Header:   "x-hmac-signature"`, `Encoding: "base64"`,
			`func NewSigSigner(secret []byte) *HMACSigner {`, `Dedupe: []dedupePart{{Pointer: []string{"id"}}}`, `Signs:  true`,
		},
	},
	{
		name: "stdhooks", dedupe: "[header:webhook-id]",
		signature: "        profile: standard-webhooks\n        headers: {id: webhook-id, timestamp: webhook-timestamp, signature: webhook-signature}\n        tolerance: 90s\n        secretPrefix: whsec_\n",
		want: []string{
			`func NewSigVerifier(secrets []string, opts ...VerifierOption) (*StandardWebhooksVerifier, error) {`,
			`newStandardWebhooksVerifier("webhook-id", "webhook-timestamp", "webhook-signature", "whsec_", 90*time.Second, secrets, opts)`,
			`Dedupe: []dedupePart{{Header: "webhook-id"}}`,
		},
	},
	{
		name: "rsahex", dedupe: "[]",
		signature: "        profile: rsa-pkcs1v15-sha256\n        header: x-rsa-signature\n        encoding: hex\n",
		want:      []string{`func NewSigVerifier(keys ...*rsa.PublicKey) *RSAVerifier {`, `Encoding: "hex"`, `Header:   "x-rsa-signature"`, `the only replay defence`},
	},
	{
		name: "plugged", dedupe: "[]",
		signature: "        profile: custom\n",
		want:      []string{`func WithSigVerifier(v Verifier) Option {`, `WARNING: without a verifier, anyone who can reach the endpoint`, `Signs: false`},
	},
}

func generateProfile(t *testing.T, name, signature, dedupe string) Files {
	t.Helper()
	sp, err := contract.Load(profileSpec(name, signature, dedupe))
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(sp.Providers[0], Options{Package: name})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestEmitVerifyProfiles: each profile's constructors are bound to the
// spec's header names, encoding, tolerance, secret prefix and dedupe keys.
func TestEmitVerifyProfiles(t *testing.T) {
	for _, c := range profileCases {
		t.Run(c.name, func(t *testing.T) {
			files := generateProfile(t, c.name, c.signature, c.dedupe)
			src := string(files[FilePrefix+"verify.go"])
			for _, w := range c.want {
				if !strings.Contains(src, w) {
					t.Errorf("hookcontract_verify.go lacks %q:\n%s", w, src)
				}
			}
			if _, ok := files[FilePrefix+"receive_test.go"]; !ok {
				t.Errorf("no receive test")
			}
		})
	}
}

func TestEmitVerifyRejectsBadTolerance(t *testing.T) {
	sp, err := contract.Load(profileSpec("bad", "        profile: standard-webhooks\n        headers: {id: a, timestamp: b, signature: c}\n        tolerance: soon\n", "[]"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(sp.Providers[0], Options{Package: "bad"}); err == nil || !strings.Contains(err.Error(), `tolerance "soon"`) {
		t.Errorf("error %v", err)
	}
}

// TestEmitVerifyCompilesAndPasses builds, vets and runs the receiving
// tests generated for every profile (the embedded providers cover RSA,
// Svix and custom; these add HMAC, hex RSA, another tolerance and header
// dedupe keys).
func TestEmitVerifyCompilesAndPasses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs generated packages")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), testmod.GoMod("example.com/profiles", ""), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range profileCases {
		if err := WriteDir(filepath.Join(dir, c.name), generateProfile(t, c.name, c.signature, c.dedupe)); err != nil {
			t.Fatal(err)
		}
	}
	for _, args := range [][]string{{"vet", "./..."}, {"test", "-count=1", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

func TestSupportExportsReserved(t *testing.T) {
	names := supportExports()
	for _, want := range []string{"Gate", "Verifier", "MemoryDeduper", "DeliveryKey", "ErrInvalidSignature", "IntOrString"} {
		found := false
		for _, n := range names {
			found = found || n == want
		}
		if !found || !reservedNames()[want] {
			t.Errorf("%s: exported %v, reserved %v", want, found, reservedNames()[want])
		}
	}
}
