package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/gen"
	"github.com/hookcontract/hookcontract/gen/support"
	"github.com/hookcontract/hookcontract/internal/capture"
	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// serveShutdownTimeout bounds the graceful shutdown; the server's other
// limits are the generated handler's recommended ones (support.NewServer).
const serveShutdownTimeout = 30 * time.Second

func defineServe(fs *flag.FlagSet) func(*env, []string) int {
	keys, secrets := providerValues{}, providerValues{}
	var (
		addr     = fs.String("addr", "127.0.0.1:8080", "listen `ADDRESS`")
		dir      = fs.String("dir", "", "write one capture per request into `DIR` (created when missing)")
		specDir  = fs.String("specs", "", "spec `DIR` to use instead of the embedded specs")
		maxBody  = fs.Int64("max-body-bytes", support.DefaultMaxBodyBytes, "largest body read, in `BYTES`; larger ones are answered 413")
		insecure = fs.Bool("insecure-skip-verify", false, "accept unsigned deliveries for providers that sign but have no key or secret")
		forward  = fs.String("forward-to", "", "forward each delivery that passes the signature check to `URL`, byte for byte with its headers, and record the answer in the capture")
	)
	fs.Var(keys, "key", "a provider's public key: `PROVIDER=FILE`, a PEM file (a private key serves: its public half is used); repeat for a rotation")
	fs.Var(secrets, "secret", "a provider's signing secret: `PROVIDER=VALUE`; repeat for a rotation")
	return func(e *env, rest []string) int {
		return runServe(e, rest, serveFlags{addr, dir, specDir, maxBody, insecure, forward, keys, secrets})
	}
}

// serveFlags are serve's flags, parsed.
type serveFlags struct {
	addr, dir, specDir *string
	maxBody            *int64
	insecure           *bool
	forward            *string
	keys, secrets      providerValues
}

func runServe(e *env, rest []string, f serveFlags) int {
	addr, dir, specDir, maxBody, insecure, forward, keys, secrets := f.addr, f.dir, f.specDir, f.maxBody, f.insecure, f.forward, f.keys, f.secrets
	stdout, stderr := e.stdout, e.stderr
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "hookcontract serve: unexpected argument %q\n", rest[0])
		return ExitUsage
	}
	if *forward != "" {
		if u, err := url.Parse(*forward); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return e.usageError("--forward-to must be an http or https URL, got %q", *forward)
		}
	}
	suite, err := loadSuite(*specDir)
	if err != nil {
		fmt.Fprintf(stderr, "hookcontract serve: %v\n", err)
		return ExitUsage
	}
	s, err := newServeServer(serveConfig{suite: suite, keys: keys, secrets: secrets, dir: *dir, maxBody: *maxBody, insecure: *insecure, log: stdout, forwardTo: *forward})
	if err != nil {
		fmt.Fprintf(stderr, "hookcontract serve: %v\n", err)
		return ExitUsage
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "hookcontract serve: %v\n", err)
		return ExitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s.describe(stderr, ln.Addr().String())
	if err := s.serve(ctx, ln); err != nil {
		fmt.Fprintf(stderr, "hookcontract serve: %v\n", err)
		return ExitUsage
	}
	fmt.Fprintf(stderr, "hookcontract serve: stopped; %d request(s) received\n", s.received())
	return ExitOK
}

type serveConfig struct {
	suite    *contracttest.Suite
	keys     providerValues
	secrets  providerValues
	dir      string
	maxBody  int64
	insecure bool
	log      io.Writer
	// forwardTo, when set, is the URL each admitted delivery is forwarded to.
	forwardTo string
}

type serveServer struct {
	eps     []*endpoint
	routes  map[string]http.Handler // exact request path -> handler
	writer  *capture.Writer         // nil: no captures
	logger  *slog.Logger
	mu      sync.Mutex
	count   int
	srv     *http.Server
	maxBody int64
	fwd     *forwarder // nil: no --forward-to
}

// endpoint receives one provider's deliveries.
type endpoint struct {
	p        *contract.Provider
	suite    *contracttest.Suite
	gate     *support.Gate
	secret   map[string]bool // headers to redact
	describe string
}

