package gen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hookcontract/hookcontract/internal/contract"
)

// emitVerifyTests writes hookcontract_receive_test.go: the provider's
// handler over real HTTP on loopback with its real signature profile
// (every status path, tampered body, signature, key and timestamp, 10 MB
// bodies, duplicates), a fuzz target posting mutated bodies and headers,
// and a benchmark beside a bare net/http handler. It needs one valid
// envelope fixture; without one nothing is written.
func (g *generator) emitVerifyTests() error {
	p := g.m.p
	fx, ev, body, err := g.sampleDelivery()
	if err != nil || fx == nil {
		return err
	}
	unknown, err := withEventName(body, g.m.eventPtr, "hookcontract.test.unknown")
	if err != nil {
		return fmt.Errorf("receive tests: %s: %w", fx.Path, err)
	}
	other, err := withEventName(body, g.m.eventPtr, ev.Name) // same value, re-encoded: other bytes
	if err != nil {
		return fmt.Errorf("receive tests: %s: %w", fx.Path, err)
	}
	if bytes.Equal(other, body) {
		other = append(append([]byte(nil), body...), ' ')
	}

	var sig *contract.Signature
	var custom *contract.Signature
	for _, s := range g.m.sig {
		switch {
		case Signs(s.Profile) && sig == nil:
			sig = s
		case s.Profile == ProfileCustom && custom == nil:
			custom = s
		}
	}
	imports := map[string]bool{
		"context": true, "bytes": true, "io": true, "log/slog": true, "net/http": true,
		"net/http/httptest": true, "strings": true, "sync/atomic": true, "testing": true, "time": true,
	}
	var b strings.Builder
	fmt.Fprintf(&b, "const receiveBody = %s\n\n", strconv.Quote(string(body)))
	fmt.Fprintf(&b, "const receiveUnknownBody = %s\n\n", strconv.Quote(string(unknown)))
	fmt.Fprintf(&b, "// receiveOtherBody is receiveBody with other bytes.\nconst receiveOtherBody = %s\n\n", strconv.Quote(string(other)))
	fmt.Fprintf(&b, "const receiveEvent = %q\n\n", ev.Name)
	fmt.Fprintf(&b, "func (p *receiveProbe) On%s(context.Context, *%s) error { return p.handle() }\n\n", ev.GoName, ev.TypeName)

	switch {
	case sig == nil:
		b.WriteString(unsignedSetup)
		if custom != nil {
			fmt.Fprintf(&b, pluggedTest, namesFor(custom).Verifier)
		}
	default:
		n := namesFor(sig)
		r := strings.NewReplacer("VERIFIER", n.Verifier, "SIGNER", n.Signer)
		var header string
		switch sig.Profile {
		case ProfileRSA:
			header = sig.Header
			b.WriteString(r.Replace(rsaSetup))
			imports["crypto/rand"], imports["crypto/rsa"], imports["sync"] = true, true, true
		case ProfileStandard:
			header = sig.Headers["signature"]
			tol, err := tolerance(sig.Tolerance)
			if err != nil {
				return fmt.Errorf("signature scheme %s: %w", sig.Scheme, err)
			}
			fmt.Fprintf(&b, "// receiveTolerance is the scheme's timestamp tolerance (%s).\nconst receiveTolerance = %#v\n\n", tol, durationCode(tol))
			b.WriteString(strings.NewReplacer("ID_HEADER", strconv.Quote(sig.Headers["id"]), "TS_HEADER", strconv.Quote(sig.Headers["timestamp"])).Replace(r.Replace(standardSetup)))
			imports["crypto/rand"], imports["encoding/base64"], imports["strconv"] = true, true, true
		case ProfileHMAC:
			header = sig.Header
			b.WriteString(r.Replace(hmacSetup))
		}
		fmt.Fprintf(&b, "const receiveSignatureHeader = %q\n\n", header)
		b.WriteString(signedTests)
	}
	b.WriteString(receiveTests)

	list := make([]string, 0, len(imports))
	for imp := range imports {
		list = append(list, imp)
	}
	sort.Strings(list)
	var src strings.Builder
	fmt.Fprintf(&src, "package %s\n\nimport (\n", g.opts.Package)
	for _, imp := range list {
		fmt.Fprintf(&src, "\t%q\n", imp)
	}
	src.WriteString(")\n\n")
	fmt.Fprintf(&src, "// The receiving tests of %s: NewHandler over real HTTP on loopback with\n// the spec's signature profile, a fuzz target and a benchmark. The delivery\n// they post is %s.\n\n", p.Name, strings.TrimPrefix(fx.Path, p.Dir+"/"))
	src.WriteString(b.String())
	return g.put(FilePrefix+"receive_test.go", []byte(src.String()))
}

