package gen

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
	"time"

	"github.com/dave/jennifer/jen"

	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// Signature profiles (x-hookcontract-signature).
const (
	ProfileRSA      = "rsa-pkcs1v15-sha256"
	ProfileStandard = "standard-webhooks"
	ProfileHMAC     = "hmac-sha256"
	ProfileCustom   = "custom"
)

// Signs tells whether a profile is one a generated verifier checks.
func Signs(profile string) bool {
	return profile == ProfileRSA || profile == ProfileStandard || profile == ProfileHMAC
}

// Every exported name of the support code is part of each generated
// package's API: payload types must not take one (a schema file named
// gate.json would otherwise collide with Gate).
// supportExports lists the exported top-level names of the support files
// copied into generated packages.
func supportExports() []string {
	names, _ := fs.Glob(supportFS, "support/*.go")
	var out []string
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") || strings.HasSuffix(name, "/stubs.go") {
			continue
		}
		src, err := fs.ReadFile(supportFS, name)
		if err != nil {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil && d.Name.IsExported() {
					out = append(out, d.Name.Name)
				}
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					switch sp := sp.(type) {
					case *ast.TypeSpec:
						if sp.Name.IsExported() {
							out = append(out, sp.Name.Name)
						}
					case *ast.ValueSpec:
						for _, n := range sp.Names {
							if n.IsExported() {
								out = append(out, n.Name)
							}
						}
					}
				}
			}
		}
	}
	return out
}

// verifyNames are the Go names emitted for one signature scheme.
type verifyNames struct {
	Verifier string // NewSiqSignatureVerifier, or WithBetterezSignatureVerifier for custom
	Signer   string // NewSiqSignatureSigner; "" for custom
}

func namesFor(sig *contract.Signature) verifyNames {
	base := goName(sig.Scheme)
	if base == "" {
		base = "Signature"
	}
	if sig.Profile == ProfileCustom {
		return verifyNames{Verifier: "With" + base + "Verifier"}
	}
	return verifyNames{Verifier: "New" + base + "Verifier", Signer: "New" + base + "Signer"}
}

// emitVerify writes hookcontract_verify.go: the provider's profile (does it
// sign, what identifies a delivery) read by the copied support code, and a
// verifier and signer constructor per signature scheme, bound to the
// scheme's header names, encoding, tolerance and secret prefix. The
// verification code itself is support code, written once.
func (g *generator) emitVerify() error {
	p := g.m.p
	f := newFile(g.opts.Package)
	signs := false
	for _, s := range g.m.sig {
		if Signs(s.Profile) {
			signs = true
		}
	}
	var parts []jen.Code
	for _, d := range p.Ext.Dedupe {
		if name, ok := strings.CutPrefix(d, "header:"); ok {
			dict := jen.Dict{jen.Id("Header"): jen.Lit(name)}
			if fb := standardFallback(g.m.sig, name); fb != "" {
				dict[jen.Id("Fallback")] = jen.Lit(fb)
			}
			parts = append(parts, jen.Values(dict))
			continue
		}
		parts = append(parts, jen.Values(jen.Dict{jen.Id("Pointer"): ptrLit(jsonpointer.Tokens(d))}))
	}
	dedupeDoc := "a SHA-256 of the body (the spec declares nothing that identifies a delivery)"
	if len(p.Ext.Dedupe) > 0 {
		dedupeDoc = strings.Join(p.Ext.Dedupe, " + ")
	}
	comment(f, fmt.Sprintf("thisProvider is what the spec says about %s deliveries: signed: %t;\nidentified by %s.", p.Name, signs, dedupeDoc))
	dict := jen.Dict{jen.Id("Name"): jen.Lit(p.Name), jen.Id("Signs"): jen.Lit(signs)}
	if len(parts) > 0 {
		dict[jen.Id("Dedupe")] = jen.Index().Id("dedupePart").Values(parts...)
	}
	f.Var().Id("thisProvider").Op("=").Id("providerProfile").Values(dict)

	for _, s := range g.m.sig {
		if err := emitScheme(f, p, s); err != nil {
			return err
		}
	}
	if err := g.put(FilePrefix+"verify.go", []byte(f.GoString())); err != nil {
		return err
	}
	return g.emitVerifyTests()
}

