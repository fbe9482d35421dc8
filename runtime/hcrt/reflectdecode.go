package hcrt

import (
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"
)

// maxNumberRewrites bounds the integers written 1.0 or 1e3 that
// DecodeJSON rewrites in one body; each costs one more decoding pass.
const maxNumberRewrites = 64

// DecodeJSON decodes data into v (a pointer) as json.Unmarshal does, except
// for integers: JSON Schema counts 1.0 and 1e3 as integers, so a body the
// validators accepted may hold them where the Go type is int64. Such a
// number is decoded as the integer it is. An integer the Go type cannot
// hold (beyond int64) is a *ValidationError at its pointer, answered 400:
// never a decoding failure, which the handler would answer 500 for the
// provider to retry in vain.
func DecodeJSON(data []byte, v any) error {
	copied := false
	for range maxNumberRewrites {
		err := json.Unmarshal(data, v)
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) || !isIntegerKind(te.Type) {
			return err
		}
		lit, ok := strings.CutPrefix(te.Value, "number ")
		end := int(te.Offset)
		if !ok || end > len(data) || end < len(lit) || string(data[end-len(lit):end]) != lit {
			return err
		}
		start := end - len(lit)
		digits, integral := integerDigits(lit)
		if !integral || !fitsInteger(te.Type, digits) {
			msg := "integer " + shorten(lit) + " does not fit the " + te.Type.String() + " this package decodes it into"
			if !integral {
				msg = "number " + shorten(lit) + " is not an integer"
			}
			return &ValidationError{Violations: []Violation{{Pointer: PointerAt(data, start), Keyword: "type", Message: msg}}}
		}
		if !copied {
			data, copied = append([]byte(nil), data...), true
		}
		data = append(data[:start], append([]byte(digits), data[end:]...)...)
		reflect.ValueOf(v).Elem().SetZero()
	}
	return errors.New("decode: too many integers written with a fraction or an exponent")
}

func isIntegerKind(t reflect.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

func fitsInteger(t reflect.Type, digits string) bool {
	var err error
	switch t.Kind() {
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		_, err = strconv.ParseUint(digits, 10, t.Bits())
	default:
		_, err = strconv.ParseInt(digits, 10, t.Bits())
	}
	return err == nil
}

// integerDigits returns the JSON number lit as plain decimal digits (a
// leading '-' when negative) when its value is an integer of at most 20
// digits: "1.0" is "1", "1e3" "1000", "-0.0" "0". It reports false for a
// fraction; a larger integer gives "" and true, fitting no Go integer. It
// never expands an exponent beyond that, whatever lit says.
func integerDigits(lit string) (string, bool) {
	s := lit
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	ip, fp, _ := strings.Cut(mant, ".")
	digits := ip + fp
	e := 0
	if hasExp {
		es := strings.TrimPrefix(strings.TrimPrefix(exp, "+"), "-")
		es = strings.TrimLeft(es, "0")
		if len(es) > 6 {
			es = "999999" // beyond any digit count that matters here
		}
		n, err := strconv.Atoi("0" + es)
		if err != nil {
			return "", false
		}
		if strings.HasPrefix(exp, "-") {
			n = -n
		}
		e = n
	}
	point := len(ip) + e // the decimal point's place in digits
	trimmed := strings.TrimLeft(digits, "0")
	point -= len(digits) - len(trimmed)
	trimmed = strings.TrimRight(trimmed, "0")
	if trimmed == "" {
		return "0", true
	}
	if len(trimmed) > point {
		return "", false // a fraction remains
	}
	if point > 20 {
		return "", true
	}
	out := trimmed + strings.Repeat("0", point-len(trimmed))
	if neg {
		out = "-" + out
	}
	return out, true
}

// PointerAt returns the JSON pointer of the value that starts at offset off
// of the JSON document data ("" for the root).
func PointerAt(data []byte, off int) string {
	var b strings.Builder
	i := skipSpace(data, 0)
	for depth := 0; i < off && i < len(data) && depth < 10000; depth++ {
		open := data[i]
		if open != '{' && open != '[' {
			break
		}
		i++
		found := false
		for idx := 0; ; idx++ {
			i = skipSpace(data, i)
			if i < len(data) && data[i] == ',' {
				i = skipSpace(data, i+1)
			}
			if i >= len(data) || data[i] == '}' || data[i] == ']' {
				break
			}
			tok := strconv.Itoa(idx)
			if open == '{' {
				end := skipString(data, i)
				if end < 0 {
					break
				}
				if json.Unmarshal(data[i:end], &tok) != nil {
					tok = string(data[i+1 : end-1])
				}
				i = skipSpace(data, end)
				if i >= len(data) || data[i] != ':' {
					break
				}
				i = skipSpace(data, i+1)
			}
			end := skipValue(data, i, 0)
			if end < 0 {
				break
			}
			if off >= i && off < end {
				b.WriteString("/" + EscapeToken(tok))
				found = true
				break
			}
			i = end
		}
		if !found {
			break
		}
	}
	return b.String()
}
