package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hookcontract/hookcontract/gen/support"
	"github.com/hookcontract/hookcontract/internal/contract"
)

func TestSendUsage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(204) }))
	defer srv.Close()
	key := filepath.Join(vectorsDir, "rsa-pkcs1v15-sha256", "keys", "key-a.pem")
	pub := filepath.Join(vectorsDir, "rsa-pkcs1v15-sha256", "keys", "key-a.pub.pem")
	for name, args := range map[string][]string{
		"no url":            {"send", "--provider", "tickets"},
		"ftp url":           {"send", "--url", "ftp://x/", "--provider", "tickets"},
		"unknown provider":  {"send", "--url", srv.URL, "--provider", "nobody"},
		"unknown event":     {"send", "--url", srv.URL, "--provider", "tickets", "--event", "nope"},
		"event and path":    {"send", "--url", srv.URL, "--provider", "tickets", "--event", "sac_ticket", "x.json"},
		"other provider":    {"send", "--url", srv.URL, "--provider", "salesiq", "--key", "ampersand=" + key},
		"public key":        {"send", "--url", srv.URL, "--provider", "salesiq", "--key", "salesiq=" + pub},
		"two keys":          {"send", "--url", srv.URL, "--provider", "salesiq", "--key", "salesiq=" + key, "--key", "salesiq=" + key},
		"custom signature":  {"send", "--url", srv.URL, "--provider", "tickets", "--secret", "tickets=x"},
		"missing path":      {"send", "--url", srv.URL, "--provider", "tickets", "does-not-exist.json"},
		"unknown flag":      {"send", "--nope"},
		"secret for RSA":    {"send", "--url", srv.URL, "--provider", "salesiq", "--secret", "salesiq=x"},
		"bad svix secret":   {"send", "--url", srv.URL, "--provider", "ampersand", "--secret", "ampersand=whsec_***"},
		"missing key file":  {"send", "--url", srv.URL, "--provider", "salesiq", "--key", "salesiq=nope.pem"},
		"malformed --key":   {"send", "--url", srv.URL, "--provider", "salesiq", "--key", "salesiq"},
		"unexpected --spec": {"send", "--url", srv.URL, "--provider", "tickets", "--specs", "does-not-exist"},
	} {
		var stdout, stderr bytes.Buffer
		if code := Run(args, nil, &stdout, &stderr); code != ExitUsage {
			t.Errorf("%s: exit %d\n%s%s", name, code, stdout.String(), stderr.String())
		}
		if strings.Contains(stderr.String(), "***") {
			t.Errorf("%s: stderr shows the secret: %s", name, stderr.String())
		}
	}
}

// TestSendReportsEachRequest: one line per request with status and
// latency; exit 1 when one is not 2xx; unsigned with a warning when no key
// is given for a provider that signs.
func TestSendReportsEachRequest(t *testing.T) {
	var n atomic.Int64
	var sawSig atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Siqsignature") != "" {
			sawSig.Store(true)
		}
		if r.Header.Get("Content-Type") != "application/json" {
			w.WriteHeader(415)
			return
		}
		if n.Add(1) == 2 {
			w.WriteHeader(500)
			return
		}
		w.WriteHeader(200)
	}))
	defer srv.Close()
	var stdout, stderr bytes.Buffer
	code := Run([]string{"send", "--url", srv.URL, "--provider", "salesiq", "--event", "department.created"}, nil, &stdout, &stderr)
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if code != ExitOK || len(lines) != 2 || !strings.HasPrefix(lines[0], "200 ") || !strings.Contains(lines[0], "department.created") {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	if !strings.Contains(stderr.String(), "sending unsigned") || sawSig.Load() {
		t.Errorf("unsigned send: stderr %q", stderr.String())
	}
	// A directory of bodies and an NDJSON file; the second request fails.
	dir := t.TempDir()
	body := mustRead(t, filepath.Join("..", "specs", "tickets", "examples", "valid", firstFile(t, "tickets")))
	var compact bytes.Buffer
	if err := json.Compact(&compact, body); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "a.json"), body, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "b.ndjson"), []byte(compact.String()+"\n"+compact.String()+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	n.Store(0)
	stdout.Reset()
	stderr.Reset()
	code = Run([]string{"send", "--url", srv.URL, "--provider", "tickets", dir}, nil, &stdout, &stderr)
	lines = strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if code != ExitFindings || len(lines) != 4 || !strings.HasPrefix(lines[1], "500 ") || !strings.HasSuffix(lines[2], "b.ndjson:2") || lines[3] != "sent 3: 2 answered 2xx, 1 other, 0 failed" {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	// An endpoint that is not there: ERR lines, exit 1.
	srv.Close()
	stdout.Reset()
	if code := Run([]string{"send", "--url", srv.URL, "--provider", "tickets", "--timeout", "2s", dir}, nil, &stdout, &stderr); code != ExitFindings || !strings.HasPrefix(stdout.String(), "ERR ") {
		t.Errorf("closed endpoint: exit %d\n%s", code, stdout.String())
	}
}

// TestCLIVerifiersRunVectors: the verifiers serve builds from a spec's
// profile reach the published vectors' verdicts, like the generated ones.
func TestCLIVerifiersRunVectors(t *testing.T) {
	type vcase struct {
		Name, Body, Encoding, Expect string
		Headers                      map[string]string
		Keys, Secrets                []string
		Now                          int64
	}
	type vfile struct {
		Scheme struct {
			Header, Encoding, Tolerance, SecretPrefix string
			Headers                                   map[string]string
		}
		Cases []vcase
	}
	verdict := func(err error) string {
		switch {
		case err == nil:
			return "valid"
		case errors.Is(err, support.ErrStaleTimestamp):
			return "stale-timestamp"
		case errors.Is(err, support.ErrMissingSignature):
			return "missing"
		case errors.Is(err, support.ErrMalformedSignature):
			return "malformed"
		case errors.Is(err, support.ErrInvalidSignature):
			return "invalid-signature"
		}
		return err.Error()
	}
	for _, profile := range []string{"rsa-pkcs1v15-sha256", "standard-webhooks", "hmac-sha256"} {
		dir := filepath.Join(vectorsDir, profile)
		var vf vfile
		if err := json.Unmarshal(mustRead(t, filepath.Join(dir, "vectors.json")), &vf); err != nil {
			t.Fatal(err)
		}
		for _, c := range vf.Cases {
			sig := &contract.Signature{Scheme: "test", Profile: profile, Header: vf.Scheme.Header, Encoding: vf.Scheme.Encoding,
				Headers: vf.Scheme.Headers, Tolerance: vf.Scheme.Tolerance, SecretPrefix: vf.Scheme.SecretPrefix}
			if c.Encoding != "" {
				sig.Encoding = c.Encoding
			}
			m := material{secrets: c.Secrets}
			for _, k := range c.Keys {
				m.keys = append(m.keys, filepath.Join(dir, k))
			}
			v, err := verifierFor(sig, m)
			if err != nil {
				t.Fatalf("%s/%s: %v", profile, c.Name, err)
			}
			if sv, ok := v.(*support.StandardWebhooksVerifier); ok {
				now := time.Unix(c.Now, 0)
				sv.Now = func() time.Time { return now }
			}
			h := http.Header{}
			for k, val := range c.Headers {
				h.Set(k, val)
			}
			if got := verdict(v.Verify(h, mustRead(t, filepath.Join(dir, c.Body)))); got != c.Expect {
				t.Errorf("%s/%s: %s, want %s", profile, c.Name, got, c.Expect)
			}
		}
	}
}
