package cli

import (
	"bytes"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/gen"
	"github.com/hookcontract/hookcontract/gen/support"
	"github.com/hookcontract/hookcontract/internal/contract"
)

func defineSend(fs *flag.FlagSet) func(*env, []string) int {
	keys, secrets := providerValues{}, providerValues{}
	var (
		target   = fs.String("url", "", "endpoint `URL` to post to")
		provider = fs.String("provider", "", "provider `NAME` whose signature scheme and fixtures to use")
		event    = fs.String("event", "", "send only the embedded fixtures of event `NAME`")
		specDir  = fs.String("specs", "", "spec `DIR` to use instead of the embedded specs")
		timeout  = fs.Duration("timeout", 10*time.Second, "per-request `TIMEOUT`")
		dryRun   = fs.Bool("dry-run", false, "send nothing: print each signed request as a curl command")
	)
	fs.Var(keys, "key", "the private key to sign with: `PROVIDER=FILE`, a PEM file")
	fs.Var(secrets, "secret", "the secret to sign with: `PROVIDER=VALUE`")
	return func(e *env, paths []string) int {
		stdin, stdout, stderr := e.stdin, e.stdout, e.stderr
		u, err := url.Parse(*target)
		if *target == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fmt.Fprintf(stderr, "hookcontract send: --url must be an http or https URL, got %q\n", *target)
			return ExitUsage
		}
		suite, err := loadSuite(*specDir)
		if err != nil {
			fmt.Fprintf(stderr, "hookcontract send: %v\n", err)
			return ExitUsage
		}
		p := suite.Spec().Provider(*provider)
		if p == nil {
			fmt.Fprintf(stderr, "hookcontract send: unknown --provider %q (known: %s)\n", *provider, strings.Join(suite.Providers(), ", "))
			return ExitUsage
		}
		for _, vals := range []providerValues{keys, secrets} {
			for name := range vals {
				if name != p.Name {
					fmt.Fprintf(stderr, "hookcontract send: --key/--secret name %q, but --provider is %q\n", name, p.Name)
					return ExitUsage
				}
			}
		}
		if *event != "" && len(paths) > 0 {
			fmt.Fprintln(stderr, "hookcontract send: --event selects embedded fixtures; it does not combine with PATH")
			return ExitUsage
		}
		if *event != "" && p.Event(*event) == nil {
			return e.usageError("%s declares no event %q; %s", p.Name, *event, eventList(suite, p.Name))
		}

		var signer support.Signer
		m := materialFor(p.Name, keys, secrets)
		switch sig := signatureOf(p); {
		case sig != nil && gen.Signs(sig.Profile) && m.empty():
			fmt.Fprintf(stderr, "hookcontract send: warning: %s signs deliveries (%s) but no key or secret was given: sending unsigned\n", p.Name, sig.Profile)
		case sig != nil && gen.Signs(sig.Profile):
			if signer, err = signerFor(sig, m); err != nil {
				fmt.Fprintf(stderr, "hookcontract send: %s: %v\n", p.Name, err)
				return ExitUsage
			}
		case !m.empty():
			fmt.Fprintf(stderr, "hookcontract send: %s documents no signature to make: drop --key/--secret\n", p.Name)
			return ExitUsage
		}

		var payloads []contracttest.Payload
		var errs []error
		if len(paths) == 0 {
			payloads, err = deliveryFixtures(p, *event)
			if err != nil {
				fmt.Fprintf(stderr, "hookcontract send: %v\n", err)
				return ExitUsage
			}
		} else {
			var files []string
			files, errs = contracttest.ExpandPaths(paths)
			for _, f := range files {
				if err := contracttest.ReadPayloads(f, stdin, func(pl contracttest.Payload) { payloads = append(payloads, pl) }); err != nil {
					errs = append(errs, err)
				}
			}
		}
		skipped, errs := contracttest.SplitSkipped(errs)
		for _, sk := range skipped {
			e.errorf("%v", &sk)
		}
		for _, err := range errs {
			e.errorf("%v", err)
		}
		if len(payloads) == 0 {
			fmt.Fprintln(stderr, "hookcontract send: nothing to send")
			return ExitUsage
		}

		if *dryRun {
			for _, pl := range payloads {
				req, err := signedRequest(u.String(), signer, pl.Data)
				if err != nil {
					e.errorf("%s: %v", payloadSource(pl), err)
					return ExitUsage
				}
				fmt.Fprintf(stdout, "# %s\n%s\n", payloadSource(pl), curlCommand(req, pl.Data))
			}
			if len(errs) > 0 {
				return ExitUsage
			}
			return ExitOK
		}

		client := &http.Client{Timeout: *timeout, CheckRedirect: sameOrigin}
		defer client.CloseIdleConnections()
		var ok, notOK, failed int
		for _, pl := range payloads {
			source := payloadSource(pl)
			status, answer, took, err := sendOne(client, u.String(), signer, pl.Data)
			switch {
			case err != nil:
				failed++
				fmt.Fprintf(stdout, "ERR  %9s  %s: %v\n", round(took), source, err)
			case status >= 200 && status < 300:
				ok++
				fmt.Fprintf(stdout, "%d  %9s  %s\n", status, round(took), source)
			default:
				notOK++
				fmt.Fprintf(stdout, "%d  %9s  %s\n", status, round(took), source)
				writeAnswer(stdout, answer)
			}
		}
		fmt.Fprintf(stdout, "sent %d: %d answered 2xx, %d other, %d failed\n", len(payloads), ok, notOK, failed)
		switch {
		case len(errs) > 0 || failed > 0:
			return ExitUsage
		case notOK > 0:
			return ExitFindings
		}
		return ExitOK
	}
}

