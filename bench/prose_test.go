package bench

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/cli"
	"github.com/hookcontract/hookcontract/generated/ampersand"
	"github.com/hookcontract/hookcontract/generated/salesforce"
	"github.com/hookcontract/hookcontract/generated/salesiq"
	"github.com/hookcontract/hookcontract/generated/sonar"
	"github.com/hookcontract/hookcontract/generated/tickets"
)

// handlers are the generated packages' receivers, signatures not checked
// (the payloads are judged here, not their signatures).
func handlers() map[string]http.Handler {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	return map[string]http.Handler{
		"ampersand":  ampersand.NewHandler(ampersand.UnimplementedHandler{}, ampersand.WithInsecureSkipVerify(), ampersand.WithLogger(quiet)),
		"salesforce": salesforce.NewHandler(salesforce.UnimplementedHandler{}, salesforce.WithInsecureSkipVerify(), salesforce.WithLogger(quiet)),
		"salesiq":    salesiq.NewHandler(salesiq.UnimplementedHandler{}, salesiq.WithInsecureSkipVerify(), salesiq.WithLogger(quiet)),
		"sonar":      sonar.NewHandler(sonar.UnimplementedHandler{}, sonar.WithInsecureSkipVerify(), sonar.WithLogger(quiet)),
		"tickets":    tickets.NewHandler(tickets.UnimplementedHandler{}, tickets.WithInsecureSkipVerify(), tickets.WithLogger(quiet)),
	}
}

// TestPayloadsFromTheDocuments: the hold-out payloads
// (contracttest/testdata/holdout/{valid,drift,invalid}/<provider>/) are
// written from the providers' documents, not from the specs' examples:
// documented variations no example shows, and payloads that break what a
// document guarantees. For every one of the five providers, a valid or
// drifting payload is never refused: `hookcontract test` exits 0 and the
// generated handler answers 2xx; one that breaks a guarantee fails: exit 1
// and 400 (an event name the spec does not declare fails the CLI, and the
// handler acknowledges it with 204 and ignores it). Bodies without an
// envelope (bare) and request bodies are not deliveries: only the CLI
// checks them.
func TestPayloadsFromTheDocuments(t *testing.T) {
	root := filepath.Join("..", "contracttest", "testdata", "holdout")
	hs := handlers()
	counts := map[string]int{}
	for _, kind := range []string{"valid", "drift", "invalid"} {
		dirs, err := os.ReadDir(filepath.Join(root, kind))
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range dirs {
			provider := d.Name()
			files, _ := filepath.Glob(filepath.Join(root, kind, provider, "*.json"))
			for _, f := range files {
				base := filepath.Base(f)
				name := kind + "/" + provider + "/" + base
				args := []string{"test", "--provider", provider}
				bare := strings.Contains(base, ".bare")
				if bare {
					args = append(args, "--event", base[:strings.Index(base, ".bare")])
				}
				var stdout, stderr bytes.Buffer
				code := cli.Run(append(args, f), strings.NewReader(""), &stdout, &stderr)
				wantCode := 0
				if kind == "invalid" {
					wantCode = 1
				}
				if code != wantCode {
					t.Errorf("%s: hookcontract test exited %d, want %d\n%s%s", name, code, wantCode, stdout.String(), stderr.String())
				}
				counts[kind+" "+provider]++
				if bare || strings.HasPrefix(base, "createWebhook") {
					continue
				}
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(data))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				hs[provider].ServeHTTP(rec, req)
				switch {
				case kind == "invalid" && validators[provider].unknown(data):
					// an event the spec does not declare: acknowledged (204)
					// and ignored, so a new event is never retried forever
					if rec.Code != http.StatusNoContent {
						t.Errorf("%s: an event the spec does not declare answered %d, want 204", name, rec.Code)
					}
				case kind == "invalid" && rec.Code != http.StatusBadRequest:
					t.Errorf("%s: handler answered %d, want 400", name, rec.Code)
				case kind != "invalid" && (rec.Code < 200 || rec.Code > 299):
					t.Errorf("%s: handler answered %d, want 2xx: %s", name, rec.Code, rec.Body.String())
				}
			}
		}
	}
	for _, p := range []string{"ampersand", "salesforce", "salesiq", "sonar", "tickets"} {
		if counts["valid "+p]+counts["drift "+p] < 5 || counts["invalid "+p] < 4 || counts["drift "+p] < 1 {
			t.Errorf("%s: %d valid, %d drift, %d invalid payloads; want at least 5 conforming (1 drifting) and 4 invalid", p, counts["valid "+p], counts["drift "+p], counts["invalid "+p])
		}
	}
	t.Logf("payloads per kind and provider: %v", counts)
}
