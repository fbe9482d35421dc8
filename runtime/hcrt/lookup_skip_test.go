package hcrt

import (
	"encoding/json"
	"strings"
	"testing"
)

// On a well-formed body, the lookup's skipping (skipFlat eight bytes at a
// time, with the recursive skipValue past 64 levels) ends every value
// where a plain recursive skip, byte by byte, ends it: a lookup finds the
// same member. On malformed bytes it only has to end (a validator refuses
// them anyway).
func TestSkipAgreesWithRecursiveSkip(t *testing.T) {
	for _, s := range append(fastCases,
		`{"a":"x\"}","b":[1,{"c":"]"}]}`, `{"a":[}`, `[{]}`, `{"a":{"b":{"c":[1,2,{"d":"\\\\"}]}}}`,
		strings.Repeat(`{"k":`, 70)+"1"+strings.Repeat("}", 70), strings.Repeat("[", 65)+strings.Repeat("]", 64),
	) {
		skipAgree(t, []byte(s))
	}
}

func skipAgree(t *testing.T, b []byte) {
	t.Helper()
	i := skipSpace(b, 0)
	if i >= len(b) || (b[i] != '{' && b[i] != '[') {
		return
	}
	got, want := skipValue(b, i, 0), skipNested(b, i, 0)
	if !json.Valid(b) {
		return
	}
	if got != want && !(got < 0 && want < 0) {
		t.Fatalf("%.80q: skipValue ends at %d, the recursive skip (skipNested) at %d", b, got, want)
	}
}

func FuzzSkipValue(f *testing.F) {
	for _, s := range fastCases[:len(fastCases)-2] {
		f.Add([]byte(s))
	}
	f.Add([]byte(`{"a":"x\"}","b":[1,{"c":"]"}]}`))
	f.Fuzz(func(t *testing.T, b []byte) { skipAgree(t, b) })
}

// fastCases are JSON texts and near misses, attacks among them.
var fastCases = []string{
	`{}`, `[]`, `""`, `0`, `-0.5e3`, `true`, `false`, `null`, ` { "a" : [ 1 , 2 ] } `,
	`{"a":1,"b":[true,false,null],"c":{"d":"\u00e9x"}}`, `[1,-0.5e3,"x\"y"]`,
	`{"a":1,"a":2}`, `{"a":{"b":1,"b":1}}`, `{"k\u0037":1,"k7":2}`, `{"a\u0062":1}`,
	``, ` `, `{`, `}`, `[1,]`, `{"a":1,}`, `{,}`, `[,1]`, `{"a"}`, `{"a":}`, `{"a" 1}`, `{1:2}`,
	`tru`, `truex`, `nul`, `fals`, `falsey`, `nulll`, `01`, `-`, `1.`, `1e`, `1e+`, `.5`, `+1`,
	`"abc`, `"a\x"`, `"\u12"`, "\"\x01\"", "\"\xff\"", `{} {}`, `[] x`, `1 2`,
	`1e99999`, strings.Repeat("9", 1001), strings.Repeat("[", 600) + strings.Repeat("]", 600),
	strings.Repeat("[", 10001) + strings.Repeat("]", 10001),
}
