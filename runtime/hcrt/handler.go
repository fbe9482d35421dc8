package hcrt

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
)

// DefaultMaxBodyBytes is the largest body NewHandler reads unless
// WithMaxBodyBytes says otherwise.
const DefaultMaxBodyBytes = 1 << 20

// Option sets part of a HandlerConfig. Every generated package wraps
// these in an Option type of its own, so that options built for one
// package's events are never given to another's handler.
type Option func(*HandlerConfig)

// HandlerConfig is what the options of NewReceiver and NewGate set.
type HandlerConfig struct {
	maxBody   int64
	logger    *slog.Logger
	verifier  Verifier
	insecure  bool
	onUnknown func(context.Context, Event) error // given the package's *UnknownEvent
	deduper   Deduper
	onDrift   func(context.Context, Event, []Violation)
	refuse    bool // refuse drift
}

// Event is what the events of every generated package have in common.
type Event interface{ EventName() string }

// WithMaxBodyBytes sets the largest body read (default
// DefaultMaxBodyBytes); a larger one is answered 413.
func WithMaxBodyBytes(n int64) Option { return func(c *HandlerConfig) { c.maxBody = n } }

// WithLogger sets the logger rejected deliveries, handler errors and
// recovered panics are written to (default: slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(c *HandlerConfig) { c.logger = l } }

// WithVerifier sets the signature check run on every delivery, over the raw
// body, before anything parses it. A delivery it rejects is answered 401.
func WithVerifier(v Verifier) Option { return func(c *HandlerConfig) { c.verifier = v } }

// WithInsecureSkipVerify accepts deliveries without checking a signature.
// A provider that signs does not sign every delivery (SalesIQ signs only
// webhooks created with secured: true); for such unsigned deliveries this
// is the only way in, and anyone who can reach the endpoint can then post
// events to it. Prefer a verifier, or at least a Deduper and a secret URL.
func WithInsecureSkipVerify() Option { return func(c *HandlerConfig) { c.insecure = true } }

// WithOnUnknown sets the hook called for a well-formed event the spec does
// not declare (a provider's new event). Without it such events are
// acknowledged (204) and ignored, so that a new event never makes the
// provider retry. The hook's error is answered 500.
func WithOnUnknown(fn func(context.Context, Event) error) Option {
	return func(c *HandlerConfig) { c.onUnknown = fn }
}

// WithDeduper makes the handler acknowledge a delivery it has already
// handled successfully (same DeliveryKey) with 204 without calling the
// Handler again. A duplicate of an attempt still in flight, or one the
// Deduper cannot claim (an outage), is answered 503 with Retry-After, so
// the provider retries; a delivery whose Handler method fails is released,
// so its retry is processed. Without a Deduper every delivery is
// dispatched, retries included.
func WithDeduper(d Deduper) Option { return func(c *HandlerConfig) { c.deduper = d } }

// WithOnDrift sets the hook told of each delivery that satisfies every
// guarantee of the contract but breaks expectations (constraints the
// provider's examples suggest and its document does not promise), with
// those violations (grade GradeExpected), before the delivery is
// dispatched. Drift is also logged (warn). A drifting delivery is
// dispatched and answered as any other: a refused real delivery is a lost
// one. A panic in the hook is logged and does not stop the delivery.
func WithOnDrift(fn func(context.Context, Event, []Violation)) Option {
	return func(c *HandlerConfig) { c.onDrift = fn }
}

// WithRefuseDrift answers a drifting delivery 400 (problem+json listing
// the expectations it breaks) instead of dispatching it: for staging and
// tests, where a provider's change should stop the line. In production it
// loses deliveries the provider's document allows.
func WithRefuseDrift() Option { return func(c *HandlerConfig) { c.refuse = true } }

// Verdict names the outcome of a delivery: what the handler answered, and
// why.
type Verdict string

