package capture

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

func TestBodyRoundTrip(t *testing.T) {
	for _, body := range [][]byte{
		[]byte("{\"a\": 1}\n"),
		[]byte("{\"nbsp\":\u00a0\"x\"}\r\n\t"),
		{0xff, 0xfe, '{', '}'},
		nil,
	} {
		c := &Capture{Capture: Format, Method: "POST", Provider: "p", Received: time.Unix(1, 0)}
		c.SetBody(body)
		data, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		got, ok, err := Parse(data)
		if !ok || err != nil {
			t.Fatalf("Parse: %v %v", ok, err)
		}
		raw, err := got.RawBody()
		if err != nil || !bytes.Equal(raw, body) || got.BodyBytes != len(body) {
			t.Errorf("body %q came back as %q (%v)", body, raw, err)
		}
	}
}

func TestParseIgnoresPayloads(t *testing.T) {
	for _, data := range []string{
		`{"event":"x"}`,
		`{"capture":"something else","body":"{}"}`,
		`not json, but mentions "hookcontract/capture/v1"`,
		``,
	} {
		if c, ok, err := Parse([]byte(data)); ok || c != nil || err != nil {
			t.Errorf("%q read as a capture", data)
		}
	}
	if _, ok, err := Parse([]byte(`{"capture":"hookcontract/capture/v1","bodyBase64":"%%%"}`)); !ok || err == nil {
		t.Errorf("broken base64: ok %v, err %v", ok, err)
	}
}

func TestIsPayload(t *testing.T) {
	for _, c := range []struct {
		c    Capture
		want bool
	}{
		{Capture{Method: "POST", Provider: "p"}, true},
		{Capture{Method: "GET", Provider: "p"}, false},
		{Capture{Method: "POST"}, false},
		{Capture{Method: "POST", Provider: "p", Truncated: true}, false},
	} {
		if got := c.c.IsPayload(); got != c.want {
			t.Errorf("%+v: %v", c.c, got)
		}
	}
}

func TestRedactHeaders(t *testing.T) {
	h := http.Header{
		"Authorization":         {"Bearer x"},
		"X-Siqsignature":        {"sig"},
		"Svix-Signature":        {"v1,abc"},
		"Svix-Id":               {"msg_1"},
		"X-Token":               {"tok"},
		"X-Api-Key":             {"k"},
		"X-Custom-Header":       {"ok"},
		"X-Access-Key":          {"k"},
		"Api_Key":               {"k"},
		"X-Shopify-Hmac-Sha256": {"h"},
		"X-Credential":          {"c"},
		"X-Session-Id":          {"s"},
		"X-Passwd":              {"p"},
		"X-Sig":                 {"s"},
		"X-Shared":              {"s1", "s2"},
		"Content-Type":          {"application/json"},
	}
	got := RedactHeaders(h, map[string]bool{"X-Shared": true})
	for _, k := range []string{"Authorization", "X-Siqsignature", "Svix-Signature", "X-Token", "X-Api-Key", "X-Shared",
		"X-Access-Key", "Api_Key", "X-Shopify-Hmac-Sha256", "X-Credential", "X-Session-Id", "X-Passwd", "X-Sig"} {
		for _, v := range got[k] {
			if v != Redacted {
				t.Errorf("%s = %q", k, v)
			}
		}
	}
	if len(got["X-Shared"]) != 2 || got["Svix-Id"][0] != "msg_1" || got["X-Custom-Header"][0] != "ok" || got["Content-Type"][0] != "application/json" {
		t.Errorf("%v", got)
	}
	if h.Get("Authorization") != "Bearer x" {
		t.Errorf("input changed")
	}
}

func TestWriterConcurrent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "captures")
	w, err := NewWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	const n = 200
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := &Capture{Received: time.Unix(1_700_000_000, 0), Method: "POST", Provider: "p", Status: 204, Verdict: "accepted"}
			c.SetBody([]byte(`{"i":` + string(rune('0'+i%10)) + `}`))
			if _, err := w.Write(c); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	cs, err := ReadDir(dir)
	if err != nil || len(cs) != n {
		t.Fatalf("%d captures, %v", len(cs), err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		info, _ := e.Info()
		if filepath.Ext(e.Name()) != ".json" || info.Mode().Perm() != 0o600 {
			t.Errorf("%s: %v", e.Name(), info.Mode())
		}
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %v", fi.Mode())
	}
	// The first member is the format, so a reader tells a capture cheaply.
	data, _ := os.ReadFile(filepath.Join(dir, entries[0].Name()))
	if !bytes.HasPrefix(data, []byte("{\n  \"capture\": \"hookcontract/capture/v1\"")) {
		t.Errorf("capture starts %q", data[:40])
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"capture":"hookcontract/capture/v1","method":"POST","provider":"p","body":"{}"}`))
	f.Add([]byte(`{"capture":"hookcontract/capture/v1","bodyBase64":"AAE="}`))
	f.Add([]byte(`{"event":"x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, ok, err := Parse(data)
		if ok && err == nil {
			if _, err := c.RawBody(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// TestOldCaptureGrades: a capture written when failures carried no grade
// loads with its failures guaranteed and its drift expected, and writes
// every grade back out.
func TestOldCaptureGrades(t *testing.T) {
	old := `{"capture":"` + Format + `","received":"2026-01-02T03:04:05Z","provider":"p","method":"POST","path":"/p","headers":{},"body":"{}","bodyBytes":2,"status":400,"verdict":"invalid",
"violations":[{"pointer":"/id","keyword":"type","message":"expected string, found integer 1"},{"pointer":"/x","keyword":"format","message":"expected a valid uuid","grade":"expected"}]}`
	c, ok, err := Parse([]byte(old))
	if !ok || err != nil {
		t.Fatalf("Parse: %v %v", ok, err)
	}
	want := []Violation{
		{Pointer: "/id", Keyword: "type", Message: "expected string, found integer 1", Grade: hcrt.GradeGuaranteed},
		{Pointer: "/x", Keyword: "format", Message: "expected a valid uuid", Grade: hcrt.GradeExpected},
	}
	if len(c.Violations) != len(want) || c.Violations[0] != want[0] || c.Violations[1] != want[1] {
		t.Fatalf("violations %+v, want %+v", c.Violations, want)
	}
	out, err := json.Marshal(c.Violations[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := `{"pointer":"/id","keyword":"type","message":"expected string, found integer 1","grade":"guaranteed"}`; string(out) != got {
		t.Errorf("written as %s, want %s", out, got)
	}
}
