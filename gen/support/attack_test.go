package support

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Regression tests for attacks on the receiver, each over real HTTP on
// loopback.

// slowBodyConns is how many connections the slow-body attack opens.
const slowBodyConns = 1000

// Connections announcing a 1 MiB body and sending one byte must not make
// the handler allocate what they announce: against the recommended server,
// 1 000 of them keep the heap under 100 MB.
func TestSlowBodyAnnouncedLengthHeapBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("opens 1 000 connections")
	}
	withStubs(t, providerProfile{Name: "example"})
	quiet := WithLogger(slog.New(slog.DiscardHandler))
	var entered atomic.Int64
	h := NewHandler(&fakeHandler{}, quiet)
	srv := NewServer("", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered.Add(1)
		h.ServeHTTP(w, r)
	}))
	srv.ErrorLog = nil
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()

	before := heapInUse()
	conns := make([]net.Conn, 0, slowBodyConns)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	head := fmt.Sprintf("POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{", DefaultMaxBodyBytes)
	for range slowBodyConns {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		if _, err := io.WriteString(c, head); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for entered.Load() < slowBodyConns && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := entered.Load(); n < slowBodyConns {
		t.Fatalf("only %d of %d requests reached the handler", n, slowBodyConns)
	}
	time.Sleep(200 * time.Millisecond) // every handler is now waiting for body bytes
	during := heapInUse()
	t.Logf("heap in use: %.1f MB before, %.1f MB with %d slow-body connections announcing %d bytes",
		float64(before)/1e6, float64(during)/1e6, slowBodyConns, DefaultMaxBodyBytes)
	if during > 100e6 {
		t.Errorf("heap in use %.1f MB under the slow-body attack, want under 100 MB", float64(during)/1e6)
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}

// A Standard Webhooks delivery captured under svix-* names and replayed
// within the tolerance under the webhook-* names (which the verifier also
// reads) is the same delivery: it must be deduplicated, not handled twice.
func TestDedupeKeyFollowsStandardHeaderNames(t *testing.T) {
	withStubs(t, providerProfile{Name: "ampersand", Signs: true, Dedupe: []dedupePart{{Header: "svix-id", Fallback: StandardIDHeader}}})
	logger, _ := testLogger()
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	v, err := newStandardWebhooksVerifier("svix-id", "svix-timestamp", "svix-signature", "whsec_", DefaultTolerance, []string{secret}, nil)
	if err != nil {
		t.Fatal(err)
	}
	key, err := DecodeWebhookSecret("whsec_", secret)
	if err != nil {
		t.Fatal(err)
	}
	fh := &fakeHandler{}
	srv := httptest.NewServer(NewHandler(fh, WithLogger(logger), WithVerifier(v), WithDeduper(NewMemoryDeduper(time.Hour, 0))))
	defer srv.Close()
	body := `{"event":"ok"}`
	h := http.Header{}
	signer := &StandardWebhooksSigner{IDHeader: "svix-id", TimestampHeader: "svix-timestamp", SignatureHeader: "svix-signature", Secret: key}
	if err := signer.Sign(h, []byte(body)); err != nil {
		t.Fatal(err)
	}
	if a := send(t, srv.URL, "POST", "application/json", strings.NewReader(body), h); a.status != 204 {
		t.Fatalf("first delivery: %d %s", a.status, a.body)
	}
	replay := http.Header{}
	replay.Set(StandardIDHeader, h.Get("svix-id"))
	replay.Set(StandardTimestampHeader, h.Get("svix-timestamp"))
	replay.Set(StandardSignatureHeader, h.Get("svix-signature"))
	if a := send(t, srv.URL, "POST", "application/json", strings.NewReader(body), replay); a.status != 204 {
		t.Fatalf("replay: %d %s", a.status, a.body)
	}
	if n := fh.calls.Load(); n != 1 {
		t.Errorf("handler called %d times for one delivery replayed under webhook-* names, want 1", n)
	}
}

// A duplicate that arrives while the first attempt is still running must
// not be acknowledged: if that attempt then fails, the provider must still
// retry, and the retry must be handled.
func TestInFlightDuplicateNotAcknowledged(t *testing.T) {
	withStubs(t, providerProfile{Name: "example", Dedupe: []dedupePart{{Pointer: []string{"id"}}}})
	logger, _ := testLogger()
	started, finish := make(chan struct{}), make(chan error)
	var first atomic.Bool
	first.Store(true)
	fh := &fakeHandler{fail: func(string) error {
		if first.CompareAndSwap(true, false) {
			close(started)
			return <-finish
		}
		return nil
	}}
	srv := httptest.NewServer(NewHandler(fh, WithLogger(logger), WithDeduper(NewMemoryDeduper(time.Hour, 0))))
	defer srv.Close()
	body := `{"event":"ok","id":"d1"}`
	firstDone := make(chan answer, 1)
	go func() {
		resp, err := http.Post(srv.URL, "application/json", strings.NewReader(body))
		if err != nil {
			firstDone <- answer{status: -1, body: err.Error()}
			return
		}
		resp.Body.Close()
		firstDone <- answer{status: resp.StatusCode}
	}()
	<-started
	dup := send(t, srv.URL, "POST", "application/json", strings.NewReader(body), nil)
	if dup.status < 500 || dup.header.Get("Retry-After") == "" {
		t.Errorf("duplicate of an attempt in flight: %d (Retry-After %q), want a retryable 5xx with Retry-After", dup.status, dup.header.Get("Retry-After"))
	}
	finish <- errors.New("downstream unavailable")
	if a := <-firstDone; a.status != 500 {
		t.Fatalf("failing first attempt: %d %s", a.status, a.body)
	}
	if a := send(t, srv.URL, "POST", "application/json", strings.NewReader(body), nil); a.status != 204 {
		t.Fatalf("retry after the failure: %d", a.status)
	}
	if a := send(t, srv.URL, "POST", "application/json", strings.NewReader(body), nil); a.status != 204 {
		t.Fatalf("duplicate after the success: %d", a.status)
	}
	if n := fh.calls.Load(); n != 2 {
		t.Errorf("handler called %d times (failed attempt, retry), want 2", n)
	}
}

// A correctly signed timestamp of now - 2^63 must be stale, not overflow
// the tolerance check into passing.
func TestStandardWebhooksTimestampOverflowRefused(t *testing.T) {
	withStubs(t, providerProfile{Name: "ampersand", Signs: true})
	logger, _ := testLogger()
	secret := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	v, err := NewStandardWebhooksVerifier([]string{secret})
	if err != nil {
		t.Fatal(err)
	}
	key, _ := DecodeWebhookSecret("whsec_", secret)
	fh := &fakeHandler{}
	srv := httptest.NewServer(NewHandler(fh, WithLogger(logger), WithVerifier(v)))
	defer srv.Close()
	body := []byte(`{"event":"ok"}`)
	now := time.Now().Unix()
	for _, sec := range []int64{now + math.MinInt64, math.MinInt64, math.MaxInt64, now - 3600} {
		ts := strconv.FormatInt(sec, 10)
		h := http.Header{}
		h.Set(StandardIDHeader, "msg_1")
		h.Set(StandardTimestampHeader, ts)
		h.Set(StandardSignatureHeader, "v1,"+base64.StdEncoding.EncodeToString(standardWebhooksMAC(key, "msg_1", ts, body)))
		if a := send(t, srv.URL, "POST", "application/json", strings.NewReader(string(body)), h); a.status != 401 {
			t.Errorf("timestamp %s: %d, want 401", ts, a.status)
		}
		if err := v.Verify(h, body); !errors.Is(err, ErrStaleTimestamp) {
			t.Errorf("timestamp %s: %v, want ErrStaleTimestamp", ts, err)
		}
	}
	if n := fh.calls.Load(); n != 0 {
		t.Errorf("handler called %d times for stale deliveries", n)
	}
}

// A 512-bit RSA key is refused when it is read, not loaded and then never
// verifying (crypto/rsa refuses keys below 1024 bits at verification).
func TestWeakRSAKeyRefusedAtLoad(t *testing.T) {
	const weak = `-----BEGIN PUBLIC KEY-----
MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBAN1n/RO7HPFwoXN3BemFX8kJLwKtrIK6
RKvu+aiY1s7X+UvmmLtYfJObdhhYWkt8yDBgADRNd4juys/z6l59y2ECAwEAAQ==
-----END PUBLIC KEY-----
`
	_, err := ParsePublicKeysPEM([]byte(weak))
	if err == nil || !strings.Contains(err.Error(), "512 bits") {
		t.Fatalf("512-bit key: %v, want an error naming its size", err)
	}
}

// A client that sends its headers a byte at a time (slowloris) is cut off
// by the recommended server after ServerReadHeaderTimeout, not held
// indefinitely as a plain http.Server holds it.
func TestSlowHeadersCutOffByRecommendedServer(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the header timeout")
	}
	t.Parallel()
	srv := NewServer("", http.NotFoundHandler())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	start := time.Now()
	if _, err := io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\n"); err != nil {
		t.Fatal(err)
	}
	closed := make(chan struct{})
	go func() {
		defer close(closed)
		io.Copy(io.Discard, c) // returns when the server closes the connection
	}()
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-closed:
			if took := time.Since(start); took < ServerReadHeaderTimeout-time.Second {
				t.Errorf("connection closed after %s, before the header timeout", took)
			}
			return
		case <-tick.C:
			if time.Since(start) > ServerReadHeaderTimeout+5*time.Second {
				t.Fatalf("slow headers still held after %s", time.Since(start))
			}
			io.WriteString(c, "X: y\r\n") // one more header line, never the end
		}
	}
}

// standardWebhooksMAC computes a Standard Webhooks signature the way the
// scheme defines it (HMAC-SHA256 over "id.timestamp.body"), apart from the
// verifier under test.
func standardWebhooksMAC(key []byte, id, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id + "." + ts + "."))
	m.Write(body)
	return m.Sum(nil)
}
