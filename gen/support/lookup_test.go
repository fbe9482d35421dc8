package support

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"unicode/utf8"

	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

// TestLookupMemberArrayItem: an event name inside an array item
// (notificationItems/0/NotificationRequestItem/eventCode) is found, and
// indexes that are not there, not decimal or not canonical are not.
func TestLookupMemberArrayItem(t *testing.T) {
	body := []byte(`{"live": "false", "notificationItems": [ {"NotificationRequestItem": {"eventCode": "AUTHORISATION"}} , {"NotificationRequestItem": {"eventCode": "CAPTURE"}}]}`)
	for _, c := range []struct {
		path []string
		want string
		ok   bool
	}{
		{[]string{"notificationItems", "0", "NotificationRequestItem", "eventCode"}, "AUTHORISATION", true},
		{[]string{"notificationItems", "1", "NotificationRequestItem", "eventCode"}, "CAPTURE", true},
		{[]string{"notificationItems", "2", "NotificationRequestItem", "eventCode"}, "", false},
		{[]string{"notificationItems", "01", "NotificationRequestItem", "eventCode"}, "", false},
		{[]string{"notificationItems", "-1"}, "", false},
		{[]string{"notificationItems", "x"}, "", false},
		{[]string{"live", "0"}, "", false},
	} {
		v, isString, ok := hcrt.LookupMember(body, c.path)
		if ok != c.ok || (ok && (!isString || string(v) != c.want)) {
			t.Errorf("hcrt.LookupMember(%v) = %q, %v, %v; want %q, %v", c.path, v, isString, ok, c.want, c.ok)
		}
	}
	if _, _, ok := hcrt.LookupMember([]byte(`{"a": [1, 2`), []string{"a", "5"}); ok {
		t.Error("found an item in a truncated array")
	}
}

// TestLookupEventLocations: the places of the event name are tried in
// order, the first naming a known event wins, and two places naming
// different known events are one violation naming both.
func TestLookupEventLocations(t *testing.T) {
	old := eventLocations
	t.Cleanup(func() { eventLocations = old })
	eventLocations = []eventLocation{{Name: "/items/0/code", Pointer: []string{"items", "0", "code"}}, {Name: "/type", Pointer: []string{"type"}}}
	for _, c := range []struct {
		body, want string
		present    bool
		amb        string
	}{
		{`{"items": [{"code": "A"}]}`, "A", true, ""},
		{`{"type": "b.changed"}`, "b.changed", true, ""},
		{`{"items": [{"code": ""}], "type": "b.changed"}`, "b.changed", true, ""}, // "" is not known to the stub
		{`{"items": [{"code": "A"}], "type": "A"}`, "A", true, ""},
		{`{"items": [{"code": "A"}], "type": "b.changed"}`, "A", true, `/type: expected one event name, found "A" at /items/0/code and "b.changed" at /type`},
		{`{"other": 1}`, "", false, ""},
	} {
		name, _, present, amb := lookupEvent([]byte(c.body))
		if string(name) != c.want || present != c.present {
			t.Errorf("%s: found %q (present %v), want %q (present %v)", c.body, name, present, c.want, c.present)
		}
		got := ""
		if amb != nil {
			got = amb.Violations[0].Pointer + ": " + amb.Violations[0].Message
		}
		if got != c.amb {
			t.Errorf("%s: ambiguity %q, want %q", c.body, got, c.amb)
		}
	}
}

