package cli

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

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
			fmt.Fprintf(stderr, "hookcontract send: %s declares no event %q\n", p.Name, *event)
			return ExitUsage
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
		for _, e := range errs {
			fmt.Fprintf(stderr, "hookcontract send: %v\n", e)
		}
		if len(payloads) == 0 {
			fmt.Fprintln(stderr, "hookcontract send: nothing to send")
			return ExitUsage
		}

		client := &http.Client{Timeout: *timeout}
		defer client.CloseIdleConnections()
		var ok, notOK, failed int
		for _, pl := range payloads {
			source := pl.Source
			if pl.Line > 0 {
				source = fmt.Sprintf("%s:%d", pl.Source, pl.Line)
			}
			status, took, err := sendOne(client, u.String(), signer, pl.Data)
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
			}
		}
		fmt.Fprintf(stdout, "sent %d: %d answered 2xx, %d other, %d failed\n", len(payloads), ok, notOK, failed)
		switch {
		case len(errs) > 0:
			return ExitUsage
		case notOK+failed > 0:
			return ExitFindings
		}
		return ExitOK
	}
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

func sendOne(client *http.Client, target string, signer support.Signer, body []byte) (int, time.Duration, error) {
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, 0, fmt.Errorf("request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "hookcontract-send")
	if signer != nil {
		if err := signer.Sign(req.Header, body); err != nil {
			return 0, 0, fmt.Errorf("sign: %w", err)
		}
	}
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, time.Since(start), fmt.Errorf("post: %w", err)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	return resp.StatusCode, time.Since(start), nil
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
