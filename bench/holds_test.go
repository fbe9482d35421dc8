package bench

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/go-faster/jx"

	ogenpeer "github.com/hookcontract/hookcontract/bench/ogen/peer"
	"github.com/hookcontract/hookcontract/generated/ampersand"
	"github.com/hookcontract/hookcontract/generated/salesforce"
	"github.com/hookcontract/hookcontract/generated/salesiq"
	"github.com/hookcontract/hookcontract/generated/tickets"
	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

// TestWhatEachDecodes measures how much of each benchmark payload each
// decoder's result holds, which is the work the benchmark's times pay for:
// a value the result holds typed was decoded (and, for the generated
// packages, validated); one held as raw bytes (ogen's jx.Raw, for a
// schema it did not type) was skipped over and kept unchecked; one not
// held at all (ogen's empty struct for a schema it could not express)
// was skipped. The generated Parse holds every value of every payload,
// typed: that is checked; ogen's shares are logged for the benchmark's
// reader.
func TestWhatEachDecodes(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		ours func([]byte) (any, error)
		ogen func([]byte) (all, raw int, err error)
		// whole: ogen's value must hold every value typed (an equal-work peer)
		whole bool
	}{
		{"small_ticket", fixture(t, "tickets", "sac_ticket.creation.json"),
			func(b []byte) (any, error) { return tickets.Parse(b) },
			ogenHolds[ogenpeer.TicketsSacTicket], false},
		{"small_salesforce_settings", fixture(t, "salesforce", "salesforcesettings.updated.json"),
			func(b []byte) (any, error) { return salesforce.Parse(b) },
			ogenHolds[ogenpeer.SalesforceEnvelope], false},
		{"small_salesforce_settings/branch", fixture(t, "salesforce", "salesforcesettings.updated.json"),
			func(b []byte) (any, error) { return salesforce.Parse(b) },
			ogenHolds[ogenpeer.SalesforceEnvelopeSettingsBranch], true},
		{"medium_operator_created", fixture(t, "salesiq", "operator.created.json"),
			func(b []byte) (any, error) { return salesiq.Parse(b) },
			ogenHolds[ogenpeer.SalesiqOperatorCreated], false},
		{"large_installation_64KB", largeInstallation(t),
			func(b []byte) (any, error) { return ampersand.Parse(b) },
			ogenHolds[ogenpeer.AmpersandInstallationCreated], false},
	} {
		total := jsonValues(t, tc.data)
		ev, err := tc.ours(tc.data)
		if err != nil {
			t.Fatalf("%s: Parse: %v", tc.name, err)
		}
		// the generated event's Payload is the typed body
		payload := reflect.ValueOf(ev).Elem().FieldByName("Payload").Interface()
		back, err := json.Marshal(payload)
		if err != nil {
			t.Fatalf("%s: marshal Parse's value: %v", tc.name, err)
		}
		if got := jsonValues(t, back); got != total {
			t.Errorf("%s: Parse's value holds %d of the payload's %d values", tc.name, got, total)
		}
		all, raw, err := tc.ogen(tc.data)
		if err != nil {
			t.Fatalf("%s: ogen: %v", tc.name, err)
		}
		if all > total {
			t.Fatalf("%s: ogen's value holds %d values, the payload %d", tc.name, all, total)
		}
		if tc.whole && (all != total || raw != 0) {
			t.Errorf("%s: ogen's value holds %d of the payload's %d values, %d as raw bytes: it is not an equal-work peer", tc.name, all, total, raw)
		}
		t.Logf("%-26s %6d values: generated Parse holds %d typed; ogen %d typed (%.0f%%), %d as unchecked raw bytes, %d not at all",
			tc.name, total, total, all-raw, 100*float64(all-raw)/float64(total), raw, total-all)
	}
}

// ogenHolds decodes data with ogen's generated type T and counts the
// values the result holds (as its own encoder writes them back) and,
// among them, those it holds as raw bytes.
func ogenHolds[T any, P interface {
	*T
	Decode(*jx.Decoder) error
	MarshalJSON() ([]byte, error)
}](data []byte) (all, raw int, err error) {
	var v T
	if err := P(&v).Decode(jx.DecodeBytes(data)); err != nil {
		return 0, 0, err
	}
	back, err := P(&v).MarshalJSON()
	if err != nil {
		return 0, 0, err
	}
	all, err = countValues(back)
	if err != nil {
		return 0, 0, err
	}
	raw, err = rawValues(reflect.ValueOf(v))
	return all, raw, err
}

var rawType = reflect.TypeFor[jx.Raw]()

// rawValues counts the JSON values held in the jx.Raw fields of v.
func rawValues(v reflect.Value) (int, error) {
	if v.Type() == rawType {
		if v.Len() == 0 {
			return 0, nil
		}
		return countValues(v.Bytes())
	}
	n := 0
	add := func(w reflect.Value) error {
		k, err := rawValues(w)
		n += k
		return err
	}
	var err error
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			err = add(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField() && err == nil; i++ {
			err = add(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len() && err == nil; i++ {
			err = add(v.Index(i))
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next() && err == nil; {
			err = add(it.Value())
		}
	}
	return n, err
}

// countValues counts the JSON values of data, object keys aside.
func countValues(data []byte) (int, error) {
	st := hcrt.Scan(data)
	defer st.Release()
	if !st.Parsed {
		return 0, hcrt.AsError(st.Check(nil))
	}
	n := len(st.Nodes)
	for _, nd := range st.Nodes {
		if nd.Kind == hcrt.KObject {
			n -= int(nd.N)
		}
	}
	return n, nil
}

func jsonValues(t *testing.T, data []byte) int {
	t.Helper()
	n, err := countValues(data)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
