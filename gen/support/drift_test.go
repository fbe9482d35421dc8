package support

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// withDrift makes the stub parse report drift for events named "drifts".
func withDrift(t *testing.T) {
	t.Helper()
	old := stubDrift
	stubDrift = func(data []byte) []Violation {
		var v map[string]any
		if json.Unmarshal(data, &v) == nil && v["event"] == "drifts" {
			return []Violation{{Pointer: "/id", Keyword: "pattern", Message: `expected a string matching "^[0-9]+$", found "bot_zia"`, Grade: GradeExpected}}
		}
		return nil
	}
	t.Cleanup(func() { stubDrift = old })
}

// TestHandlerDrift: a body that breaks expectations only is dispatched and
// answered 204, logged, and given to the OnDrift hook; a panicking hook
// does not lose the delivery; a body without drift never reaches the hook.
func TestHandlerDrift(t *testing.T) {
	withStubs(t, providerProfile{Name: "example"})
	withDrift(t)
	var mu sync.Mutex
	var seen []string
	fh := &fakeHandler{}
	logger, logs := testLogger()
	srv := httptest.NewServer(NewHandler(fh, WithLogger(logger), WithOnDrift(func(_ context.Context, ev Event, drift []Violation) {
		mu.Lock()
		defer mu.Unlock()
		for _, v := range drift {
			seen = append(seen, ev.EventName()+" "+v.Pointer+" "+string(v.Grade))
		}
		if len(seen) > 1 {
			panic("hook bug")
		}
	})))
	defer srv.Close()
	for i := range 2 {
		if a := send(t, srv.URL, "POST", "application/json", strings.NewReader(`{"event":"drifts","id":"bot_zia"}`), nil); a.status != 204 {
			t.Fatalf("drift delivery %d answered %d %s", i, a.status, a.body)
		}
	}
	if a := send(t, srv.URL, "POST", "application/json", strings.NewReader(`{"event":"ok"}`), nil); a.status != 204 {
		t.Fatalf("clean delivery answered %d", a.status)
	}
	if got := fh.calls.Load(); got != 3 {
		t.Errorf("%d dispatches, want 3 (drift is dispatched, even when the hook panics)", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(seen) != 2 || seen[0] != "drifts /id expected" {
		t.Errorf("hook saw %q", seen)
	}
	for _, want := range []string{"webhook payload drifts from the contract", "drift hook failed", "hook bug"} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, logs.String())
		}
	}
}

// TestHandlerRefuseDrift: with WithRefuseDrift a drifting body is answered
// 400 with its expectations, graded, and never dispatched.
func TestHandlerRefuseDrift(t *testing.T) {
	withStubs(t, providerProfile{Name: "example"})
	withDrift(t)
	fh := &fakeHandler{}
	logger, _ := testLogger()
	srv := httptest.NewServer(NewHandler(fh, WithLogger(logger), WithRefuseDrift()))
	defer srv.Close()
	a := send(t, srv.URL, "POST", "application/json", strings.NewReader(`{"event":"drifts","id":"bot_zia"}`), nil)
	if a.status != 400 {
		t.Fatalf("answered %d, want 400", a.status)
	}
	var p struct{ Violations []Violation }
	if err := json.Unmarshal([]byte(a.body), &p); err != nil || len(p.Violations) != 1 || p.Violations[0].Grade != GradeExpected || p.Violations[0].Pointer != "/id" {
		t.Errorf("problem %s (%v)", a.body, err)
	}
	if fh.calls.Load() != 0 {
		t.Error("a refused drift was dispatched")
	}
	if a := send(t, srv.URL, "POST", "application/json", strings.NewReader(`{"event":"ok"}`), nil); a.status != 204 {
		t.Errorf("clean delivery answered %d", a.status)
	}
}

// TestHandlerDriftDedupe: a drift refused with WithRefuseDrift takes no
// claim, so the same delivery is refused again (never acknowledged as a
// duplicate) and, once drift is accepted, handled afresh; an accepted
// drift is reported once, by the attempt that holds the claim, and its
// duplicate is acknowledged without a second dispatch or report.
func TestHandlerDriftDedupe(t *testing.T) {
	withStubs(t, providerProfile{Name: "example"})
	withDrift(t)
	d := NewMemoryDeduper(time.Hour, 100)
	logger, _ := testLogger()
	body := `{"event":"drifts","id":"bot_zia"}`
	refusing := &fakeHandler{}
	srv := httptest.NewServer(NewHandler(refusing, WithLogger(logger), WithDeduper(d), WithRefuseDrift()))
	defer srv.Close()
	for i := range 2 {
		if a := send(t, srv.URL, "POST", "application/json", strings.NewReader(body), nil); a.status != 400 {
			t.Fatalf("refused drift, attempt %d: answered %d %s, want 400", i, a.status, a.body)
		}
	}
	if refusing.calls.Load() != 0 {
		t.Error("a refused drift was dispatched")
	}
	var reports atomic.Int32
	accepting := &fakeHandler{}
	srv2 := httptest.NewServer(NewHandler(accepting, WithLogger(logger), WithDeduper(d),
		WithOnDrift(func(context.Context, Event, []Violation) { reports.Add(1) })))
	defer srv2.Close()
	for i := range 2 {
		if a := send(t, srv2.URL, "POST", "application/json", strings.NewReader(body), nil); a.status != 204 {
			t.Fatalf("accepted drift, attempt %d: answered %d %s, want 204", i, a.status, a.body)
		}
	}
	if got := accepting.calls.Load(); got != 1 {
		t.Errorf("%d dispatches, want 1: the refused attempts left no claim, the duplicate is acknowledged", got)
	}
	if got := reports.Load(); got != 1 {
		t.Errorf("drift reported %d times, want 1", got)
	}
}