// standardFallback returns the standard header name a Standard Webhooks
// verifier reads when the dedupe header, its id header, is absent: the key
// must come from the id the verifier authenticated, under either name.
func standardFallback(sigs []*contract.Signature, header string) string {
	for _, s := range sigs {
		if s.Profile == ProfileStandard && strings.EqualFold(s.Headers["id"], header) && !strings.EqualFold(header, "webhook-id") {
			return "webhook-id"
		}
	}
	return ""
}

func emitScheme(f *jen.File, p *contract.Provider, s *contract.Signature) error {
	n := namesFor(s)
	switch s.Profile {
	case ProfileRSA:
		enc := s.Encoding
		if enc == "" {
			enc = "base64"
		}
		comment(f, fmt.Sprintf(`%s returns the verifier of the %s signature scheme:
RSASSA-PKCS1-v1_5 with SHA-256 over the raw body, %s in the %s header.
A delivery is authentic when the signature verifies with any of keys
(several during a rotation); read them with ParsePublicKeysPEM. Pass the
verifier to NewHandler with WithVerifier.

No timestamp is signed: a captured delivery verifies again when replayed,
so a Deduper (WithDeduper) is the only replay defence. Deliveries the
provider does not sign carry no %s header and are answered 401; accept them
only knowingly, with WithInsecureSkipVerify.`, n.Verifier, p.Name, enc, s.Header, s.Header))
		f.Func().Id(n.Verifier).Params(jen.Id("keys").Op("...").Op("*").Qual("crypto/rsa", "PublicKey")).Op("*").Id("RSAVerifier").Block(
			jen.Return(jen.Op("&").Id("RSAVerifier").Values(jen.Dict{
				jen.Id("Header"): jen.Lit(s.Header), jen.Id("Encoding"): jen.Lit(enc), jen.Id("Keys"): jen.Id("keys"),
			})),
		)
		comment(f, fmt.Sprintf("%s returns a signer that signs a body as %s does, with the\nprivate key of a pair whose public key the verifier holds: for tests.", n.Signer, p.Name))
		f.Func().Id(n.Signer).Params(jen.Id("key").Op("*").Qual("crypto/rsa", "PrivateKey")).Op("*").Id("RSASigner").Block(
			jen.Return(jen.Op("&").Id("RSASigner").Values(jen.Dict{
				jen.Id("Header"): jen.Lit(s.Header), jen.Id("Encoding"): jen.Lit(enc), jen.Id("Key"): jen.Id("key"),
			})),
		)
	case ProfileStandard:
		tol, err := tolerance(s.Tolerance)
		if err != nil {
			return fmt.Errorf("signature scheme %s: %w", s.Scheme, err)
		}
		prefix := s.SecretPrefix
		comment(f, fmt.Sprintf(`%s returns the verifier of the %s signature scheme,
Standard Webhooks under the headers %s, %s and %s: an
HMAC-SHA256 over "id.timestamp.body", base64 in "v1,<sig>" entries. A
delivery is authentic when any v1 entry matches under any of secrets
(several during a rotation), each written %s<base64>, and its timestamp
is within %s of now (WithTolerance, WithClock). The standard webhook-*
header names are read when these are absent. Pass the verifier to
NewHandler with WithVerifier.`, n.Verifier, p.Name, s.Headers["id"], s.Headers["timestamp"], s.Headers["signature"], prefix, tol))
		f.Func().Id(n.Verifier).Params(jen.Id("secrets").Index().String(), jen.Id("opts").Op("...").Id("VerifierOption")).Params(jen.Op("*").Id("StandardWebhooksVerifier"), jen.Error()).Block(
			jen.Return(jen.Id("newStandardWebhooksVerifier").Call(jen.Lit(s.Headers["id"]), jen.Lit(s.Headers["timestamp"]), jen.Lit(s.Headers["signature"]), jen.Lit(prefix), durationCode(tol), jen.Id("secrets"), jen.Id("opts"))),
		)
		comment(f, fmt.Sprintf("%s returns a signer that signs a body as %s does, with a\nsecret written %s<base64>: for tests.", n.Signer, p.Name, prefix))
		f.Func().Id(n.Signer).Params(jen.Id("secret").String()).Params(jen.Op("*").Id("StandardWebhooksSigner"), jen.Error()).Block(
			jen.List(jen.Id("key"), jen.Err()).Op(":=").Id("DecodeWebhookSecret").Call(jen.Lit(prefix), jen.Id("secret")),
			jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("signer: %w"), jen.Err()))),
			jen.Return(jen.Op("&").Id("StandardWebhooksSigner").Values(jen.Dict{
				jen.Id("IDHeader"): jen.Lit(s.Headers["id"]), jen.Id("TimestampHeader"): jen.Lit(s.Headers["timestamp"]),
				jen.Id("SignatureHeader"): jen.Lit(s.Headers["signature"]), jen.Id("Secret"): jen.Id("key"),
			}), jen.Nil()),
		)
	case ProfileHMAC:
		enc := s.Encoding
		if enc == "" {
			enc = "hex"
		}
		comment(f, fmt.Sprintf(`%s returns the verifier of the %s signature scheme:
HMAC-SHA256 over the raw body, %s in the %s header. A delivery is
authentic when the MAC matches under any of secrets (several during a
rotation); comparisons are constant-time. No timestamp is signed: a
captured delivery verifies again when replayed, so a Deduper (WithDeduper)
is the only replay defence. Pass the verifier to NewHandler with
WithVerifier.`, n.Verifier, p.Name, enc, s.Header))
		f.Func().Id(n.Verifier).Params(jen.Id("secrets").Op("...").Index().Byte()).Op("*").Id("HMACVerifier").Block(
			jen.Return(jen.Op("&").Id("HMACVerifier").Values(jen.Dict{
				jen.Id("Header"): jen.Lit(s.Header), jen.Id("Encoding"): jen.Lit(enc), jen.Id("Secrets"): jen.Id("secrets"),
			})),
		)
		comment(f, fmt.Sprintf("%s returns a signer that signs a body as %s does: for tests.", n.Signer, p.Name))
		f.Func().Id(n.Signer).Params(jen.Id("secret").Index().Byte()).Op("*").Id("HMACSigner").Block(
			jen.Return(jen.Op("&").Id("HMACSigner").Values(jen.Dict{
				jen.Id("Header"): jen.Lit(s.Header), jen.Id("Encoding"): jen.Lit(enc), jen.Id("Secret"): jen.Id("secret"),
			})),
		)
	case ProfileCustom:
		comment(f, fmt.Sprintf(`%s plugs in a check of the signature of %s deliveries
(the %s scheme). The spec documents no signature a generated verifier could check,
so NewHandler accepts every well-formed delivery unless given one:
WARNING: without a verifier, anyone who can reach the endpoint can post
events to it. Verify what you can (a secret in the URL, a shared-secret
header, the source address) and return an error wrapping
ErrInvalidSignature to answer 401.`, n.Verifier, p.Name, s.Scheme))
		f.Func().Id(n.Verifier).Params(jen.Id("v").Id("Verifier")).Id("Option").Block(jen.Return(jen.Id("WithVerifier").Call(jen.Id("v"))))
	default:
		return fmt.Errorf("signature scheme %s: unknown profile %q", s.Scheme, s.Profile)
	}
	return nil
}

// tolerance reads a profile's tolerance, five minutes when unset.
func tolerance(s string) (time.Duration, error) {
	if s == "" {
		return 5 * time.Minute, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("tolerance %q: expected a positive duration such as 5m", s)
	}
	return d, nil
}

// durationCode writes d as N * time.Minute, N * time.Second or
// time.Duration(N).
func durationCode(d time.Duration) jen.Code {
	switch {
	case d%time.Minute == 0:
		return jen.Lit(int(d/time.Minute)).Op("*").Qual("time", "Minute")
	case d%time.Second == 0:
		return jen.Lit(int(d/time.Second)).Op("*").Qual("time", "Second")
	}
	return jen.Qual("time", "Duration").Call(jen.Lit(int64(d)))
}
