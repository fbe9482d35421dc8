package cli

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/internal/capture"
)

// Attacks on serve, each over real HTTP on loopback.

// captureFiles returns the capture files of dir and their sizes.
func captureFiles(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, e := range es {
		fi, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = fi.Size()
	}
	return out
}

// A rejected, unauthenticated request is recorded as metadata, a hash and
// the first few KiB: 1 MiB of 0x01 must not become a multi-megabyte file.
// A body that passed the gate is kept byte-exact, at most 4/3 its size.
func TestServeCaptureAmplificationBounded(t *testing.T) {
	dir := t.TempDir()
	_, pub := rsaPair(t)
	base, _, stop := startServe(t, serveConfig{dir: dir, keys: providerValues{"salesiq": {pub}}})
	junk := bytes.Repeat([]byte{0x01}, 1<<20)
	if r := do(t, "POST", base+"/salesiq", "application/json", junk, nil); r.status != 401 {
		t.Fatalf("unsigned junk: %d", r.status)
	}
	if r := do(t, "POST", base+"/tickets", "application/json", junk, nil); r.status != 400 {
		t.Fatalf("junk to an unsigned provider: %d", r.status)
	}
	stop()
	files := captureFiles(t, dir)
	cs := readCaptures(t, dir)
	if len(cs) != 2 || len(files) != 2 {
		t.Fatalf("%d captures, %d files", len(cs), len(files))
	}
	sum := sha256.Sum256(junk)
	var sizes []int64
	for _, size := range files {
		sizes = append(sizes, size)
	}
	for i, c := range cs {
		body, err := c.RawBody()
		if err != nil {
			t.Fatal(err)
		}
		if c.BodyBytes != len(junk) || c.BodySHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("capture %d: %d bytes, sha256 %s", i, c.BodyBytes, c.BodySHA256)
		}
		switch c.Verdict {
		case "unauthorized":
			if !c.Truncated || len(body) != capture.MaxRejectedBody || !bytes.Equal(body, junk[:len(body)]) {
				t.Errorf("rejected: truncated %v, %d bytes kept", c.Truncated, len(body))
			}
		case "invalid":
			if c.Truncated || !bytes.Equal(body, junk) {
				t.Errorf("invalid body not kept byte-exact (%d bytes)", len(body))
			}
		default:
			t.Errorf("capture %d: verdict %s", i, c.Verdict)
		}
	}
	for name, size := range files {
		if size > int64(len(junk))*4/3+8<<10 {
			t.Errorf("%s: %d bytes for a body of %d", name, size, len(junk))
		}
	}
	small, large := min(sizes[0], sizes[1]), max(sizes[0], sizes[1])
	if small > 16<<10 {
		t.Errorf("rejected request captured in %d bytes, want a few KiB (the larger capture: %d)", small, large)
	}
}

// An unknown event that is not well-formed JSON (a duplicate key, invalid
// UTF-8) is answered 400, as the generated handler answers it, not
// acknowledged.
func TestServeUnknownEventMalformedRefused(t *testing.T) {
	base, _, _ := startServe(t, serveConfig{})
	for name, body := range map[string][]byte{
		"well-formed":   []byte(`{"event":"salesforcesettings.teleported","id":"1"}`),
		"duplicate key": []byte(`{"event":"salesforcesettings.teleported","id":"1","id":"2"}`),
		"invalid UTF-8": []byte("{\"event\":\"salesforcesettings.teleported\",\"id\":\"\xff\"}"),
	} {
		want := 400
		if name == "well-formed" {
			want = 204
		}
		if r := do(t, "POST", base+"/salesforce", "application/json", body, nil); r.status != want {
			t.Errorf("%s unknown event: %d %s, want %d", name, r.status, r.body, want)
		}
	}
}

// Credential headers under names the generic words missed are redacted.
func TestServeCaptureRedactsCredentialHeaders(t *testing.T) {
	dir := t.TempDir()
	base, _, stop := startServe(t, serveConfig{dir: dir})
	h := http.Header{}
	secrets := map[string]string{
		"X-Access-Key": "ak-1", "Api_Key": "ak-2", "X-Shopify-Hmac-Sha256": "hm-3",
		"X-Credential": "cr-4", "X-Session-Id": "se-5", "X-Passwd": "pw-6",
	}
	for k, v := range secrets {
		h[k] = []string{v}
	}
	do(t, "POST", base+"/tickets", "application/json", []byte(`{}`), h)
	stop()
	for name := range captureFiles(t, dir) {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range secrets {
			if bytes.Contains(raw, []byte(v)) {
				t.Errorf("header %s stored verbatim", k)
			}
		}
	}
}

// A path such as //tickets is answered and captured as received, not
// redirected by path cleaning (and so never captured).
func TestServeUncleanPathCaptured(t *testing.T) {
	dir := t.TempDir()
	base, _, stop := startServe(t, serveConfig{dir: dir})
	for _, p := range []string{"//tickets", "/x/../tickets"} {
		c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", p)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		c.Close()
		if resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
	}
	stop()
	cs := readCaptures(t, dir)
	if len(cs) != 2 || cs[0].Path != "//tickets" || cs[1].Path != "/x/../tickets" || cs[0].Verdict != "not-found" {
		t.Errorf("captures: %d", len(cs))
		for _, c := range cs {
			t.Logf("%s %s %s", c.Method, c.Path, c.Verdict)
		}
	}
}

// --dir is checked before serving: an existing directory open to others is
// made private (0700), and one that cannot be written is refused at start,
// not answered 500 on every request.
func TestServeCaptureDirChecked(t *testing.T) {
	open := filepath.Join(t.TempDir(), "open")
	if err := os.Mkdir(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(open, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := newServeServer(serveConfig{suite: testSuite(t), dir: open, maxBody: 1 << 20, log: new(bytes.Buffer)}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(open); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("pre-existing --dir mode %v, want 0700", fi.Mode().Perm())
	}
	fresh := filepath.Join(t.TempDir(), "a", "b")
	if _, err := newServeServer(serveConfig{suite: testSuite(t), dir: fresh, maxBody: 1 << 20, log: new(bytes.Buffer)}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(fresh); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("created --dir mode %v, want 0700", fi.Mode().Perm())
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := newServeServer(serveConfig{suite: testSuite(t), dir: file, maxBody: 1 << 20, log: new(bytes.Buffer)}); err == nil {
		t.Errorf("a regular file accepted as --dir")
	}
	ro := filepath.Join(t.TempDir(), "ro")
	if err := os.Mkdir(ro, 0o500); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(ro, 0o700)
	if os.Geteuid() == 0 {
		// Permissions do not stop root: a directory of a file system
		// that takes no files does.
		ro = "/proc/self/fdinfo"
		if fi, err := os.Stat(ro); err != nil || !fi.IsDir() {
			t.Skip("running as root without /proc: no unwritable directory to try")
		}
	}
	if _, err := newServeServer(serveConfig{suite: testSuite(t), dir: ro, maxBody: 1 << 20, log: new(bytes.Buffer)}); err == nil {
		t.Errorf("an unwritable --dir %s accepted", ro)
	} else {
		t.Logf("--dir %s: %v", ro, err)
	}
}
