package gen

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/internal/testmod"
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
			"replace github.com/hookcontract/hookcontract => " + repo + "\n\n" +
			"replace " + testmod.RuntimeModule + " => " + filepath.Join(repo, "runtime") + "\n",
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

// maxToolRequirements is how many modules besides hookcontract the tool
// directive adds to a consumer's go.mod: every one provides a package the
// command links (go list -deps ./cmd/hookcontract), most through
// oapi-codegen's code generator. A new one fails this test: take it only
// knowingly, and update the README's figure.
const maxToolRequirements = 19

// TestLocalWorkflowBeforePublishing follows the README's workflow for a
// module that uses hookcontract before it is published: a consumer module
// outside the repository requires it at the zero version, replaced by the
// checkout, as a tool (go.mod's tool directive); go mod tidy; then
// `go tool hookcontract generate` from go:generate, with no flags, reads
// the consumer's hookcontract.yaml; the generated examples run under go
// test; generate --check finds nothing stale.
func TestLocalWorkflowBeforePublishing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the generator as a tool of a consumer module")
	}
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	env := append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	run := func(name string, args ...string) string {
		t.Helper()
		cmd := exec.Command(name, args...)
		cmd.Dir = dir
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	const mod = "github.com/hookcontract/hookcontract"
	run("go", "mod", "init", "example.com/consumer")
	run("go", "mod", "edit", "-require="+mod+"@v0.0.0-00010101000000-000000000000", "-replace="+mod+"="+repo, "-replace="+testmod.RuntimeModule+"="+filepath.Join(repo, "runtime"), "-tool="+mod+"/cmd/hookcontract")
	run("go", "mod", "tidy")
	for name, body := range map[string]string{
		"hookcontract.yaml": "version: \"1\"\npackages:\n  - {provider: salesiq, package: salesiq, out: salesiq}\n  - {provider: tickets, package: tickets, out: tickets}\n",
		"generate.go":       "// Package consumer receives webhooks.\npackage consumer\n\n//go:generate go tool hookcontract generate\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out := run("go", "tool", "hookcontract", "--version"); !strings.HasPrefix(out, "hookcontract v0.0.0-00010101000000-000000000000") {
		t.Errorf("go tool hookcontract --version = %q", out)
	}
	run("go", "generate", "./...")
	out := run("go", "test", "-count=1", "-run", "^Example", "-v", "./...")
	for _, want := range []string{"--- PASS: ExampleParse", "--- PASS: ExampleNewHandler", "ok  \texample.com/consumer/salesiq", "ok  \texample.com/consumer/tickets"} {
		if !strings.Contains(out, want) {
			t.Errorf("go test: no %q in\n%s", want, out)
		}
	}
	run("go", "tool", "hookcontract", "generate", "--check")
	run("go", "vet", "./...")

	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	var reqs []string
	for _, l := range strings.Split(string(gomod), "\n") {
		if strings.HasSuffix(l, "// indirect") && !strings.Contains(l, mod+" ") {
			reqs = append(reqs, strings.Fields(l)[0])
		}
	}
	if len(reqs) > maxToolRequirements {
		t.Errorf("the tool adds %d requirements to a consumer's go.mod, more than %d:\n%s", len(reqs), maxToolRequirements, strings.Join(reqs, "\n"))
	}
	t.Logf("the tool adds %d requirements besides hookcontract: %s", len(reqs), strings.Join(reqs, ", "))
}
