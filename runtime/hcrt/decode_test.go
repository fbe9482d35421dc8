package hcrt

import (
	"encoding/json"
	"errors"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// decodeRoot runs decode on the root node of data after the scanner's
// checks.
func decodeRoot(data string, decode func(st *State) error) error {
	return DecodeOnly([]byte(data), decode)
}

func TestDecIntRules(t *testing.T) {
	for _, tc := range []struct {
		lit  string
		want int64
		msg  string // part of the message when the literal cannot be held
	}{
		{"0", 0, ""}, {"-0", 0, ""}, {"-0.0", 0, ""}, {"1.0", 1, ""}, {"1e3", 1000, ""}, {"1E+3", 1000, ""},
		{"12.5e1", 125, ""}, {"1500e-2", 15, ""}, {"-7.00", -7, ""}, {"0e9999", 0, ""},
		{"9223372036854775807", 1<<63 - 1, ""}, {"-9223372036854775808", -1 << 63, ""},
		{"9.223372036854775807e18", 1<<63 - 1, ""}, {"123456789012345678", 123456789012345678, ""},
		{"9223372036854775808", 0, "does not fit"}, {"-9223372036854775809", 0, "does not fit"},
		{"1e19", 0, "does not fit"}, {"1e9999", 0, "does not fit"}, {"18446744073709551616", 0, "does not fit"},
		{"0.5", 0, "not an integer"}, {"1e-1", 0, "not an integer"}, {"1.25e1", 0, "not an integer"},
	} {
		var got int64
		err := decodeRoot(`{"n": [`+tc.lit+`]}`, func(st *State) error { return st.DecInt(3, &got) })
		if tc.msg == "" {
			if err != nil || got != tc.want {
				t.Errorf("%s: got %d, %v; want %d", tc.lit, got, err, tc.want)
			}
			continue
		}
		var ve *ValidationError
		if !errors.As(err, &ve) || len(ve.Violations) != 1 || ve.Violations[0].Pointer != "/n/0" || !strings.Contains(ve.Violations[0].Message, tc.msg) {
			t.Errorf("%s: got %v; want a violation at /n/0 saying %q", tc.lit, err, tc.msg)
		}
	}
}

// FuzzIntOf: hcIntOf agrees with exact rational arithmetic on every
// number literal.
func FuzzIntOf(f *testing.F) {
	for _, s := range []string{"0", "1.0", "1e3", "-9223372036854775808", "9223372036854775808", "12.5e1", "0.5", "1e-1", "-0.0e5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, lit string) {
		if !json.Valid([]byte(lit)) || len(lit) == 0 || (lit[0] != '-' && (lit[0] < '0' || lit[0] > '9')) || len(lit) > 64 {
			return
		}
		if i := strings.IndexAny(lit, "eE"); i >= 0 && len(strings.TrimLeft(strings.TrimLeft(lit[i+1:], "+-"), "0")) > 4 {
			return // beyond the scanner's exponent bound
		}
		r, ok := new(big.Rat).SetString(lit)
		if !ok {
			t.Skip()
		}
		got, msg := hcIntOf([]byte(lit))
		switch {
		case !r.IsInt():
			if !strings.Contains(msg, "not an integer") {
				t.Fatalf("%s: got %d, %q; want not an integer", lit, got, msg)
			}
		case !r.Num().IsInt64():
			if !strings.Contains(msg, "does not fit") {
				t.Fatalf("%s: got %d, %q; want does not fit", lit, got, msg)
			}
		default:
			if msg != "" || got != r.Num().Int64() {
				t.Fatalf("%s: got %d, %q; want %d", lit, got, msg, r.Num().Int64())
			}
		}
	})
}

func TestDecStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{`""`, `"plain"`, `"a\"b\\c\/d\b\f\n\r\t"`, `"\u00e9\u4e2d"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ude00x"`, `"é中😀"`} {
		var want, got string
		if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatal(err)
		}
		if err := decodeRoot(s, func(st *State) error { return st.DecString(0, &got) }); err != nil || got != want {
			t.Errorf("%s: got %q, %v; want %q", s, got, err, want)
		}
	}
}