// Verdicts, with the status each is answered with.
const (
	VerdictAccepted             Verdict = "accepted"               // 204: dispatched (or valid)
	VerdictUnknownEvent         Verdict = "unknown-event"          // 204: an event the spec does not declare
	VerdictDuplicate            Verdict = "duplicate"              // 204: already processed
	VerdictMethodNotAllowed     Verdict = "method-not-allowed"     // 405
	VerdictTooLarge             Verdict = "too-large"              // 413
	VerdictUnreadable           Verdict = "unreadable"             // 400: the body could not be read
	VerdictUnsupportedMediaType Verdict = "unsupported-media-type" // 415
	VerdictUnauthorized         Verdict = "unauthorized"           // 401: signature missing or wrong
	VerdictInvalid              Verdict = "invalid"                // 400: the payload breaks the contract
	VerdictFailed               Verdict = "failed"                 // 500: the Handler failed or panicked
	VerdictInFlight             Verdict = "in-flight"              // 503: a duplicate of an attempt still running
	VerdictDedupeUnavailable    Verdict = "dedupe-unavailable"     // 503: the Deduper could not claim the delivery
)

// Status returns the HTTP status a verdict is answered with.
func (v Verdict) Status() int {
	switch v {
	case VerdictAccepted, VerdictUnknownEvent, VerdictDuplicate:
		return http.StatusNoContent
	case VerdictMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case VerdictTooLarge:
		return http.StatusRequestEntityTooLarge
	case VerdictUnsupportedMediaType:
		return http.StatusUnsupportedMediaType
	case VerdictUnauthorized:
		return http.StatusUnauthorized
	case VerdictUnreadable, VerdictInvalid:
		return http.StatusBadRequest
	case VerdictInFlight, VerdictDedupeUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// Rejection is a request a Gate refused, with the reason.
type Rejection struct {
	Verdict Verdict
	Err     error // for VerdictUnauthorized, wraps ErrNoVerifier or a Verifier's error
}

func (r *Rejection) Error() string {
	if r.Err == nil {
		return string(r.Verdict)
	}
	return string(r.Verdict) + ": " + r.Err.Error()
}

func (r *Rejection) Unwrap() error { return r.Err }

// Gate makes the checks NewHandler makes before anything parses a body, in
// order: POST only (405 with Allow), the body read through a size limit
// (413), a JSON Content-Type and no Content-Encoding (415), the signature
// verified over the raw bytes (401, no detail; a verifier's panic is 500).
// Put it in front of a handler of your own to receive deliveries the same
// way.
type Gate struct {
	c HandlerConfig
	p *Provider
}

// NewGate returns a Gate configured by WithMaxBodyBytes, WithVerifier,
// WithInsecureSkipVerify and WithLogger.
func NewGate(p *Provider, opts ...Option) *Gate {
	g := &Gate{c: HandlerConfig{maxBody: DefaultMaxBodyBytes}, p: p}
	for _, o := range opts {
		o(&g.c)
	}
	if g.c.maxBody <= 0 {
		g.c.maxBody = DefaultMaxBodyBytes
	}
	if g.c.logger == nil {
		g.c.logger = slog.Default()
	}
	switch {
	case g.c.verifier != nil || g.c.insecure:
	case g.p.Signs:
		g.c.logger.Error("webhook handler has no signature verifier: every delivery is answered 401; pass WithVerifier, or WithInsecureSkipVerify for deliveries the provider does not sign", slog.String("provider", g.p.Name))
	default:
		g.c.logger.Warn("webhook handler verifies no signature: anyone who can reach it can post events; pass WithVerifier", slog.String("provider", g.p.Name))
	}
	return g
}

// Admit reads r's body and makes the Gate's checks. When a check fails it
// answers the request itself and returns a *Rejection; the caller must
// write nothing more. The body is returned as far as it was read, even on
// rejection, for callers that record requests.
func (g *Gate) Admit(w http.ResponseWriter, r *http.Request) ([]byte, *Rejection) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return nil, g.reject(w, r, VerdictMethodNotAllowed, fmt.Errorf("method %s", r.Method))
	}
	body, err := readBody(w, r, g.c.maxBody)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			w.Header().Set("Connection", "close")
			return body, g.reject(w, r, VerdictTooLarge, fmt.Errorf("body larger than %d bytes", g.c.maxBody))
		}
		return body, g.reject(w, r, VerdictUnreadable, fmt.Errorf("read body: %w", err))
	}
	if ct := r.Header.Get("Content-Type"); !isJSONMediaType(ct) {
		return body, g.reject(w, r, VerdictUnsupportedMediaType, fmt.Errorf("content type %q", shorten(ct)))
	}
	// a compressed body is not read as JSON (a 400 "not JSON" would tell
	// the sender its payload is wrong): 415, as RFC 9110 has it for a
	// content coding the server does not support
	// (every Content-Encoding line: a second one may name the coding)
	for _, ce := range r.Header.Values("Content-Encoding") {
		if ce != "" && !strings.EqualFold(strings.TrimSpace(ce), "identity") {
			return body, g.reject(w, r, VerdictUnsupportedMediaType, fmt.Errorf("content encoding %q", shorten(ce)))
		}
	}
	var verr error
	switch {
	case g.c.verifier != nil:
		var perr error
		verr = g.verify(r.Header, body, &perr)
		if perr != nil {
			return body, g.reject(w, r, VerdictFailed, fmt.Errorf("verifier: %w", perr))
		}
	case g.c.insecure || !g.p.Signs:
	default:
		verr = ErrNoVerifier
	}
	if verr != nil {
		w.Header().Set("WWW-Authenticate", `Signature realm="webhook"`)
		return body, g.reject(w, r, VerdictUnauthorized, verr)
	}
	return body, nil
}

