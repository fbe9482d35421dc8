package gen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoGenerateEndToEnd creates a module outside the repository that uses
// the generator through go:generate (a replace directive in that module
// only), runs go generate, go build, go vet and a test that parses a
// fixture: once with an embedded spec, once with a spec that is not ours.
func TestGoGenerateEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the generator and a consumer module")
	}
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	acme, err := os.ReadFile(filepath.Join("testdata", "acme", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	fixture, err := os.ReadFile(filepath.Join("testdata", "acme", "payment.succeeded.json"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/consumer\n\ngo 1.26\n\n" +
			"tool github.com/hookcontract/hookcontract/cmd/hookcontract\n\n" +
			"require github.com/hookcontract/hookcontract v0.0.0-00010101000000-000000000000\n\n" +
			"replace github.com/hookcontract/hookcontract => " + repo + "\n",
		"webhooks/generate.go": "// Package webhooks receives the deliveries of two providers.\npackage webhooks\n\n" +
			"//go:generate go run github.com/hookcontract/hookcontract/cmd/hookcontract generate --provider tickets --package tickets --out tickets\n" +
			"//go:generate go run github.com/hookcontract/hookcontract/cmd/hookcontract generate --spec ../specs/acme/openapi.yaml --package acme --out acme\n",
		"specs/acme/openapi.yaml": string(acme),
		"webhooks/webhooks_test.go": `package webhooks

import (
	"testing"

	"example.com/consumer/webhooks/acme"
	"example.com/consumer/webhooks/tickets"
)

func TestParseTicket(t *testing.T) {
	body := []byte(` + "`" + `{"data": {"status": "UPDATE", "params": {"id": "debde69a-2dbb-427b-b478-6cffd7930ecf"}, "resource": "/v0/tickets/debde69a-2dbb-427b-b478-6cffd7930ecf"}, "tenant_id": "3b5cf468-c858-404b-9e53-630e3df9d74a", "topic": "sac_ticket"}` + "`" + `)
	ev, err := tickets.Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := ev.(*tickets.SacTicketEvent)
	if !ok {
		t.Fatalf("parsed %T", ev)
	}
	if e.Payload.Data.Params.ID != "debde69a-2dbb-427b-b478-6cffd7930ecf" {
		t.Errorf("params.id = %q", e.Payload.Data.Params.ID)
	}
	if err := tickets.Validate([]byte(` + "`" + `{"topic": "sac_ticket", "data": {}}` + "`" + `)); err == nil {
		t.Error("an empty ticket notification validates")
	}
}

func TestParseAcme(t *testing.T) {
	ev, err := acme.Parse([]byte(` + "`" + string(fixture) + "`" + `))
	if err != nil {
		t.Fatal(err)
	}
	e, ok := ev.(*acme.PaymentSucceededEvent)
	if !ok {
		t.Fatalf("parsed %T", ev)
	}
	if e.Payload.Data.Amount.Amount != 1999 || e.Payload.Data.Amount.Currency != "EUR" {
		t.Errorf("amount = %+v", e.Payload.Data.Amount)
	}
	err = acme.Validate([]byte(` + "`" + `{"id": "7f0c3a52-8a9e-4f6b-9b2a-2f4c1d0e9a11", "type": "payment.failed", "created_at": "2024-06-01T12:00:00Z", "data": {"payment_id": "p", "reason": "stolen"}}` + "`" + `))
	ve, ok := err.(*acme.ValidationError)
	if !ok || len(ve.Violations) != 1 || ve.Violations[0].Pointer != "/data/reason" || ve.Violations[0].Keyword != "enum" {
		t.Errorf("Validate = %v", err)
	}
}
`,
	}
	testFile := files["webhooks/webhooks_test.go"]
	delete(files, "webhooks/webhooks_test.go")
	write := func(name, body string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, body := range files {
		write(name, body)
	}
	env := append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("mod", "tidy")
	run("generate", "./...")
	// The test imports the generated packages, so it is written after them.
	write("webhooks/webhooks_test.go", testFile)
	run("build", "./...")
	run("vet", "./...")
	run("test", "-count=1", "./...")
	for _, f := range []string{"webhooks/tickets/hookcontract_events.go", "webhooks/acme/hookcontract_events.go"} {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), Header+"\n") {
			t.Errorf("%s: no generated header", f)
		}
	}
}