func TestDecodeTypesAndNull(t *testing.T) {
	var (
		s   = "kept"
		b   = true
		n   json.Number
		raw json.RawMessage
	)
	err := decodeRoot(`[null, null, 1.50, {"a" : [1, 2]}, "x"]`, func(st *State) error {
		return errors.Join(st.DecString(1, &s), st.DecBool(2, &b), st.DecNumber(3, &n), st.DecRaw(4, &raw))
	})
	if err != nil || s != "kept" || !b || n != "1.50" || string(raw) != `{"a" : [1, 2]}` {
		t.Errorf("got %q %v %q %s, %v", s, b, n, raw, err)
	}
	err = decodeRoot(`{"a": {"b c": [1]}}`, func(st *State) error { return st.DecString(4, &s) })
	var de *hcDecodeError
	if !errors.As(err, &de) || de.Pointer != "/a/b c" || !strings.Contains(err.Error(), "expected a string, found an array") {
		t.Errorf("mismatch: %v", err)
	}
	var digits string
	var quoted bool
	if err := decodeRoot(`["12", 1e3]`, func(st *State) error {
		if err := st.DecIntOrString(1, &digits, &quoted); err != nil || digits != "12" || !quoted {
			t.Errorf("string form: %q %v %v", digits, quoted, err)
		}
		return st.DecIntOrString(2, &digits, &quoted)
	}); err != nil || digits != "1e3" || quoted {
		t.Errorf("number form: %q %v %v", digits, quoted, err)
	}
	var value bool
	for in, want := range map[string][2]bool{`true`: {true, false}, `"false"`: {false, true}, `"\u0074rue"`: {true, true}} {
		if err := decodeRoot(in, func(st *State) error { return st.DecBoolOrString(0, &value, &quoted) }); err != nil || value != want[0] || quoted != want[1] {
			t.Errorf("%s: %v %v %v", in, value, quoted, err)
		}
	}
	if err := decodeRoot(`"yes"`, func(st *State) error { return st.DecBoolOrString(0, &value, &quoted) }); err == nil {
		t.Error(`"yes" decoded as a boolean`)
	}
}

// The scanner's checks apply to a decode without validation.
func TestDecodeOnlyRefusesWhatTheScannerRefuses(t *testing.T) {
	called := false
	for _, in := range []string{`{"a": 1, "a": 2}`, `{"a": 1e99999}`, `{"a": `, `[1,]`} {
		err := decodeRoot(in, func(*State) error { called = true; return nil })
		var ve *ValidationError
		if !errors.As(err, &ve) || called {
			t.Errorf("%s: %v (decode called: %v)", in, err, called)
		}
	}
}

