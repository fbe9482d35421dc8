package hcrt

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

func TestIntegerDigits(t *testing.T) {
	for _, tc := range []struct {
		lit, want string
		integral  bool
	}{
		{"0", "0", true}, {"-0.0", "0", true}, {"1.0", "1", true}, {"1e3", "1000", true},
		{"1E+3", "1000", true}, {"12.5e1", "125", true}, {"1500e-2", "15", true}, {"-7.00", "-7", true},
		{"0.5", "", false}, {"1e-1", "", false}, {"1.25e1", "", false},
		{"1e21", "", true}, {"1e999999999999", "", true}, {"1e-999999999999", "", false},
		{"0e999999999", "0", true}, {"123456789012345678901", "", true},
	} {
		got, integral := integerDigits(tc.lit)
		if got != tc.want || integral != tc.integral {
			t.Errorf("integerDigits(%q) = %q, %v; want %q, %v", tc.lit, got, integral, tc.want, tc.integral)
		}
	}
}

func TestDecodeJSONIntegers(t *testing.T) {
	type inner struct {
		N []int64 `json:"n"`
	}
	var v struct {
		A int64  `json:"a"`
		B *int32 `json:"b"`
		C inner  `json:"c/d"`
		F string `json:"f"`
	}
	if err := DecodeJSON([]byte(`{"a": 1e3, "b": 2.0, "c/d": {"n": [1, 2.0, 3e0]}, "f": "1e3"}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A != 1000 || v.B == nil || *v.B != 2 || len(v.C.N) != 3 || v.C.N[2] != 3 || v.F != "1e3" {
		t.Errorf("decoded %+v", v)
	}
	err := DecodeJSON([]byte(`{"a": 1, "c/d": {"n": [1, 2, 1e40]}}`), &v)
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Violations) != 1 || ve.Violations[0].Pointer != "/c~1d/n/2" {
		t.Errorf("beyond int64: %v", err)
	}
	if err := DecodeJSON([]byte(`{"b": 3000000000}`), &v); !errors.As(err, &ve) || ve.Violations[0].Pointer != "/b" {
		t.Errorf("beyond int32: %v", err)
	}
	if err := DecodeJSON([]byte(`{"a": "x"}`), &v); err == nil || errors.As(err, &ve) {
		t.Errorf("string into int: %v", err)
	}
}

// FuzzDecodeJSON: decodeJSON never panics, agrees with json.Unmarshal
// wherever that succeeds, and fails only with json.Unmarshal's error or a
// violation.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `{"a":1.0,"b":[1e3,2]}`, `{"c":{"d":-0.0e5}}`, `{"a":1e999999999}`, `[{"a":1}]`, `{"b":[1.5]}`} {
		f.Add([]byte(s))
	}
	type target struct {
		A int64            `json:"a"`
		B []int32          `json:"b"`
		C map[string]int64 `json:"c"`
		S string           `json:"s"`
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got, want target
		err := DecodeJSON(data, &got)
		werr := json.Unmarshal(data, &want)
		if werr == nil {
			if err != nil || !reflect.DeepEqual(got, want) {
				t.Fatalf("decodeJSON = %+v, %v; json.Unmarshal = %+v", got, err, want)
			}
			return
		}
		var ve *ValidationError
		if err == nil && !json.Valid(data) {
			t.Fatalf("decodeJSON accepted invalid JSON %q", data)
		}
		_ = errors.As(err, &ve)
	})
}
