package salesiq

import "testing"

// A SalesIQ app_id beyond 2^53, sent as a JSON number, validates and
// decodes with every digit: no code path turns it into a float64.
func TestAppIDBeyond2Pow53(t *testing.T) {
	body := []byte(`{"entity_type": "conversation", "org_id": "55778119", "event": "conversation.rated",
		"entity_id": "40526000001808033", "attempt": 1, "version": "1", "app_id": 40526000000002041,
		"entity": {"feedback": "Awesome support from the reps!", "id": "40526000001808033"},
		"event_time": "1567065865617"}`)
	if err := Validate(body); err != nil {
		t.Fatal(err)
	}
	ev, err := Parse(body)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := ev.(*ConversationRatedEvent)
	if !ok {
		t.Fatalf("parsed %T", ev)
	}
	// Through a float64 it would come out as 40526000000002040.
	const want = 40526000000002041
	if e.Payload.AppID == nil || *e.Payload.AppID != want {
		t.Fatalf("app_id = %v, want %d", e.Payload.AppID, want)
	}
	if got, _ := e.Payload.EventTime.Int64(); got != 1567065865617 || !e.Payload.EventTime.Quoted {
		t.Errorf("event_time = %+v", e.Payload.EventTime)
	}
}
