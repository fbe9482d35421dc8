package cli

import (
	"bytes"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/hookcontract/hookcontract/gen"
	"github.com/hookcontract/hookcontract/gen/support"
	"github.com/hookcontract/hookcontract/internal/contract"
)

// The signature code of serve and send is the generated packages' own
// (the runtime module every one of them imports, through gen/support):
// what serve accepts, a generated handler accepts, and what send signs, it
// verifies.

// providerValues collects repeatable PROVIDER=VALUE flags.
type providerValues map[string][]string

func (p providerValues) String() string {
	var names []string
	for n := range p {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ",")
}

func (p providerValues) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" || value == "" {
		return errors.New("expected PROVIDER=VALUE")
	}
	p[name] = append(p[name], value)
	return nil
}

// envName is the environment variable holding kind (KEY or SECRET) for a
// provider: HOOKCONTRACT_KEY_SALESIQ.
func envName(kind, provider string) string {
	var b strings.Builder
	b.WriteString("HOOKCONTRACT_" + kind + "_")
	for _, r := range strings.ToUpper(provider) {
		if (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// material is what a provider's signatures are checked or made with: key
// files (PEM) and secrets, from flags or, when no flag names the
// provider, from HOOKCONTRACT_KEY_<PROVIDER> (files separated by the list
// separator) and HOOKCONTRACT_SECRET_<PROVIDER> (secrets separated by
// spaces).
type material struct {
	keys    []string
	secrets []string
	from    string // "flags", "environment" or ""
}

func materialFor(provider string, keys, secrets providerValues) material {
	if len(keys[provider]) > 0 || len(secrets[provider]) > 0 {
		return material{keys: keys[provider], secrets: secrets[provider], from: "flags"}
	}
	m := material{}
	if v := os.Getenv(envName("KEY", provider)); v != "" {
		for _, f := range strings.Split(v, string(os.PathListSeparator)) {
			if f != "" {
				m.keys = append(m.keys, f)
			}
		}
	}
	if v := os.Getenv(envName("SECRET", provider)); v != "" {
		m.secrets = strings.Fields(v)
	}
	if len(m.keys)+len(m.secrets) > 0 {
		m.from = "environment"
	}
	return m
}

func (m material) empty() bool { return len(m.keys) == 0 && len(m.secrets) == 0 }

// signatureOf returns the scheme a provider's deliveries are signed with:
// its first profile a verifier checks, else its first custom one, else nil.
func signatureOf(p *contract.Provider) *contract.Signature {
	var custom *contract.Signature
	for _, s := range p.Security {
		if gen.Signs(s.Profile) {
			return s
		}
		if custom == nil {
			custom = s
		}
	}
	return custom
}

func toleranceOf(sig *contract.Signature) (time.Duration, error) {
	if sig.Tolerance == "" {
		return support.DefaultTolerance, nil
	}
	d, err := time.ParseDuration(sig.Tolerance)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("scheme %s: tolerance %q is not a duration", sig.Scheme, sig.Tolerance)
	}
	return d, nil
}

// readPEM reads a key file; a file that does not exist is reported without
// its content.
func readPEM(file string) ([]byte, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	return data, nil
}

// verifierFor builds the verifier of sig from m: public keys (a private key
// file serves too: its public half is used) or secrets.
func verifierFor(sig *contract.Signature, m material) (support.Verifier, error) {
	switch sig.Profile {
	case gen.ProfileRSA:
		if len(m.secrets) > 0 {
			return nil, fmt.Errorf("scheme %s (%s) takes --key PEM files, not secrets", sig.Scheme, sig.Profile)
		}
		v := &support.RSAVerifier{Header: sig.Header, Encoding: sig.Encoding}
		for _, f := range m.keys {
			data, err := readPEM(f)
			if err != nil {
				return nil, err
			}
			keys, err := publicKeys(data)
			if err != nil {
				return nil, fmt.Errorf("key file %s: %w", f, err)
			}
			v.Keys = append(v.Keys, keys...)
		}
		return v, nil
	case gen.ProfileStandard:
		if len(m.keys) > 0 {
			return nil, fmt.Errorf("scheme %s (%s) takes --secret values, not key files", sig.Scheme, sig.Profile)
		}
		tol, err := toleranceOf(sig)
		if err != nil {
			return nil, err
		}
		v := &support.StandardWebhooksVerifier{IDHeader: sig.Headers["id"], TimestampHeader: sig.Headers["timestamp"], SignatureHeader: sig.Headers["signature"], Tolerance: tol}
		for i, s := range m.secrets {
			k, err := support.DecodeWebhookSecret(sig.SecretPrefix, s)
			if err != nil {
				return nil, fmt.Errorf("secret %d: %w", i+1, err)
			}
			v.Secrets = append(v.Secrets, k)
		}
		return v, nil
	case gen.ProfileHMAC:
		if len(m.keys) > 0 {
			return nil, fmt.Errorf("scheme %s (%s) takes --secret values, not key files", sig.Scheme, sig.Profile)
		}
		v := &support.HMACVerifier{Header: sig.Header, Encoding: sig.Encoding}
		for _, s := range m.secrets {
			v.Secrets = append(v.Secrets, []byte(s))
		}
		return v, nil
	}
	return nil, fmt.Errorf("scheme %s documents no signature to verify (profile %s)", sig.Scheme, sig.Profile)
}

// publicKeys reads the public keys of a PEM file, or the public half of
// the private key it holds.
func publicKeys(data []byte) ([]*rsa.PublicKey, error) {
	if bytes.Contains(data, []byte("PRIVATE KEY-----")) {
		k, err := support.ParsePrivateKeyPEM(data)
		if err != nil {
			return nil, err
		}
		return []*rsa.PublicKey{&k.PublicKey}, nil
	}
	return support.ParsePublicKeysPEM(data)
}

// signerFor builds the signer of sig from m: a private key or a secret.
func signerFor(sig *contract.Signature, m material) (support.Signer, error) {
	switch sig.Profile {
	case gen.ProfileRSA:
		if len(m.keys) != 1 || len(m.secrets) > 0 {
			return nil, fmt.Errorf("scheme %s (%s) signs with one --key private key PEM file", sig.Scheme, sig.Profile)
		}
		data, err := readPEM(m.keys[0])
		if err != nil {
			return nil, err
		}
		k, err := support.ParsePrivateKeyPEM(data)
		if err != nil {
			return nil, fmt.Errorf("key file %s: %w", m.keys[0], err)
		}
		return &support.RSASigner{Header: sig.Header, Encoding: sig.Encoding, Key: k}, nil
	case gen.ProfileStandard:
		if len(m.secrets) != 1 || len(m.keys) > 0 {
			return nil, fmt.Errorf("scheme %s (%s) signs with one --secret", sig.Scheme, sig.Profile)
		}
		k, err := support.DecodeWebhookSecret(sig.SecretPrefix, m.secrets[0])
		if err != nil {
			return nil, fmt.Errorf("secret: %w", err)
		}
		return &support.StandardWebhooksSigner{IDHeader: sig.Headers["id"], TimestampHeader: sig.Headers["timestamp"], SignatureHeader: sig.Headers["signature"], Secret: k}, nil
	case gen.ProfileHMAC:
		if len(m.secrets) != 1 || len(m.keys) > 0 {
			return nil, fmt.Errorf("scheme %s (%s) signs with one --secret", sig.Scheme, sig.Profile)
		}
		return &support.HMACSigner{Header: sig.Header, Encoding: sig.Encoding, Secret: []byte(m.secrets[0])}, nil
	}
	return nil, fmt.Errorf("scheme %s documents no signature to make (profile %s)", sig.Scheme, sig.Profile)
}

// secretHeaders lists the headers a provider's spec says carry credentials
// or signatures, canonicalised: header API keys and every signature
// header.
func secretHeaders(p *contract.Provider) map[string]bool {
	out := map[string]bool{}
	for _, s := range p.Security {
		for _, h := range []string{s.Header, s.Headers["signature"]} {
			if h != "" {
				out[http.CanonicalHeaderKey(h)] = true
			}
		}
	}
	if p.Doc != nil && p.Doc.Components != nil {
		for _, ss := range p.Doc.Components.SecuritySchemes {
			if ss != nil && ss.Value != nil && ss.Value.In == "header" && ss.Value.Name != "" {
				out[http.CanonicalHeaderKey(ss.Value.Name)] = true
			}
		}
	}
	return out
}
