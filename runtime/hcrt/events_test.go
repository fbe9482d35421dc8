package hcrt

import (
	"bytes"
	"testing"
)

// TestFindDeliveryOneLocation: the shortcut for one place in the body
// answers what the loop over the locations answers (the same place twice
// takes the loop), on the tape and on the bytes, for bodies where the
// name is declared, undeclared, not a string, escaped, absent or not JSON.
func TestFindDeliveryOneLocation(t *testing.T) {
	known := func(name []byte) bool { return string(name) == "a.created" }
	for _, ptr := range [][]string{{"type"}, {"meta", "event"}, {"list", "1"}} {
		loc := EventLocation{Name: "/x", Pointer: ptr}
		one := &Events{Locations: []EventLocation{loc}, Known: known}
		twice := &Events{Locations: []EventLocation{loc, loc}, Known: known}
		for _, body := range []string{
			`{"type":"a.created"}`, `{"type":"b.deleted","x":1}`, `{"type":7}`, `{"type":"a.\u0063reated"}`,
			`{"x":{"type":"a.created"}}`, `{}`, `[]`, `"type"`, `{"type":`,
			`{"meta":{"event":"a.created"}}`, `{"meta":{"event":null}}`, `{"meta":[]}`,
			`{"list":["a.created","b.deleted"]}`, `{"list":[{},"a.created"]}`, `{"list":[1]}`,
		} {
			st := Scan([]byte(body))
			n1, s1, p1, a1 := one.FindDelivery(nil, st.Lookup)
			n2, s2, p2, a2 := twice.FindDelivery(nil, st.Lookup)
			if !bytes.Equal(n1, n2) || s1 != s2 || p1 != p2 || (a1 == nil) != (a2 == nil) {
				t.Errorf("%v on %s: one location %q %v %v %v, the loop %q %v %v %v", ptr, body, n1, s1, p1, a1, n2, s2, p2, a2)
			}
			st.Release()
			b1, bs1, bp1, _ := one.LookupDelivery(nil, []byte(body))
			if !bytes.Equal(b1, n1) || bs1 != s1 || bp1 != p1 {
				t.Errorf("%v on %s: on the bytes %q %v %v, on the tape %q %v %v", ptr, body, b1, bs1, bp1, n1, s1, p1)
			}
		}
	}
}
