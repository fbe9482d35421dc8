package cli

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hookcontract/hookcontract/gen/support"
)

// TestServeForwardTo: a delivery that passes the signature check reaches
// the application byte for byte with its headers, signature included;
// the capture records the application's answer; one that fails the check
// is not forwarded.
func TestServeForwardTo(t *testing.T) {
	type got struct {
		method string
		header http.Header
		body   []byte
	}
	var mu sync.Mutex
	var seen []got
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		seen = append(seen, got{r.Method, r.Header.Clone(), b})
		mu.Unlock()
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, "the app's own answer")
	}))
	defer app.Close()

	key := []byte("0123456789abcdef0123456789abcdef")
	secret := "whsec_" + base64.StdEncoding.EncodeToString(key)
	dir := t.TempDir()
	base, _, stop := startServe(t, serveConfig{dir: dir, secrets: providerValues{"ampersand": {secret}}, forwardTo: app.URL + "/hooks"})

	// Not JSON-pretty, odd spacing: the bytes must arrive as sent.
	body := []byte(strings.Replace(string(fixture(t, "ampersand", "valid/connection.created.json")), "\n", "\n \t", 3))
	h := http.Header{}
	signer := &support.StandardWebhooksSigner{IDHeader: "svix-id", TimestampHeader: "svix-timestamp", SignatureHeader: "svix-signature", Secret: key, Now: time.Now}
	if err := signer.Sign(h, body); err != nil {
		t.Fatal(err)
	}
	h.Set("X-Custom", "kept")
	if r := do(t, http.MethodPost, base+"/ampersand", "application/json", body, h); r.status != http.StatusNoContent {
		t.Fatalf("signed delivery: %d %s", r.status, r.body)
	}
	// A forged signature is answered 401 and never reaches the app.
	bad := h.Clone()
	bad.Set("svix-signature", "v1,"+base64.StdEncoding.EncodeToString(make([]byte, 32)))
	if r := do(t, http.MethodPost, base+"/ampersand", "application/json", body, bad); r.status != http.StatusUnauthorized {
		t.Fatalf("forged delivery: %d", r.status)
	}
	stop()

	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 1 {
		t.Fatalf("the app received %d requests, want 1", len(seen))
	}
	f := seen[0]
	if f.method != http.MethodPost || !bytes.Equal(f.body, body) {
		t.Errorf("forwarded %s %q, want POST %q", f.method, f.body, body)
	}
	for _, k := range []string{"Svix-Id", "Svix-Timestamp", "Svix-Signature", "X-Custom", "Content-Type"} {
		if f.header.Get(k) != h.Get(k) && !(k == "Content-Type" && f.header.Get(k) == "application/json") {
			t.Errorf("header %s = %q, want %q", k, f.header.Get(k), h.Get(k))
		}
	}
	// The app verifies the forwarded request with the same secret.
	v := &support.StandardWebhooksVerifier{IDHeader: "svix-id", TimestampHeader: "svix-timestamp", SignatureHeader: "svix-signature", Secrets: [][]byte{key}, Tolerance: 5 * time.Minute, Now: time.Now}
	if err := v.Verify(f.header, f.body); err != nil {
		t.Errorf("the forwarded request does not verify: %v", err)
	}

	cs := readCaptures(t, dir)
	var forwarded, notForwarded int
	for _, c := range cs {
		switch {
		case c.Status == http.StatusNoContent:
			forwarded++
			if c.Forward == nil || c.Forward.Status != http.StatusTeapot || c.Forward.Body != "the app's own answer" || c.Forward.URL != app.URL+"/hooks" {
				t.Errorf("capture of the forwarded delivery: %+v", c.Forward)
			}
		case c.Status == http.StatusUnauthorized:
			notForwarded++
			if c.Forward != nil {
				t.Errorf("a delivery that failed the signature check was forwarded: %+v", c.Forward)
			}
		}
	}
	if forwarded != 1 || notForwarded != 1 {
		t.Errorf("%d forwarded and %d rejected captures, want 1 and 1", forwarded, notForwarded)
	}
}

