package hcrt

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	testKeyOnce sync.Once
	testKeys    [2]*rsa.PrivateKey
)

func rsaKeys(t testing.TB) [2]*rsa.PrivateKey {
	t.Helper()
	testKeyOnce.Do(func() {
		for i := range testKeys {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			testKeys[i] = k
		}
	})
	return testKeys
}

func TestRSARoundTrip(t *testing.T) {
	keys := rsaKeys(t)
	body := []byte(`{"event":"department.deleted"}`)
	for _, enc := range []string{"", EncodingBase64, EncodingHex} {
		h := http.Header{}
		if err := (&RSASigner{Header: "x-siqsignature", Encoding: enc, Key: keys[1]}).Sign(h, body); err != nil {
			t.Fatal(err)
		}
		v := &RSAVerifier{Header: "x-siqsignature", Encoding: enc, Keys: []*rsa.PublicKey{&keys[0].PublicKey, &keys[1].PublicKey}}
		if err := v.Verify(h, body); err != nil {
			t.Errorf("encoding %q: %v", enc, err)
		}
		v.Keys = v.Keys[:1]
		if err := v.Verify(h, body); !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("encoding %q, wrong key: %v", enc, err)
		}
	}
	h := http.Header{}
	h.Add("x-siqsignature", "a")
	h.Add("x-siqsignature", "b")
	if err := (&RSAVerifier{Header: "x-siqsignature", Keys: []*rsa.PublicKey{&keys[0].PublicKey}}).Verify(h, body); !errors.Is(err, ErrMalformedSignature) {
		t.Errorf("two headers: %v", err)
	}
	h = http.Header{}
	h.Set("x-siqsignature", strings.Repeat("A", maxSignatureHeader+4))
	if err := (&RSAVerifier{Header: "x-siqsignature", Keys: []*rsa.PublicKey{&keys[0].PublicKey}}).Verify(h, body); !errors.Is(err, ErrMalformedSignature) {
		t.Errorf("huge header: %v", err)
	}
	h.Set("x-siqsignature", "QUJD")
	if err := (&RSAVerifier{Header: "x-siqsignature"}).Verify(h, body); !errors.Is(err, ErrInvalidSignature) {
		t.Errorf("no keys: %v", err)
	}
}

func TestParseKeysPEM(t *testing.T) {
	keys := rsaKeys(t)
	spki, err := x509.MarshalPKIXPublicKey(&keys[0].PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	both := append(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki}),
		pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&keys[1].PublicKey)})...)
	got, err := ParsePublicKeysPEM(both)
	if err != nil || len(got) != 2 || !got[0].Equal(&keys[0].PublicKey) || !got[1].Equal(&keys[1].PublicKey) {
		t.Fatalf("ParsePublicKeysPEM: %d keys, %v", len(got), err)
	}
	for name, data := range map[string][]byte{
		"empty":       nil,
		"not PEM":     []byte("hello"),
		"private key": pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(keys[0])}),
		"garbage":     pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("nope")}),
	} {
		if _, err := ParsePublicKeysPEM(data); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(keys[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []*pem.Block{{Type: "PRIVATE KEY", Bytes: pkcs8}, {Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(keys[0])}} {
		k, err := ParsePrivateKeyPEM(pem.EncodeToMemory(b))
		if err != nil || !k.Equal(keys[0]) {
			t.Errorf("%s: %v", b.Type, err)
		}
	}
	if _, err := ParsePrivateKeyPEM(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: spki})); err == nil {
		t.Errorf("a public key read as private")
	}
}