// sampleDelivery picks the first valid fixture that is a delivered
// envelope of a declared webhook event.
func (g *generator) sampleDelivery() (*contract.Fixture, *eventModel, []byte, error) {
	p := g.m.p
	if p.Fixtures == nil {
		return nil, nil, nil, nil
	}
	for _, fx := range p.Fixtures.Valid {
		if fx.Form != contract.FormEnvelope {
			continue
		}
		body, err := p.ReadFile(fx.Path)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("read fixture: %w", err)
		}
		name := fx.Event
		if name == "" {
			name = eventNameIn(body, g.m.eventPtr)
		}
		for _, e := range g.m.events {
			if e.Name == name {
				return fx, e, body, nil
			}
		}
	}
	return nil, nil, nil, nil
}

func eventNameIn(body []byte, ptr []string) string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	for _, t := range ptr {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[t]
	}
	s, _ := v.(string)
	return s
}

// withEventName re-encodes body with name at the event pointer.
func withEventName(body []byte, ptr []string, name string) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var root any
	if err := dec.Decode(&root); err != nil {
		return nil, err
	}
	if len(ptr) == 0 {
		return nil, fmt.Errorf("no event pointer")
	}
	v := root
	for i, t := range ptr {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("event pointer /%s does not lead through objects", strings.Join(ptr, "/"))
		}
		if i == len(ptr)-1 {
			m[t] = name
			break
		}
		v = m[t]
	}
	return json.Marshal(root)
}

const unsignedSetup = `// receiveSetup: the spec documents no signature a verifier checks, so the
// handler verifies nothing unless given a verifier.
func receiveSetup(testing.TB) (opts []Option, sign func(http.Header, []byte)) {
	return nil, func(http.Header, []byte) {}
}

`

const pluggedTest = `// TestPluggedVerifier: without a verifier anyone can post (the documented
// default); a plugged-in verifier answers 401 for what it rejects.
func TestPluggedVerifier(t *testing.T) {
	probe := &receiveProbe{}
	open := httptest.NewServer(NewHandler(probe, receiveQuiet))
	defer open.Close()
	if a := receivePost(t, open.URL, "application/json", []byte(receiveBody), nil); a.status != http.StatusNoContent {
		t.Errorf("unsigned delivery without a verifier: status %%d, want 204", a.status)
	}
	guarded := httptest.NewServer(NewHandler(probe, receiveQuiet, %s(VerifierFunc(func(h http.Header, _ []byte) error {
		if h.Get("X-Test-Token") != "let-me-in" {
			return ErrInvalidSignature
		}
		return nil
	}))))
	defer guarded.Close()
	if a := receivePost(t, guarded.URL, "application/json", []byte(receiveBody), nil); a.status != http.StatusUnauthorized {
		t.Errorf("rejected by the plugged verifier: status %%d, want 401", a.status)
	}
	ok := http.Header{"X-Test-Token": {"let-me-in"}}
	if a := receivePost(t, guarded.URL, "application/json", []byte(receiveBody), ok); a.status != http.StatusNoContent {
		t.Errorf("accepted by the plugged verifier: status %%d, want 204", a.status)
	}
}

`

