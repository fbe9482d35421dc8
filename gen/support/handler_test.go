package support

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The handler is tested here with stand-ins for what a generated package
// defines (stubs.go); every generated package also runs its own tests of
// it with its real Parse and signature profile.

type testEvent struct{ name string }

func (e *testEvent) EventName() string { return e.name }
func (*testEvent) isEvent()            {}

// testParse understands {"event": NAME, ...}: "bad" breaks the contract,
// "undecodable" passes validation but does not decode, names starting with
// "new." are unknown, a body without "event" is a request.
func testParse(data []byte) (Event, error) {
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, &ValidationError{Violations: []Violation{{Keyword: "json", Message: "not JSON"}}}
	}
	name, ok := v["event"].(string)
	switch {
	case !ok:
		return nil, errors.New("body is a request, not an event: use ValidateEvent")
	case name == "bad":
		return nil, &ValidationError{Violations: []Violation{{Pointer: "/secret", Keyword: "type", Message: "expected a string, found a number (redacted secret)"}}}
	case name == "undecodable":
		return nil, errors.New("decode undecodable: json: cannot unmarshal")
	case strings.HasPrefix(name, "new."):
		return &UnknownEvent{Name: name, Raw: data}, nil
	}
	return &testEvent{name: name}, nil
}

// fakeHandler records the events dispatched to it and does what its
// fields say.
type fakeHandler struct {
	mu     sync.Mutex
	got    []string
	calls  atomic.Int64
	fail   func(name string) error
	panics any
}

func (h *fakeHandler) handle(_ context.Context, e Event) error {
	h.calls.Add(1)
	h.mu.Lock()
	h.got = append(h.got, e.EventName())
	h.mu.Unlock()
	if h.panics != nil {
		panic(h.panics)
	}
	if h.fail != nil {
		return h.fail(e.EventName())
	}
	return nil
}

// withStubs installs the test Parse and Dispatch and a provider profile,
// restoring the previous ones when the test ends.
func withStubs(t *testing.T, profile providerProfile) {
	t.Helper()
	oldParse, oldDispatch, oldProfile := stubParse, stubDispatch, thisProvider
	stubParse = testParse
	stubDispatch = func(ctx context.Context, h Handler, e Event) error { return h.(*fakeHandler).handle(ctx, e) }
	thisProvider = profile
	t.Cleanup(func() { stubParse, stubDispatch, thisProvider = oldParse, oldDispatch, oldProfile })
}

// syncBuffer is a log sink safe for concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func testLogger() (*slog.Logger, *syncBuffer) {
	buf := &syncBuffer{}
	return slog.New(slog.NewTextHandler(buf, &slog.HandlerOptions{Level: slog.LevelDebug})), buf
}

type answer struct {
	status int
	header http.Header
	body   string
}

func send(t *testing.T, url, method, contentType string, body io.Reader, header http.Header) answer {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(b)}
}