// The strings of one decoding do not change when the state decodes again.
func TestArenaStringsSurviveReuse(t *testing.T) {
	var first []string
	for round := range 3 {
		var got []string
		err := decodeRoot(`["alpha", "be\u0074a", "gamma"]`, func(st *State) error {
			got = make([]string, 3)
			for i, e := 0, int32(1); i < 3; i, e = i+1, st.Nodes[e].Next {
				if err := st.DecString(e, &got[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil || strings.Join(got, ",") != "alpha,beta,gamma" {
			t.Fatalf("round %d: %q, %v", round, got, err)
		}
		if round == 0 {
			first = got
		}
	}
	if strings.Join(first, ",") != "alpha,beta,gamma" {
		t.Errorf("first round's strings changed: %q", first)
	}
}

// pointed is a type whose own decoding reports a violation at a pointer
// relative to its value.
type pointed struct{}

func (*pointed) UnmarshalJSON([]byte) error {
	return &ValidationError{Violations: []Violation{{Pointer: "/x", Keyword: "type", Message: "no"}}}
}

func TestDecodeFallback(t *testing.T) {
	var ok struct{ X int }
	err := decodeRoot(`{"a": {"X": 1}}`, func(st *State) error { return st.DecodeFallback(2, &ok) })
	if err != nil || ok.X != 1 {
		t.Errorf("fallback: %+v, %v", ok, err)
	}
	var bad struct{ X string }
	err = decodeRoot(`{"a": {"X": 1}}`, func(st *State) error { return st.DecodeFallback(2, &bad) })
	var de *hcDecodeError
	if !errors.As(err, &de) || de.Pointer != "/a" {
		t.Errorf("fallback error: %v", err)
	}
	var p pointed
	err = decodeRoot(`{"a": [0, {}]}`, func(st *State) error { return st.DecodeFallback(4, &p) })
	var ve *ValidationError
	if !errors.As(err, &ve) || ve.Violations[0].Pointer != "/a/1/x" {
		t.Errorf("fallback violation: %v", err)
	}
}

func TestDecodeSumAndMapHelpers(t *testing.T) {
	err := decodeRoot(`{"k\u0069nd": "te\u0078t", "n": null, "m": 1}`, func(st *State) error {
		if d := st.Discriminator(0, "kind"); d != 2 || !st.strEq(d, "text") {
			t.Errorf("discriminator: %d", d)
		}
		if st.Discriminator(0, "m") != -1 || st.Discriminator(0, "absent") != -1 {
			t.Error("a number or an absent member taken for a discriminator")
		}
		if !st.IsNull(4) || st.IsNull(6) {
			t.Error("isNull")
		}
		if k := st.DecKey(1); k != "kind" {
			t.Errorf("decKey: %q", k)
		}
		if err := st.UnknownBranch(2, "Message", "kind"); !strings.Contains(err.Error(), `decode /kind: Message: expected a known "kind", found "text"`) {
			t.Errorf("unknownBranch: %v", err)
		}
		if err := st.NoDiscriminator(0, "Message", "type"); !strings.Contains(err.Error(), `decode (root): Message: expected the "type" member`) {
			t.Errorf("noDiscriminator: %v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// A raw value decoded into the arena can be appended to without touching
// the values decoded after it.
func TestRawInArenaIsCapped(t *testing.T) {
	var raw json.RawMessage
	var s string
	err := decodeRoot(`[{"a": 1}, "next"]`, func(st *State) error {
		return errors.Join(st.DecRaw(1, &raw), st.DecString(4, &s))
	})
	if err != nil || string(raw) != `{"a": 1}` || s != "next" {
		t.Fatalf("%s %q %v", raw, s, err)
	}
	_ = append(raw, "XXXX"...)
	if s != "next" {
		t.Errorf("appending to a raw value changed a string: %q", s)
	}
}

// Decodings running at once, on pooled states, keep their own strings.
func TestConcurrentDecodingsKeepTheirStrings(t *testing.T) {
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var kept []string
			for n := range 200 {
				want := strconv.Itoa(g) + "-" + strconv.Itoa(n) + `\u00e9`
				var got string
				if err := decodeRoot(`["`+want+`"]`, func(st *State) error { return st.DecString(1, &got) }); err != nil {
					errs <- err.Error()
					return
				}
				kept = append(kept, got)
			}
			for n, s := range kept {
				if s != strconv.Itoa(g)+"-"+strconv.Itoa(n)+"é" {
					errs <- "goroutine " + strconv.Itoa(g) + " decoded " + strconv.Quote(s)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// The first arena of a decoding holds the string values and numbers the
// scanner counted; map keys and raw values beyond it go to a second arena
// holding the rest of the payload: every string reads back whole, and a
// decoding makes at most two arenas.
func TestArenaSizedFromTheTape(t *testing.T) {
	const body = `{"key_one": "v1", "key_two": 22, "key_three": {"x": "\u00e9t\u00e9"}, "k4": "last"}`
	var got []string
	decode := func(st *State) error {
		got = got[:0]
		for k := int32(1); k != 0; k = st.Nodes[k].Next {
			got = append(got, st.DecKey(k))
			switch v := k + 1; st.Nodes[v].Kind {
			case KString:
				var s string
				if err := st.DecString(v, &s); err != nil {
					return err
				}
				got = append(got, s)
			case KNumber:
				var n json.Number
				if err := st.DecNumber(v, &n); err != nil {
					return err
				}
				got = append(got, string(n))
			default:
				var r json.RawMessage
				if err := st.DecRaw(v, &r); err != nil {
					return err
				}
				got = append(got, string(r))
			}
		}
		return nil
	}
	if err := decodeRoot(body, decode); err != nil {
		t.Fatal(err)
	}
	want := `key_one|v1|key_two|22|key_three|{"x": "\u00e9t\u00e9"}|k4|last`
	if s := strings.Join(got, "|"); s != want {
		t.Errorf("decoded %s, want %s", s, want)
	}
	if raceEnabled {
		return
	}
	got = make([]string, 0, 16)
	data := []byte(body)
	// two arenas, and the string this test makes of the raw value
	if n := testing.AllocsPerRun(50, func() { _ = DecodeOnly(data, decode) }); n > 3 {
		t.Errorf("%v allocations per decoding, want at most 3 (two arenas, one string(raw))", n)
	}
}

// Plain gives the text of a string without escapes only; Spare takes a
// string kept as a constant out of the room the first arena is made with.
func TestPlainAndSpare(t *testing.T) {
	const body = `{"a": "CREATION", "b": "CRE\u0041TION", "c": 12, "d": "debde69a-2dbb-427b"}`
	var plain []bool
	var kept []string
	var room []int
	decode := func(st *State) error {
		plain, kept, room = plain[:0], kept[:0], room[:0]
		for k := int32(1); k != 0; k = st.Nodes[k].Next {
			text, ok := st.Plain(k + 1)
			plain = append(plain, ok)
			if ok && string(text) == "CREATION" {
				st.Spare(k + 1)
				kept = append(kept, "CREATION")
				continue
			}
			if st.Nodes[k+1].Kind != KString {
				continue
			}
			var s string
			if err := st.DecString(k+1, &s); err != nil {
				return err
			}
			kept = append(kept, s)
			room = append(room, cap(st.arena))
		}
		return nil
	}
	if err := decodeRoot(body, decode); err != nil {
		t.Fatal(err)
	}
	if want := []bool{true, false, false, true}; !slices.Equal(plain, want) {
		t.Errorf("Plain ok = %v, want %v", plain, want)
	}
	if want := []string{"CREATION", "CREATION", "debde69a-2dbb-427b"}; !slices.Equal(kept, want) {
		t.Errorf("kept %q, want %q", kept, want)
	}
	// the scanner counted 8+13+2+18 bytes; "CREATION" spared leaves 33,
	// the room the arena is made with at the first copy
	if len(room) == 0 || room[0] != 33 {
		t.Errorf("arena capacity after each copy %v, want 33 from the first", room)
	}
}