const rsaSetup = `var receiveKeys struct {
	once        sync.Once
	good, wrong *rsa.PrivateKey
	err         error
}

// receiveRSA returns two key pairs, made once per test binary.
func receiveRSA(tb testing.TB) (good, wrong *rsa.PrivateKey) {
	tb.Helper()
	k := &receiveKeys
	k.once.Do(func() {
		if k.good, k.err = rsa.GenerateKey(rand.Reader, 2048); k.err == nil {
			k.wrong, k.err = rsa.GenerateKey(rand.Reader, 2048)
		}
	})
	if k.err != nil {
		tb.Fatal(k.err)
	}
	return k.good, k.wrong
}

// receiveSetup returns the options that make NewHandler verify signatures
// as the spec says the provider signs, and a function that signs a body so.
func receiveSetup(tb testing.TB) (opts []Option, sign func(http.Header, []byte)) {
	good, _ := receiveRSA(tb)
	return []Option{WithVerifier(VERIFIER(&good.PublicKey))}, receiveSigner(tb, SIGNER(good))
}

func receiveWrongSigner(tb testing.TB) func(http.Header, []byte) {
	_, wrong := receiveRSA(tb)
	return receiveSigner(tb, SIGNER(wrong))
}

// TestSignatureProfile: rotation (two keys), and headers that are not
// signatures.
func TestSignatureProfile(t *testing.T) {
	good, wrong := receiveRSA(t)
	probe := &receiveProbe{}
	srv := httptest.NewServer(NewHandler(probe, receiveQuiet, WithVerifier(VERIFIER(&wrong.PublicKey, &good.PublicKey))))
	defer srv.Close()
	h := http.Header{}
	receiveSigner(t, SIGNER(good))(h, []byte(receiveBody))
	if a := receivePost(t, srv.URL, "application/json", []byte(receiveBody), h); a.status != http.StatusNoContent {
		t.Errorf("signed with the second of two keys: status %d, want 204", a.status)
	}
	for _, bad := range []string{"not base64!", "QUJD", strings.Repeat("A", 10000)} {
		h := http.Header{}
		h.Set(receiveSignatureHeader, bad)
		if a := receivePost(t, srv.URL, "application/json", []byte(receiveBody), h); a.status != http.StatusUnauthorized {
			t.Errorf("signature %.20q: status %d, want 401", bad, a.status)
		}
	}
}

`

