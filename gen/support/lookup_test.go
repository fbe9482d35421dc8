package support

import (
	"net/http"
	"testing"
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
		v, isString, ok := lookupMember(body, c.path)
		if ok != c.ok || (ok && (!isString || string(v) != c.want)) {
			t.Errorf("lookupMember(%v) = %q, %v, %v; want %q, %v", c.path, v, isString, ok, c.want, c.ok)
		}
	}
	if _, _, ok := lookupMember([]byte(`{"a": [1, 2`), []string{"a", "5"}); ok {
		t.Error("found an item in a truncated array")
	}
}

// TestLookupEventLocations: the places of the event name are tried in
// order, the first naming a known event wins, and two places naming
// different known events are one violation naming both.
func TestLookupEventLocations(t *testing.T) {
	old := eventLocations
	t.Cleanup(func() { eventLocations = old })
	eventLocations = []eventLocation{{name: "/items/0/code", pointer: []string{"items", "0", "code"}}, {name: "/type", pointer: []string{"type"}}}
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
	eventLocations = []eventLocation{{name: "header:X-Hub-Event/action", header: "X-Hub-Event", pointer: []string{"action"}}, {name: "/type", pointer: []string{"type"}}}
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