func TestStandardWebhooks(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	secret := "whsec_" + base64.StdEncoding.EncodeToString(key)
	now := time.Unix(1_700_000_000, 0)
	clock := func() time.Time { return now }
	signer := &StandardWebhooksSigner{IDHeader: "svix-id", TimestampHeader: "svix-timestamp", SignatureHeader: "svix-signature", Secret: key, Now: clock}
	body := []byte(`{"notificationType":"connection.deleted"}`)
	h := http.Header{}
	if err := signer.Sign(h, body); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h.Get("svix-id"), "msg_") || h.Get("svix-timestamp") != "1700000000" {
		t.Fatalf("signed headers %v", h)
	}
	v, err := NewStandardWebhooksVerifierFor("svix-id", "svix-timestamp", "svix-signature", "whsec_", 5*time.Minute, []string{secret}, []VerifierOption{WithClock(clock)})
	if err != nil {
		t.Fatal(err)
	}
	if err := v.Verify(h, body); err != nil {
		t.Fatal(err)
	}
	// The id is kept when set: a retry is signed anew under the same id.
	id := h.Get("svix-id")
	now = now.Add(time.Minute)
	if err := signer.Sign(h, body); err != nil || h.Get("svix-id") != id {
		t.Fatalf("re-sign: %v, id %q", err, h.Get("svix-id"))
	}
	if err := v.Verify(h, body); err != nil {
		t.Fatal(err)
	}
	// Tolerance is configurable.
	now = now.Add(2 * time.Minute)
	strict, _ := NewStandardWebhooksVerifierFor("svix-id", "svix-timestamp", "svix-signature", "whsec_", 5*time.Minute, []string{secret}, []VerifierOption{WithClock(clock), WithTolerance(time.Minute)})
	if err := strict.Verify(h, body); !errors.Is(err, ErrStaleTimestamp) {
		t.Errorf("tolerance 1m, 2m late: %v", err)
	}
	if err := v.Verify(h, body); err != nil {
		t.Errorf("tolerance 5m, 2m late: %v", err)
	}
	// The standard constructor reads webhook-* headers.
	sv, err := NewStandardWebhooksVerifier([]string{base64.StdEncoding.EncodeToString(key)}, WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	std := http.Header{}
	if err := (&StandardWebhooksSigner{IDHeader: StandardIDHeader, TimestampHeader: StandardTimestampHeader, SignatureHeader: StandardSignatureHeader, Secret: key, Now: clock}).Sign(std, body); err != nil {
		t.Fatal(err)
	}
	if err := sv.Verify(std, body); err != nil {
		t.Errorf("standard headers: %v", err)
	}
	for name, hh := range map[string]http.Header{
		"no id":        {"Svix-Timestamp": h["Svix-Timestamp"], "Svix-Signature": h["Svix-Signature"]},
		"no timestamp": {"Svix-Id": h["Svix-Id"], "Svix-Signature": h["Svix-Signature"]},
	} {
		if err := v.Verify(hh, body); !errors.Is(err, ErrMissingSignature) {
			t.Errorf("%s: %v", name, err)
		}
	}
	long := h.Clone()
	long.Set("svix-signature", strings.Repeat("v1,AAAA ", maxSignatureHeader))
	if err := v.Verify(long, body); !errors.Is(err, ErrMalformedSignature) {
		t.Errorf("huge header: %v", err)
	}
}

func TestDecodeWebhookSecret(t *testing.T) {
	if _, err := NewStandardWebhooksVerifierFor("a", "b", "c", "whsec_", time.Minute, nil, nil); err == nil {
		t.Errorf("no secret accepted")
	}
	_, err := DecodeWebhookSecret("whsec_", "whsec_not*base64*TOPSECRET")
	if err == nil || strings.Contains(err.Error(), "TOPSECRET") {
		t.Errorf("error %v", err)
	}
	k, err := DecodeWebhookSecret("whsec_", "  whsec_AAEC  ")
	if err != nil || string(k) != "\x00\x01\x02" {
		t.Errorf("%q %v", k, err)
	}
}

func TestHMACRoundTrip(t *testing.T) {
	body := []byte(`{"a":1}`)
	for _, enc := range []string{"", EncodingHex, EncodingBase64} {
		h := http.Header{}
		if err := (&HMACSigner{Header: "X-Sig", Encoding: enc, Secret: []byte("b")}).Sign(h, body); err != nil {
			t.Fatal(err)
		}
		v := &HMACVerifier{Header: "X-Sig", Encoding: enc, Secrets: [][]byte{[]byte("a"), []byte("b")}}
		if err := v.Verify(h, body); err != nil {
			t.Errorf("%q: %v", enc, err)
		}
		v.Secrets = v.Secrets[:1]
		if err := v.Verify(h, body); !errors.Is(err, ErrInvalidSignature) {
			t.Errorf("%q wrong secret: %v", enc, err)
		}
	}
	h := http.Header{}
	h.Set("X-Sig", "00")
	if err := (&HMACVerifier{Header: "X-Sig", Encoding: "rot13"}).Verify(h, body); !errors.Is(err, ErrMalformedSignature) {
		t.Errorf("unknown encoding: %v", err)
	}
}

