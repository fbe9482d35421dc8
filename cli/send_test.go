package cli

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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
	if code, _, errs := run(t, "send", "--url", srv.URL, "--provider", "tickets", "--event", "nope"); code != ExitUsage || !strings.Contains(errs, "tickets declares no event \"nope\"; the events are:\n  tickets: sac_message, sac_ticket\n") {
		t.Errorf("send --event nope: exit %d, stderr %q", code, errs)
	}
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
	if code != ExitFindings || len(lines) != 5 || !strings.HasPrefix(lines[1], "500 ") || lines[2] != "     (empty body)" || !strings.HasSuffix(lines[3], "b.ndjson:2") || lines[4] != "sent 3: 2 answered 2xx, 1 other, 0 failed" {
		t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	// An endpoint that is not there: ERR lines, exit 2 (no answer is not
	// a finding about the endpoint's answers).
	srv.Close()
	stdout.Reset()
	if code := Run([]string{"send", "--url", srv.URL, "--provider", "tickets", "--timeout", "2s", dir}, nil, &stdout, &stderr); code != ExitUsage || !strings.HasPrefix(stdout.String(), "ERR ") || !strings.Contains(stdout.String(), "connection refused") {
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

// TestSendShowsNon2xxBody: the answer's body is printed under its status
// line, cut at maxAnswerShown, with control bytes escaped.
func TestSendShowsNon2xxBody(t *testing.T) {
	long := strings.Repeat("x", maxAnswerShown+100)
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		if n.Add(1) == 1 {
			w.WriteHeader(400)
			io.WriteString(w, "{\"title\":\"invalid payload\",\n\"detail\":\"/data/status: expected one of\x1b[31m\"}\n")
			return
		}
		w.WriteHeader(502)
		io.WriteString(w, long)
	}))
	defer srv.Close()
	dir := t.TempDir()
	body := []byte(`{"id":1}` + "\n")
	if err := os.WriteFile(filepath.Join(dir, "a.ndjson"), append(body, body...), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	code := Run([]string{"send", "--url", srv.URL, "--provider", "tickets", dir}, nil, &stdout, &stderr)
	out := stdout.String()
	if code != ExitFindings {
		t.Fatalf("exit %d\n%s%s", code, out, stderr.String())
	}
	for _, want := range []string{
		"\n     {\"title\":\"invalid payload\",\n     \"detail\":\"/data/status: expected one of\\x1b[31m\"}\n",
		"\n     " + long[:maxAnswerShown] + "\n     ... (cut at 4096 bytes)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b") {
		t.Errorf("an escape byte of the answer reached the terminal")
	}
}

// TestSendRedirects: a redirect to the same origin is followed; one to
// another host is not, the other host receives nothing, and send exits 2.
func TestSendRedirects(t *testing.T) {
	var stolen atomic.Int64
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stolen.Add(1)
		w.WriteHeader(204)
	}))
	defer other.Close()
	var landed atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/here", http.StatusPermanentRedirect)
	})
	mux.HandleFunc("/here", func(w http.ResponseWriter, r *http.Request) {
		if b, _ := io.ReadAll(r.Body); len(b) > 0 && r.Method == http.MethodPost {
			landed.Add(1)
		}
		w.WriteHeader(204)
	})
	mux.HandleFunc("/away", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/collect", http.StatusTemporaryRedirect)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	var stdout, stderr bytes.Buffer
	if code := Run([]string{"send", "--url", srv.URL + "/moved", "--provider", "tickets"}, nil, &stdout, &stderr); code != ExitOK || landed.Load() == 0 {
		t.Errorf("same-origin redirect: exit %d, %d landed\n%s%s", code, landed.Load(), stdout.String(), stderr.String())
	}
	stdout.Reset()
	code := Run([]string{"send", "--url", srv.URL + "/away", "--provider", "tickets"}, nil, &stdout, &stderr)
	if code != ExitUsage || stolen.Load() != 0 || !strings.Contains(stdout.String(), "redirect to another origin not followed: "+other.URL) {
		t.Errorf("cross-host redirect: exit %d, %d reached the other host\n%s", code, stolen.Load(), stdout.String())
	}
}

// TestSendDryRunCurl: --dry-run posts nothing and prints commands that,
// run by a shell, hand curl the very bytes and signature headers a
// verifier accepts.
func TestSendDryRunCurl(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash to run the printed commands")
	}
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	defer srv.Close()
	secret := "whsec_" + base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	dir := t.TempDir()
	bodies := [][]byte{
		[]byte(`{"quote":"it's a \"test\"","dollar":"$HOME","tick":"` + "`id`" + `"}`),
		{0xff, 0x00, '{', '}'}, // not UTF-8, a NUL: piped from base64
	}
	for i, b := range bodies {
		if err := os.WriteFile(filepath.Join(dir, string(rune('a'+i))+".json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	code := Run([]string{"send", "--dry-run", "--url", srv.URL + "/ampersand?x=1&y='2'", "--provider", "ampersand", "--secret", "ampersand=" + secret, dir}, nil, &stdout, &stderr)
	if code != ExitOK || hits.Load() != 0 {
		t.Fatalf("exit %d, %d requests\n%s%s", code, hits.Load(), stdout.String(), stderr.String())
	}
	if strings.Contains(stdout.String(), secret) {
		t.Fatal("--dry-run printed the secret")
	}
	// A fake curl records what it was given: one file per argument and
	// its standard input.
	out := t.TempDir()
	script := `n=0; curl() { n=$((n+1)); d="$OUT/$n"; mkdir -p "$d"; i=0; for a in "$@"; do i=$((i+1)); printf '%s' "$a" > "$d/arg$i"; done; cat > "$d/stdin"; }` + "\n" + stdout.String()
	cmd := exec.Command(bash, "--norc", "--noprofile", "-c", script)
	cmd.Env = append(os.Environ(), "OUT="+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("running the commands: %v\n%s", err, b)
	}
	p := testSuite(t).Spec().Provider("ampersand")
	v, err := verifierFor(signatureOf(p), material{secrets: []string{secret}})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range bodies {
		d := filepath.Join(out, string(rune('1'+i)))
		args, _ := filepath.Glob(filepath.Join(d, "arg*"))
		h := http.Header{}
		var got []byte
		var target string
		for j := 1; j <= len(args); j++ {
			a := string(mustRead(t, filepath.Join(d, "arg"+strconv.Itoa(j))))
			next := func() string { j++; return string(mustRead(t, filepath.Join(d, "arg"+strconv.Itoa(j)))) }
			switch a {
			case "-H":
				k, val, _ := strings.Cut(next(), ": ")
				h.Add(k, val)
			case "--data-binary":
				if got = []byte(next()); string(got) == "@-" {
					got = mustRead(t, filepath.Join(d, "stdin"))
				}
			case "-X":
				next()
			default:
				if strings.HasPrefix(a, "http") {
					target = a
				}
			}
		}
		if !bytes.Equal(got, want) {
			t.Errorf("body %d: curl got %q, want %q", i, got, want)
		}
		if target != srv.URL+"/ampersand?x=1&y='2'" {
			t.Errorf("body %d: url %q", i, target)
		}
		if err := v.Verify(h, got); err != nil {
			t.Errorf("body %d: signature of the printed command does not verify: %v (headers %v)", i, err, h)
		}
	}
}
