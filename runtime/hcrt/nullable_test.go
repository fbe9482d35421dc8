package hcrt

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

type nullableHolder struct {
	Name  Nullable[string]   `json:"name,omitzero"`
	Count Nullable[int64]    `json:"count,omitzero"`
	Tags  Nullable[[]string] `json:"tags,omitzero"`
}

// TestNullableAbsentNullValue: absent, null and a value decode to three
// states and marshal back as they came.
func TestNullableAbsentNullValue(t *testing.T) {
	for _, tc := range []struct {
		in                    string
		nameSet, nameNull     bool
		name                  string
		countSet, countHasVal bool
	}{
		{in: `{}`},
		{in: `{"name":null}`, nameSet: true, nameNull: true},
		{in: `{"name":"ada","count":3}`, nameSet: true, name: "ada", countSet: true, countHasVal: true},
		{in: `{"count":null,"tags":[]}`, countSet: true},
		{in: `{"tags":null}`},
	} {
		var h nullableHolder
		if err := DecodeJSON([]byte(tc.in), &h); err != nil {
			t.Fatalf("%s: %v", tc.in, err)
		}
		if h.Name.IsSet() != tc.nameSet || h.Name.IsNull() != tc.nameNull || h.Name.Value() != tc.name {
			t.Errorf("%s: name set=%v null=%v value=%q", tc.in, h.Name.IsSet(), h.Name.IsNull(), h.Name.Value())
		}
		if _, ok := h.Count.Get(); h.Count.IsSet() != tc.countSet || ok != tc.countHasVal {
			t.Errorf("%s: count set=%v has value=%v", tc.in, h.Count.IsSet(), ok)
		}
		out, err := json.Marshal(h)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != tc.in {
			t.Errorf("marshal(decode(%s)) = %s", tc.in, out)
		}
	}
}

func TestNullableSetters(t *testing.T) {
	var n Nullable[string]
	if n.IsSet() || !n.IsZero() {
		t.Fatal("zero Nullable is set")
	}
	n.Set("x")
	if v, ok := n.Get(); !ok || v != "x" || n.IsNull() {
		t.Errorf("after Set: %q %v null=%v", v, ok, n.IsNull())
	}
	n.SetNull()
	if _, ok := n.Get(); ok || !n.IsNull() || !n.IsSet() {
		t.Error("after SetNull: not null")
	}
	if b, _ := json.Marshal(n); string(b) != "null" {
		t.Errorf("null marshals as %s", b)
	}
	n.Unset()
	if n.IsSet() {
		t.Error("after Unset: set")
	}
	if NewNullable(2).Value() != 2 || !NewNull[int]().IsNull() {
		t.Error("constructors")
	}
}

// TestNullableIntegers: a Nullable integer decodes as Parse decodes
// integers: 1.0 and 1e3 are integers, one beyond int64 is a violation.
func TestNullableIntegers(t *testing.T) {
	var h nullableHolder
	if err := DecodeJSON([]byte(`{"count":1e3}`), &h); err != nil || h.Count.Value() != 1000 {
		t.Fatalf("1e3: %v %d", err, h.Count.Value())
	}
	err := DecodeJSON([]byte(`{"count":92233720368547758070}`), &h)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("an integer beyond int64: %v, want a *ValidationError", err)
	}
}

// TestDateTimeRoundTrip: every RFC 3339 form marshals back byte for byte,
// and its Time is the instant it names.
func TestDateTimeRoundTrip(t *testing.T) {
	for in, want := range map[string]string{
		`"2026-12-01T10:00:00Z"`:                    "2026-12-01T10:00:00Z",
		`"2026-12-01T10:00:00+00:00"`:               "2026-12-01T10:00:00Z",
		`"2026-12-01t10:00:00z"`:                    "2026-12-01T10:00:00Z",
		`"2026-12-01T11:30:00.5+01:30"`:             "2026-12-01T10:00:00.5Z",
		`"2026-12-01T10:00:00.123456789123-00:00"`:  "2026-12-01T10:00:00.123456789Z",
		`"2016-12-31T23:59:60Z"`:                    "2017-01-01T00:00:00Z",
		`"1990-12-31T15:59:60-08:00"`:               "1991-01-01T00:00:00Z",
		`"2026-12-01T10:00:00.000000000000000001Z"`: "2026-12-01T10:00:00Z",
		`"\u0032026-12-01T10:00:00\u005a"`:          "2026-12-01T10:00:00Z",
	} {
		var d DateTime
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if !d.Valid() {
			t.Errorf("%s: not valid", in)
		}
		if got := d.Time.UTC().Format(time.RFC3339Nano); got != want {
			t.Errorf("%s: Time %s, want %s", in, got, want)
		}
		out, err := json.Marshal(d)
		if err != nil || string(out) != in {
			t.Errorf("marshal(decode(%s)) = %s, %v", in, out, err)
		}
	}
}

