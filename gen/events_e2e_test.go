package gen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/internal/capture"
	"github.com/hookcontract/hookcontract/internal/contract"
)

// delivery is one request posted to a generated handler and given, as a
// capture of `hookcontract serve`, to the runner; want is what both must
// make of it: "400", the event dispatched, or "unknown:NAME" for an event
// the spec does not declare (acknowledged, 204).
type delivery struct {
	Name   string
	Header map[string]string
	Body   string
	want   string
}

// TestEventLocationsThroughHandler generates specs whose event name travels
// in a header (GitHub's, qualified by /action) and in a header and the
// body (declared in that order) into a temporary module, posts deliveries
// to the generated handler over httptest, and gives the same deliveries
// to the runner as captures: both must make the same of each. The rule
// they apply (contract.FindEvent, lookupDelivery): the locations are tried
// in order, the first naming a known event wins, an unknown name in the
// first is passed over for a known one in the second, and two naming
// different known events are a 400; a body that names no event is the
// event of the only webhook that may omit the name and accepts it,
// acknowledged as unknown when several accept it (contract.Event.MayOmitName).
func TestEventLocationsThroughHandler(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and builds packages")
	}
	hdr := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	const repo = `"repository": {"id": 1, "full_name": "o/r", "owner": {"login": "o", "id": 1}}, "sender": {"login": "o", "id": 1}`
	cases := []struct {
		spec       realSpec
		deliveries []delivery
	}{
		{realSpec{pkg: "githubstyle", root: "githubstyle", doc: "openapi.yaml"}, []delivery{
			{"issues opened", hdr("X-GitHub-Event", "issues"), `{"action": "opened", "issue": {"number": 1, "title": "t", "state": "open"}, ` + repo + `}`, "issues-opened"},
			{"issues closed", hdr("X-GitHub-Event", "issues"), `{"action": "closed", "issue": {"number": 1, "title": "t", "state": "closed"}, ` + repo + `}`, "issues-closed"},
			{"check_run read as check-run", hdr("X-GitHub-Event", "check_run"), `{"action": "completed", "check_run": {"id": 4, "status": "completed", "conclusion": null}, ` + repo + `}`, "check-run-completed"},
			{"push, no action", hdr("X-GitHub-Event", "push"), `{"ref": "refs/heads/main", ` + repo + `}`, "push"},
			{"ping", hdr("X-GitHub-Event", "ping"), `{"zen": "z", "hook_id": 1}`, "ping"},
			{"an action the spec does not declare", hdr("X-GitHub-Event", "issues"), `{"action": "transferred", "issue": {"number": 1}}`, "unknown:issues-transferred"},
			{"an event the spec does not declare", hdr("X-GitHub-Event", "star"), `{"action": "created"}`, "unknown:star-created"},
			{"no header", nil, `{"action": "opened", "issue": {"number": 1, "title": "t", "state": "open"}, ` + repo + `}`, "400"},
			{"a body its event's schema refuses", hdr("X-GitHub-Event", "issues"), `{"action": "opened", "issue": {"number": 1, "title": "t", "state": "open"}}`, "400"},
			{"the action of another event", hdr("X-GitHub-Event", "issues"), `{"action": "completed", "check_run": {"id": 4, "status": "completed"}, ` + repo + `}`, "unknown:issues-completed"},
			{"not JSON", hdr("X-GitHub-Event", "push"), `{"ref": `, "400"},
		}},
		{realSpec{pkg: "twoplaces", root: "twoplaces", doc: "openapi.yaml", opts: contract.LoadOptions{EventPointers: []string{"header:X-Hook-Event", "/type"}}}, []delivery{
			{"the same event twice", hdr("X-Hook-Event", "order.created"), `{"type": "order.created", "id": "o", "total": 1}`, "order.created"},
			{"two different known events", hdr("X-Hook-Event", "order.created"), `{"type": "order.paid", "id": "o", "total": 1}`, "400"},
			{"unknown first, known second", hdr("X-Hook-Event", "order.shipped"), `{"type": "order.paid", "id": "o", "total": 1}`, "order.paid"},
			{"known first, unknown second", hdr("X-Hook-Event", "order.paid"), `{"type": "order.zzz", "id": "o", "total": 1}`, "order.paid"},
			{"the body alone", nil, `{"type": "order.created", "id": "o", "total": 1}`, "order.created"},
			{"the header alone", hdr("X-Hook-Event", "refund.created"), `{"id": "r", "order": "o"}`, "refund.created"},
			{"an unknown header, no body name", hdr("X-Hook-Event", "order.shipped"), `{"id": "o"}`, "unknown:order.shipped"},
			{"no name anywhere", nil, `{"id": "r", "order": "o"}`, "400"},
			{"a body its event's schema refuses", hdr("X-Hook-Event", "order.created"), `{"type": "order.created", "id": "o", "total": -1}`, "400"},
		}},
		// The event member is optional for some webhooks (Remote's
		// incentive.created): a body without it is told by its schema.
		{realSpec{pkg: "optionalname", root: "optionalname", doc: "openapi.yaml"}, []delivery{
			{"named", nil, `{"event_type": "incentive.created", "incentive_id": "i", "company_id": "c"}`, "incentive.created"},
			{"named, required member", nil, `{"event_type": "expense.approved", "expense_id": "e", "company_id": "c"}`, "expense.approved"},
			{"no name, one webhook accepts it", nil, `{"payslip_id": "p", "employment_id": "m"}`, "payslip.released"},
			{"no name, two webhooks accept it", nil, `{"incentive_id": "i", "company_id": "c"}`, "unknown:"},
			{"no name, no webhook accepts it", nil, `{"incentive_id": "i"}`, "400"},
			{"no name, only a webhook that requires it fits", nil, `{"expense_id": "e", "company_id": "c"}`, "400"},
			{"a name the spec does not declare", nil, `{"event_type": "incentive.paid", "incentive_id": "i", "company_id": "c"}`, "unknown:incentive.paid"},
			{"not an object", nil, `[]`, "400"},
		}},
	}
	dir := tempModule(t)
	for _, c := range cases {
		p, err := contract.LoadFileWith(os.DirFS(filepath.Join("testdata", "vendors", c.spec.root)), c.spec.doc, c.spec.opts)
		if err != nil {
			t.Fatal(err)
		}
		files, err := Generate(p, Options{Package: c.spec.pkg, Source: c.spec.doc})
		if err != nil {
			t.Fatal(err)
		}
		pkgDir := filepath.Join(dir, c.spec.pkg)
		if err := WriteDir(pkgDir, files); err != nil {
			t.Fatal(err)
		}
		m, err := buildModel(p, TypeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pkgDir, "deliveries_test.go"), []byte(deliveryTest(c.spec.pkg, m)), 0o644); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(c.deliveries)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pkgDir, "deliveries.json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		// The runner, as `hookcontract test` reads captures.
		suite, err := contracttest.LoadProvider(p)
		if err != nil {
			t.Fatal(err)
		}
		capDir := t.TempDir()
		var paths []string
		for i, d := range c.deliveries {
			cp := capture.Capture{Capture: capture.Format, Provider: p.Name, Method: "POST", Path: "/" + p.Name, Headers: map[string][]string{}, Status: 204}
			for k, v := range d.Header {
				cp.Headers[k] = []string{v}
			}
			cp.SetBody([]byte(d.Body))
			b, err := json.Marshal(cp)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(capDir, fmt.Sprintf("%02d.json", i))
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			paths = append(paths, path)
		}
		got := map[string]string{}
		if _, err := suite.RunStream(paths, nil, contracttest.Options{Jobs: 1}, func(r *contracttest.Result) error {
			got[r.Source] = runnerVerdict(r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for i, d := range c.deliveries {
			if v := got[paths[i]]; v != d.want {
				t.Errorf("%s: runner: %s: %s, want %s", c.spec.pkg, d.Name, v, d.want)
			}
		}
	}
	if _, _, err := goIn(dir, "test", "-count=1", "./..."); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		b, err := os.ReadFile(filepath.Join(dir, c.spec.pkg, "answers.json"))
		if err != nil {
			t.Fatal(err)
		}
		var answers []string
		if err := json.Unmarshal(b, &answers); err != nil || len(answers) != len(c.deliveries) {
			t.Fatalf("%s: answers: %v (%d of %d)", c.spec.pkg, err, len(answers), len(c.deliveries))
		}
		for i, d := range c.deliveries {
			if answers[i] != d.want {
				t.Errorf("%s: handler: %s: %s, want %s", c.spec.pkg, d.Name, answers[i], d.want)
			}
		}
	}
}