func payloadSource(pl contracttest.Payload) string {
	if pl.Line > 0 {
		return fmt.Sprintf("%s:%d", pl.Source, pl.Line)
	}
	return pl.Source
}

// maxAnswerShown is how much of a non-2xx answer's body send prints.
const maxAnswerShown = 4 << 10

// writeAnswer prints the body of an answer that is not 2xx, indented,
// cut at maxAnswerShown bytes, with bytes that are not printable UTF-8
// escaped so that no answer can drive the terminal.
func writeAnswer(w io.Writer, body []byte) {
	if len(body) == 0 {
		fmt.Fprintln(w, "     (empty body)")
		return
	}
	cut := len(body) > maxAnswerShown
	if cut {
		body = body[:maxAnswerShown]
	}
	var text strings.Builder
	for _, r := range strings.ToValidUTF8(string(body), "\uFFFD") {
		switch {
		case r == '\n' || r == '\t' || (unicode.IsPrint(r) && r != utf8.RuneError):
			text.WriteRune(r)
		case r == utf8.RuneError:
			text.WriteString(`\ufffd`)
		default:
			text.WriteString(strings.Trim(strconv.QuoteRune(r), "'"))
		}
	}
	for _, l := range strings.Split(strings.TrimRight(text.String(), "\n"), "\n") {
		fmt.Fprintf(w, "     %s\n", l)
	}
	if cut {
		fmt.Fprintf(w, "     ... (cut at %d bytes)\n", maxAnswerShown)
	}
}

// errCrossOriginRedirect is why send does not follow a redirect: a signed
// delivery goes to the endpoint named, never to another host.
var errCrossOriginRedirect = errors.New("redirect to another origin not followed")

// sameOrigin follows a redirect only to the scheme, host and port of the
// request it answers, and at most 5 times.
func sameOrigin(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("stopped after 5 redirects")
	}
	first := via[0].URL
	if req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
		return fmt.Errorf("%w: %s", errCrossOriginRedirect, (&url.URL{Scheme: req.URL.Scheme, Host: req.URL.Host}).String())
	}
	return nil
}

// deliveryFixtures returns a provider's valid fixtures that are deliveries
// (envelope form), of one event when event is set.
func deliveryFixtures(p *contract.Provider, event string) ([]contracttest.Payload, error) {
	if p.Fixtures == nil {
		return nil, fmt.Errorf("%s has no embedded fixtures: pass PATH", p.Name)
	}
	var out []contracttest.Payload
	for _, fx := range p.Fixtures.Valid {
		if fx.Form != contract.FormEnvelope || (event != "" && fx.Event != event) {
			continue
		}
		data, err := p.ReadFile(fx.Path)
		if err != nil {
			return nil, fmt.Errorf("read fixture %s: %w", fx.Path, err)
		}
		out = append(out, contracttest.Payload{Source: fx.Path, Data: data, Provider: p.Name})
	}
	return out, nil
}