func TestHandlerStatusPaths(t *testing.T) {
	withStubs(t, providerProfile{Name: "example"})
	unknownSeen := make(chan string, 8)
	fh := &fakeHandler{fail: func(name string) error {
		if name == "fails" {
			return errors.New("database down")
		}
		return nil
	}}
	logger, logs := testLogger()
	srv := httptest.NewServer(NewHandler(fh, WithLogger(logger), WithOnUnknown(func(_ context.Context, u *UnknownEvent) error {
		unknownSeen <- u.EventName()
		if u.EventName() == "new.fails" {
			return errors.New("cannot store")
		}
		return nil
	})))
	defer srv.Close()

	cases := []struct {
		name, method, ct, body string
		status                 int
		check                  func(t *testing.T, a answer)
	}{
		{name: "success", method: "POST", ct: "application/json", body: `{"event":"ok"}`, status: 204},
		{name: "json with charset", method: "POST", ct: "application/json; charset=utf-8", body: `{"event":"ok"}`, status: 204},
		{name: "json suffix", method: "POST", ct: "application/cloudevents+json", body: `{"event":"ok"}`, status: 204},
		{name: "GET", method: "GET", status: 405, check: func(t *testing.T, a answer) {
			if a.header.Get("Allow") != "POST" {
				t.Errorf("Allow = %q", a.header.Get("Allow"))
			}
		}},
		{name: "PUT", method: "PUT", ct: "application/json", body: `{"event":"ok"}`, status: 405},
		{name: "text/plain", method: "POST", ct: "text/plain", body: `{"event":"ok"}`, status: 415},
		{name: "form", method: "POST", ct: "application/x-www-form-urlencoded", body: `event=ok`, status: 415},
		{name: "no content type", method: "POST", body: `{"event":"ok"}`, status: 415},
		{name: "invalid", method: "POST", ct: "application/json", body: `{"event":"bad","secret":12345}`, status: 400, check: func(t *testing.T, a answer) {
			if a.header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("Content-Type = %q", a.header.Get("Content-Type"))
			}
			var p struct {
				Status     int
				Violations []struct{ Pointer, Keyword, Message string }
			}
			if err := json.Unmarshal([]byte(a.body), &p); err != nil {
				t.Fatalf("problem: %v\n%s", err, a.body)
			}
			if p.Status != 400 || len(p.Violations) != 1 || p.Violations[0].Pointer != "/secret" || p.Violations[0].Keyword != "type" {
				t.Errorf("problem = %+v", p)
			}
			if strings.Contains(a.body, "12345") || !strings.Contains(a.body, `"pointer"`) {
				t.Errorf("problem shows the secret or lacks lowercase members: %s", a.body)
			}
		}},
		{name: "not JSON", method: "POST", ct: "application/json", body: `{"event":`, status: 400},
		{name: "request body", method: "POST", ct: "application/json", body: `{"webhook":{}}`, status: 400},
		{name: "undecodable", method: "POST", ct: "application/json", body: `{"event":"undecodable"}`, status: 500},
		{name: "handler error", method: "POST", ct: "application/json", body: `{"event":"fails"}`, status: 500, check: func(t *testing.T, a answer) {
			if strings.Contains(a.body, "database") {
				t.Errorf("500 body shows the handler's error: %q", a.body)
			}
		}},
		{name: "unknown event", method: "POST", ct: "application/json", body: `{"event":"new.thing"}`, status: 204},
		{name: "unknown event hook fails", method: "POST", ct: "application/json", body: `{"event":"new.fails"}`, status: 500},
		{name: "too large", method: "POST", ct: "application/json", body: `{"event":"ok","pad":"` + strings.Repeat("x", DefaultMaxBodyBytes) + `"}`, status: 413},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			a := send(t, srv.URL, c.method, c.ct, body, nil)
			if a.status != c.status {
				t.Fatalf("status %d, want %d (%s)", a.status, c.status, a.body)
			}
			if c.check != nil {
				c.check(t, a)
			}
		})
	}
	close(unknownSeen)
	var unknown []string
	for n := range unknownSeen {
		unknown = append(unknown, n)
	}
	if strings.Join(unknown, ",") != "new.thing,new.fails" {
		t.Errorf("OnUnknown saw %q", unknown)
	}
	for _, want := range []string{"webhook handler failed", "database down", "passed validation but does not decode", "verdict=unsupported-media-type"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

func TestHandlerUnknownIgnoredByDefault(t *testing.T) {
	withStubs(t, providerProfile{Name: "example"})
	fh := &fakeHandler{}
	logger, _ := testLogger()
	srv := httptest.NewServer(NewHandler(fh, WithLogger(logger)))
	defer srv.Close()
	if a := send(t, srv.URL, "POST", "application/json", strings.NewReader(`{"event":"new.thing"}`), nil); a.status != 204 {
		t.Fatalf("status %d", a.status)
	}
	if fh.calls.Load() != 0 {
		t.Errorf("handler called for an unknown event")
	}
}

func TestHandlerPanic(t *testing.T) {
	withStubs(t, providerProfile{Name: "example"})
	logger, logs := testLogger()
	fh := &fakeHandler{panics: "nil map"}
	srv := httptest.NewServer(NewHandler(fh, WithLogger(logger)))
	defer srv.Close()
	a := send(t, srv.URL, "POST", "application/json", strings.NewReader(`{"event":"ok"}`), nil)
	if a.status != 500 {
		t.Fatalf("status %d", a.status)
	}
	if !strings.Contains(logs.String(), "panic: nil map") || !strings.Contains(logs.String(), "handler_test.go") {
		t.Errorf("panic not logged with its stack:\n%s", logs.String())
	}
	// The server goes on serving.
	fh.panics = nil
	if a := send(t, srv.URL, "POST", "application/json", strings.NewReader(`{"event":"ok"}`), nil); a.status != 204 {
		t.Fatalf("after a panic: status %d", a.status)
	}
}

func TestHandlerAbortHandlerPanicAborts(t *testing.T) {
	withStubs(t, providerProfile{Name: "example"})
	logger, _ := testLogger()
	fh := &fakeHandler{panics: http.ErrAbortHandler}
	srv := httptest.NewUnstartedServer(NewHandler(fh, WithLogger(logger)))
	srv.Config.ErrorLog = nil
	srv.Start()
	defer srv.Close()
	resp, err := http.Post(srv.URL, "application/json", strings.NewReader(`{"event":"ok"}`))
	if err == nil {
		resp.Body.Close()
		t.Fatalf("http.ErrAbortHandler answered %d; want the connection aborted", resp.StatusCode)
	}
}

func TestHandlerBodyLimit(t *testing.T) {
	withStubs(t, providerProfile{Name: "example"})
	logger, _ := testLogger()
	fh := &fakeHandler{}
	srv := httptest.NewServer(NewHandler(fh, WithLogger(logger), WithMaxBodyBytes(64)))
	defer srv.Close()
	fits := `{"event":"ok","pad":"` + strings.Repeat("x", 64-len(`{"event":"ok","pad":""}`)) + `"}`
	if len(fits) != 64 {
		t.Fatal(len(fits))
	}
	if a := send(t, srv.URL, "POST", "application/json", strings.NewReader(fits), nil); a.status != 204 {
		t.Errorf("64 bytes: status %d", a.status)
	}
	if a := send(t, srv.URL, "POST", "application/json", strings.NewReader(fits+" "), nil); a.status != 413 {
		t.Errorf("65 bytes: status %d", a.status)
	}
	// A body of unknown length (chunked) is cut at the limit too.
	if a := send(t, srv.URL, "POST", "application/json", io.MultiReader(strings.NewReader(fits), strings.NewReader(" ")), nil); a.status != 413 {
		t.Errorf("65 bytes chunked: status %d", a.status)
	}
}

// TestHandlerTenMegabytes posts 10 MB, announced and chunked: both are
// answered 413 without the handler reading them whole.
func TestHandlerTenMegabytes(t *testing.T) {
	withStubs(t, providerProfile{Name: "example"})
	logger, _ := testLogger()
	fh := &fakeHandler{}
	srv := httptest.NewServer(NewHandler(fh, WithLogger(logger)))
	defer srv.Close()
	big := bytes.Repeat([]byte("x"), 10<<20)
	if a := send(t, srv.URL, "POST", "application/json", bytes.NewReader(big), nil); a.status != 413 {
		t.Errorf("10 MB: status %d", a.status)
	}
	if a := send(t, srv.URL, "POST", "application/json", io.MultiReader(bytes.NewReader(big)), nil); a.status != 413 {
		t.Errorf("10 MB chunked: status %d", a.status)
	}
	if fh.calls.Load() != 0 {
		t.Errorf("handler called")
	}
}

func TestHandlerSignatures(t *testing.T) {
	withStubs(t, providerProfile{Name: "signer", Signs: true})
	secret := []byte("s3cret")
	signer := &HMACSigner{Header: "X-Signature", Secret: secret}
	verifier := &HMACVerifier{Header: "X-Signature", Secrets: [][]byte{secret}}
	body := []byte(`{"event":"ok"}`)
	signed := http.Header{}
	if err := signer.Sign(signed, body); err != nil {
		t.Fatal(err)
	}

	t.Run("no verifier fails closed", func(t *testing.T) {
		logger, logs := testLogger()
		fh := &fakeHandler{}
		srv := httptest.NewServer(NewHandler(fh, WithLogger(logger)))
		defer srv.Close()
		a := send(t, srv.URL, "POST", "application/json", bytes.NewReader(body), signed)
		if a.status != 401 || fh.calls.Load() != 0 {
			t.Fatalf("status %d, calls %d", a.status, fh.calls.Load())
		}
		if !strings.Contains(logs.String(), "has no signature verifier") {
			t.Errorf("construction not logged:\n%s", logs.String())
		}
	})
	t.Run("insecure skip verify", func(t *testing.T) {
		logger, _ := testLogger()
		srv := httptest.NewServer(NewHandler(&fakeHandler{}, WithLogger(logger), WithInsecureSkipVerify()))
		defer srv.Close()
		if a := send(t, srv.URL, "POST", "application/json", bytes.NewReader(body), nil); a.status != 204 {
			t.Fatalf("status %d", a.status)
		}
	})

	logger, logs := testLogger()
	var parsed atomic.Int64
	fh := &fakeHandler{}
	srv := httptest.NewServer(NewHandler(fh, WithLogger(logger), WithVerifier(VerifierFunc(func(h http.Header, b []byte) error {
		err := verifier.Verify(h, b)
		if err == nil {
			parsed.Add(1)
		}
		return err
	}))))
	defer srv.Close()
	tampered := append([]byte(nil), body...)
	tampered[3] = 'E' // {"Event":"ok"}
	badSig := signed.Clone()
	badSig.Set("X-Signature", strings.Repeat("0", 64))
	notHex := signed.Clone()
	notHex.Set("X-Signature", "zz")
	for _, c := range []struct {
		name   string
		body   []byte
		header http.Header
		status int
	}{
		{"signed", body, signed, 204},
		{"tampered body", tampered, signed, 401},
		{"tampered signature", body, badSig, 401},
		{"malformed signature", body, notHex, 401},
		{"unsigned", body, nil, 401},
	} {
		a := send(t, srv.URL, "POST", "application/json", bytes.NewReader(c.body), c.header)
		if a.status != c.status {
			t.Errorf("%s: status %d, want %d", c.name, a.status, c.status)
		}
		if a.status == 401 {
			if strings.TrimSpace(a.body) != "unauthorized" {
				t.Errorf("%s: 401 body %q gives detail", c.name, a.body)
			}
			if a.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s: 401 without WWW-Authenticate", c.name)
			}
		}
	}
	if fh.calls.Load() != 1 {
		t.Errorf("handler called %d times, want 1", fh.calls.Load())
	}
	if strings.Contains(logs.String(), "s3cret") {
		t.Errorf("log shows the secret:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), ErrMalformedSignature.Error()) || !strings.Contains(logs.String(), ErrInvalidSignature.Error()) {
		t.Errorf("log lacks the reasons:\n%s", logs.String())
	}
}

// TestVerifyBeforeParse: a rejected signature means Parse never sees the
// body.
func TestVerifyBeforeParse(t *testing.T) {
	withStubs(t, providerProfile{Name: "signer", Signs: true})
	var parses atomic.Int64
	stubParse = func(b []byte) (Event, error) { parses.Add(1); return testParse(b) }
	logger, _ := testLogger()
	srv := httptest.NewServer(NewHandler(&fakeHandler{}, WithLogger(logger), WithVerifier(VerifierFunc(func(http.Header, []byte) error { return ErrInvalidSignature }))))
	defer srv.Close()
	if a := send(t, srv.URL, "POST", "application/json", strings.NewReader(`{"event":"ok"}`), nil); a.status != 401 {
		t.Fatalf("status %d", a.status)
	}
	if parses.Load() != 0 {
		t.Errorf("Parse ran before the signature was verified")
	}
}

func TestHandlerDedupe(t *testing.T) {
	withStubs(t, providerProfile{Name: "example", Dedupe: []dedupePart{{Pointer: []string{"id"}}}})
	logger, _ := testLogger()
	failOnce := atomic.Bool{}
	failOnce.Store(true)
	fh := &fakeHandler{fail: func(name string) error {
		if name == "flaky" && failOnce.CompareAndSwap(true, false) {
			return errors.New("temporary")
		}
		return nil
	}}
	d := NewMemoryDeduper(time.Hour, 0)
	srv := httptest.NewServer(NewHandler(fh, WithLogger(logger), WithDeduper(d)))
	defer srv.Close()
	post := func(body string) int {
		return send(t, srv.URL, "POST", "application/json", strings.NewReader(body), nil).status
	}
	if s := post(`{"event":"ok","id":"1"}`); s != 204 {
		t.Fatal(s)
	}
	// A retry with other bytes but the same id is a duplicate.
	if s := post(`{"event":"ok", "id":"1", "attempt": 2}`); s != 204 {
		t.Fatal(s)
	}
	if s := post(`{"event":"ok","id":"2"}`); s != 204 {
		t.Fatal(s)
	}
	if got := fh.calls.Load(); got != 2 {
		t.Errorf("handler called %d times, want 2", got)
	}
	// A failed delivery is released: its retry is processed.
	if s := post(`{"event":"flaky","id":"3"}`); s != 500 {
		t.Fatal(s)
	}
	if s := post(`{"event":"flaky","id":"3"}`); s != 204 {
		t.Fatal(s)
	}
	if s := post(`{"event":"flaky","id":"3"}`); s != 204 {
		t.Fatal(s)
	}
	if got := fh.calls.Load(); got != 4 {
		t.Errorf("handler called %d times, want 4", got)
	}
	// Concurrent copies of one delivery: exactly one is dispatched; the
	// others are acknowledged once it completed, or told to retry while it
	// is in flight.
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(srv.URL, "application/json", strings.NewReader(`{"event":"ok","id":"burst"}`))
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			if resp.StatusCode != 204 && resp.StatusCode != 503 {
				t.Errorf("status %d", resp.StatusCode)
			}
		}()
	}
	wg.Wait()
	if got := fh.calls.Load(); got != 5 {
		t.Errorf("handler called %d times after the burst, want 5", got)
	}
}

