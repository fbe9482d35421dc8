package hcrt

import (
	"crypto"
	"crypto/hmac"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Verifier checks a delivery's signature over the raw body bytes, before
// anything parses them. It returns an error when the delivery is not
// authentic; the handler then answers 401 without detail. The error wraps
// one of ErrMissingSignature, ErrMalformedSignature, ErrInvalidSignature or
// ErrStaleTimestamp, and never holds a secret.
type Verifier interface {
	Verify(header http.Header, body []byte) error
}

// VerifierFunc adapts a function to Verifier.
type VerifierFunc func(header http.Header, body []byte) error

// Verify calls f.
func (f VerifierFunc) Verify(header http.Header, body []byte) error { return f(header, body) }

// Why a delivery is not authentic. Verifiers wrap these with detail that
// names headers, never secrets.
var (
	ErrNoVerifier         = errors.New("no signature verifier configured")
	ErrMissingSignature   = errors.New("missing signature")
	ErrMalformedSignature = errors.New("malformed signature")
	ErrInvalidSignature   = errors.New("signature does not verify")
	ErrStaleTimestamp     = errors.New("timestamp outside the tolerance")
)

// Signature encodings.
const (
	EncodingBase64 = "base64"
	EncodingHex    = "hex"
)

// DefaultTolerance is how far a signed timestamp may be from the current
// time, either way, unless WithTolerance says otherwise.
const DefaultTolerance = 5 * time.Minute

// maxSignatureHeader bounds the signature header a verifier decodes.
const maxSignatureHeader = 8 << 10

// RSAVerifier verifies RSASSA-PKCS1-v1_5 signatures with SHA-256 over the
// raw body (Zoho SalesIQ's x-siqsignature). A delivery is authentic when
// the signature verifies with any of Keys, so that two keys can be valid
// during a rotation.
type RSAVerifier struct {
	Header   string // the header carrying the signature
	Encoding string // EncodingBase64 (default) or EncodingHex
	Keys     []*rsa.PublicKey
}

// Verify checks the signature in v.Header over body.
func (v *RSAVerifier) Verify(header http.Header, body []byte) error {
	sig, err := signatureBytes(header, v.Header, v.Encoding)
	if err != nil {
		return err
	}
	if len(v.Keys) == 0 {
		return fmt.Errorf("%w: no public key configured", ErrInvalidSignature)
	}
	digest := sha256.Sum256(body)
	for _, k := range v.Keys {
		if k != nil && rsa.VerifyPKCS1v15(k, crypto.SHA256, digest[:], sig) == nil {
			return nil
		}
	}
	return fmt.Errorf("%w: %s matches none of %d public key(s)", ErrInvalidSignature, v.Header, len(v.Keys))
}

// HMACVerifier verifies an HMAC-SHA256 of the raw body, hex or base64
// encoded in one header. A delivery is authentic when the MAC matches under
// any of Secrets (several during a rotation); comparisons are constant-time.
type HMACVerifier struct {
	Header   string // the header carrying the MAC
	Encoding string // EncodingHex (default) or EncodingBase64
	Secrets  [][]byte
}

// Verify checks the MAC in v.Header over body.
func (v *HMACVerifier) Verify(header http.Header, body []byte) error {
	enc := v.Encoding
	if enc == "" {
		enc = EncodingHex
	}
	sig, err := signatureBytes(header, v.Header, enc)
	if err != nil {
		return err
	}
	if len(v.Secrets) == 0 {
		return fmt.Errorf("%w: no secret configured", ErrInvalidSignature)
	}
	ok := false
	for _, s := range v.Secrets {
		m := hmac.New(sha256.New, s)
		m.Write(body)
		// Every secret is tried, so the time taken does not tell which one
		// matched.
		if hmac.Equal(m.Sum(nil), sig) {
			ok = true
		}
	}
	if !ok {
		return fmt.Errorf("%w: %s matches none of %d secret(s)", ErrInvalidSignature, v.Header, len(v.Secrets))
	}
	return nil
}

// signatureBytes reads and decodes the signature in header name.
func signatureBytes(header http.Header, name, encoding string) ([]byte, error) {
	vals := header.Values(name)
	if len(vals) == 0 || strings.TrimSpace(vals[0]) == "" {
		return nil, fmt.Errorf("%w: no %s header", ErrMissingSignature, name)
	}
	if len(vals) > 1 {
		return nil, fmt.Errorf("%w: %d %s headers", ErrMalformedSignature, len(vals), name)
	}
	s := strings.TrimSpace(vals[0])
	if len(s) > maxSignatureHeader {
		return nil, fmt.Errorf("%w: %s header of %d bytes", ErrMalformedSignature, name, len(s))
	}
	var sig []byte
	var err error
	switch encoding {
	case EncodingHex:
		sig, err = hex.DecodeString(s)
	case EncodingBase64, "":
		sig, err = base64.StdEncoding.DecodeString(s)
	default:
		return nil, fmt.Errorf("%w: unknown encoding %q", ErrMalformedSignature, encoding)
	}
	if err != nil || len(sig) == 0 {
		e := encoding
		if e == "" {
			e = EncodingBase64
		}
		return nil, fmt.Errorf("%w: %s is not %s", ErrMalformedSignature, name, e)
	}
	return sig, nil
}

// The Standard Webhooks header names (standardwebhooks.com); Svix sends the
// same values under svix-id, svix-timestamp and svix-signature.
const (
	StandardIDHeader        = "webhook-id"
	StandardTimestampHeader = "webhook-timestamp"
	StandardSignatureHeader = "webhook-signature"
)

// StandardWebhooksVerifier verifies the Standard Webhooks scheme (Svix):
// the signature header holds space-separated "v1,<base64>" entries, each an
// HMAC-SHA256 over "id.timestamp.body" keyed with a secret; the delivery is
// authentic when any v1 entry matches under any secret, and its timestamp
// (Unix seconds) is within Tolerance of Now. When the profile's headers are
// absent, the standard webhook-* names are read instead.
type StandardWebhooksVerifier struct {
	IDHeader        string
	TimestampHeader string
	SignatureHeader string
	Secrets         [][]byte         // decoded secrets (see DecodeWebhookSecret)
	Tolerance       time.Duration    // 0 means DefaultTolerance
	Now             func() time.Time // nil means time.Now
}

// VerifierOption configures a verifier that checks timestamps.
type VerifierOption func(*StandardWebhooksVerifier)

// WithTolerance sets how far a delivery's timestamp may be from the current
// time, either way (default DefaultTolerance).
func WithTolerance(d time.Duration) VerifierOption {
	return func(v *StandardWebhooksVerifier) { v.Tolerance = d }
}

// WithClock sets the clock timestamps are compared with (default
// time.Now); tests pass a fixed one.
func WithClock(now func() time.Time) VerifierOption {
	return func(v *StandardWebhooksVerifier) { v.Now = now }
}

// NewStandardWebhooksVerifier returns a verifier of the Standard Webhooks
// scheme under the webhook-* header names, for secrets written as
// "whsec_<base64>" (the prefix is optional).
func NewStandardWebhooksVerifier(secrets []string, opts ...VerifierOption) (*StandardWebhooksVerifier, error) {
	return NewStandardWebhooksVerifierFor(StandardIDHeader, StandardTimestampHeader, StandardSignatureHeader, "whsec_", DefaultTolerance, secrets, opts)
}

// NewStandardWebhooksVerifierFor is NewStandardWebhooksVerifier for a
// provider's own header names, secret prefix and default tolerance (what
// a generated package's verifier constructor passes).
func NewStandardWebhooksVerifierFor(idHeader, tsHeader, sigHeader, prefix string, tolerance time.Duration, secrets []string, opts []VerifierOption) (*StandardWebhooksVerifier, error) {
	v := &StandardWebhooksVerifier{IDHeader: idHeader, TimestampHeader: tsHeader, SignatureHeader: sigHeader, Tolerance: tolerance}
	if len(secrets) == 0 {
		return nil, errors.New("standard webhooks verifier: no secret given")
	}
	for i, s := range secrets {
		k, err := DecodeWebhookSecret(prefix, s)
		if err != nil {
			return nil, fmt.Errorf("standard webhooks verifier: secret %d: %w", i+1, err)
		}
		v.Secrets = append(v.Secrets, k)
	}
	for _, o := range opts {
		o(v)
	}
	return v, nil
}

// DecodeWebhookSecret turns a Standard Webhooks secret ("whsec_" followed
// by base64) into its key bytes. The prefix is optional.
func DecodeWebhookSecret(prefix, secret string) ([]byte, error) {
	s := strings.TrimSpace(secret)
	if prefix != "" {
		s = strings.TrimPrefix(s, prefix)
	}
	k, err := base64.StdEncoding.DecodeString(s)
	if err != nil || len(k) == 0 {
		// The message never repeats the secret.
		return nil, fmt.Errorf("expected %sfollowed by base64, found %d characters that are not", prefix, len(secret))
	}
	return k, nil
}

// headerOr reads name, or fallback when name is absent.
func headerOr(h http.Header, name, fallback string) string {
	if v := h.Get(name); v != "" || name == "" {
		return v
	}
	return h.Get(fallback)
}

// Verify checks the id, timestamp and signature headers over body.
func (v *StandardWebhooksVerifier) Verify(header http.Header, body []byte) error {
	id := headerOr(header, v.IDHeader, StandardIDHeader)
	ts := headerOr(header, v.TimestampHeader, StandardTimestampHeader)
	sigs := headerOr(header, v.SignatureHeader, StandardSignatureHeader)
	switch {
	case sigs == "":
		return fmt.Errorf("%w: no %s header", ErrMissingSignature, v.SignatureHeader)
	case id == "":
		return fmt.Errorf("%w: no %s header", ErrMissingSignature, v.IDHeader)
	case ts == "":
		return fmt.Errorf("%w: no %s header", ErrMissingSignature, v.TimestampHeader)
	case len(sigs) > maxSignatureHeader || len(id) > 256:
		return fmt.Errorf("%w: %s or %s header too long", ErrMalformedSignature, v.SignatureHeader, v.IDHeader)
	}
	sec, err := strconv.ParseInt(strings.TrimSpace(ts), 10, 64)
	if err != nil {
		return fmt.Errorf("%w: %s is not Unix seconds", ErrMalformedSignature, v.TimestampHeader)
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	tol := v.Tolerance
	if tol <= 0 {
		tol = DefaultTolerance
	}
	// Compared without subtracting the signed value, which may be anything
	// an int64 holds: now - sec overflows for sec near -2^63.
	cur, tolSec := now().Unix(), int64(tol/time.Second)
	if sec < cur-tolSec || sec > cur+tolSec {
		return fmt.Errorf("%w: %s %d is outside now (%d) +/- %s", ErrStaleTimestamp, v.TimestampHeader, sec, cur, tol)
	}
	var given [][]byte
	for _, entry := range strings.Fields(sigs) {
		version, b64, ok := strings.Cut(entry, ",")
		if !ok || version != "v1" {
			continue // other versions (v1a: asymmetric) are not ours to check
		}
		s, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			continue
		}
		given = append(given, s)
	}
	if len(given) == 0 {
		return fmt.Errorf("%w: %s holds no v1,<base64> entry", ErrMalformedSignature, v.SignatureHeader)
	}
	if len(v.Secrets) == 0 {
		return fmt.Errorf("%w: no secret configured", ErrInvalidSignature)
	}
	ok := false
	for _, k := range v.Secrets {
		want := standardWebhooksMAC(k, id, ts, body)
		for _, s := range given {
			if hmac.Equal(want, s) {
				ok = true
			}
		}
	}
	if !ok {
		return fmt.Errorf("%w: no v1 entry of %s matches any of %d secret(s)", ErrInvalidSignature, v.SignatureHeader, len(v.Secrets))
	}
	return nil
}

func standardWebhooksMAC(key []byte, id, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(id))
	m.Write([]byte{'.'})
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// MinRSAKeyBits is the shortest RSA key ParsePublicKeysPEM accepts.
const MinRSAKeyBits = 2048

// checkRSAKeySize refuses a key shorter than MinRSAKeyBits.
func checkRSAKeySize(k *rsa.PublicKey) error {
	if bits := k.N.BitLen(); bits < MinRSAKeyBits {
		return fmt.Errorf("RSA key of %d bits, expected at least %d (a shorter key is forgeable, and crypto/rsa refuses to verify with one below 1024)", bits, MinRSAKeyBits)
	}
	return nil
}

// ParsePublicKeysPEM reads every public key in PEM data: "PUBLIC KEY"
// blocks (SubjectPublicKeyInfo, what SalesIQ hands out), "RSA PUBLIC KEY"
// blocks (PKCS #1) and certificates. Several keys are returned in order,
// for a rotation. A key shorter than MinRSAKeyBits is refused.
func ParsePublicKeysPEM(data []byte) ([]*rsa.PublicKey, error) {
	var keys []*rsa.PublicKey
	for n := 1; ; n++ {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		var pub any
		var err error
		switch b.Type {
		case "PUBLIC KEY":
			pub, err = x509.ParsePKIXPublicKey(b.Bytes)
		case "RSA PUBLIC KEY":
			pub, err = x509.ParsePKCS1PublicKey(b.Bytes)
		case "CERTIFICATE":
			var c *x509.Certificate
			if c, err = x509.ParseCertificate(b.Bytes); err == nil {
				pub = c.PublicKey
			}
		default:
			return nil, fmt.Errorf("PEM block %d: expected PUBLIC KEY, RSA PUBLIC KEY or CERTIFICATE, found %q", n, b.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("PEM block %d: %w", n, err)
		}
		k, ok := pub.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("PEM block %d: expected an RSA key, found %T", n, pub)
		}
		if err := checkRSAKeySize(k); err != nil {
			return nil, fmt.Errorf("PEM block %d: %w", n, err)
		}
		keys = append(keys, k)
	}
	if len(keys) == 0 {
		return nil, errors.New("no PEM block found")
	}
	return keys, nil
}