func TestMemoryDeduper(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(0, 0)
	d := NewMemoryDeduper(time.Minute, 3)
	d.now = func() time.Time { return now }
	claim := func(k string) ClaimState {
		t.Helper()
		st, err := d.Claim(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := claim("a"); st != Claimed {
		t.Fatalf("first claim: %v", st)
	}
	if st := claim("a"); st != InFlight {
		t.Fatalf("claim while in flight: %v", st)
	}
	if err := d.Complete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if st := claim("a"); st != Completed {
		t.Fatalf("claim after completion: %v", st)
	}
	// A release after completion does not undo it.
	if err := d.Release(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if st := claim("a"); st != Completed {
		t.Fatalf("release undid a completion: %v", st)
	}
	now = now.Add(30 * time.Second)
	if claim("b") != Claimed {
		t.Fatal("b")
	}
	if err := d.Complete(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(31 * time.Second) // a expired, b not
	if claim("a") != Claimed || claim("b") != Completed {
		t.Fatal("expiry")
	}
	if err := d.Release(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if claim("a") != Claimed {
		t.Fatal("released key not claimable")
	}
	// A claim that is never completed nor released lapses after its lease
	// (the TTL here, shorter than DefaultClaimLease).
	now = now.Add(61 * time.Second)
	if st := claim("a"); st != Claimed {
		t.Fatalf("lapsed claim: %v", st)
	}
	// At most 3 keys: the oldest is forgotten.
	claim("c")
	claim("d")
	claim("e")
	if d.Len() != 3 {
		t.Errorf("len %d", d.Len())
	}
	if claim("a") != Claimed {
		t.Errorf("oldest key kept beyond the bound")
	}
	big := NewMemoryDeduper(time.Hour, 0)
	if big.max != DefaultDedupeEntries || big.lease != DefaultClaimLease {
		t.Errorf("default bound %d, lease %s", big.max, big.lease)
	}
}

// Claim and release churn (every delivery failing and retried) must not
// grow the deduper: a million claim/release pairs leave nothing behind.
func TestMemoryDeduperChurnBounded(t *testing.T) {
	ctx := context.Background()
	d := NewMemoryDeduper(time.Hour, 1000)
	before := heapInUse()
	for i := range 1_000_000 {
		k := "k" + strconv.Itoa(i%10)
		if _, err := d.Claim(ctx, k); err != nil {
			t.Fatal(err)
		}
		if err := d.Release(ctx, k); err != nil {
			t.Fatal(err)
		}
	}
	after := heapInUse()
	t.Logf("heap in use %.1f MB before, %.1f MB after 1e6 claim/release pairs", float64(before)/1e6, float64(after)/1e6)
	if n := d.Len(); n != 0 {
		t.Errorf("after churn: %d keys, want 0", n)
	}
	if after > before+8e6 {
		t.Errorf("heap grew by %.1f MB under claim/release churn", float64(after-before)/1e6)
	}
}

func FuzzStandardWebhooksVerify(f *testing.F) {
	key := []byte("0123456789abcdef")
	v := &StandardWebhooksVerifier{IDHeader: "svix-id", TimestampHeader: "svix-timestamp", SignatureHeader: "svix-signature", Secrets: [][]byte{key}, Now: func() time.Time { return time.Unix(1_700_000_000, 0) }}
	f.Add("msg_1", "1700000000", "v1,AAAA", []byte(`{}`))
	f.Add("", "-1", "v1a,xx v1,", []byte(nil))
	f.Fuzz(func(t *testing.T, id, ts, sig string, body []byte) {
		h := http.Header{}
		h.Set("svix-id", id)
		h.Set("svix-timestamp", ts)
		h.Set("svix-signature", sig)
		err := v.Verify(h, body)
		if err == nil {
			// Only a real signature verifies.
			want := "v1," + base64.StdEncoding.EncodeToString(standardWebhooksMAC(key, id, ts, body))
			if !strings.Contains(sig, want[3:]) {
				t.Fatalf("accepted %q", sig)
			}
		}
	})
}

// heapInUse is the heap in use after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse
}