type brokenDeduper struct{ panics bool }

func (b brokenDeduper) Claim(context.Context, string) (ClaimState, error) {
	if b.panics {
		panic("deduper bug")
	}
	return Claimed, errors.New("redis unreachable")
}
func (brokenDeduper) Complete(context.Context, string) error { return nil }
func (brokenDeduper) Release(context.Context, string) error  { return nil }

// A deduper that cannot claim (an outage, a bug) must not acknowledge: 503
// with Retry-After, so the provider retries, and the Handler not called.
func TestHandlerDeduperFails(t *testing.T) {
	withStubs(t, providerProfile{Name: "example"})
	for _, panics := range []bool{false, true} {
		logger, _ := testLogger()
		fh := &fakeHandler{}
		srv := httptest.NewServer(NewHandler(fh, WithLogger(logger), WithDeduper(brokenDeduper{panics})))
		a := send(t, srv.URL, "POST", "application/json", strings.NewReader(`{"event":"ok"}`), nil)
		if a.status != 503 || a.header.Get("Retry-After") == "" {
			t.Errorf("panics=%v: status %d, Retry-After %q", panics, a.status, a.header.Get("Retry-After"))
		}
		srv.Close()
		if fh.calls.Load() != 0 {
			t.Errorf("handler called although the deduper failed")
		}
	}
}

