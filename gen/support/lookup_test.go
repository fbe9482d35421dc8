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
