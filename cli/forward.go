package cli

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/hookcontract/hookcontract/internal/capture"
)

// Limits of serve --forward-to.
const (
	forwardTimeout     = 10 * time.Second
	forwardAnswerBytes = 64 << 10 // the most of an answer's body a capture keeps
)

// hopByHop are the headers of one connection (RFC 9110, section 7.6.1),
// which a forwarded request does not carry.
var hopByHop = []string{"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// forwarder forwards deliveries to the user's application, as
// `stripe listen --forward-to` does.
type forwarder struct {
	url    string
	client *http.Client
}

func newForwarder(target string) *forwarder {
	return &forwarder{url: target, client: &http.Client{
		Timeout: forwardTimeout,
		// The application's redirect is its answer, recorded as is: a
		// delivery never goes anywhere else.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// forward posts body, byte for byte, with the headers of r (but those of
// the connection), to the application, and returns its answer.
func (f *forwarder) forward(r *http.Request, body []byte) *capture.Forward {
	start := time.Now()
	out := &capture.Forward{URL: f.url}
	defer func() { out.Millis = time.Since(start).Milliseconds() }()
	req, err := http.NewRequestWithContext(r.Context(), r.Method, f.url, bytes.NewReader(body))
	if err != nil {
		out.Error = fmt.Sprintf("request: %v", err)
		return out
	}
	req.Header = r.Header.Clone()
	for _, h := range hopByHop {
		req.Header.Del(h)
	}
	if _, ok := req.Header["User-Agent"]; !ok {
		req.Header["User-Agent"] = nil // send none rather than Go's
	}
	resp, err := f.client.Do(req)
	if err != nil {
		out.Error = err.Error()
		return out
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, forwardAnswerBytes+1))
	out.Truncated = len(answer) > forwardAnswerBytes
	if out.Truncated {
		answer = answer[:forwardAnswerBytes]
	}
	out.Status, out.Headers = resp.StatusCode, resp.Header
	if utf8.Valid(answer) {
		out.Body = string(answer)
	} else {
		out.Body = string(bytes.ToValidUTF8(answer, []byte("\uFFFD")))
	}
	return out
}