func TestDeliveryKey(t *testing.T) {
	defer func(p providerProfile) { thisProvider = p }(thisProvider)
	h := http.Header{}
	h.Set("Svix-Id", "msg_1")

	thisProvider = providerProfile{Name: "p", Dedupe: []dedupePart{{Header: "svix-id"}}}
	a := DeliveryKey(h, []byte(`{"a":1}`))
	b := DeliveryKey(h, []byte(`{"a":2}`))
	if a != b || !strings.HasPrefix(a, "p:id:") {
		t.Errorf("header key: %q vs %q", a, b)
	}
	if c := DeliveryKey(http.Header{}, []byte(`{"a":1}`)); !strings.HasPrefix(c, "p:body:") {
		t.Errorf("missing header: %q", c)
	}

	thisProvider = providerProfile{Name: "siq", Dedupe: []dedupePart{{Pointer: []string{"entity_id"}}, {Pointer: []string{"event"}}, {Pointer: []string{"event_time"}}}}
	k1 := DeliveryKey(nil, []byte(`{"entity_id":"1","event":"x","event_time":"1700","attempt":1}`))
	k2 := DeliveryKey(nil, []byte(`{"attempt":2, "event_time":1700,"event":"x","entity_id":"1"}`))
	k3 := DeliveryKey(nil, []byte(`{"entity_id":"1","event":"x","event_time":"1701"}`))
	if k1 != k2 || k1 == k3 {
		t.Errorf("pointer keys: %q %q %q", k1, k2, k3)
	}
	// Parts are length-prefixed: moving a character between parts changes the key.
	k4 := DeliveryKey(nil, []byte(`{"entity_id":"1x","event":"","event_time":"1700"}`))
	k5 := DeliveryKey(nil, []byte(`{"entity_id":"1","event":"x","event_time":"1700"}`))
	if k4 == k5 {
		t.Errorf("ambiguous parts share a key")
	}

	thisProvider = providerProfile{Name: "tickets"}
	if DeliveryKey(nil, []byte(`{"a":1}`)) == DeliveryKey(nil, []byte(`{"a": 1}`)) {
		t.Errorf("body hash ignores bytes")
	}
	if got := len(DeliveryKey(nil, bytes.Repeat([]byte("x"), 1<<20))); got != len("tickets:body:")+64 {
		t.Errorf("key length %d", got)
	}
}