// runnerVerdict is what the runner made of a delivery, in the terms of
// delivery.want.
func runnerVerdict(r *contracttest.Result) string {
	switch {
	case r.Verdict == contracttest.Fail:
		return "400"
	case r.UnknownEvent:
		return "unknown:" + r.Event
	}
	return r.Event
}

// deliveryTest is a test, in the generated package, that posts each of
// deliveries.json to NewHandler and writes what it answered to
// answers.json: "400", the event dispatched, or "unknown:NAME".
func deliveryTest(pkg string, m *model) string {
	var b strings.Builder
	fmt.Fprintf(&b, `package %s

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
)

type recorder struct {
	UnimplementedHandler
	got string
}
`, pkg)
	for _, e := range m.events {
		fmt.Fprintf(&b, "\nfunc (r *recorder) On%s(_ context.Context, e *%s) error { r.got = e.EventName(); return nil }\n", e.GoName, e.TypeName)
	}
	b.WriteString(`
func TestDeliveries(t *testing.T) {
	data, err := os.ReadFile("deliveries.json")
	if err != nil {
		t.Fatal(err)
	}
	var ds []struct {
		Name   string
		Header map[string]string
		Body   string
	}
	if err := json.Unmarshal(data, &ds); err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(ds))
	for i, d := range ds {
		rec := &recorder{}
		h := NewHandler(rec, WithInsecureSkipVerify(), WithOnUnknown(func(_ context.Context, e *UnknownEvent) error {
			rec.got = "unknown:" + e.EventName()
			return nil
		}))
		req := httptest.NewRequest("POST", "/", strings.NewReader(d.Body))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range d.Header {
			req.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		switch {
		case w.Code == 204 && rec.got != "":
			out[i] = rec.got
		case w.Code == 400 && rec.got == "":
			out[i] = "400"
			if !strings.Contains(w.Body.String(), "violations") {
				t.Errorf("%s: 400 without violations: %s", d.Name, w.Body)
			}
		default:
			out[i] = strconv.Itoa(w.Code) + " " + rec.got
		}
		t.Logf("%s: %d %s %s", d.Name, w.Code, rec.got, w.Body)
	}
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("answers.json", b, 0o644); err != nil {
		t.Fatal(err)
	}
}
`)
	return b.String()
}