func newServeServer(c serveConfig) (*serveServer, error) {
	s := &serveServer{routes: map[string]http.Handler{}, maxBody: c.maxBody, logger: slog.New(slog.NewTextHandler(c.log, nil))}
	if c.maxBody <= 0 {
		return nil, fmt.Errorf("--max-body-bytes must be positive, got %d", c.maxBody)
	}
	known := map[string]bool{}
	for _, p := range c.suite.Spec().Providers {
		known[p.Name] = true
	}
	for _, vals := range []providerValues{c.keys, c.secrets} {
		for name := range vals {
			if !known[name] {
				return nil, fmt.Errorf("unknown provider %q in --key or --secret (known: %s)", name, strings.Join(c.suite.Providers(), ", "))
			}
		}
	}
	quiet := support.WithLogger(slog.New(slog.DiscardHandler))
	for _, p := range c.suite.Spec().Providers {
		ep := &endpoint{p: p, suite: c.suite, secret: secretHeaders(p)}
		opts := []support.Option{quiet, support.WithMaxBodyBytes(c.maxBody)}
		m := materialFor(p.Name, c.keys, c.secrets)
		sig := signatureOf(p)
		switch {
		case sig == nil || !gen.Signs(sig.Profile):
			if !m.empty() {
				return nil, fmt.Errorf("provider %s documents no signature a verifier checks: drop its --key, --secret, %s and %s", p.Name, envName("KEY", p.Name), envName("SECRET", p.Name))
			}
			opts = append(opts, support.WithInsecureSkipVerify())
			ep.describe = "no documented signature: anyone can post"
		case m.empty() && c.insecure:
			opts = append(opts, support.WithInsecureSkipVerify())
			ep.describe = fmt.Sprintf("signs (%s), but no key or secret: NOT verified (--insecure-skip-verify)", sig.Profile)
		case m.empty():
			opts = append(opts, support.WithVerifier(support.VerifierFunc(func(http.Header, []byte) error { return support.ErrNoVerifier })))
			ep.describe = fmt.Sprintf("signs (%s), but no key or secret: every delivery answered 401", sig.Profile)
		default:
			v, err := verifierFor(sig, m)
			if err != nil {
				return nil, fmt.Errorf("provider %s: %w", p.Name, err)
			}
			opts = append(opts, support.WithVerifier(v))
			n := len(m.keys) + len(m.secrets)
			ep.describe = fmt.Sprintf("verifies %s with %d key(s) or secret(s) from %s", sig.Profile, n, m.from)
		}
		ep.gate = support.NewGate(opts...)
		s.eps = append(s.eps, ep)
		s.routes["/"+p.Name] = s.handler(ep)
	}
	if c.forwardTo != "" {
		s.fwd = newForwarder(c.forwardTo)
	}
	if c.dir != "" {
		w, err := capture.NewWriter(c.dir)
		if err != nil {
			return nil, err
		}
		s.writer = w
	}
	s.srv = support.NewServer("", s.route(s.handler(nil)))
	s.srv.ErrorLog = log.New(io.Discard, "", 0)
	return s, nil
}

// route sends a request to the handler of its exact path, any other to
// notFound. Unlike http.ServeMux it neither cleans nor redirects a path
// (//x, /a/../b): every request is answered, and captured, as received.
func (s *serveServer) route(notFound http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := s.routes[r.URL.Path]; ok {
			h.ServeHTTP(w, r)
			return
		}
		notFound.ServeHTTP(w, r)
	})
}

func (s *serveServer) describe(w io.Writer, addr string) {
	fmt.Fprintf(w, "hookcontract serve: listening on http://%s\n", addr)
	for _, ep := range s.eps {
		fmt.Fprintf(w, "  /%-12s %s\n", ep.p.Name, ep.describe)
	}
	if s.writer != nil {
		fmt.Fprintf(w, "  captures in %s\n", s.writer.Dir())
	} else {
		fmt.Fprintln(w, "  no --dir: requests are not captured")
	}
	if s.fwd != nil {
		fmt.Fprintf(w, "  deliveries that pass the signature check forwarded to %s\n", s.fwd.url)
	}
}