const standardSetup = `var receiveSecrets = [2]string{receiveSecret(), receiveSecret()}

func receiveSecret() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

func receiveVerifier(tb testing.TB, secrets []string, opts ...VerifierOption) Verifier {
	tb.Helper()
	v, err := VERIFIER(secrets, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

func receiveStandardSigner(tb testing.TB, secret string, now func() time.Time) func(http.Header, []byte) {
	tb.Helper()
	s, err := SIGNER(secret)
	if err != nil {
		tb.Fatal(err)
	}
	s.Now = now
	return receiveSigner(tb, s)
}

// receiveSetup returns the options that make NewHandler verify signatures
// as the spec says the provider signs, and a function that signs a body so.
func receiveSetup(tb testing.TB) (opts []Option, sign func(http.Header, []byte)) {
	return []Option{WithVerifier(receiveVerifier(tb, receiveSecrets[:1]))}, receiveStandardSigner(tb, receiveSecrets[0], nil)
}

func receiveWrongSigner(tb testing.TB) func(http.Header, []byte) {
	return receiveStandardSigner(tb, receiveSecrets[1], nil)
}

// TestSignatureProfile: timestamps outside the tolerance, an injected
// clock, a rotation (two secrets), several signatures, the standard header
// names, and headers that are not signatures.
func TestSignatureProfile(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { return now }
	probe := &receiveProbe{}
	srv := httptest.NewServer(NewHandler(probe, receiveQuiet, WithVerifier(receiveVerifier(t, receiveSecrets[:], WithClock(clock)))))
	defer srv.Close()
	post := func(h http.Header) int {
		return receivePost(t, srv.URL, "application/json", []byte(receiveBody), h).status
	}
	signedAt := func(secret string, at time.Time) http.Header {
		h := http.Header{}
		receiveStandardSigner(t, secret, func() time.Time { return at })(h, []byte(receiveBody))
		return h
	}
	for _, c := range []struct {
		name   string
		h      http.Header
		status int
	}{
		{"now", signedAt(receiveSecrets[0], now), 204},
		{"second secret", signedAt(receiveSecrets[1], now), 204},
		{"within the tolerance", signedAt(receiveSecrets[0], now.Add(-receiveTolerance*4/5)), 204},
		{"within the tolerance, ahead", signedAt(receiveSecrets[0], now.Add(receiveTolerance*4/5)), 204},
		{"beyond the tolerance", signedAt(receiveSecrets[0], now.Add(-receiveTolerance-time.Minute)), 401},
		{"beyond the tolerance, ahead", signedAt(receiveSecrets[0], now.Add(receiveTolerance+time.Minute)), 401},
		{"unknown secret", signedAt(receiveSecret(), now), 401},
	} {
		if got := post(c.h); got != c.status {
			t.Errorf("%s: status %d, want %d", c.name, got, c.status)
		}
	}
	h := signedAt(receiveSecrets[0], now)
	h.Set(receiveSignatureHeader, "v1,QUJD "+h.Get(receiveSignatureHeader)+" v2,xyz")
	if got := post(h); got != 204 {
		t.Errorf("several signatures: status %d, want 204", got)
	}
	std := signedAt(receiveSecrets[0], now)
	for _, k := range []string{ID_HEADER, TS_HEADER, receiveSignatureHeader} {
		name := "webhook-" + k[strings.IndexByte(k, '-')+1:]
		if name != k {
			std.Set(name, std.Get(k))
			std.Del(k)
		}
	}
	if got := post(std); got != 204 {
		t.Errorf("webhook-* headers: status %d, want 204", got)
	}
	for _, bad := range []string{"v1:QUJD", "v1a,QUJD", "", strings.Repeat("v1,QUJD ", 2000)} {
		h := signedAt(receiveSecrets[0], now)
		h.Set(receiveSignatureHeader, bad)
		if got := post(h); got != 401 {
			t.Errorf("signature %.20q: status %d, want 401", bad, got)
		}
	}
	h = signedAt(receiveSecrets[0], now)
	h.Set(TS_HEADER, strconv.FormatInt(now.Unix(), 10)+"x")
	if got := post(h); got != 401 {
		t.Errorf("timestamp not a number: status %d, want 401", got)
	}
	// Tolerance is an option.
	strict := httptest.NewServer(NewHandler(probe, receiveQuiet, WithVerifier(receiveVerifier(t, receiveSecrets[:1], WithClock(clock), WithTolerance(receiveTolerance/4)))))
	defer strict.Close()
	if a := receivePost(t, strict.URL, "application/json", []byte(receiveBody), signedAt(receiveSecrets[0], now.Add(-receiveTolerance/2))); a.status != 401 {
		t.Errorf("half the tolerance ago, WithTolerance a quarter: status %d, want 401", a.status)
	}
}

`