func TestGateRejectionCarriesBody(t *testing.T) {
	withStubs(t, providerProfile{Name: "signer", Signs: true})
	logger, _ := testLogger()
	g := NewGate(WithLogger(logger))
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/", strings.NewReader(`{"event":"ok"}`))
	req.Header.Set("Content-Type", "application/json")
	body, rej := g.Admit(rec, req)
	if rej == nil || rej.Verdict != VerdictUnauthorized || !errors.Is(rej, ErrNoVerifier) {
		t.Fatalf("rejection %v", rej)
	}
	if string(body) != `{"event":"ok"}` || rec.Code != 401 {
		t.Errorf("body %q, code %d", body, rec.Code)
	}
	for v, want := range map[Verdict]int{VerdictAccepted: 204, VerdictDuplicate: 204, VerdictUnknownEvent: 204, VerdictInvalid: 400, VerdictUnreadable: 400, VerdictFailed: 500, VerdictTooLarge: 413, VerdictUnsupportedMediaType: 415, VerdictMethodNotAllowed: 405, VerdictUnauthorized: 401} {
		if v.Status() != want {
			t.Errorf("%s.Status() = %d, want %d", v, v.Status(), want)
		}
	}
}

func TestWriteProblemBounded(t *testing.T) {
	var vs []Violation
	for i := range 150 {
		vs = append(vs, Violation{Pointer: fmt.Sprintf("/a/%d", i), Keyword: "type", Message: "m"})
	}
	rec := httptest.NewRecorder()
	WriteProblem(rec, vs)
	var p struct {
		Detail     string
		Violations []any
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Violations) != 100 || !strings.Contains(p.Detail, "150 violation(s), the first 100 listed") {
		t.Errorf("%d violations, detail %q", len(p.Violations), p.Detail)
	}
}

func TestVerifierPanic(t *testing.T) {
	withStubs(t, providerProfile{Name: "example"})
	logger, logs := testLogger()
	fh := &fakeHandler{}
	srv := httptest.NewServer(NewHandler(fh, WithLogger(logger), WithVerifier(VerifierFunc(func(http.Header, []byte) error { panic("verifier bug") }))))
	defer srv.Close()
	if a := send(t, srv.URL, "POST", "application/json", strings.NewReader(`{"event":"ok"}`), nil); a.status != 500 {
		t.Fatalf("status %d", a.status)
	}
	if fh.calls.Load() != 0 || !strings.Contains(logs.String(), "verifier bug") {
		t.Errorf("calls %d, log:\n%s", fh.calls.Load(), logs.String())
	}
}