// signedRequest builds the request send posts: the body, its content
// type, and the provider's signature headers.
func signedRequest(target string, signer support.Signer, body []byte) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "hookcontract-send")
	if signer != nil {
		if err := signer.Sign(req.Header, body); err != nil {
			return nil, fmt.Errorf("sign: %w", err)
		}
	}
	return req, nil
}

// sendOne posts one body and returns the status and, unless it is 2xx,
// the start of the answer's body.
func sendOne(client *http.Client, target string, signer support.Signer, body []byte) (int, []byte, time.Duration, error) {
	req, err := signedRequest(target, signer, body)
	if err != nil {
		return 0, nil, 0, err
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, time.Since(start), fmt.Errorf("post: %w", err)
	}
	defer resp.Body.Close()
	var answer []byte
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		answer, _ = io.ReadAll(io.LimitReader(resp.Body, maxAnswerShown+1))
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, answer, time.Since(start), nil
}

// curlCommand renders a request as a POSIX shell curl command that sends
// the same bytes with the same headers. A body that a shell word cannot
// hold (a NUL byte, bytes that are not UTF-8) is piped in from base64.
func curlCommand(req *http.Request, body []byte) string {
	var b strings.Builder
	inline := utf8.Valid(body) && !bytes.ContainsRune(body, 0)
	if !inline {
		fmt.Fprintf(&b, "printf '%%s' %s | base64 -d | ", shellQuote(base64.StdEncoding.EncodeToString(body)))
	}
	fmt.Fprintf(&b, "curl -sS -X POST %s", shellQuote(req.URL.String()))
	keys := make([]string, 0, len(req.Header))
	for k := range req.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range req.Header[k] {
			fmt.Fprintf(&b, " \\\n  -H %s", shellQuote(k+": "+v))
		}
	}
	if inline {
		fmt.Fprintf(&b, " \\\n  --data-binary %s", shellQuote(string(body)))
	} else {
		b.WriteString(" \\\n  --data-binary @-")
	}
	return b.String()
}

// shellQuote quotes s as one POSIX shell word.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

var sendCommand = &command{
	name:    "send",
	summary: "sign payloads as a provider would and post them",
	usage:   "--url URL --provider NAME [flags] [PATH...]",
	about: `Posts payloads to an endpoint as the provider would: each body signed with
the provider's signature scheme (a private key for RSA, a secret for HMAC
and Standard Webhooks), with Content-Type application/json. Prints the
status and latency of every request, and the body of every answer that is
not 2xx. A redirect is followed only to the same scheme, host and port.
With --dry-run, sends nothing and prints each signed request as a curl
command instead. With no PATH, sends the provider's embedded delivery
fixtures (--event narrows them to one event); a PATH is a .json file, an
.ndjson/.jsonl file (one body per line), a directory, a capture of
'hookcontract serve', or - for stdin.

Keys and secrets come from --key/--secret or from HOOKCONTRACT_KEY_<PROVIDER>
and HOOKCONTRACT_SECRET_<PROVIDER>.`,
	examples: []string{
		"hookcontract send --url http://localhost:8080/tickets --provider tickets",
		"hookcontract send --url http://localhost:8080/ampersand --provider ampersand --secret ampersand=whsec_... captures/",
		"hookcontract send --dry-run --url https://staging.example.com/hooks --provider salesiq --key salesiq=key.pem body.json",
	},
	exits: []exitStatus{
		{ExitOK, "every request answered 2xx (with --dry-run: every request printed)"},
		{ExitFindings, "a request answered, but not 2xx"},
		{ExitUsage, "bad usage, an unreadable input or key, a request not answered (connection refused, timeout, a redirect to another host)"},
	},
	define: defineSend,
}