const hmacSetup = `var receiveHMACSecrets = [2][]byte{[]byte("receive-test-secret-1"), []byte("receive-test-secret-2")}

// receiveSetup returns the options that make NewHandler verify signatures
// as the spec says the provider signs, and a function that signs a body so.
func receiveSetup(tb testing.TB) (opts []Option, sign func(http.Header, []byte)) {
	return []Option{WithVerifier(VERIFIER(receiveHMACSecrets[0]))}, receiveSigner(tb, SIGNER(receiveHMACSecrets[0]))
}

func receiveWrongSigner(tb testing.TB) func(http.Header, []byte) {
	return receiveSigner(tb, SIGNER(receiveHMACSecrets[1]))
}

// TestSignatureProfile: a rotation (two secrets), and headers that are not
// signatures.
func TestSignatureProfile(t *testing.T) {
	probe := &receiveProbe{}
	srv := httptest.NewServer(NewHandler(probe, receiveQuiet, WithVerifier(VERIFIER(receiveHMACSecrets[0], receiveHMACSecrets[1]))))
	defer srv.Close()
	h := http.Header{}
	receiveWrongSigner(t)(h, []byte(receiveBody))
	if a := receivePost(t, srv.URL, "application/json", []byte(receiveBody), h); a.status != http.StatusNoContent {
		t.Errorf("second of two secrets: status %d, want 204", a.status)
	}
	for _, bad := range []string{"zz", "", strings.Repeat("ab", 5000)} {
		h := http.Header{}
		h.Set(receiveSignatureHeader, bad)
		if a := receivePost(t, srv.URL, "application/json", []byte(receiveBody), h); a.status != http.StatusUnauthorized {
			t.Errorf("signature %.20q: status %d, want 401", bad, a.status)
		}
	}
}

`

// signedTests run for a provider whose spec documents a signature.
const signedTests = `// TestSignatures: a signed delivery is dispatched; a tampered body,
// signature or key, or no signature, is answered 401 without detail and
// never reaches the handler; without a verifier every delivery is 401
// unless WithInsecureSkipVerify.
func TestSignatures(t *testing.T) {
	opts, sign := receiveSetup(t)
	probe := &receiveProbe{}
	srv := httptest.NewServer(NewHandler(probe, append(opts, receiveQuiet)...))
	defer srv.Close()
	body := []byte(receiveBody)
	signed := http.Header{}
	sign(signed, body)
	if a := receivePost(t, srv.URL, "application/json", body, signed); a.status != http.StatusNoContent {
		t.Fatalf("signed delivery: status %d, want 204 (%s)", a.status, a.body)
	}
	tamperedSig := signed.Clone()
	other := http.Header{}
	sign(other, []byte(receiveUnknownBody))
	tamperedSig.Set(receiveSignatureHeader, other.Get(receiveSignatureHeader))
	wrongKey := http.Header{}
	receiveWrongSigner(t)(wrongKey, body)
	unsigned := signed.Clone()
	unsigned.Del(receiveSignatureHeader)
	for _, c := range []struct {
		name string
		body []byte
		h    http.Header
	}{
		{"tampered body", []byte(strings.Replace(receiveBody, receiveEvent, strings.ToUpper(receiveEvent), 1)), signed},
		{"same JSON, other bytes", []byte(receiveOtherBody), signed},
		{"tampered signature", body, tamperedSig},
		{"wrong key", body, wrongKey},
		{"no signature", body, unsigned},
	} {
		a := receivePost(t, srv.URL, "application/json", c.body, c.h)
		if a.status != http.StatusUnauthorized || strings.TrimSpace(a.body) != "unauthorized" {
			t.Errorf("%s: status %d %q, want 401 unauthorized", c.name, a.status, a.body)
		}
	}
	if n := probe.calls.Load(); n != 1 {
		t.Errorf("handler called %d times, want 1", n)
	}

	closed := httptest.NewServer(NewHandler(probe, receiveQuiet))
	defer closed.Close()
	if a := receivePost(t, closed.URL, "application/json", body, signed); a.status != http.StatusUnauthorized {
		t.Errorf("no verifier: status %d, want 401", a.status)
	}
	open := httptest.NewServer(NewHandler(probe, receiveQuiet, WithInsecureSkipVerify()))
	defer open.Close()
	if a := receivePost(t, open.URL, "application/json", body, nil); a.status != http.StatusNoContent {
		t.Errorf("WithInsecureSkipVerify, unsigned: status %d, want 204", a.status)
	}
}

`