// verify runs the verifier, which may be user code: a panic is returned
// in perr.
func (g *Gate) verify(h http.Header, body []byte, perr *error) (err error) {
	defer func() { recovered(recover(), perr) }()
	return g.c.verifier.Verify(h, body)
}

func (g *Gate) reject(w http.ResponseWriter, r *http.Request, v Verdict, err error) *Rejection {
	msg := strings.ReplaceAll(string(v), "-", " ")
	http.Error(w, msg, v.Status())
	level := slog.LevelInfo
	switch v {
	case VerdictUnauthorized, VerdictTooLarge:
		level = slog.LevelWarn
	case VerdictFailed:
		level = slog.LevelError
	case VerdictMethodNotAllowed:
		level = slog.LevelDebug // scanners
	}
	g.c.logger.LogAttrs(r.Context(), level, "webhook delivery rejected",
		slog.String("provider", g.p.Name), slog.String("verdict", string(v)),
		slog.String("error", err.Error()), slog.String("remote", r.RemoteAddr))
	return &Rejection{Verdict: v, Err: err}
}

// readBody reads the body through a limit of max bytes. The buffer grows
// with the bytes that arrive, never with what Content-Length announces: a
// client announcing a large body and sending it slowly holds no more memory
// than it has sent.
func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	if r.ContentLength > max {
		// Refuse before reading what is announced to be too much.
		return nil, &http.MaxBytesError{Limit: max}
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(min(r.ContentLength, initialBodyBuffer)) + 1)
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, max))
	return buf.Bytes(), err
}

// initialBodyBuffer bounds the buffer allocated for a body before its
// bytes arrive.
const initialBodyBuffer = 4 << 10