// serve answers on ln until ctx is done, then shuts down gracefully:
// requests in flight are answered (and so captured) before it returns.
func (s *serveServer) serve(ctx context.Context, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), serveShutdownTimeout)
	defer cancel()
	if err := s.srv.Shutdown(sctx); err != nil {
		s.srv.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

func (s *serveServer) received() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// handler answers one provider's path (ep nil: any other path, 404). The
// capture is written before the answer is sent, so every request answered
// is captured; one that cannot be captured is answered 500 for the sender
// to retry.
func (s *serveServer) handler(ep *endpoint) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.mu.Lock()
		s.count++
		s.mu.Unlock()
		bw := &bufferedWriter{header: http.Header{}}
		c := &capture.Capture{Received: start.UTC(), Method: r.Method, Path: receivedPath(r), Remote: r.RemoteAddr}
		var secret map[string]bool
		if ep == nil {
			http.NotFound(bw, r)
			c.Verdict, c.Reason = "not-found", "no provider at this path"
			s.summarize(c, bw, r)
		} else {
			c.Provider, secret = ep.p.Name, ep.secret
			if body := ep.receive(bw, r, c); body != nil && s.fwd != nil {
				c.Forward = s.fwd.forward(r, body)
			}
		}
		c.Headers = capture.RedactHeaders(r.Header, secret)
		c.Status = bw.status()
		if s.writer != nil {
			if _, err := s.writer.Write(c); err != nil {
				s.logger.Error("capture failed", slog.String("path", c.Path), slog.String("error", err.Error()))
				http.Error(w, "cannot record the request", http.StatusInternalServerError)
				return
			}
		}
		bw.flush(w)
		attrs := []slog.Attr{slog.String("method", c.Method), slog.String("path", c.Path), slog.Int("status", c.Status), slog.String("verdict", c.Verdict)}
		if c.Event != "" {
			attrs = append(attrs, slog.String("event", c.Event))
		}
		if c.Reason != "" {
			attrs = append(attrs, slog.String("reason", c.Reason))
		}
		if f := c.Forward; f != nil {
			attrs = append(attrs, slog.Int("forward_status", f.Status))
			if f.Error != "" {
				attrs = append(attrs, slog.String("forward_error", f.Error))
			}
		}
		for i, v := range c.Violations {
			if i == 3 {
				attrs = append(attrs, slog.Int("more_violations", len(c.Violations)-3))
				break
			}
			attrs = append(attrs, slog.String("violation", jsonpointer.Display(v.Pointer)+": "+v.Message))
		}
		attrs = append(attrs, slog.Int("bytes", c.BodyBytes), slog.Duration("took", time.Since(start)))
		s.logger.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// receivedPath is the path of r as the client sent it: a request line of
// //x parses as host x and an empty path, and is recorded as //x.
func receivedPath(r *http.Request) string {
	if r.URL.Host == "" && r.URL.Path != "" {
		return r.URL.Path
	}
	p, _, _ := strings.Cut(r.RequestURI, "?")
	return p
}

// receive makes the generated handler's checks, in its order, and answers
// as it does; the capture records the verdict and why. It returns the body
// when the delivery was admitted (method, size, content type and
// signature hold), whatever its verdict after that, and nil otherwise.
func (ep *endpoint) receive(w http.ResponseWriter, r *http.Request, c *capture.Capture) []byte {
	body, rej := ep.gate.Admit(w, r)
	if rej != nil {
		// Refused before it was authenticated: metadata, size, hash and
		// the first bytes only.
		c.SetBodyPrefix(body, capture.MaxRejectedBody)
		c.Verdict, c.Reason = string(rej.Verdict), rej.Err.Error()
		c.Truncated = c.Truncated || rej.Verdict == support.VerdictTooLarge
		return nil
	}
	c.SetBody(body)
	res := ep.suite.Check(body, contracttest.CheckOptions{Provider: ep.p.Name, Header: r.Header, MaxBodyBytes: -1}) // the gate bounded it
	if res.UnknownEvent {
		// Read by the generated handler's scanner, as the runner reads
		// every body: a body that does not parse is refused first.
		c.Verdict, c.Event = string(support.VerdictUnknownEvent), res.Event
		c.Reason = "an event the contract does not declare: acknowledged and ignored"
		w.WriteHeader(support.VerdictUnknownEvent.Status())
		return body
	}
	c.Event, c.Unknown = res.Event, res.Unknown
	switch {
	case res.Verdict == contracttest.Fail:
		for _, v := range res.Violations {
			// serve has no --event: the runner's advice to pass it is not
			// the sender's to follow.
			v.Message = strings.TrimSuffix(v.Message, contracttest.EventHint)
			c.Violations = append(c.Violations, v.Violation)
		}
		c.Verdict = string(support.VerdictInvalid)
		support.WriteProblem(w, c.Violations)
	case res.Form == contract.FormRequest:
		// The generated Parse refuses a request body: it is not a delivery.
		c.Verdict = string(support.VerdictInvalid)
		c.Violations = []capture.Violation{{Keyword: "event", Message: "body is a " + res.Event + " request, not an event", Grade: support.GradeGuaranteed}}
		support.WriteProblem(w, c.Violations)
	case res.Verdict == contracttest.Drift:
		// Accepted as the generated handler accepts it; recorded as drift
		// (unknown members, expectations broken) for `test --strict`.
		for _, v := range res.Violations {
			c.Violations = append(c.Violations, v.Violation)
		}
		c.Verdict = string(contracttest.Drift)
		w.WriteHeader(support.VerdictAccepted.Status())
	default:
		c.Verdict = string(support.VerdictAccepted)
		w.WriteHeader(support.VerdictAccepted.Status())
	}
	return body
}

// summarize records a body no handler reads: read through the size limit,
// hashed, and only its first capture.MaxRejectedBody bytes kept.
func (s *serveServer) summarize(c *capture.Capture, w http.ResponseWriter, r *http.Request) {
	h := sha256.New()
	var prefix bytes.Buffer
	n, _ := io.Copy(io.MultiWriter(h, &limitedWriter{&prefix, capture.MaxRejectedBody}), http.MaxBytesReader(w, r.Body, s.maxBody))
	c.SetBodySummary(prefix.Bytes(), int(n), hex.EncodeToString(h.Sum(nil)))
}

// limitedWriter keeps the first n bytes written to it and drops the rest.
type limitedWriter struct {
	b *bytes.Buffer
	n int
}

func (l *limitedWriter) Write(p []byte) (int, error) {
	if room := l.n - l.b.Len(); room > 0 {
		l.b.Write(p[:min(room, len(p))])
	}
	return len(p), nil
}

// bufferedWriter holds an answer until the request is captured.
type bufferedWriter struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(code int) {
	if b.code == 0 {
		b.code = code
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.code == 0 {
		b.code = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *bufferedWriter) status() int {
	if b.code == 0 {
		return http.StatusOK
	}
	return b.code
}

func (b *bufferedWriter) flush(w http.ResponseWriter) {
	h := w.Header()
	keys := make([]string, 0, len(b.header))
	for k := range b.header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		h[k] = b.header[k]
	}
	if b.body.Len() > 0 && h.Get("Content-Length") == "" {
		h.Set("Content-Length", strconv.Itoa(b.body.Len()))
	}
	w.WriteHeader(b.status())
	_, _ = w.Write(b.body.Bytes())
}

var serveCommand = &command{
	name:    "serve",
	summary: "receive webhooks: verify, validate, capture, forward",
	usage:   "[flags]",
	about: `Receives webhooks for development and staging: one path per provider
(/salesiq, /ampersand, ...), each verifying signatures and validating
bodies exactly as a generated handler does, and answering as it does.
Every request received is written to --dir as one JSON file (method, path,
headers with secrets redacted, raw body, verdict), so that
'hookcontract test DIR' checks the captures later, with the same verdict:
an event the contract does not declare is acknowledged (204) by serve and
is drift for test, as for a generated handler.

With --forward-to, each delivery that passes the signature check is
forwarded, byte for byte with its headers, to your application, and the
capture records the application's answer (as stripe listen --forward-to
does); the sender is answered as a generated handler would answer.

Keys and secrets come from --key/--secret, or from the environment:
HOOKCONTRACT_KEY_<PROVIDER> (PEM files, separated by the path list
separator) and HOOKCONTRACT_SECRET_<PROVIDER> (secrets separated by
spaces); the environment keeps secrets out of the process list. A provider
that signs but has neither is answered 401, as a generated handler
without a verifier is, unless --insecure-skip-verify.

Stops on SIGINT or SIGTERM after answering the requests in flight.`,
	examples: []string{
		"hookcontract serve --dir captures/                      # then: hookcontract test captures/",
		"HOOKCONTRACT_SECRET_AMPERSAND=whsec_... hookcontract serve --addr :9000 --dir captures/",
		"hookcontract serve --dir captures/ --forward-to http://localhost:3000/webhooks",
		"hookcontract serve --insecure-skip-verify               # accept unsigned deliveries (local only)",
	},
	exits: []exitStatus{
		{ExitOK, "stopped by SIGINT or SIGTERM"},
		{ExitUsage, "bad usage, a key that cannot be read, an address that cannot be listened on"},
	},
	define: defineServe,
}