// TestServeForwardToAppDown: an application that does not answer is
// recorded as such; the sender is still answered as a generated handler
// would answer.
func TestServeForwardToAppDown(t *testing.T) {
	app := httptest.NewServer(http.NotFoundHandler())
	app.Close()
	dir := t.TempDir()
	base, _, stop := startServe(t, serveConfig{dir: dir, forwardTo: app.URL})
	body := fixture(t, "tickets", "valid/sac_ticket.creation.json")
	if r := do(t, http.MethodPost, base+"/tickets", "application/json", body, nil); r.status != http.StatusNoContent {
		t.Fatalf("delivery: %d %s", r.status, r.body)
	}
	stop()
	cs := readCaptures(t, dir)
	if len(cs) != 1 || cs[0].Forward == nil || cs[0].Forward.Status != 0 || !strings.Contains(cs[0].Forward.Error, "connection refused") {
		t.Fatalf("captures %+v", cs)
	}
}

// TestServeTestParityUnknownEvent: an event the contract does not declare
// is acknowledged by serve (204, as a generated handler does), and the
// capture is drift for test: exit 0, and exit 1 with --strict.
func TestServeTestParityUnknownEvent(t *testing.T) {
	dir := t.TempDir()
	base, _, stop := startServe(t, serveConfig{dir: dir})
	body := bytes.Replace(fixture(t, "tickets", "valid/sac_ticket.creation.json"), []byte(`"sac_ticket"`), []byte(`"sac_invoice"`), 1)
	if !bytes.Contains(body, []byte("sac_invoice")) {
		t.Fatal("the fixture names no sac_ticket topic")
	}
	if r := do(t, http.MethodPost, base+"/tickets", "application/json", body, nil); r.status != http.StatusNoContent {
		t.Fatalf("serve answered %d %s", r.status, r.body)
	}
	// A body with no event name: 400, and no advice to pass a flag serve
	// does not have.
	if r := do(t, http.MethodPost, base+"/tickets", "application/json", []byte(`{"hello": "world"}`), nil); r.status != http.StatusBadRequest || strings.Contains(r.body, "--event") || !strings.Contains(r.body, "no event name found") {
		t.Errorf("no event name: %d %s", r.status, r.body)
	}
	// A GET is captured too, and test says why it skips it.
	do(t, http.MethodGet, base+"/tickets", "", nil, nil)
	stop()
	var stdout, stderr bytes.Buffer
	code := Run([]string{"test", dir}, nil, &stdout, &stderr)
	out := stdout.String()
	if code != ExitFindings || !strings.Contains(out, `event "sac_invoice" is not in the contract`) || !strings.Contains(out, "a capture of a GET request, not a delivery") || !strings.HasSuffix(out, "1 passed, 1 failed, 1 skipped\n") {
		t.Fatalf("test: exit %d\n%s%s", code, out, stderr.String())
	}
	stdout.Reset()
	if !strings.Contains(out, "sac_invoice\n") && !strings.Contains(out, "[drift]") {
		t.Errorf("the unknown event is not drift:\n%s", out)
	}
	// The same body as a file: the same verdict, drift: exit 0, and 1
	// with --strict.
	f := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(f, body, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if code := Run([]string{"test", f}, nil, &stdout, &stderr); code != ExitOK || !strings.Contains(stdout.String(), "[drift]") {
		t.Fatalf("test body.json: exit %d\n%s", code, stdout.String())
	}
	if code := Run([]string{"test", "--strict", f}, nil, &stdout, &stderr); code != ExitFindings {
		t.Fatalf("test --strict body.json: exit %d", code)
	}
}

// TestServeForwardToBadURL: a --forward-to that is not an http(s) URL is
// a usage error, before anything listens.
func TestServeForwardToBadURL(t *testing.T) {
	for _, u := range []string{"ftp://app/hooks", "localhost:3000", "http://"} {
		var stdout, stderr bytes.Buffer
		code := Run([]string{"serve", "--addr", "127.0.0.1:0", "--forward-to", u}, nil, &stdout, &stderr)
		if code != ExitUsage || !strings.Contains(stderr.String(), "--forward-to must be an http or https URL") {
			t.Errorf("--forward-to %s: exit %d, stderr %q", u, code, stderr.String())
		}
	}
}
