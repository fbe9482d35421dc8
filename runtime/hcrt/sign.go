package hcrt

import (
	"crypto"
	"crypto/hmac"
	"crypto/rand"
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
	"time"
)

// Signer signs a body as the provider does, setting the signature headers
// on header. It is for tests and for sending fixtures to an endpoint: a
// receiver only verifies.
type Signer interface {
	Sign(header http.Header, body []byte) error
}

// RSASigner signs with RSASSA-PKCS1-v1_5 and SHA-256 over the body.
type RSASigner struct {
	Header   string
	Encoding string // EncodingBase64 (default) or EncodingHex
	Key      *rsa.PrivateKey
}

// Sign sets s.Header to the signature of body.
func (s *RSASigner) Sign(header http.Header, body []byte) error {
	if s.Key == nil {
		return errors.New("rsa signer: no private key")
	}
	digest := sha256.Sum256(body)
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.Key, crypto.SHA256, digest[:])
	if err != nil {
		return fmt.Errorf("rsa signer: %w", err)
	}
	header.Set(s.Header, encode(s.Encoding, EncodingBase64, sig))
	return nil
}

// HMACSigner sets an HMAC-SHA256 of the body in one header.
type HMACSigner struct {
	Header   string
	Encoding string // EncodingHex (default) or EncodingBase64
	Secret   []byte
}

// Sign sets s.Header to the MAC of body.
func (s *HMACSigner) Sign(header http.Header, body []byte) error {
	m := hmac.New(sha256.New, s.Secret)
	m.Write(body)
	header.Set(s.Header, encode(s.Encoding, EncodingHex, m.Sum(nil)))
	return nil
}

// StandardWebhooksSigner signs with the Standard Webhooks scheme: it sets
// the id (a fresh one unless the header already holds one), the timestamp
// (Now) and a "v1,<base64>" signature.
type StandardWebhooksSigner struct {
	IDHeader        string
	TimestampHeader string
	SignatureHeader string
	Secret          []byte           // decoded (see DecodeWebhookSecret)
	Now             func() time.Time // nil means time.Now
}

// Sign sets the id, timestamp and signature headers for body.
func (s *StandardWebhooksSigner) Sign(header http.Header, body []byte) error {
	id := header.Get(s.IDHeader)
	if id == "" {
		var b [12]byte
		if _, err := rand.Read(b[:]); err != nil {
			return fmt.Errorf("standard webhooks signer: %w", err)
		}
		id = "msg_" + hex.EncodeToString(b[:])
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	ts := strconv.FormatInt(now().Unix(), 10)
	header.Set(s.IDHeader, id)
	header.Set(s.TimestampHeader, ts)
	header.Set(s.SignatureHeader, "v1,"+base64.StdEncoding.EncodeToString(standardWebhooksMAC(s.Secret, id, ts, body)))
	return nil
}

func encode(encoding, def string, b []byte) string {
	if encoding == "" {
		encoding = def
	}
	if encoding == EncodingHex {
		return hex.EncodeToString(b)
	}
	return base64.StdEncoding.EncodeToString(b)
}

// ParsePrivateKeyPEM reads the first RSA private key in PEM data, PKCS #8
// ("PRIVATE KEY", what openssl genpkey writes) or PKCS #1 ("RSA PRIVATE
// KEY"). A key shorter than MinRSAKeyBits is refused.
func ParsePrivateKeyPEM(data []byte) (*rsa.PrivateKey, error) {
	for n := 1; ; n++ {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil, errors.New("no private key PEM block found")
		}
		switch b.Type {
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("PEM block %d: %w", n, err)
			}
			rk, ok := k.(*rsa.PrivateKey)
			if !ok {
				return nil, fmt.Errorf("PEM block %d: expected an RSA key, found %T", n, k)
			}
			if err := checkRSAKeySize(&rk.PublicKey); err != nil {
				return nil, fmt.Errorf("PEM block %d: %w", n, err)
			}
			return rk, nil
		case "RSA PRIVATE KEY":
			k, err := x509.ParsePKCS1PrivateKey(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("PEM block %d: %w", n, err)
			}
			if err := checkRSAKeySize(&k.PublicKey); err != nil {
				return nil, fmt.Errorf("PEM block %d: %w", n, err)
			}
			return k, nil
		}
	}
}