// NewReceiver returns the http.Handler behind a generated package's
// NewHandler: the Gate's checks, then the body parsed by d.Parse (400 with
// application/problem+json listing the violations when it breaks the
// contract), drift logged, told to WithOnDrift's hook and processed like
// any other (or refused with WithRefuseDrift before any claim is taken),
// duplicates handled by the Deduper's claim, complete and release, the
// event given to d.Dispatch (its error or panic answered 500, so the
// provider retries), success answered 204. An event d.Unknown reports goes
// to WithOnUnknown's hook, or is acknowledged (204) and ignored.
func NewReceiver[E Event](d Deliveries[E], opts ...Option) http.Handler {
	g := NewGate(d.Provider, opts...)
	return &receiver[E]{d: d, c: g.c, gate: g, p: d.Provider}
}

// Deliveries is what NewReceiver needs of a generated package whose Event
// type is E.
type Deliveries[E Event] struct {
	Provider *Provider
	// Parse detects, validates and decodes a delivery, and returns the
	// drift of an accepted body.
	Parse func(h http.Header, body []byte) (E, []Violation, error)
	// Dispatch calls the Handler's method for ev.
	Dispatch func(ctx context.Context, ev E) error
	// Unknown reports whether ev is the package's *UnknownEvent.
	Unknown func(ev E) bool
	// Named reports whether a body names an event, where the spec puts it.
	Named func(body []byte) bool
}

type receiver[E Event] struct {
	d    Deliveries[E]
	c    HandlerConfig
	gate *Gate
	p    *Provider
}

