package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repo is a temporary git repository holding a generated module.
type repo struct {
	t   *testing.T
	dir string
}

func newRepo(t *testing.T) *repo {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	r := &repo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	r.write("generated/go.mod", "module example.com/gen\n\ngo 1.26\n")
	return r
}

func (r *repo) git(args ...string) {
	r.t.Helper()
	cmd := exec.Command("git", append([]string{"-C", r.dir, "-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		r.t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

func (r *repo) write(name, content string) {
	r.t.Helper()
	p := filepath.Join(r.dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		r.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

func (r *repo) release(tag string) {
	r.t.Helper()
	r.git("add", "-A")
	r.git("commit", "-q", "-m", "release "+tag)
	r.git("tag", tag)
}

func (r *repo) run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(append([]string{"-repo", r.dir}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

const shopV1 = `package shop

// Order is an order.
type Order struct {
	ID   string
	Note *string
}

// EventName is an event name.
type EventName string

// EventOrderCreated is an event.
const EventOrderCreated EventName = "order.created"
`

func TestReleaseCheck(t *testing.T) {
	r := newRepo(t)
	if code, out, _ := r.run(); code != 0 || !strings.Contains(out, "first release of the generated module is generated/v0.1.0") {
		t.Fatalf("no tag yet: exit %d, %q", code, out)
	}
	r.write("generated/shop/shop.go", shopV1)
	r.write("generated/shop/shop_test.go", "package shop\n\nfunc helperOnlyInTests() {}\n")
	r.release("generated/v0.1.0")
	r.git("tag", "v9.0.0") // a tag of the root module, not of the generated one

	for _, tc := range []struct {
		name, src, bump, next string
		extra                 map[string]string
	}{
		{name: "unchanged", src: shopV1, bump: "nothing to release"},
		{name: "comment", src: strings.Replace(shopV1, "is an order", "is one order", 1), bump: "required bump: patch: the next release is generated/v0.1.1"},
		{name: "added", src: shopV1 + "\n// EventOrderPaid is an event.\nconst EventOrderPaid EventName = \"order.paid\"\n", bump: "required bump: minor: the next release is generated/v0.2.0"},
		{name: "removed field", src: strings.Replace(shopV1, "	Note *string\n", "", 1), bump: "required bump: major (before v1: minor): the next release is generated/v0.2.0"},
		{name: "field type", src: strings.Replace(shopV1, "Note *string", "Note string", 1), bump: "Order.Note: changed from *string to string"},
		{name: "new package", src: shopV1, extra: map[string]string{"generated/acme/acme.go": "package acme\n\n// X is x.\nconst X = 1\n"}, bump: "required bump: minor"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r.write("generated/shop/shop.go", tc.src)
			for n, c := range tc.extra {
				r.write(n, c)
				defer os.Remove(filepath.Join(r.dir, n))
			}
			code, out, errb := r.run()
			if code != 0 || !strings.Contains(out, tc.bump) {
				t.Errorf("exit %d, stdout:\n%s\nstderr: %s\nwant %q", code, out, errb, tc.bump)
			}
		})
	}

	// -next holds a release to the bump its changes need.
	r.write("generated/shop/shop.go", strings.Replace(shopV1, "	Note *string\n", "", 1))
	for _, tc := range []struct {
		next string
		code int
	}{{"v0.1.1", 1}, {"v0.2.0", 0}, {"v1.0.0", 0}, {"v0.1.0", 1}, {"0.2.0", 2}} {
		if code, _, errb := r.run("-next", tc.next); code != tc.code {
			t.Errorf("-next %s: exit %d, want %d (%s)", tc.next, code, tc.code, errb)
		}
	}

	// After v1, an incompatible change needs a new major version.
	r.release("generated/v1.0.0")
	r.write("generated/shop/shop.go", strings.Replace(shopV1, "	ID   string\n", "", 1))
	if code, out, _ := r.run(); code != 0 || !strings.Contains(out, "generated/v2.0.0, which needs the module path to end in /v2") {
		t.Errorf("after v1: exit %d:\n%s", code, out)
	}
}
