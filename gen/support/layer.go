package support

// This file is copied into every generated package: the package's own
// names for the webhook runtime (runtime/hcrt), bound to its events,
// its provider and its spec. The logic lives in the runtime.

import (
	"context"
	"crypto/rsa"
	"log/slog"
	"net/http"
	"time"

	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

// Verifier checks a delivery's signature over the raw body bytes, before
// anything parses them. It returns an error when the delivery is not
// authentic; the handler then answers 401 without detail. The error wraps
// one of ErrMissingSignature, ErrMalformedSignature, ErrInvalidSignature or
// ErrStaleTimestamp, and never holds a secret.
type Verifier = hcrt.Verifier

// VerifierFunc adapts a function to Verifier.
type VerifierFunc = hcrt.VerifierFunc

// RSAVerifier verifies RSASSA-PKCS1-v1_5 signatures with SHA-256 over the
// raw body (Zoho SalesIQ's x-siqsignature). A delivery is authentic when
// the signature verifies with any of Keys, so that two keys can be valid
// during a rotation.
type RSAVerifier = hcrt.RSAVerifier

// HMACVerifier verifies an HMAC-SHA256 of the raw body, hex or base64
// encoded in one header. A delivery is authentic when the MAC matches under
// any of Secrets (several during a rotation); comparisons are constant-time.
type HMACVerifier = hcrt.HMACVerifier

// StandardWebhooksVerifier verifies the Standard Webhooks scheme (Svix):
// the signature header holds space-separated "v1,<base64>" entries, each an
// HMAC-SHA256 over "id.timestamp.body" keyed with a secret; the delivery is
// authentic when any v1 entry matches under any secret, and its timestamp
// (Unix seconds) is within Tolerance of Now. When the profile's headers are
// absent, the standard webhook-* names are read instead.
type StandardWebhooksVerifier = hcrt.StandardWebhooksVerifier

// VerifierOption configures a verifier that checks timestamps.
type VerifierOption = hcrt.VerifierOption

// Signer signs a body as the provider does, setting the signature headers
// on header. It is for tests and for sending fixtures to an endpoint: a
// receiver only verifies.
type Signer = hcrt.Signer

// RSASigner signs with RSASSA-PKCS1-v1_5 and SHA-256 over the body.
type RSASigner = hcrt.RSASigner

// HMACSigner sets an HMAC-SHA256 of the body in one header.
type HMACSigner = hcrt.HMACSigner

// StandardWebhooksSigner signs with the Standard Webhooks scheme: it sets
// the id (a fresh one unless the header already holds one), the timestamp
// (Now) and a "v1,<base64>" signature.
type StandardWebhooksSigner = hcrt.StandardWebhooksSigner

// Deduper remembers the deliveries a handler has processed, so that a
// provider's retry of a delivery that was already handled, or a replay of a
// captured one, is acknowledged without calling the Handler again, and so
// that only a completed success acknowledges a duplicate.
//
// A delivery key moves through claim, complete and release: Claim takes
// the key for one attempt (or reports that another attempt holds it, or
// that it is done); Complete marks it done after the Handler succeeded;
// Release drops the claim after the Handler failed, so that the provider's
// retry is processed. A claim that is neither completed nor released (the
// process died) lapses after the deduper's lease.
//
// Implementations must be safe for concurrent use; share one across
// replicas (a database, Redis) when several serve the same provider. An
// error from Claim is answered 503, so the provider retries: a Deduper
// outage never acknowledges a delivery it did not see handled.
type Deduper = hcrt.Deduper

// ClaimState is what Deduper.Claim found for a delivery key. It is an int,
// and its values are fixed, so that a Deduper written once (on Redis, in
// another module) satisfies the Deduper interface of every generated
// package.
type ClaimState = hcrt.ClaimState

// MemoryDeduper is an in-memory Deduper: a completed key is remembered for
// a TTL, a claim in flight for its lease (DefaultClaimLease, or the TTL if
// shorter). It serves one process; choose a TTL longer than the provider's
// retry schedule. When it holds its maximum number of keys it forgets the
// oldest first. The zero value is not usable: call NewMemoryDeduper.
type MemoryDeduper = hcrt.MemoryDeduper

// Verdict names the outcome of a delivery: what the handler answered, and
// why.
type Verdict = hcrt.Verdict

// Rejection is a request a Gate refused, with the reason.
type Rejection = hcrt.Rejection

// Gate makes the checks NewHandler makes before anything parses a body, in
// order: POST only (405 with Allow), the body read through a size limit
// (413), a JSON Content-Type (415), the signature verified over the raw
// bytes (401, no detail; a verifier's panic is 500). Put it in front of a handler of your own to
// receive deliveries the same way.
type Gate = hcrt.Gate

// Result is the outcome of Check: the conformance, and the violations
// that make it (grade GradeGuaranteed when it fails, GradeExpected when it
// drifts).
type Result = hcrt.Result

// Conformance is what checking a payload found.
type Conformance = hcrt.Conformance

// IntOrString is an integer sent either as a JSON number or as a string of
// digits (SalesIQ's event_time). It keeps every digit, whatever its size,
// and remembers the form it arrived in.
type IntOrString = hcrt.IntOrString

// BoolOrString is a boolean sent either as a JSON boolean or as the string
// "true" or "false" (Sonar's active).
type BoolOrString = hcrt.BoolOrString

// StringBool is a flag sent as the string "true" or "false" (SalesIQ's
// department flags). Its string value is kept; Bool reads it.
type StringBool = hcrt.StringBool

// DateTime is a `format: date-time` string (RFC 3339) with the time it
// names. It keeps the text it was decoded from and marshals it back byte
// for byte while Time is left as decoded: RFC 3339 allows forms a
// time.Time does not remember (`+00:00` or `Z`, a lowercase `t` or `z`,
// any number of fraction digits, a leap second). A leap second (:60) is
// read as the second that follows it. Text that is not a date-time (a
// value the spec only expects to be one) is kept, with a zero Time, so
// that decoding never loses a delivery; Valid tells.
type DateTime = hcrt.DateTime

// Nullable is an optional member that may also be null, where absent and
// null differ: unset (absent), null, or a value. Tagged `omitzero`, an
// unset member is left out when marshaled, a null one is written null, so
// that marshaling what was decoded gives back what was received.
type Nullable[T any] = hcrt.Nullable[T]

// DefaultMaxBodyBytes is the largest body NewHandler reads unless
// WithMaxBodyBytes says otherwise.
const DefaultMaxBodyBytes = hcrt.DefaultMaxBodyBytes

// Verdicts, with the status each is answered with.
const (
	VerdictAccepted             = hcrt.VerdictAccepted
	VerdictUnknownEvent         = hcrt.VerdictUnknownEvent
	VerdictDuplicate            = hcrt.VerdictDuplicate
	VerdictMethodNotAllowed     = hcrt.VerdictMethodNotAllowed
	VerdictTooLarge             = hcrt.VerdictTooLarge
	VerdictUnreadable           = hcrt.VerdictUnreadable
	VerdictUnsupportedMediaType = hcrt.VerdictUnsupportedMediaType
	VerdictUnauthorized         = hcrt.VerdictUnauthorized
	VerdictInvalid              = hcrt.VerdictInvalid
	VerdictFailed               = hcrt.VerdictFailed
	VerdictInFlight             = hcrt.VerdictInFlight
	VerdictDedupeUnavailable    = hcrt.VerdictDedupeUnavailable
)

// RetryAfterSeconds is the Retry-After sent with a 503.
const RetryAfterSeconds = hcrt.RetryAfterSeconds

// Claim states.
const (
	Claimed   = hcrt.Claimed
	InFlight  = hcrt.InFlight
	Completed = hcrt.Completed
)

// DefaultDedupeEntries bounds a MemoryDeduper unless told otherwise.
const DefaultDedupeEntries = hcrt.DefaultDedupeEntries

// DefaultClaimLease is how long a claim that is neither completed nor
// released holds its key, unless the deduper is told otherwise. It must
// exceed the longest Handler run; the recommended server's WriteTimeout
// (see NewServer) is shorter.
const DefaultClaimLease = hcrt.DefaultClaimLease

// Conformances.
const (
	ConformancePass  = hcrt.ConformancePass
	ConformanceDrift = hcrt.ConformanceDrift
	ConformanceFail  = hcrt.ConformanceFail
)

// Signature encodings.
const (
	EncodingBase64 = hcrt.EncodingBase64
	EncodingHex    = hcrt.EncodingHex
)

// DefaultTolerance is how far a signed timestamp may be from the current
// time, either way, unless WithTolerance says otherwise.
const DefaultTolerance = hcrt.DefaultTolerance

// MinRSAKeyBits is the shortest RSA key ParsePublicKeysPEM accepts.
const MinRSAKeyBits = hcrt.MinRSAKeyBits

// The Standard Webhooks header names (standardwebhooks.com); Svix sends the
// same values under svix-id, svix-timestamp and svix-signature.
const (
	StandardIDHeader        = hcrt.StandardIDHeader
	StandardTimestampHeader = hcrt.StandardTimestampHeader
	StandardSignatureHeader = hcrt.StandardSignatureHeader
)

// The limits NewServer sets. A webhook endpoint is on a public URL: without
// them a plain http.Server lets a client hold a connection, and the memory
// behind it, for as long as it likes by sending its headers or body a byte
// at a time.
const (
	ServerReadHeaderTimeout = hcrt.ServerReadHeaderTimeout
	ServerReadTimeout       = hcrt.ServerReadTimeout
	ServerWriteTimeout      = hcrt.ServerWriteTimeout
	ServerIdleTimeout       = hcrt.ServerIdleTimeout
	ServerMaxHeaderBytes    = hcrt.ServerMaxHeaderBytes
)

// Why a delivery is not authentic. Verifiers wrap these with detail that
// names headers, never secrets.
var (
	ErrNoVerifier         = hcrt.ErrNoVerifier
	ErrMissingSignature   = hcrt.ErrMissingSignature
	ErrMalformedSignature = hcrt.ErrMalformedSignature
	ErrInvalidSignature   = hcrt.ErrInvalidSignature
	ErrStaleTimestamp     = hcrt.ErrStaleTimestamp
)

// Option configures NewHandler (and NewGate).
type Option hcrt.Option

// WithMaxBodyBytes sets the largest body read (default
// DefaultMaxBodyBytes); a larger one is answered 413.
func WithMaxBodyBytes(n int64) Option { return Option(hcrt.WithMaxBodyBytes(n)) }

// WithLogger sets the logger rejected deliveries, handler errors and
// recovered panics are written to (default: slog.Default()).
func WithLogger(l *slog.Logger) Option { return Option(hcrt.WithLogger(l)) }

// WithVerifier sets the signature check run on every delivery, over the raw
// body, before anything parses it. A delivery it rejects is answered 401.
func WithVerifier(v Verifier) Option { return Option(hcrt.WithVerifier(v)) }

// WithInsecureSkipVerify accepts deliveries without checking a signature.
// A provider that signs does not sign every delivery (SalesIQ signs only
// webhooks created with secured: true); for such unsigned deliveries this
// is the only way in, and anyone who can reach the endpoint can then post
// events to it. Prefer a verifier, or at least a Deduper and a secret URL.
func WithInsecureSkipVerify() Option { return Option(hcrt.WithInsecureSkipVerify()) }

// WithOnUnknown sets the hook called for a well-formed event the spec does
// not declare (a provider's new event). Without it such events are
// acknowledged (204) and ignored, so that a new event never makes the
// provider retry. The hook's error is answered 500.
func WithOnUnknown(fn func(context.Context, *UnknownEvent) error) Option {
	return Option(hcrt.WithOnUnknown(func(ctx context.Context, ev hcrt.Event) error { return fn(ctx, ev.(*UnknownEvent)) }))
}

// WithDeduper makes the handler acknowledge a delivery it has already
// handled successfully (same DeliveryKey) with 204 without calling the
// Handler again. A duplicate of an attempt still in flight, or one the
// Deduper cannot claim (an outage), is answered 503 with Retry-After, so
// the provider retries; a delivery whose Handler method fails is released,
// so its retry is processed. Without a Deduper every delivery is
// dispatched, retries included.
func WithDeduper(d Deduper) Option { return Option(hcrt.WithDeduper(d)) }

// WithOnDrift sets the hook told of each delivery that satisfies every
// guarantee of the contract but breaks expectations (constraints the
// provider's examples suggest and its document does not promise), with
// those violations (grade GradeExpected), before the delivery is
// dispatched. Drift is also logged (warn). A drifting delivery is
// dispatched and answered as any other: a refused real delivery is a lost
// one. A panic in the hook is logged and does not stop the delivery.
func WithOnDrift(fn func(context.Context, Event, []Violation)) Option {
	return Option(hcrt.WithOnDrift(func(ctx context.Context, ev hcrt.Event, drift []Violation) { fn(ctx, ev.(Event), drift) }))
}

// WithRefuseDrift answers a drifting delivery 400 (problem+json listing
// the expectations it breaks) instead of dispatching it: for staging and
// tests, where a provider's change should stop the line. In production it
// loses deliveries the provider's document allows.
func WithRefuseDrift() Option { return Option(hcrt.WithRefuseDrift()) }

// NewGate returns a Gate configured by WithMaxBodyBytes, WithVerifier,
// WithInsecureSkipVerify and WithLogger.
func NewGate(opts ...Option) *Gate { return hcrt.NewGate(&thisProvider, runtimeOptions(opts)...) }

// NewHandler returns an http.Handler that receives deliveries for h. In
// order: POST only (405 with Allow); the body read through a limit (413);
// a JSON Content-Type (415); the signature verified over the raw bytes
// (401, no detail); the body validated (400 with application/problem+json
// listing the violations, secrets redacted); a body that breaks only
// expectations (drift) logged, told to WithOnDrift's hook and processed
// like any other (or answered 400 with WithRefuseDrift, before any claim is
// taken); with WithDeduper, a duplicate of a delivery handled successfully
// acknowledged (204), one of an attempt in flight or one the Deduper cannot
// claim answered 503 with Retry-After; the event dispatched to h's method;
// the method's error or panic answered 500, so the provider retries; success
// answered 204. A well-formed event the spec does not declare goes to
// WithOnUnknown's hook, or is acknowledged (204) and ignored. Serve it with
// NewServer, whose timeouts bound what a slow client holds.
//
// Signatures: see this package's verifier constructors for how the provider
// signs. When the spec documents a signature a verifier can check and no
// verifier is given, every delivery is answered 401 (fail closed) unless
// WithInsecureSkipVerify is passed. When it documents none, deliveries are
// accepted unless a verifier is given: anyone who can reach the endpoint can
// then post events.
func NewHandler(h Handler, opts ...Option) http.Handler {
	return hcrt.NewReceiver(hcrt.Deliveries[Event]{
		Provider: &thisProvider,
		Parse:    parseDelivery,
		Dispatch: func(ctx context.Context, ev Event) error { return Dispatch(ctx, h, ev) },
		Unknown:  func(ev Event) bool { _, ok := ev.(*UnknownEvent); return ok },
		Named:    func(body []byte) bool { _, _, present, _ := lookupEvent(body); return present },
	}, runtimeOptions(opts)...)
}

// runtimeOptions converts this package's options to the runtime's.
func runtimeOptions(opts []Option) []hcrt.Option {
	out := make([]hcrt.Option, len(opts))
	for i, o := range opts {
		out[i] = hcrt.Option(o)
	}
	return out
}

// WriteProblem answers 400 with an application/problem+json document (RFC
// 9457) listing violations (at most 100). Their messages come from the
// validators, which never show the value of a field marked secret.
func WriteProblem(w http.ResponseWriter, violations []Violation) {
	hcrt.WriteProblem(w, violations)
}

// NewServer returns the recommended http.Server for a handler from
// NewHandler, listening on addr: headers read within
// ServerReadHeaderTimeout and at most ServerMaxHeaderBytes, the whole
// request within ServerReadTimeout, the answer written within
// ServerWriteTimeout, idle connections closed after ServerIdleTimeout.
// Together with the handler's body limit, a client that sends slowly holds
// a bounded amount of memory for a bounded time. Change a field before
// calling ListenAndServe when the Handler needs longer to run than
// ServerWriteTimeout (and keep the Deduper's claim lease longer still).
func NewServer(addr string, h http.Handler) *http.Server {
	return hcrt.NewServer(addr, h)
}

// NewMemoryDeduper returns a MemoryDeduper that remembers a completed key
// for ttl and holds at most maxEntries keys (DefaultDedupeEntries when
// <= 0).
func NewMemoryDeduper(ttl time.Duration, maxEntries int) *MemoryDeduper {
	return hcrt.NewMemoryDeduper(ttl, maxEntries)
}

// DeliveryKey returns what identifies the delivery of body with header, as
// the spec's x-hookcontract.dedupe declares it (header values and members
// of the body), or a hash of the body when the spec declares nothing or a
// part is missing. Retries of one delivery share a key. The key is the
// provider's name, a colon and a SHA-256 in hex, so it stays short whatever
// the body holds.
func DeliveryKey(header http.Header, body []byte) string {
	return thisProvider.DeliveryKey(header, body)
}

// NewDateTime returns a DateTime for t, written in RFC 3339 with as many
// fraction digits as it needs.
func NewDateTime(t time.Time) DateTime {
	return hcrt.NewDateTime(t)
}

// ParseDateTime reads an RFC 3339 date-time, keeping its text.
func ParseDateTime(s string) (DateTime, error) {
	return hcrt.ParseDateTime(s)
}

// WithTolerance sets how far a delivery's timestamp may be from the current
// time, either way (default DefaultTolerance).
func WithTolerance(d time.Duration) VerifierOption {
	return hcrt.WithTolerance(d)
}

// WithClock sets the clock timestamps are compared with (default
// time.Now); tests pass a fixed one.
func WithClock(now func() time.Time) VerifierOption {
	return hcrt.WithClock(now)
}

// NewStandardWebhooksVerifier returns a verifier of the Standard Webhooks
// scheme under the webhook-* header names, for secrets written as
// "whsec_<base64>" (the prefix is optional).
func NewStandardWebhooksVerifier(secrets []string, opts ...VerifierOption) (*StandardWebhooksVerifier, error) {
	return hcrt.NewStandardWebhooksVerifier(secrets, opts...)
}

// DecodeWebhookSecret turns a Standard Webhooks secret ("whsec_" followed
// by base64) into its key bytes. The prefix is optional.
func DecodeWebhookSecret(prefix, secret string) ([]byte, error) {
	return hcrt.DecodeWebhookSecret(prefix, secret)
}

// ParsePublicKeysPEM reads every public key in PEM data: "PUBLIC KEY"
// blocks (SubjectPublicKeyInfo, what SalesIQ hands out), "RSA PUBLIC KEY"
// blocks (PKCS #1) and certificates. Several keys are returned in order,
// for a rotation. A key shorter than MinRSAKeyBits is refused.
func ParsePublicKeysPEM(data []byte) ([]*rsa.PublicKey, error) {
	return hcrt.ParsePublicKeysPEM(data)
}

// ParsePrivateKeyPEM reads the first RSA private key in PEM data, PKCS #8
// ("PRIVATE KEY", what openssl genpkey writes) or PKCS #1 ("RSA PRIVATE
// KEY"). A key shorter than MinRSAKeyBits is refused.
func ParsePrivateKeyPEM(data []byte) (*rsa.PrivateKey, error) {
	return hcrt.ParsePrivateKeyPEM(data)
}

// NewNullable returns a Nullable holding v.
func NewNullable[T any](v T) Nullable[T] { return hcrt.NewNullable(v) }

// NewNull returns a Nullable holding null.
func NewNull[T any]() Nullable[T] { return hcrt.NewNull[T]() }

// Check is Validate telling drift apart: a body that satisfies every
// guarantee but breaks expectations (constraints the provider's examples
// suggest and its document does not promise) is ConformanceDrift, with
// those expectations as its violations.
func Check(data []byte) Result { return hcrt.ResultOf(graded(data, true)) }

// CheckEvent is ValidateEvent telling drift apart (see Check).
func CheckEvent(event string, data []byte) Result {
	return hcrt.ResultOf(gradedEvent(event, data, true))
}

// events is how this package's deliveries name their event.
func events() *hcrt.Events {
	return &hcrt.Events{Locations: eventLocations, Separator: eventSeparator, Known: knownEvent}
}

// lookupDelivery reads the event name of a delivery (see
// hcrt.Events.LookupDelivery).
func lookupDelivery(h http.Header, data []byte) (name []byte, isString, present bool, amb *ValidationError) {
	return events().LookupDelivery(h, data)
}

// findDelivery is lookupDelivery reading body members with look.
func findDelivery(h http.Header, look func(path []string) (value []byte, isString, ok bool)) (name []byte, isString, present bool, amb *ValidationError) {
	return events().FindDelivery(h, look)
}

// lookupEvent reads the event name of a body alone (lookupDelivery
// without the request's header): what Validate and Parse can tell.
func lookupEvent(data []byte) (name []byte, isString, present bool, amb *ValidationError) {
	return events().LookupDelivery(nil, data)
}

// findEvent is lookupEvent reading body members with look (the lookup of
// a scanned tape).
func findEvent(look func(path []string) (value []byte, isString, ok bool)) (name []byte, isString, present bool, amb *ValidationError) {
	return events().FindDelivery(nil, look)
}

// eventViolation explains why a body has no event to check it against: it
// is not JSON, it names no event, or it names one the spec does not declare.
func eventViolation(data []byte, pointer string, name []byte, isString, present bool) *ValidationError {
	if v := validateJSON(data); v != nil {
		return v
	}
	return hcrt.EventViolation(pointer, name, isString, present)
}

func newStandardWebhooksVerifier(idHeader, tsHeader, sigHeader, prefix string, tolerance time.Duration, secrets []string, opts []VerifierOption) (*StandardWebhooksVerifier, error) {
	return hcrt.NewStandardWebhooksVerifierFor(idHeader, tsHeader, sigHeader, prefix, tolerance, secrets, opts)
}

type (
	providerProfile = hcrt.Provider
	dedupePart      = hcrt.DedupePart
	eventLocation   = hcrt.EventLocation
)