func (rv *receiver[E]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, rej := rv.gate.Admit(w, r)
	if rej != nil {
		return
	}
	ctx := r.Context()
	ev, drift, err := rv.d.Parse(r.Header, body)
	if err != nil {
		var ve *ValidationError
		switch {
		case errors.As(err, &ve):
			rv.c.logger.LogAttrs(ctx, slog.LevelWarn, "webhook payload breaks the contract",
				slog.String("provider", rv.p.Name), slog.Int("violations", len(ve.Violations)), slog.String("error", shorten(err.Error())))
			WriteProblem(w, ve.Violations)
		case !rv.d.Named(body):
			// A body with no event name that validated is a request body
			// the spec describes, not a delivery.
			WriteProblem(w, []Violation{{Keyword: "event", Message: err.Error(), Grade: GradeGuaranteed}})
		default:
			// The body passed validation and still does not decode: the
			// generated types disagree with the validators. The provider
			// is not at fault; let it retry once that is fixed.
			rv.c.logger.LogAttrs(ctx, slog.LevelError, "webhook payload passed validation but does not decode",
				slog.String("provider", rv.p.Name), slog.String("error", err.Error()))
			http.Error(w, "cannot decode payload", http.StatusInternalServerError)
		}
		return
	}
	if len(drift) > 0 && rv.c.refuse {
		// Refused before any claim is taken: a retry, once the contract or
		// the option changes, is handled afresh.
		rv.c.logger.LogAttrs(ctx, slog.LevelWarn, "webhook payload drifts from the contract: refused",
			slog.String("provider", rv.p.Name), slog.String("event", shorten(ev.EventName())), slog.Int("violations", len(drift)), slog.String("drift", shorten(driftText(drift))))
		WriteProblem(w, drift)
		return
	}
	if rv.c.deduper == nil {
		if len(drift) > 0 {
			rv.reportDrift(ctx, ev, drift)
		}
		if err := rv.dispatch(ctx, ev); err != nil {
			rv.failed(w, r, ev, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	rv.dedupeAndDispatch(w, r, ev, drift, rv.p.DeliveryKey(r.Header, body))
}

// dedupeAndDispatch runs the claim / complete / release state machine
// (docs/receiving.md): only a completed success acknowledges a duplicate;
// a duplicate of an attempt in flight, or a claim the deduper cannot make,
// gets a retryable 503; a failed attempt releases its claim. Drift is
// reported for the attempt that holds the claim, not for its duplicates.
func (rv *receiver[E]) dedupeAndDispatch(w http.ResponseWriter, r *http.Request, ev E, drift []Violation, key string) {
	ctx := r.Context()
	state, err := rv.claim(ctx, key)
	if err != nil {
		rv.c.logger.LogAttrs(ctx, slog.LevelError, "webhook deduper failed: delivery refused for a retry",
			slog.String("provider", rv.p.Name), slog.String("event", ev.EventName()), slog.String("error", err.Error()))
		retryLater(w, VerdictDedupeUnavailable)
		return
	}
	switch state {
	case Completed:
		rv.c.logger.LogAttrs(ctx, slog.LevelInfo, "webhook duplicate acknowledged",
			slog.String("provider", rv.p.Name), slog.String("event", ev.EventName()), slog.String("key", key))
		w.WriteHeader(http.StatusNoContent)
		return
	case InFlight:
		rv.c.logger.LogAttrs(ctx, slog.LevelInfo, "webhook duplicate of an attempt in flight: retry later",
			slog.String("provider", rv.p.Name), slog.String("event", ev.EventName()), slog.String("key", key))
		retryLater(w, VerdictInFlight)
		return
	case Claimed:
	default:
		rv.c.logger.LogAttrs(ctx, slog.LevelError, "webhook deduper returned an unknown claim state",
			slog.String("provider", rv.p.Name), slog.Int("state", state))
		retryLater(w, VerdictDedupeUnavailable)
		return
	}
	// The claim outlives a cancelled request: complete or release it
	// whatever happens to the connection.
	sctx := context.WithoutCancel(ctx)
	if len(drift) > 0 {
		rv.reportDrift(ctx, ev, drift)
	}
	if err := rv.dispatch(ctx, ev); err != nil {
		if rerr := rv.c.deduper.Release(sctx, key); rerr != nil {
			rv.c.logger.LogAttrs(ctx, slog.LevelError, "webhook deduper release failed: retries wait for the claim's lease",
				slog.String("provider", rv.p.Name), slog.String("key", key), slog.String("error", rerr.Error()))
		}
		rv.failed(w, r, ev, err)
		return
	}
	if cerr := rv.c.deduper.Complete(sctx, key); cerr != nil {
		// Handled: acknowledging is right. A retry before the claim's
		// lease ends gets 503; after it, it is handled again.
		rv.c.logger.LogAttrs(ctx, slog.LevelError, "webhook deduper complete failed",
			slog.String("provider", rv.p.Name), slog.String("key", key), slog.String("error", cerr.Error()))
	}
	w.WriteHeader(http.StatusNoContent)
}

// failed answers 500 for a Handler's error or panic, so the provider retries.
func (rv *receiver[E]) failed(w http.ResponseWriter, r *http.Request, ev E, err error) {
	rv.c.logger.LogAttrs(r.Context(), slog.LevelError, "webhook handler failed",
		slog.String("provider", rv.p.Name), slog.String("event", ev.EventName()), slog.String("error", err.Error()))
	http.Error(w, "handler failed", http.StatusInternalServerError)
}

// RetryAfterSeconds is the Retry-After sent with a 503.
const RetryAfterSeconds = 5

// retryLater answers 503 with Retry-After: the provider retries.
func retryLater(w http.ResponseWriter, v Verdict) {
	w.Header().Set("Retry-After", strconv.Itoa(RetryAfterSeconds))
	http.Error(w, strings.ReplaceAll(string(v), "-", " "), v.Status())
}

// reportDrift logs drift and tells the WithOnDrift hook, whose panic is
// logged and does not stop the delivery.
func (rv *receiver[E]) reportDrift(ctx context.Context, ev E, drift []Violation) {
	rv.c.logger.LogAttrs(ctx, slog.LevelWarn, "webhook payload drifts from the contract",
		slog.String("provider", rv.p.Name), slog.String("event", shorten(ev.EventName())), slog.Int("violations", len(drift)), slog.String("drift", shorten(driftText(drift))))
	if rv.c.onDrift == nil {
		return
	}
	var perr error
	func() {
		defer func() { recovered(recover(), &perr) }()
		rv.c.onDrift(ctx, ev, drift)
	}()
	if perr != nil {
		rv.c.logger.LogAttrs(ctx, slog.LevelError, "webhook drift hook failed",
			slog.String("provider", rv.p.Name), slog.String("event", shorten(ev.EventName())), slog.String("error", perr.Error()))
	}
}

// driftText lists drift as "pointer: keyword: message; ...".
func driftText(drift []Violation) string {
	var b strings.Builder
	for i, v := range drift {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(v.Pointer + ": " + v.Keyword + ": " + v.Message)
	}
	return b.String()
}

// panicError is a panic recovered from user code.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string {
	return fmt.Sprintf("panic: %v\n%s", p.value, p.stack)
}

// recovered turns a panic into an error; http.ErrAbortHandler keeps its
// meaning and aborts the response.
func recovered(p any, err *error) {
	if p == nil {
		return
	}
	if p == http.ErrAbortHandler {
		panic(p)
	}
	*err = &panicError{value: p, stack: debug.Stack()}
}

func (rv *receiver[E]) claim(ctx context.Context, key string) (state ClaimState, err error) {
	defer func() { recovered(recover(), &err) }()
	return rv.c.deduper.Claim(ctx, key)
}

// dispatch calls the handler, turning a panic into an error.
func (rv *receiver[E]) dispatch(ctx context.Context, ev E) (err error) {
	defer func() { recovered(recover(), &err) }()
	if rv.d.Unknown(ev) {
		if rv.c.onUnknown != nil {
			return rv.c.onUnknown(ctx, ev)
		}
		rv.c.logger.LogAttrs(ctx, slog.LevelInfo, "webhook event not in the contract acknowledged and ignored",
			slog.String("provider", rv.p.Name), slog.String("event", shorten(ev.EventName())))
		return nil
	}
	return rv.d.Dispatch(ctx, ev)
}

// isJSONMediaType reports whether Content-Type ct is JSON's or a +json
// type. A malformed parameter after a JSON type ("application/json;
// charset", a sender's slip) does not refuse the delivery: the type is
// what says how to read the body.
func isJSONMediaType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil && !errors.Is(err, mime.ErrInvalidMediaParameter) {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// maxProblemViolations bounds the violations a problem response lists.
const maxProblemViolations = 100

// problem is an RFC 9457 problem document listing violations.
type problem struct {
	Type       string             `json:"type"`
	Title      string             `json:"title"`
	Status     int                `json:"status"`
	Detail     string             `json:"detail"`
	Violations []problemViolation `json:"violations"`
}

type problemViolation struct {
	Pointer string `json:"pointer"`
	Keyword string `json:"keyword"`
	Message string `json:"message"`
	Grade   Grade  `json:"grade,omitempty"`
}

// WriteProblem answers 400 with an application/problem+json document (RFC
// 9457) listing violations (at most 100). Their messages come from the
// validators, which never show the value of a field marked secret.
func WriteProblem(w http.ResponseWriter, violations []Violation) {
	p := problem{
		Type:       "about:blank",
		Title:      "payload does not match the webhook contract",
		Status:     http.StatusBadRequest,
		Detail:     strconv.Itoa(len(violations)) + " violation(s)",
		Violations: []problemViolation{},
	}
	for i, v := range violations {
		if i == maxProblemViolations {
			p.Detail += fmt.Sprintf(", the first %d listed", maxProblemViolations)
			break
		}
		// Field by field: the generated Violation may grow fields the
		// problem document does not show.
		var pv problemViolation
		pv.Pointer, pv.Keyword, pv.Message, pv.Grade = v.Pointer, v.Keyword, v.Message, v.Grade
		p.Violations = append(p.Violations, pv)
	}
	b, err := json.Marshal(p)
	if err != nil {
		http.Error(w, "payload does not match the webhook contract", http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusBadRequest)
	_, _ = w.Write(append(b, '\n'))
}
