package cli

import (
	"bytes"
	"strings"
	"testing"
)

// TestServeCapturesDrift: a delivery that meets every guarantee but breaks
// expectations is answered 204, as the generated handler answers it, and
// captured with verdict drift and its graded violations, so that `test
// --strict` on the capture directory fails it.
func TestServeCapturesDrift(t *testing.T) {
	dir := t.TempDir()
	base, _, stop := startServe(t, serveConfig{dir: dir})
	body := fixture(t, "tickets", "drift/tenant-id-not-uuid.json")
	if r := do(t, "POST", base+"/tickets", "application/json", body, nil); r.status != 204 {
		t.Fatalf("drift answered %d %s, want 204", r.status, r.body)
	}
	stop()
	cs := readCaptures(t, dir)
	if len(cs) != 1 {
		t.Fatalf("%d captures, want 1", len(cs))
	}
	c := cs[0]
	if c.Verdict != "drift" || len(c.Violations) != 1 || c.Violations[0].Pointer != "/tenant_id" || c.Violations[0].Grade != "expected" {
		t.Errorf("capture: verdict %q, violations %+v; want drift at /tenant_id graded expected", c.Verdict, c.Violations)
	}
	for _, c := range []struct {
		args []string
		code int
	}{{[]string{"test", dir}, 0}, {[]string{"test", "--strict", dir}, 1}} {
		var out, errOut bytes.Buffer
		if code := Run(c.args, strings.NewReader(""), &out, &errOut); code != c.code {
			t.Errorf("%v: exit %d, want %d\n%s%s", c.args, code, c.code, out.String(), errOut.String())
		}
	}
}
