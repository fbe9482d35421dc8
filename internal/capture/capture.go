// Package capture reads and writes the request captures of
// `hookcontract serve`: one JSON document per request received, holding
// its method, path, headers (secrets redacted), raw body and the verdict
// it was answered with. `hookcontract test` reads a capture as the body it
// holds.
package capture

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// Format is the value of every capture's "capture" member, its first.
const Format = "hookcontract/capture/v1"

// Redacted replaces the value of a secret header.
const Redacted = "(redacted)"

// Capture is one request as `hookcontract serve` received and answered it.
type Capture struct {
	Capture    string              `json:"capture"` // Format
	Received   time.Time           `json:"received"`
	Provider   string              `json:"provider,omitempty"` // "" when the path names no provider
	Method     string              `json:"method"`
	Path       string              `json:"path"`
	Remote     string              `json:"remote,omitempty"`
	Headers    map[string][]string `json:"headers"`
	Body       string              `json:"body"`                 // the raw body, when it is UTF-8
	BodyBase64 string              `json:"bodyBase64,omitempty"` // the raw body otherwise
	BodyBytes  int                 `json:"bodyBytes"`
	Truncated  bool                `json:"truncated,omitempty"` // cut at the size limit (413)
	Status     int                 `json:"status"`
	Verdict    string              `json:"verdict"`
	Reason     string              `json:"reason,omitempty"` // why it was rejected, never a secret
	Event      string              `json:"event,omitempty"`
	Violations []Violation         `json:"violations,omitempty"`
	Unknown    []string            `json:"unknown,omitempty"` // members the contract does not know
}

// Violation is one rule the body breaks.
type Violation struct {
	Pointer string `json:"pointer"`
	Keyword string `json:"keyword"`
	Message string `json:"message"`
	Grade   string `json:"grade,omitempty"` // expected: drift, not a failure
}

// SetBody stores the raw body: as a string when it is UTF-8 (a JSON string
// keeps every byte of it), in base64 otherwise.
func (c *Capture) SetBody(b []byte) {
	c.BodyBytes = len(b)
	if utf8.Valid(b) {
		c.Body, c.BodyBase64 = string(b), ""
		return
	}
	c.Body, c.BodyBase64 = "", base64.StdEncoding.EncodeToString(b)
}

// RawBody returns the body as received.
func (c *Capture) RawBody() ([]byte, error) {
	if c.BodyBase64 != "" {
		b, err := base64.StdEncoding.DecodeString(c.BodyBase64)
		if err != nil {
			return nil, fmt.Errorf("capture bodyBase64: %w", err)
		}
		return b, nil
	}
	return []byte(c.Body), nil
}

// IsPayload tells whether the capture holds a delivery body worth
// checking: a POST to a provider's path, read in full.
func (c *Capture) IsPayload() bool {
	return c.Method == http.MethodPost && c.Provider != "" && !c.Truncated
}

// Parse reads data as a capture. It reports false, cheaply, for anything
// that is not one (a payload, say).
func Parse(data []byte) (*Capture, bool, error) {
	head := data
	if len(head) > 128 {
		head = head[:128]
	}
	if !bytes.Contains(head, []byte(`"`+Format+`"`)) {
		return nil, false, nil
	}
	var c Capture
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, false, nil
	}
	if c.Capture != Format {
		return nil, false, nil
	}
	if _, err := c.RawBody(); err != nil {
		return nil, true, err
	}
	return &c, true, nil
}

// RedactHeaders copies h, replacing the values of secret headers with
// Redacted: credentials (Authorization, Cookie, ...), the headers secret
// names, and any whose name says it holds a secret, token, signature, key
// or password.
func RedactHeaders(h http.Header, secret map[string]bool) map[string][]string {
	out := make(map[string][]string, len(h))
	for k, vs := range h {
		if IsSecretHeader(k) || secret[http.CanonicalHeaderKey(k)] {
			red := make([]string, len(vs))
			for i := range red {
				red[i] = Redacted
			}
			out[k] = red
			continue
		}
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// IsSecretHeader tells whether a header's name says it carries a
// credential or a signature.
func IsSecretHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "authorization", "proxy-authorization", "cookie", "set-cookie":
		return true
	}
	for _, w := range []string{"secret", "token", "signature", "api-key", "apikey", "password", "auth"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// Writer writes captures into a directory, one file per capture, each
// written atomically: to a temporary file, synced, then renamed, and the
// directory synced, so a reader never sees half a capture and a capture
// that was written survives a crash.
type Writer struct {
	dir string
	seq atomic.Uint64
	tag string // distinguishes the files of two processes writing one directory
}

// NewWriter creates dir (mode 0700) when needed and returns a Writer into
// it.
func NewWriter(dir string) (*Writer, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("capture directory: %w", err)
	}
	var b [3]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, fmt.Errorf("capture directory: %w", err)
	}
	return &Writer{dir: dir, tag: hex.EncodeToString(b[:])}, nil
}

// Dir returns the directory written to.
func (w *Writer) Dir() string { return w.dir }

// Write stores c and returns the file name it was given. Names sort in the
// order requests were received.
func (w *Writer) Write(c *Capture) (string, error) {
	c.Capture = Format
	data, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return "", fmt.Errorf("encode capture: %w", err)
	}
	data = append(data, '\n')
	provider := c.Provider
	if provider == "" {
		provider = "unrouted"
	}
	name := fmt.Sprintf("%s-%s-%06d-%s.json", c.Received.UTC().Format("20060102T150405.000000000Z"), w.tag, w.seq.Add(1), provider)
	tmp, err := os.CreateTemp(w.dir, ".capture-*.tmp")
	if err != nil {
		return "", fmt.Errorf("write capture: %w", err)
	}
	_, werr := tmp.Write(data)
	if werr == nil {
		werr = tmp.Sync()
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), filepath.Join(w.dir, name))
	}
	if werr != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("write capture %s: %w", name, werr)
	}
	if err := syncDir(w.dir); err != nil {
		return name, fmt.Errorf("write capture %s: %w", name, err)
	}
	return name, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	// Some file systems cannot sync a directory; the rename is still atomic.
	if errors.Is(err, os.ErrInvalid) {
		return nil
	}
	return err
}

// ReadDir reads every capture in dir, in name order (the order received).
func ReadDir(dir string) ([]*Capture, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("read captures: %w", err)
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".json") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	var out []*Capture
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			return nil, fmt.Errorf("read capture: %w", err)
		}
		c, ok, err := Parse(data)
		if err != nil {
			return nil, fmt.Errorf("read capture %s: %w", n, err)
		}
		if ok {
			out = append(out, c)
		}
	}
	return out, nil
}