// receiveTests run for every provider with a valid envelope fixture.
const receiveTests = `var receiveQuiet = WithLogger(slog.New(slog.DiscardHandler))

// receiveProbe counts the deliveries dispatched to it and fails or
// panics on demand.
type receiveProbe struct {
	UnimplementedHandler
	calls   atomic.Int64
	mode    atomic.Int32  // 0 succeed, 1 fail, 2 panic, 3 signal entered, wait for hold, fail
	entered chan struct{} // mode 3
	hold    chan struct{} // mode 3
}

func (p *receiveProbe) handle() error {
	p.calls.Add(1)
	switch p.mode.Load() {
	case 1:
		return io.ErrUnexpectedEOF
	case 2:
		panic("receive test panic")
	case 3:
		p.mode.Store(0)
		p.entered <- struct{}{}
		<-p.hold
		return io.ErrUnexpectedEOF
	}
	return nil
}

func receiveSigner(tb testing.TB, s Signer) func(http.Header, []byte) {
	return func(h http.Header, body []byte) {
		if err := s.Sign(h, body); err != nil {
			tb.Fatal(err)
		}
	}
}

type receiveAnswer struct {
	status int
	header http.Header
	body   string
}

func receivePost(tb testing.TB, url, contentType string, body []byte, h http.Header) receiveAnswer {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return receiveAnswer{resp.StatusCode, resp.Header, string(b)}
}

// TestReceiveStatusPaths posts to NewHandler over loopback and checks every
// answer: 204, 405 with Allow, 413, 415, 400 with a problem document, 500
// for the handler's error and for its panic, 204 for an unknown event.
func TestReceiveStatusPaths(t *testing.T) {
	opts, sign := receiveSetup(t)
	probe := &receiveProbe{}
	var unknown atomic.Int64
	opts = append(opts, receiveQuiet, WithOnUnknown(func(_ context.Context, u *UnknownEvent) error {
		if u.EventName() == "hookcontract.test.unknown" {
			unknown.Add(1)
		}
		return nil
	}))
	srv := httptest.NewServer(NewHandler(probe, opts...))
	defer srv.Close()
	signed := func(body []byte) http.Header {
		h := http.Header{}
		sign(h, body)
		return h
	}
	body := []byte(receiveBody)
	if a := receivePost(t, srv.URL, "application/json", body, signed(body)); a.status != http.StatusNoContent {
		t.Fatalf("valid delivery: status %d, want 204 (%s)", a.status, a.body)
	}
	for _, ct := range []string{"application/json; charset=utf-8", "Application/JSON;charset=UTF-8;", "application/json; charset", "application/vnd.hooks+json"} {
		if a := receivePost(t, srv.URL, ct, body, signed(body)); a.status != http.StatusNoContent {
			t.Errorf("Content-Type %q: status %d, want 204", ct, a.status)
		}
	}
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != http.MethodPost {
		t.Errorf("GET: status %d, Allow %q; want 405, POST", resp.StatusCode, resp.Header.Get("Allow"))
	}
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "application/jsonx"} {
		if a := receivePost(t, srv.URL, ct, body, signed(body)); a.status != http.StatusUnsupportedMediaType {
			t.Errorf("Content-Type %q: status %d, want 415", ct, a.status)
		}
	}
	for _, codings := range [][]string{{"gzip"}, {"identity", "gzip"}} {
		h := signed(body)
		for _, c := range codings {
			h.Add("Content-Encoding", c)
		}
		if a := receivePost(t, srv.URL, "application/json", body, h); a.status != http.StatusUnsupportedMediaType {
			t.Errorf("Content-Encoding %q: status %d, want 415", codings, a.status)
		}
	}
	big := bytes.Repeat([]byte(" "), 10<<20)
	copy(big, body)
	if a := receivePost(t, srv.URL, "application/json", big, nil); a.status != http.StatusRequestEntityTooLarge {
		t.Errorf("10 MB body: status %d, want 413", a.status)
	}
	invalid := []byte("{}")
	a := receivePost(t, srv.URL, "application/json", invalid, signed(invalid))
	if a.status != http.StatusBadRequest || a.header.Get("Content-Type") != "application/problem+json" || !strings.Contains(a.body, "\"violations\"") {
		t.Errorf("invalid body: status %d, %s %s; want 400 with a problem document", a.status, a.header.Get("Content-Type"), a.body)
	}
	notJSON := []byte("{\"truncated\": ")
	if a := receivePost(t, srv.URL, "application/json", notJSON, signed(notJSON)); a.status != http.StatusBadRequest {
		t.Errorf("not JSON: status %d, want 400", a.status)
	}
	unknownBody := []byte(receiveUnknownBody)
	if a := receivePost(t, srv.URL, "application/json", unknownBody, signed(unknownBody)); a.status != http.StatusNoContent || unknown.Load() != 1 {
		t.Errorf("unknown event: status %d, hook called %d times; want 204, once", a.status, unknown.Load())
	}
	probe.mode.Store(1)
	if a := receivePost(t, srv.URL, "application/json", body, signed(body)); a.status != http.StatusInternalServerError {
		t.Errorf("handler error: status %d, want 500", a.status)
	}
	probe.mode.Store(2)
	if a := receivePost(t, srv.URL, "application/json", body, signed(body)); a.status != http.StatusInternalServerError {
		t.Errorf("handler panic: status %d, want 500", a.status)
	}
	probe.mode.Store(0)
	if a := receivePost(t, srv.URL, "application/json", body, signed(body)); a.status != http.StatusNoContent {
		t.Errorf("after a panic: status %d, want 204", a.status)
	}
	// the valid delivery, the four JSON Content-Types, the error, the panic, the one after
	if n := probe.calls.Load(); n != 8 {
		t.Errorf("handler called %d times, want 8", n)
	}
}

// TestReceiveDuplicates: with a Deduper, a delivery posted twice reaches
// the handler once; one whose handler failed is processed on its retry.
func TestReceiveDuplicates(t *testing.T) {
	opts, sign := receiveSetup(t)
	probe := &receiveProbe{}
	srv := httptest.NewServer(NewHandler(probe, append(opts, receiveQuiet, WithDeduper(NewMemoryDeduper(time.Hour, 0)))...))
	defer srv.Close()
	body := []byte(receiveBody)
	h := http.Header{}
	sign(h, body)
	probe.mode.Store(1)
	if a := receivePost(t, srv.URL, "application/json", body, h); a.status != http.StatusInternalServerError {
		t.Fatalf("failing handler: status %d, want 500", a.status)
	}
	probe.mode.Store(0)
	for i := range 3 {
		if a := receivePost(t, srv.URL, "application/json", body, h); a.status != http.StatusNoContent {
			t.Fatalf("delivery %d: status %d, want 204", i+2, a.status)
		}
	}
	if n := probe.calls.Load(); n != 2 {
		t.Errorf("handler called %d times, want 2 (the failure, then once)", n)
	}
	if k1, k2 := DeliveryKey(h, body), DeliveryKey(h.Clone(), bytes.Clone(body)); k1 != k2 || !strings.HasPrefix(k1, thisProvider.Name+":") {
		t.Errorf("DeliveryKey %q, %q", k1, k2)
	}
}

// TestReceiveInFlightDuplicate: a duplicate that arrives while the first
// attempt is still running is not acknowledged but answered 503 with
// Retry-After; when that attempt fails, the provider's retry is handled.
func TestReceiveInFlightDuplicate(t *testing.T) {
	opts, sign := receiveSetup(t)
	probe := &receiveProbe{entered: make(chan struct{}, 1), hold: make(chan struct{})}
	srv := httptest.NewServer(NewHandler(probe, append(opts, receiveQuiet, WithDeduper(NewMemoryDeduper(time.Hour, 0)))...))
	defer srv.Close()
	body := []byte(receiveBody)
	h := http.Header{}
	sign(h, body)
	probe.mode.Store(3)
	first := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
		req.Header = h.Clone()
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			first <- -1
			return
		}
		resp.Body.Close()
		first <- resp.StatusCode
	}()
	<-probe.entered
	if a := receivePost(t, srv.URL, "application/json", body, h); a.status != http.StatusServiceUnavailable || a.header.Get("Retry-After") == "" {
		t.Errorf("duplicate of an attempt in flight: status %d, Retry-After %q; want 503 with Retry-After", a.status, a.header.Get("Retry-After"))
	}
	close(probe.hold)
	if s := <-first; s != http.StatusInternalServerError {
		t.Fatalf("failing first attempt: status %d, want 500", s)
	}
	if a := receivePost(t, srv.URL, "application/json", body, h); a.status != http.StatusNoContent {
		t.Errorf("retry after the failed attempt: status %d, want 204", a.status)
	}
	if n := probe.calls.Load(); n != 2 {
		t.Errorf("handler called %d times, want 2 (the failed attempt, the retry)", n)
	}
}

// FuzzHandler posts mutated bodies, content types and signature headers to
// the handler and requires an answer in 2xx or 4xx: nothing a sender can
// put in a request makes it fail (5xx) or panic. With resign, the mutated
// body is treated as signed by the provider, so validation is exercised
// behind the verifier: the seeds are signed for real, once, and posted to
// the verifying handler; any other body goes to a handler that skips the
// check, which runs the same code once a signature passed, without a
// signature per input (an RSA signature costs milliseconds).
func FuzzHandler(f *testing.F) {
	opts, sign := receiveSetup(f)
	h := NewHandler(&receiveProbe{}, append(opts, receiveQuiet)...)
	behind := NewHandler(&receiveProbe{}, receiveQuiet, WithInsecureSkipVerify())
	seeds := [][]byte{[]byte(receiveBody), []byte(receiveUnknownBody), []byte(receiveOtherBody), []byte("{}"), []byte("[1, 2, {\"a\": null}]")}
	presigned := map[string]http.Header{}
	for _, s := range seeds {
		hdr := http.Header{}
		sign(hdr, s)
		presigned[string(s)] = hdr
	}
	f.Add(seeds[0], "application/json", "", true)
	f.Add(seeds[1], "application/json", "", true)
	f.Add(seeds[2], "application/json; charset=utf-8", "", true)
	f.Add(seeds[3], "application/json", "x", false)
	f.Add(seeds[4], "text/json", "", true)
	f.Fuzz(func(t *testing.T, body []byte, contentType, signature string, resign bool) {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		target := h
		if hdr, ok := presigned[string(body)]; resign && ok {
			req.Header = hdr.Clone()
		} else if resign {
			target = behind
		} else {
			req.Header.Set("X-Signature", signature)
		}
		req.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		target.ServeHTTP(rec, req)
		if rec.Code < 200 || rec.Code >= 500 || (rec.Code >= 300 && rec.Code < 400) {
			t.Fatalf("status %d for %q (%s)", rec.Code, body, rec.Body)
		}
	})
}

// BenchmarkReceive measures requests per second over loopback: a bare
// net/http handler that only reads the body, beside the generated
// handler (verifying, validating and dispatching).
func BenchmarkReceive(b *testing.B) {
	body := []byte(receiveBody)
	opts, sign := receiveSetup(b)
	signed := http.Header{}
	sign(signed, body)
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusNoContent)
	})
	cases := []struct {
		name string
		h    http.Handler
	}{
		{"bare", bare},
		{"generated", NewHandler(&receiveProbe{}, append(opts, receiveQuiet)...)},
	}
	if len(opts) > 0 {
		// The same without the signature check, to show what it costs.
		cases = append(cases, struct {
			name string
			h    http.Handler
		}{"generated-unverified", NewHandler(&receiveProbe{}, receiveQuiet, WithInsecureSkipVerify())})
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			srv := httptest.NewServer(c.h)
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			defer client.CloseIdleConnections()
			b.SetBytes(int64(len(body)))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest(http.MethodPost, srv.URL, bytes.NewReader(body))
					req.Header = signed.Clone()
					req.Header.Set("Content-Type", "application/json")
					resp, err := client.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusNoContent {
						b.Errorf("status %d", resp.StatusCode)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}
`
