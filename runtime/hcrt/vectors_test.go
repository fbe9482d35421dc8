package hcrt

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// The published test vectors (testdata/signatures, made by make.sh with
// openssl) run through the verifiers.

type vectorFile struct {
	Profile string `json:"profile"`
	Scheme  struct {
		Header       string            `json:"header"`
		Encoding     string            `json:"encoding"`
		Headers      map[string]string `json:"headers"`
		Tolerance    string            `json:"tolerance"`
		SecretPrefix string            `json:"secretPrefix"`
	} `json:"scheme"`
	Note  string       `json:"note"`
	Cases []vectorCase `json:"cases"`
}

type vectorCase struct {
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Body        string            `json:"body"`
	Headers     map[string]string `json:"headers"`
	Keys        []string          `json:"keys"`
	Secrets     []string          `json:"secrets"`
	Now         int64             `json:"now"`
	Encoding    string            `json:"encoding"`
	Expect      string            `json:"expect"`
}

// verdictOf names a verifier's answer as the vectors do.
func verdictOf(err error) string {
	switch {
	case err == nil:
		return "valid"
	case errors.Is(err, ErrStaleTimestamp):
		return "stale-timestamp"
	case errors.Is(err, ErrMissingSignature):
		return "missing"
	case errors.Is(err, ErrMalformedSignature):
		return "malformed"
	case errors.Is(err, ErrInvalidSignature):
		return "invalid-signature"
	}
	return "error: " + err.Error()
}

func runVectors(t *testing.T, root string) {
	profiles := []string{"rsa-pkcs1v15-sha256", "standard-webhooks", "hmac-sha256"}
	for _, profile := range profiles {
		dir := filepath.Join(root, profile)
		raw, err := os.ReadFile(filepath.Join(dir, "vectors.json"))
		if err != nil {
			t.Fatal(err)
		}
		var vf vectorFile
		if err := json.Unmarshal(raw, &vf); err != nil {
			t.Fatalf("%s: %v", profile, err)
		}
		if vf.Profile != profile || len(vf.Cases) == 0 {
			t.Fatalf("%s: profile %q with %d cases", profile, vf.Profile, len(vf.Cases))
		}
		for _, c := range vf.Cases {
			t.Run(profile+"/"+c.Name, func(t *testing.T) {
				body, err := os.ReadFile(filepath.Join(dir, c.Body))
				if err != nil {
					t.Fatal(err)
				}
				h := http.Header{}
				for k, v := range c.Headers {
					h.Set(k, v)
				}
				var v Verifier
				switch profile {
				case "rsa-pkcs1v15-sha256":
					rv := &RSAVerifier{Header: vf.Scheme.Header, Encoding: vf.Scheme.Encoding}
					for _, k := range c.Keys {
						pem, err := os.ReadFile(filepath.Join(dir, k))
						if err != nil {
							t.Fatal(err)
						}
						keys, err := ParsePublicKeysPEM(pem)
						if err != nil {
							t.Fatal(err)
						}
						rv.Keys = append(rv.Keys, keys...)
					}
					v = rv
				case "standard-webhooks":
					tol, err := time.ParseDuration(vf.Scheme.Tolerance)
					if err != nil {
						t.Fatal(err)
					}
					now := time.Unix(c.Now, 0)
					sv, err := NewStandardWebhooksVerifierFor(vf.Scheme.Headers["id"], vf.Scheme.Headers["timestamp"], vf.Scheme.Headers["signature"],
						vf.Scheme.SecretPrefix, tol, c.Secrets, []VerifierOption{WithClock(func() time.Time { return now })})
					if err != nil {
						t.Fatal(err)
					}
					v = sv
				case "hmac-sha256":
					enc := vf.Scheme.Encoding
					if c.Encoding != "" {
						enc = c.Encoding
					}
					hv := &HMACVerifier{Header: vf.Scheme.Header, Encoding: enc}
					for _, s := range c.Secrets {
						hv.Secrets = append(hv.Secrets, []byte(s))
					}
					v = hv
				}
				err = v.Verify(h, body)
				if got := verdictOf(err); got != c.Expect {
					t.Errorf("%s: verdict %q (%v), want %q", c.Description, got, err, c.Expect)
				}
			})
		}
	}
}

func TestSignatureVectors(t *testing.T) {
	runVectors(t, vectorsDir(t))
}

// vectorsDir is the repository's testdata/signatures, beside this module;
// the tests skip when the module is built outside the repository.
func vectorsDir(t *testing.T) string {
	dir := filepath.Join("..", "..", "testdata", "signatures")
	if _, err := os.Stat(filepath.Join(dir, "make.sh")); err != nil {
		t.Skipf("the signature vectors are not here (%v): they are in the hookcontract repository's testdata/signatures", err)
	}
	return dir
}

// TestSignatureVectorsFresh runs make.sh into a temporary directory, with
// new keys and secrets, and checks the verifiers agree with openssl on
// them too. Skipped without openssl or with -short.
func TestSignatureVectorsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("generates RSA keys with openssl")
	}
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not installed")
	}
	dir := vectorsDir(t)
	out := t.TempDir()
	cmd := exec.Command("bash", filepath.Join(dir, "make.sh"), out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make.sh: %v\n%s", err, b)
	}
	runVectors(t, out)
}
