package support

import "testing"

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
	oldPtrs, oldLocs := eventPointers, eventLocations
	t.Cleanup(func() { eventPointers, eventLocations = oldPtrs, oldLocs })
	eventPointers = [][]string{{"items", "0", "code"}, {"type"}}
	eventLocations = []string{"/items/0/code", "/type"}
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
