// Package capture reads and writes the request captures of
// `hookcontract serve`: one JSON document per request received, holding
// its method, path, headers (secrets redacted), raw body and the verdict
// it was answered with. `hookcontract test` reads a capture as the body it
// holds.
package capture

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/hookcontract/hookcontract/runtime/hcrt"
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
	BodySHA256 string              `json:"bodySha256,omitempty"` // hex SHA-256 of the whole body, as received
	Truncated  bool                `json:"truncated,omitempty"`  // the body holds only the first bytes received
	Status     int                 `json:"status"`
	Verdict    string              `json:"verdict"`
	Reason     string              `json:"reason,omitempty"` // why it was rejected, never a secret
	Event      string              `json:"event,omitempty"`
	Violations []Violation         `json:"violations,omitempty"`
	Unknown    []string            `json:"unknown,omitempty"` // members the contract does not know
	// Forward is the answer of the application serve --forward-to
	// forwarded the delivery to.
	Forward *Forward `json:"forward,omitempty"`
}

// Forward is a delivery forwarded to an application and its answer.
type Forward struct {
	URL       string              `json:"url"`
	Status    int                 `json:"status,omitempty"` // 0 when it did not answer
	Headers   map[string][]string `json:"headers,omitempty"`
	Body      string              `json:"body,omitempty"` // the answer's body, cut at the size limit
	Truncated bool                `json:"truncated,omitempty"`
	Error     string              `json:"error,omitempty"` // why there is no answer
	Millis    int64               `json:"millis"`
}

// Violation is one rule the body breaks: the one violation type of the
// runner's reports and the generated handler's problem documents. A
// capture written before violations carried their grade on failures too
// holds no grade for a guaranteed one; Parse reads it as guaranteed.
type Violation = hcrt.Violation

// MaxRejectedBody is how much of a rejected request's body a capture
// keeps: a request refused before it was authenticated (405, 413, 415,
// 401, an unreadable body, no provider at its path) is recorded as
// metadata, the body's size and SHA-256 and at most this many bytes, so
// that whoever can reach the endpoint cannot fill the disk with it.
const MaxRejectedBody = 4 << 10

// SetBody stores the raw body, byte-exact, with its size and SHA-256: as a
// JSON string when it is UTF-8 and escaping costs little (a JSON string
// keeps every byte of it), in base64 otherwise, so that a stored body is at
// most 4/3 of its size (control bytes escaped as \u00XX would be 6x).
func (c *Capture) SetBody(b []byte) {
	sum := sha256.Sum256(b)
	c.BodyBytes, c.BodySHA256, c.Truncated = len(b), hex.EncodeToString(sum[:]), false
	c.storeBody(b)
}

// SetBodyPrefix stores at most the first max bytes of b, with the size and
// SHA-256 of the whole of it; Truncated tells whether bytes were left out.
func (c *Capture) SetBodyPrefix(b []byte, max int) {
	if len(b) <= max {
		c.SetBody(b)
		return
	}
	sum := sha256.Sum256(b)
	c.SetBodySummary(b[:max], len(b), hex.EncodeToString(sum[:]))
}

// SetBodySummary records a body that was not kept whole: its first bytes,
// its size and its SHA-256 (hex).
func (c *Capture) SetBodySummary(prefix []byte, size int, sha256Hex string) {
	c.BodyBytes, c.BodySHA256, c.Truncated = size, sha256Hex, len(prefix) < size
	c.storeBody(prefix)
}

func (c *Capture) storeBody(b []byte) {
	if utf8.Valid(b) && escapeCost(b) <= len(b)/8 {
		c.Body, c.BodyBase64 = string(b), ""
		return
	}
	c.Body, c.BodyBase64 = "", base64.StdEncoding.EncodeToString(b)
}

// escapeCost is how many bytes beyond len(b) the valid UTF-8 b takes as a
// JSON string written without HTML escaping.
func escapeCost(b []byte) int {
	n := 0
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\t':
			n++
		case c < 0x20:
			n += 5
		case c == 0xE2 && i+2 < len(b) && b[i+1] == 0x80 && (b[i+2] == 0xA8 || b[i+2] == 0xA9):
			n += 3 // U+2028, U+2029
		}
	}
	return n
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
	for i := range c.Violations {
		if c.Violations[i].Grade == "" {
			c.Violations[i].Grade = hcrt.GradeGuaranteed
		}
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
// credential, a session or a signature. Names are compared without case,
// with '_' read as '-'.
func IsSecretHeader(name string) bool {
	n := strings.ReplaceAll(strings.ToLower(name), "_", "-")
	switch n {
	case "authorization", "proxy-authorization", "cookie", "set-cookie":
		return true
	}
	for _, w := range secretHeaderWords {
		if strings.Contains(n, w) {
			return true
		}
	}
	for _, tok := range strings.Split(n, "-") {
		if secretHeaderTokens[tok] {
			return true
		}
	}
	return false
}

// secretHeaderWords make a header secret wherever they stand in its name
// (X-Shopify-Hmac-Sha256, X-Siqsignature, X-Session-Id, X-Passwd);
// secretHeaderTokens only as a whole '-'-separated part of it (X-Access-Key,
// Api_Key, X-Sig), since they are common inside other words.
var (
	secretHeaderWords = []string{
		"secret", "token", "signature", "hmac", "password", "passwd", "credential",
		"session", "cookie", "apikey", "auth", "bearer", "jwt",
	}
	secretHeaderTokens = map[string]bool{"key": true, "sig": true, "pwd": true, "pass": true, "cred": true, "private": true}
)

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
// it; an existing dir open to other users is made private (0700), since
// captures hold raw bodies. It fails, before a request is received, when
// dir is not a directory, cannot be made private, or cannot be written to.
func NewWriter(dir string) (*Writer, error) {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("capture directory: %w", err)
		}
	case err != nil:
		return nil, fmt.Errorf("capture directory: %w", err)
	case !fi.IsDir():
		return nil, fmt.Errorf("capture directory %s: not a directory", dir)
	case fi.Mode().Perm()&0o077 != 0:
		// Captures hold raw bodies: the directory is made private to its
		// owner, whatever mode it was created with.
		if err := os.Chmod(dir, fi.Mode().Perm()&0o700|0o700); err != nil {
			return nil, fmt.Errorf("capture directory %s has mode %04o and cannot be made private (0700): %w", dir, fi.Mode().Perm(), err)
		}
	}
	probe, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return nil, fmt.Errorf("capture directory %s is not writable: %w", dir, err)
	}
	probe.Close()
	if err := os.Remove(probe.Name()); err != nil {
		return nil, fmt.Errorf("capture directory %s: %w", dir, err)
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
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // <, > and & kept as they are, not as \u003c
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return "", fmt.Errorf("encode capture: %w", err)
	}
	data := buf.Bytes()
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