// TestLookupDeliveryHeader: a header location is one entry of the ordered
// list, qualified by a body member (value+separator+qualifier, else the
// value alone, "_" also read as "-"), skipped for a body alone; the same
// cases as contract's TestFindEventHeader.
func TestLookupDeliveryHeader(t *testing.T) {
	oldLocs, oldSep, oldKnown := eventLocations, eventSeparator, knownEventFunc
	t.Cleanup(func() { eventLocations, eventSeparator, knownEventFunc = oldLocs, oldSep, oldKnown })
	eventLocations = []eventLocation{{Name: "header:X-Hub-Event/action", Header: "X-Hub-Event", Pointer: []string{"action"}}, {Name: "/type", Pointer: []string{"type"}}}
	eventSeparator = "-"
	names := map[string]bool{"issues-opened": true, "push": true, "check-run-completed": true, "a": true}
	knownEventFunc = func(n []byte) bool { return names[string(n)] }
	for _, c := range []struct {
		header, body, want, amb string
	}{
		{"issues", `{"action": "opened"}`, "issues-opened", ""},
		{"push", `{"ref": "x"}`, "push", ""},
		{"push", `{"action": 7}`, "push", ""},
		{"check_run", `{"action": "completed"}`, "check-run-completed", ""},
		{"issues", `{"action": "transferred"}`, "issues-transferred", ""},
		{"", `{"type": "a"}`, "a", ""},
		{"zz", `{"type": "a"}`, "a", ""},
		{"push", `{"type": "push"}`, "push", ""},
		{"push", `{"type": "a"}`, "push", `/type: expected one event name, found "push" at header:X-Hub-Event/action and "a" at /type`},
		{"", `{"other": 1}`, "", ""},
	} {
		h := http.Header{}
		if c.header != "" {
			h.Set("x-hub-event", c.header)
		}
		name, isString, present, amb := lookupDelivery(h, []byte(c.body))
		if string(name) != c.want || present != (c.want != "") || present && !isString {
			t.Errorf("%s %s: found %q (present %v, string %v), want %q", c.header, c.body, name, present, isString, c.want)
		}
		got := ""
		if amb != nil {
			got = amb.Violations[0].Pointer + ": " + amb.Violations[0].Message
		}
		if got != c.amb {
			t.Errorf("%s %s: ambiguity %q, want %q", c.header, c.body, got, c.amb)
		}
	}
	if _, _, present, _ := lookupEvent([]byte(`{"action": "opened"}`)); present {
		t.Error("a body alone found the header's event")
	}
}

// FuzzEventLocations: the generated rule (lookupDelivery) and the runner's
// (contract.FindEvent) find the same event in any delivery, header and
// body: the same presence, the same name, the same ambiguity.
func FuzzEventLocations(f *testing.F) {
	for _, s := range [][2]string{
		{"issues", `{"action": "opened"}`}, {"check_run", `{"action": "completed"}`}, {"push", `{"type": "a"}`},
		{"", `{"type": "a"}`}, {"zz", `{"type": "push", "action": "x"}`}, {"push", `{"action": 7, "type": ["a"]}`},
		{"issues", `{"action": "op\u0065ned"}`}, {"", `[1, {"type": "a"}]`},
	} {
		f.Add(s[0], []byte(s[1]))
	}
	oldLocs, oldSep, oldKnown := eventLocations, eventSeparator, knownEventFunc
	f.Cleanup(func() { eventLocations, eventSeparator, knownEventFunc = oldLocs, oldSep, oldKnown })
	eventLocations = []eventLocation{{Name: "header:X-Hub-Event/action", Header: "X-Hub-Event", Pointer: []string{"action"}}, {Name: "/type", Pointer: []string{"type"}}}
	eventSeparator = "-"
	names := map[string]bool{"issues-opened": true, "push": true, "check-run-completed": true, "a": true}
	knownEventFunc = func(n []byte) bool { return names[string(n)] }
	locs := []contract.Location{{Header: "X-Hub-Event", Pointer: "/action"}, {Pointer: "/type"}}
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		if !json.Valid(body) || !utf8.Valid(body) || !utf8.ValidString(header) || hasDuplicateKeys(body) {
			return // the runner refuses these before detection
		}
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			return
		}
		h := http.Header{}
		if header != "" {
			h.Set("X-Hub-Event", header)
		}
		at, err := contract.FindEvent(v, h, locs, "-", func(s string) bool { return names[s] })
		name, isString, present, amb := lookupDelivery(h, body)
		if present != at.Present || (err != nil) != (amb != nil) {
			t.Fatalf("header %q body %s: generated found %q (present %v, ambiguous %v), runner %+v (error %v)", header, body, name, present, amb != nil, at, err)
		}
		if s, ok := at.Name.(string); present && (ok != isString || ok && s != string(name)) {
			t.Fatalf("header %q body %s: generated found %q (string %v), runner %#v", header, body, name, isString, at.Name)
		}
	})
}

// hasDuplicateKeys reports whether a JSON document has an object with a
// member name twice (the runner refuses it; lookups would differ).
func hasDuplicateKeys(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	var walk func() bool
	walk = func() bool {
		tok, err := dec.Token()
		if err != nil {
			return true
		}
		switch tok {
		case json.Delim('{'):
			seen := map[string]bool{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return true
				}
				s, _ := k.(string)
				if seen[s] {
					return true
				}
				seen[s] = true
				if walk() {
					return true
				}
			}
			_, err = dec.Token()
			return err != nil
		case json.Delim('['):
			for dec.More() {
				if walk() {
					return true
				}
			}
			_, err = dec.Token()
			return err != nil
		}
		return false
	}
	return walk()
}
