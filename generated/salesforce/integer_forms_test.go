package salesforce

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
)

// JSON Schema counts 1.0 and 1e3 as integers: the validators accept them
// in an integer field, so the handler must decode them (204), not fail
// (500, retried in vain). An integer beyond int64 is refused as a
// violation at its pointer (400), never answered 500.
func TestIntegerFormsOverHTTP(t *testing.T) {
	fixture, err := os.ReadFile("../../specs/salesforce/examples/valid/salesforcesettings.updated.json")
	if err != nil {
		t.Skipf("fixture not available: %v", err)
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(fixture, &members); err != nil {
		t.Fatal(err)
	}
	var data map[string]json.RawMessage
	if err := json.Unmarshal(members["data"], &data); err != nil {
		t.Fatal(err)
	}
	// data.maxRetries is an integer the contract guarantees.
	withRetries := func(lit string) []byte {
		data["maxRetries"] = json.RawMessage(lit)
		d, err := json.Marshal(data)
		if err != nil {
			t.Fatal(err)
		}
		members["data"] = d
		b, err := json.Marshal(members)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	srv := httptest.NewServer(NewHandler(UnimplementedHandler{}, WithLogger(slog.New(slog.DiscardHandler))))
	defer srv.Close()
	post := func(lit string) (int, string) {
		t.Helper()
		resp, err := http.Post(srv.URL, "application/json", bytes.NewReader(withRetries(lit)))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, tc := range []struct {
		lit  string
		want int64
	}{
		{"1634842001", 1634842001},
		{"1634842001.0", 1634842001},
		{"1.634842001e9", 1634842001},
		{"1634842001000e-3", 1634842001},
		{"1e3", 1000},
		{"-0.0", 0},
		{"9223372036854775807.000", 9223372036854775807},
	} {
		if status, body := post(tc.lit); status != 204 {
			t.Errorf("maxRetries %s: %d %s, want 204", tc.lit, status, body)
			continue
		}
		ev, err := Parse(withRetries(tc.lit))
		if err != nil {
			t.Errorf("maxRetries %s: Parse: %v", tc.lit, err)
			continue
		}
		if e, ok := ev.(*SalesforcesettingsUpdatedEvent); !ok || e.Payload.Data.MaxRetries == nil || *e.Payload.Data.MaxRetries != tc.want {
			t.Errorf("maxRetries %s decoded as %+v, want %d", tc.lit, ev, tc.want)
		}
	}
	// Beyond int64, a violation naming int64; beyond the bounds on numbers
	// (an exponent of more than four digits), number-size, as the runner.
	for _, lit := range []string{"9223372036854775808", "1e19", "1e999999"} {
		want := "int64"
		if lit == "1e999999" {
			want = "exponent of 6 digits"
		}
		status, body := post(lit)
		if status != 400 {
			t.Errorf("maxRetries %s: %d %s, want 400", lit, status, body)
			continue
		}
		var p struct {
			Violations []struct{ Pointer, Keyword, Message string }
		}
		if err := json.Unmarshal([]byte(body), &p); err != nil || len(p.Violations) != 1 || p.Violations[0].Pointer != "/data/maxRetries" || !strings.Contains(p.Violations[0].Message, want) {
			t.Errorf("maxRetries %s: problem %s, want one violation at /data/maxRetries saying %q", lit, body, want)
		}
	}
}