// TestDateTimeChanged: once Time is changed, it is what marshals.
func TestDateTimeChanged(t *testing.T) {
	var d DateTime
	if err := json.Unmarshal([]byte(`"2026-12-01t10:00:00+00:00"`), &d); err != nil {
		t.Fatal(err)
	}
	d.Time = d.Time.Add(time.Hour)
	if out, _ := json.Marshal(d); string(out) != `"2026-12-01T11:00:00Z"` {
		t.Errorf("changed: %s", out)
	}
	if out, _ := json.Marshal(NewDateTime(time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC))); string(out) != `"2026-01-02T03:04:05.000000006Z"` {
		t.Errorf("NewDateTime: %s", out)
	}
	if _, err := ParseDateTime("2026-13-01T00:00:00Z"); err == nil {
		t.Error("ParseDateTime accepts month 13")
	}
}

// TestDateTimeNotADateTime: a string that is no date-time (drift) decodes,
// keeps its text and reports it; anything but a string is an error.
func TestDateTimeNotADateTime(t *testing.T) {
	for _, in := range []string{`"yesterday"`, `"2026-12-01"`, `""`, `"2026-12-01T25:00:00Z"`} {
		var d DateTime
		if err := json.Unmarshal([]byte(in), &d); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if d.Valid() || !d.Time.IsZero() {
			t.Errorf("%s: Valid() = %v, Time %v", in, d.Valid(), d.Time)
		}
		if out, _ := json.Marshal(d); string(out) != in {
			t.Errorf("marshal(decode(%s)) = %s", in, out)
		}
	}
	var d DateTime
	if err := json.Unmarshal([]byte(`12`), &d); err == nil {
		t.Error("a number decodes as a date-time")
	}
}

func TestJSONKindAndMembers(t *testing.T) {
	for in, want := range map[string]string{
		` {"a":1}`: "object", "[1]": "array", `"x"`: "string", "true": "boolean", "false": "boolean",
		"null": "null", "-1": "number", "0.5": "number", "": "", " ": "", "x": "",
	} {
		if got := JSONKind([]byte(in)); got != want {
			t.Errorf("JSONKind(%q) = %q, want %q", in, got, want)
		}
	}
	data := []byte(`{"a":1,"b":{"c":2}}`)
	if !HasMembers(data, "a", "b") || HasMembers(data, "a", "c") || !HasMembers(data) {
		t.Error("hasMembers")
	}
}

// FuzzDateTime: any JSON string decodes, never panics, and marshals back
// to the same JSON string; what parses is the instant time.Parse reads
// from its normalized form.
func FuzzDateTime(f *testing.F) {
	for _, s := range []string{"2026-12-01T10:00:00Z", "2016-12-31t23:59:60z", "2026-12-01T10:00:00.1+00:00", "", "x", "2026-12-01T10:00:6", "0000-00-00T00:00:60Z"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in, err := json.Marshal(s)
		if err != nil {
			t.Skip()
		}
		var d DateTime
		if err := json.Unmarshal(in, &d); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		out, err := json.Marshal(d)
		if err != nil || string(out) != string(in) {
			t.Fatalf("marshal(decode(%s)) = %s, %v", in, out, err)
		}
		want, perr := parseRFC3339(s)
		if d.Valid() != (perr == nil) || !d.Time.Equal(want) {
			t.Fatalf("%s: Valid %v, Time %v; parse: %v %v", in, d.Valid(), d.Time, want, perr)
		}
	})
}

// FuzzNullable: any JSON value decodes into a Nullable or is refused with
// an error, never a panic; what decodes marshals back to the same value.
func FuzzNullable(f *testing.F) {
	for _, s := range []string{`null`, `1`, `1.0`, `1e3`, `"x"`, `[1]`, ` null `, `-0`, `9223372036854775808`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !json.Valid([]byte(s)) {
			t.Skip()
		}
		var n Nullable[int64]
		if err := json.Unmarshal([]byte(s), &n); err != nil {
			return
		}
		out, err := json.Marshal(n)
		if err != nil {
			t.Fatal(err)
		}
		var a, b any
		if json.Unmarshal([]byte(s), &a) != nil || json.Unmarshal(out, &b) != nil {
			t.Fatalf("%s -> %s", s, out)
		}
		if fa, ok := a.(float64); ok {
			if fb, ok := b.(float64); !ok || fa != fb {
				t.Fatalf("%s -> %s", s, out)
			}
		} else if a != nil || b != nil {
			t.Fatalf("%s -> %s", s, out)
		}
	})
}
