package support

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
)

// DefaultMaxBodyBytes is the largest body NewHandler reads unless
// WithMaxBodyBytes says otherwise.
const DefaultMaxBodyBytes = 1 << 20

// Verifier checks a delivery's signature over the raw body bytes, before
// anything parses them. It returns an error when the delivery is not
// authentic; the handler then answers 401 without detail.
type Verifier interface {
	Verify(header http.Header, body []byte) error
}

// VerifierFunc adapts a function to Verifier.
type VerifierFunc func(header http.Header, body []byte) error

// Verify calls f.
func (f VerifierFunc) Verify(header http.Header, body []byte) error { return f(header, body) }

// Option configures NewHandler.
type Option func(*handlerConfig)

type handlerConfig struct {
	maxBody   int64
	logger    *slog.Logger
	verifier  Verifier
	onUnknown func(context.Context, *UnknownEvent) error
}

// WithMaxBodyBytes sets the largest body read; larger ones get 413.
func WithMaxBodyBytes(n int64) Option { return func(c *handlerConfig) { c.maxBody = n } }

// WithLogger sets the logger errors and recovered panics are written to
// (default: slog.Default()).
func WithLogger(l *slog.Logger) Option { return func(c *handlerConfig) { c.logger = l } }

// WithVerifier sets the signature check run on every delivery. Without one,
// anyone who knows the URL can post events.
func WithVerifier(v Verifier) Option { return func(c *handlerConfig) { c.verifier = v } }

// WithOnUnknown sets the hook called for a well-formed event the spec does
// not declare. Without it such events are acknowledged (204) and ignored, so
// a provider's new event never makes it retry.
func WithOnUnknown(fn func(context.Context, *UnknownEvent) error) Option {
	return func(c *handlerConfig) { c.onUnknown = fn }
}

// NewHandler returns an http.Handler that receives deliveries for h. In
// order: POST only (405 with Allow); the body read through a limit (413);
// a JSON Content-Type (415); the signature verified over the raw bytes
// (401, no detail); the body validated (400 with application/problem+json
// listing the violations, secrets redacted); the event dispatched to h's
// method; the method's error or panic answered 500 so the provider retries;
// success answered 204.
func NewHandler(h Handler, opts ...Option) http.Handler {
	c := handlerConfig{maxBody: DefaultMaxBodyBytes}
	for _, o := range opts {
		o(&c)
	}
	if c.logger == nil {
		c.logger = slog.Default()
	}
	return &receiver{h: h, c: c}
}

type receiver struct {
	h Handler
	c handlerConfig
}

func (rv *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, rv.c.maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			http.Error(w, "request body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read request body", http.StatusBadRequest)
		return
	}
	if !isJSONMediaType(r.Header.Get("Content-Type")) {
		http.Error(w, "expected Content-Type application/json", http.StatusUnsupportedMediaType)
		return
	}
	if rv.c.verifier != nil {
		if err := rv.c.verifier.Verify(r.Header, body); err != nil {
			rv.c.logger.LogAttrs(r.Context(), slog.LevelWarn, "webhook signature rejected", slog.String("error", err.Error()))
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
	}
	ev, err := Parse(body)
	if err != nil {
		var ve *ValidationError
		if errors.As(err, &ve) {
			writeProblem(w, ve)
			return
		}
		writeProblem(w, &ValidationError{Violations: []Violation{{Keyword: "decode", Message: err.Error()}}})
		return
	}
	if err := rv.dispatch(r.Context(), ev); err != nil {
		rv.c.logger.LogAttrs(r.Context(), slog.LevelError, "webhook handler failed", slog.String("event", ev.EventName()), slog.String("error", err.Error()))
		http.Error(w, "handler failed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// dispatch calls the handler, turning a panic into an error.
func (rv *receiver) dispatch(ctx context.Context, ev Event) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in handler: %v", p)
		}
	}()
	if u, ok := ev.(*UnknownEvent); ok {
		if rv.c.onUnknown != nil {
			return rv.c.onUnknown(ctx, u)
		}
		return nil
	}
	return Dispatch(ctx, rv.h, ev)
}

func isJSONMediaType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

// problem is an RFC 9457 problem document listing violations.
type problem struct {
	Type       string      `json:"type"`
	Title      string      `json:"title"`
	Status     int         `json:"status"`
	Detail     string      `json:"detail"`
	Violations []Violation `json:"violations"`
}

func writeProblem(w http.ResponseWriter, ve *ValidationError) {
	p := problem{
		Type:       "about:blank",
		Title:      "payload does not match the webhook contract",
		Status:     http.StatusBadRequest,
		Detail:     fmt.Sprintf("%d violation(s)", len(ve.Violations)),
		Violations: ve.Violations,
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(p)
}
