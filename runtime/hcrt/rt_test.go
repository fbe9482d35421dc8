package hcrt

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"
)

func accept(*State, int32) bool { return true }

// runRoot validates data with root, as an emitted validator does.
func runRoot(data []byte, root func(*State, int32) bool) *ValidationError {
	return Run(data, func(st *State) *ValidationError { return st.Check(root) })
}

// run validates data with a root that accepts everything and returns the
// violations.
func run(data string) []Violation {
	err := runRoot([]byte(data), accept)
	if err == nil {
		return nil
	}
	return err.Violations
}

func TestScannerSyntax(t *testing.T) {
	tests := []struct {
		in, msg string
	}{
		{``, "line 1, column 1: empty payload: expected a JSON value"},
		{`   `, "line 1, column 4: empty payload: expected a JSON value"},
		{`{"a":1,` + "\n" + ` "b":}`, "line 2, column 6: unexpected character '}'"},
		{`{"a" 1}`, "line 1, column 6: expected ':' after an object key, found '1'"},
		{`{"a":1 "b":2}`, "line 1, column 8: expected ',' or '}' after an object member"},
		{`[1,]`, "line 1, column 4: unexpected character ']'"},
		{`[1 2]`, "expected ',' or ']' after an array element"},
		{`{1:2}`, "expected a string for an object key"},
		{`{"a":1,}`, "expected a string for an object key"},
		{`01`, "unexpected data after the top-level value"},
		{`-`, "invalid number"},
		{`1.`, "expected a digit after '.'"},
		{`1e`, "expected a digit in the exponent"},
		{`+1`, "unexpected character '+'"},
		{`.5`, "unexpected character '.'"},
		{`tru`, "invalid literal"},
		{`nul`, "invalid literal"},
		{`"abc`, "unterminated string"},
		{`"a\x"`, `invalid escape \x`},
		{`"\u12G4"`, `invalid \u escape`},
		{"\"a\tb\"", "control character 0x09 in string"},
		{`{} {}`, "unexpected data after the top-level value"},
		{`{} x`, "unexpected data after the top-level value"},
		{"\xef\xbb\xbf{}", "unexpected byte order mark"},
		{"\"\xff\"", "invalid UTF-8 byte 0xff in string"},
		{"\"\xc0\x80\"", "invalid UTF-8 byte 0xc0 in string"},     // overlong
		{"\"\xed\xa0\x80\"", "invalid UTF-8 byte 0xed in string"}, // UTF-16 surrogate in UTF-8
		{"\xff", "invalid UTF-8 byte 0xff"},
		{"[1,\n2,\n\xe2\x82]", "line 3, column 1: invalid UTF-8"},
		{"\"é\" x", "line 1, column 5"}, // columns count characters
	}
	for _, tt := range tests {
		v := run(tt.in)
		if len(v) != 1 || v[0].Keyword != "json" || v[0].Pointer != "" || !strings.Contains(v[0].Message, tt.msg) {
			t.Errorf("%q: got %+v, want one json violation containing %q", tt.in, v, tt.msg)
		}
	}
	for _, ok := range []string{`0`, `-0`, `-0.0e-0`, `1E+2`, ` {"a" : [ true , false , null ] } `, `"\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00"`, "\"\x7f\"", `""`, `[]`, `{}`} {
		if v := run(ok); v != nil {
			t.Errorf("%q: unexpected %+v", ok, v)
		}
	}
}

func TestScannerAgreesWithEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	alphabet := []string{"{", "}", "[", "]", ",", ":", `"a"`, `"b"`, "1", "-", ".", "e", "0", "true", "null", " ", `"\u0041"`, `"\ud800"`, "\"\xff\"", "\n"}
	for i := 0; i < 20000; i++ {
		var b strings.Builder
		for n := rng.Intn(12); n >= 0; n-- {
			b.WriteString(alphabet[rng.Intn(len(alphabet))])
		}
		in := b.String()
		want := json.Valid([]byte(in)) && utf8.ValidString(in) // invalid UTF-8 is not JSON here
		v := run(in)
		got := len(v) == 0 || v[0].Keyword == "duplicate-key"
		if got != want {
			t.Fatalf("%q: json.Valid=%v, scanner accepts=%v (%+v)", in, want, got, v)
		}
	}
}

func TestScannerDepth(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }
	if v := run(deep(hcMaxDepth)); v != nil {
		t.Errorf("depth %d rejected: %+v", hcMaxDepth, v)
	}
	for _, n := range []int{hcMaxDepth + 1, 100000} {
		v := run(deep(n))
		if len(v) != 1 || v[0].Keyword != "json" || !strings.Contains(v[0].Message, "nesting depth exceeds 10000") {
			t.Errorf("depth %d: %+v", n, v)
		}
	}
	objs := strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000)
	if v := run(objs); len(v) != 1 || v[0].Keyword != "json" {
		t.Errorf("deep objects: %+v", v)
	}
}

func TestScannerDuplicates(t *testing.T) {
	tests := []struct {
		in       string
		pointers []string
	}{
		{`{"a":1,"a":2}`, []string{"/a"}},
		{`{"a":1,"\u0061":2}`, []string{"/a"}},
		{`{"x":{"b":1,"c":2,"b":3}}`, []string{"/x/b"}},
		{`[{"k":1},{"k":1,"k":1}]`, []string{"/1/k"}},
		{`{"k":1,"k":2,"k":3}`, []string{"/k", "/k"}},
		{`{"a/b":1,"a~1b":2,"a\/b":3}`, []string{"/a~1b"}},
		{`{"a":1,"b":2}`, nil},
		{`{"a":1,"A":2,"\u00e9":3,"é":4}`, []string{"/é"}},
		// keys of one fingerprint (length, first and last two bytes)
		{`{"abXyz":1,"abYyz":2,"abZyz":3,"abYyz":4,"ab\u0059yz":5}`, []string{"/abYyz", "/abYyz"}},
		{`{"":1,"x":2,"":3}`, []string{"/"}},
		// an inner object's keys do not reach its parent's map, nor the parent's its own
		{`{"a":{"a":1,"b":[{"a":1,"b":2}]},"b":{},"c":{"c":{"a":1}},"a":3}`, []string{"/a"}},
		{`{"a":1,"b":{"a":2,"b":{}},"b":3}`, []string{"/b"}},
		{`[{"x":1},{"x":1},{"y":{"x":1,"x":2}}]`, []string{"/2/y/x"}},
	}
	// past 64 members the whole object is checked at its close: a
	// duplicate among the first 64, or later, is reported once
	for _, at := range []int{3, 70} {
		var o strings.Builder
		o.WriteString("{")
		for i := 0; i < 80; i++ {
			fmt.Fprintf(&o, `"m%d":%d,`, i, i)
		}
		fmt.Fprintf(&o, `"m%d":{"m%d":0}}`, at, at)
		tests = append(tests, struct {
			in       string
			pointers []string
		}{o.String(), []string{fmt.Sprintf("/m%d", at)}})
	}
	var early strings.Builder
	early.WriteString(`{"m0":0,"m1":1,"m0":2`)
	for i := 0; i < 80; i++ {
		fmt.Fprintf(&early, `,"n%d":%d`, i, i)
	}
	early.WriteString("}")
	tests = append(tests, struct {
		in       string
		pointers []string
	}{early.String(), []string{"/m0"}})
	// a large object takes the hashing path
	var big strings.Builder
	big.WriteString("{")
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&big, `"k%d":%d,`, i, i)
	}
	big.WriteString(`"k\u0037":1}`)
	tests = append(tests, struct {
		in       string
		pointers []string
	}{big.String(), []string{"/k7"}})
	for _, tt := range tests {
		v := run(tt.in)
		var got []string
		for _, x := range v {
			if x.Keyword != "duplicate-key" {
				t.Errorf("%s: unexpected %+v", tt.in, x)
			}
			got = append(got, x.Pointer)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.pointers) {
			t.Errorf("%.60s: duplicate pointers %v, want %v", tt.in, got, tt.pointers)
		}
	}
}

func TestStrings(t *testing.T) {
	st := &State{}
	st.Data = []byte(`["\u00e9\ud83d\ude00a", "\ud800x", "\udc00", "é😀a", "\ud800\u0041", "~/"]`)
	if !st.parse() {
		t.Fatal(st.viols)
	}
	el := func(k int) int32 {
		e := int32(1)
		for ; k > 0; k-- {
			e = st.Nodes[e].Next
		}
		return e
	}
	if got := string(st.Text(el(0))); got != "é😀a" {
		t.Errorf("unescape: %q", got)
	}
	if n := st.RuneCount(el(0)); n != 3 {
		t.Errorf("rune count %d, want 3", n)
	}
	if got := string(st.unescape(el(1), nil)); got != "\ufffdx" {
		t.Errorf("lone high surrogate: %q", got)
	}
	if got := string(st.unescape(el(2), nil)); got != "\ufffd" {
		t.Errorf("lone low surrogate: %q", got)
	}
	if got := string(st.unescape(el(4), nil)); got != "\ufffdA" {
		t.Errorf("high surrogate then a letter: %q", got)
	}
	if !st.keyEqual(el(0), el(3)) || !st.strEq(el(0), "é😀a") || st.strEq(el(0), "é😀") {
		t.Error("escaped and plain strings must compare equal")
	}
	if st.strHash(el(0), 1) != st.strHash(el(3), 1) {
		t.Error("hash must not depend on escaping")
	}
	// encoding/json decodes the same way
	var want []string
	if err := json.Unmarshal(st.Data, &want); err != nil {
		t.Fatal(err)
	}
	for k, w := range want {
		if got := string(st.unescape(el(k), nil)); got != w {
			t.Errorf("element %d: %q, encoding/json %q", k, got, w)
		}
	}
	if p := EscapeToken("~/"); p != "~0~1" {
		t.Errorf("escape token: %q", p)
	}
}

func TestPointers(t *testing.T) {
	st := &State{Data: []byte(`{"a":[1,{"b~/":[true,{"c":null}]}],"d":2}`)}
	if !st.parse() {
		t.Fatal(st.viols)
	}
	want := map[string]bool{"": true, "/a": true, "/a/0": true, "/a/1": true, "/a/1/b~0~1": true,
		"/a/1/b~0~1/0": true, "/a/1/b~0~1/1": true, "/a/1/b~0~1/1/c": true, "/d": true}
	got := map[string]bool{}
	for i := range st.Nodes {
		got[st.Pointer(int32(i))] = true
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("pointers %v, want %v", got, want)
	}
}

func TestNumbers(t *testing.T) {
	rat := func(s string) *big.Rat {
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("bad literal %s", s)
		}
		return r
	}
	lits := []string{"0", "-0", "0.0", "1", "1.0", "10", "1e1", "100e-1", "0.1", "0.10", "1e-1", "-1", "-1.5",
		"40526000000002040", "40526000000002040.0", "4.052600000000204e16", "9007199254740993", "9007199254740992",
		"123456789012345678901234567890", "0.000001", "1e-6", "1E+2", "100", "2.5", "0.5", "7", "3e-310", "1e308",
		"12345678901234567890123", "0.1234567890123456789012345", "1.7976931348623157e308", "5e-324"}
	for _, a := range lits {
		for _, b := range lits {
			x, y := NumStr(a), NumStr(b)
			if got, want := CmpNum(&x, &y), rat(a).Cmp(rat(b)); got != want {
				t.Errorf("cmp(%s, %s) = %d, want %d", a, b, got, want)
			}
			if rat(b).Sign() > 0 {
				want := new(big.Rat).Quo(rat(a), rat(b)).IsInt()
				if got := MultipleOf(&x, &y); got != want {
					t.Errorf("multipleOf(%s, %s) = %v, want %v", a, b, got, want)
				}
			}
		}
		x := NumStr(a)
		if got, want := x.isInt(), rat(a).IsInt(); got != want {
			t.Errorf("isInt(%s) = %v, want %v", a, got, want)
		}
	}
	rng := rand.New(rand.NewSource(2))
	gen := func() string {
		var b strings.Builder
		if rng.Intn(3) == 0 {
			b.WriteByte('-')
		}
		if rng.Intn(4) == 0 {
			b.WriteByte('0')
		} else {
			b.WriteByte(byte('1' + rng.Intn(9)))
			for n := rng.Intn(25); n > 0; n-- {
				b.WriteByte(byte('0' + rng.Intn(10)))
			}
		}
		if rng.Intn(2) == 0 {
			b.WriteByte('.')
			for n := 1 + rng.Intn(8); n > 0; n-- {
				b.WriteByte(byte('0' + rng.Intn(10)))
			}
		}
		if rng.Intn(3) == 0 {
			fmt.Fprintf(&b, "e%d", rng.Intn(40)-20)
		}
		return b.String()
	}
	for i := 0; i < 20000; i++ {
		a, b := gen(), gen()
		x, y := NumStr(a), NumStr(b)
		if got, want := CmpNum(&x, &y), rat(a).Cmp(rat(b)); got != want {
			t.Fatalf("cmp(%s, %s) = %d, want %d", a, b, got, want)
		}
		if rat(b).Sign() > 0 {
			if got, want := MultipleOf(&x, &y), new(big.Rat).Quo(rat(a), rat(b)).IsInt(); got != want {
				t.Fatalf("multipleOf(%s, %s) = %v, want %v", a, b, got, want)
			}
		}
		if (CmpNum(&x, &y) == 0) != (x.hash(1) == y.hash(1)) && CmpNum(&x, &y) == 0 {
			t.Fatalf("equal numbers %s and %s hash differently", a, b)
		}
	}
	// huge exponents stay exact enough and never hang
	x, y := NumStr("1e999999999999"), NumStr("1e999999999998")
	if CmpNum(&x, &y) != 1 || !MultipleOf(&x, &y) {
		t.Error("huge exponents")
	}
	z := NumStr("0.5")
	if MultipleOf(&z, &x) || !MultipleOf(&x, &z) {
		t.Error("huge exponent multipleOf")
	}
}

func TestEquality(t *testing.T) {
	st := &State{Data: []byte(`[1, 1.0, 1e0, {"a":[1,"x"],"b":null}, {"b":null,"a":[1.0,"\u0078"]}, "a", "\u0061", true, false, [], {}, [[]], 2]`)}
	if !st.parse() {
		t.Fatal(st.viols)
	}
	var els []int32
	for e := int32(1); e != 0; e = st.Nodes[e].Next {
		els = append(els, e)
	}
	same := [][2]int{{0, 1}, {0, 2}, {3, 4}, {5, 6}}
	eq := map[[2]int]bool{}
	for _, p := range same {
		eq[p] = true
		eq[[2]int{p[1], p[0]}] = true
	}
	eq[[2]int{1, 2}], eq[[2]int{2, 1}] = true, true
	for i := range els {
		for j := range els {
			want := i == j || eq[[2]int{i, j}]
			if got := st.eqNode(els[i], els[j]); got != want {
				t.Errorf("eqNode(%d, %d) = %v", i, j, got)
			}
			if want && st.hashNode(els[i], 7) != st.hashNode(els[j], 7) {
				t.Errorf("hash(%d) != hash(%d)", i, j)
			}
		}
	}
	c := CObj([]string{"a", "b"}, CArr(CNum("1"), CStr("x")), CNull())
	if !st.EqVal(els[3], &c) || !st.EqVal(els[4], &c) || st.EqVal(els[0], &c) {
		t.Error("eqVal with an object constant")
	}
	if _, _, u := st.Unique(0); u {
		t.Error("unique: the array has equal items")
	}
	// large arrays take the hashing path
	var b strings.Builder
	b.WriteString("[")
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&b, `{"v":%d},`, i)
	}
	b.WriteString(`{"v":17.0}]`)
	st2 := &State{Data: []byte(b.String())}
	if !st2.parse() {
		t.Fatal(st2.viols)
	}
	if x, y, u := st2.Unique(0); u || x != 17 || y != 200 {
		t.Errorf("unique on a large array: %d %d %v", x, y, u)
	}
}

// TestURITemplate checks uri-template against RFC 6570 (every expression
// of its section 3 examples, levels 1 to 4), where it deliberately differs
// from the reference, which rejects operators.
func TestURITemplate(t *testing.T) {
	valid := []string{
		"", "http://example.com/dictionary/{term:1}/{term}", "https://api.github.com/users/octocat/following{/other_user}",
		"https://api.github.com/repos/o/r/issues{/number}", "https://uploads.github.com/repos/o/r/releases/1/assets{?name,label}",
		"{var}", "{hello}", "{+var}", "{+hello}", "{+path}/here", "here?ref={+path}", "X{#var}", "X{#hello}",
		"map?{x,y}", "{x,hello,y}", "{+x,hello,y}", "{+path,x}/here", "{#x,hello,y}", "{#path,x}/here",
		"X{.var}", "X{.x,y}", "{/var}", "{/var,x}/here", "{;x,y}", "{;x,y,empty}", "{?x,y}", "{?x,y,empty}",
		"?fixed=yes{&x}", "{&x,y,empty}", "{var:3}", "{var:30}", "{list}", "{list*}", "{keys}", "{keys*}",
		"{+path:6}/here", "{+list*}", "{#keys*}", "X{.list*}", "{/var:1,var}", "{/list*,path:4}", "{;hello:5}",
		"{?var:3}", "{&keys*}", "{v:9999}", "{a.b.c}", "{%41B}", "{_x}", "a%20b", "café/{x}", "{=x}", "{|x}",
		"a'b",
	}
	invalid := []string{
		"{", "}", "{}", "{+}", "{?}", "{x", "x}", "{x}}", "{{x}}", "{a b}", "{a,,b}", "{a,}", "{v:0}",
		"{v:01}", "{v:10000}", "{v:}", "{v:1*}", "{v*:1}", "{a..b}", "{.a.}", "{-x}", "{x=1}", "{$x}", "a b",
		"a\x7fb", "a\"b", "a<b", "a>b", "a\\b", "a^b", "a`b", "a|b", "a%2", "a%zz", "{%4}", "{++x}",
		"a\u0085b",
	}
	for _, s := range valid {
		if !FmtURITemplate([]byte(s)) {
			t.Errorf("%q: rejected, want valid", s)
		}
		if !URITemplateFormat(s) {
			t.Errorf("URITemplateFormat(%q) = false", s)
		}
	}
	for _, s := range invalid {
		if FmtURITemplate([]byte(s)) {
			t.Errorf("%q: accepted, want invalid", s)
		}
		if URITemplateFormat(s) {
			t.Errorf("URITemplateFormat(%q) = true", s)
		}
	}
	if !URITemplateFormat(12) {
		t.Error("a number is not a string: it must pass")
	}
}

func TestZeroAllocations(t *testing.T) {
	data := []byte(`{"id":40526000000002040,"name":"caf\u00e9","tags":["a","b",{"x":[1,2.5,-3e2,null,true]}],"nested":{"deeper":{"k":"v"}}}`)
	walk := func(st *State, i int32) bool {
		for j := range st.Nodes {
			switch st.Nodes[j].Kind {
			case KString:
				_ = st.Text(int32(j))
				_ = st.RuneCount(int32(j))
			case KNumber:
				_ = st.IsInt(int32(j))
			case KArray:
				_, _, _ = st.Unique(int32(j))
			}
		}
		return true
	}
	runRoot(data, walk)
	if raceEnabled {
		t.Skip("sync.Pool drops items under the race detector")
	}
	if n := testing.AllocsPerRun(200, func() { runRoot(data, walk) }); n != 0 {
		t.Errorf("%v allocations per valid run, want 0", n)
	}
}

func TestValidationErrorMessage(t *testing.T) {
	e := &ValidationError{Violations: []Violation{{Pointer: "", Keyword: "type", Message: "expected object"}, {Pointer: "/a", Keyword: "required", Message: "missing"}}}
	if got := e.Error(); got != "invalid payload (2 violations): (root): type: expected object; /a: required: missing" {
		t.Error(got)
	}
	if !bytes.Contains([]byte((&ValidationError{Violations: e.Violations[:1]}).Error()), []byte("invalid payload: (root)")) {
		t.Error("single violation message")
	}
}

func TestFormatAllocations(t *testing.T) {
	for name, c := range map[string]struct {
		f  func([]byte) bool
		in string
	}{
		"ipv6":          {FmtIPv6, "2001:db8::ff00:42:8329"},
		"uri":           {FmtURI, "https://www.example.com:8443/a/b%20c?x=1&y=2#frag"},
		"uri-reference": {FmtURIReference, "https://example.com/x"},
		"email":         {FmtEmail, "first.last+tag@mail.example.com"},
		"date-time":     {FmtDateTime, "2024-05-01T10:20:30.123+02:00"},
		"uuid":          {FmtUUID, "2eb8aa08-aa98-11ea-b4aa-73b441d1638b"},
		"hostname":      {FmtHostname, "api.example.com"},
		"duration":      {FmtDuration, "P1Y2M3DT4H5M6S"},
	} {
		in := []byte(c.in)
		if !c.f(in) {
			t.Errorf("%s: %q rejected", name, c.in)
		}
		if n := testing.AllocsPerRun(100, func() { c.f(in) }); n != 0 {
			t.Errorf("%s: %v allocations", name, n)
		}
	}
}

// TestMessages covers what generated code calls on its error paths.
func TestMessages(t *testing.T) {
	isObj := func(st *State, i int32) bool { return st.Nodes[i].Kind == KObject }
	pinA := func(st *State, i int32) bool {
		v := st.Member(i, "kind")
		c := CStr("a")
		return v >= 0 && st.EqVal(v, &c)
	}
	branchA := func(st *State, i int32) bool {
		if st.Quiet == 0 {
			st.FailAt(i, "name", "required", "missing required property \"name\"")
		}
		return false
	}
	root := func(st *State, i int32) bool {
		for k := i + 1; k != 0; k = st.Nodes[k].Next {
			v := k + 1
			switch string(st.Text(k)) {
			case "secret":
				st.Secret++
				st.Fail(v, "type", "expected integer, found "+st.Found(v))
				st.Fail(v, "enum", "expected one of 1; found "+st.Show(v))
				st.Secret--
			case "n":
				st.Fail(v, "type", "expected string, found "+st.Found(v)+" ("+st.typeName(v)+", "+hcKindName(st.Nodes[v].Kind)+", "+Itoa(1)+")")
			case "u":
				st.Union(v, "oneOf", []func(*State, int32) bool{branchA, isObj}, []func(*State, int32) bool{pinA, nil}, "expected one of 2 alternatives, found ")
			case "w":
				list := []Val{CBool(true), CNull()}
				if !st.InEnum(v, list) {
					st.Union(v, "anyOf", []func(*State, int32) bool{branchA}, []func(*State, int32) bool{pinA}, "expected one alternative, found ")
				}
			}
		}
		return false
	}
	err := runRoot([]byte(`{"secret":"hunter2-very-secret","n":2.0,"u":{"kind":"a"},"w":[1,2]}`), root)
	if err == nil {
		t.Fatal("no error")
	}
	want := []Violation{
		{"/secret", "type", "expected integer, found a string (redacted secret)", GradeGuaranteed},
		{"/secret", "enum", "expected one of 1; found a string (redacted secret)", GradeGuaranteed},
		{"/n", "type", "expected string, found integer 2.0 (integer, number, 1)", GradeGuaranteed},
		{"/u/name", "required", "missing required property \"name\"", GradeGuaranteed},
		{"/w", "anyOf", "expected one alternative, found an array of 2 items", GradeGuaranteed},
	}
	if fmt.Sprint(err.Violations) != fmt.Sprint(want) {
		t.Errorf("violations:\n%v\nwant\n%v", err.Violations, want)
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Error("a secret reached the message")
	}
}

func TestScopeAndEvaluated(t *testing.T) {
	st := &State{}
	p1 := st.Enter(3)
	p2 := st.Enter(3) // already innermost
	p3 := st.Enter(5)
	if !p1 || p2 || !p3 || fmt.Sprint(st.Scope) != "[3 5]" {
		t.Fatalf("enter: %v %v %v %v", p1, p2, p3, st.Scope)
	}
	st.Leave(p3)
	st.Leave(p2)
	if fmt.Sprint(st.Scope) != "[3]" {
		t.Fatalf("leave: %v", st.Scope)
	}
	st.Ev = []int32{9, 4, -(7 + 2)}
	if st.Evaluated(4, 1, 2) || !st.Evaluated(4, 1, 0) || !st.Evaluated(12, 7, 1) || st.Evaluated(12, 8, 0) {
		t.Error("evaluated")
	}
}

func TestHugeNumbers(t *testing.T) {
	lit := "1" + strings.Repeat("0", 300000) + ".5e-3"
	x := NumStr(lit)
	seven, cent, half := NumStr("7"), NumStr("0.01"), NumStr("0.0005")
	want := func(d string) bool {
		r, _ := new(big.Rat).SetString(lit)
		q, _ := new(big.Rat).SetString(d)
		return new(big.Rat).Quo(r, q).IsInt()
	}
	for _, c := range []struct {
		d   *Num
		lit string
	}{{&seven, "7"}, {&cent, "0.01"}, {&half, "0.0005"}} {
		if got := MultipleOf(&x, c.d); got != want(c.lit) {
			t.Errorf("multipleOf %s: %v", c.lit, got)
		}
	}
	if n := testing.AllocsPerRun(3, func() { MultipleOf(&x, &seven) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}

// TestLookup: the tape finds what event detection reads from the bytes: a
// member by its unescaped name, an array item by a canonical decimal
// index, a string unescaped and another value as its JSON text; nothing in
// a payload that does not parse.
func TestLookup(t *testing.T) {
	body := []byte(`{"live": "false", "a\u0062": {"n": [1, 2.5e3]}, "items": [ {"code": "AUTH\u004fRISATION"} , {"code": "CAPTURE"}], "o": {"x": [true]}}`)
	for _, c := range []struct {
		path     []string
		want     string
		isString bool
		ok       bool
	}{
		{[]string{"items", "0", "code"}, "AUTHORISATION", true, true},
		{[]string{"items", "1", "code"}, "CAPTURE", true, true},
		{[]string{"items", "2", "code"}, "", false, false},
		{[]string{"items", "01", "code"}, "", false, false},
		{[]string{"items", "-1"}, "", false, false},
		{[]string{"items", ""}, "", false, false},
		{[]string{"items", "x"}, "", false, false},
		{[]string{"live"}, "false", true, true},
		{[]string{"live", "0"}, "", false, false},
		{[]string{"ab", "n", "1"}, "2.5e3", false, true},
		{[]string{"ab", "n"}, "[1, 2.5e3]", false, true},
		{[]string{"o"}, `{"x": [true]}`, false, true},
		{[]string{"a\\u0062"}, "", false, false},
		{[]string{"missing"}, "", false, false},
		{nil, string(body), false, true},
	} {
		st := Scan(body)
		v, isString, ok := st.Lookup(c.path)
		if ok != c.ok || isString != c.isString || string(v) != c.want {
			t.Errorf("lookup(%q) = %q, %v, %v; want %q, %v, %v", c.path, v, isString, ok, c.want, c.isString, c.ok)
		}
		st.Release()
	}
	for _, bad := range []string{`{"event": "a"`, `{"event": "a", "event": "b"}`, `{"event": "a", "n": 1e99999}`} {
		st := Scan([]byte(bad))
		if _, _, ok := st.Lookup([]string{"event"}); ok {
			t.Errorf("%s: found the event in a payload that does not parse", bad)
		}
		if err := st.Check(accept); err == nil {
			t.Errorf("%s: no violation", bad)
		}
		st.Release()
	}
	st := Scan(body)
	defer st.Release()
	reject := func(st *State, i int32) bool { st.Fail(i, "type", "rejected"); return false }
	if err := st.Check(reject); err == nil || len(err.Violations) != 1 {
		t.Errorf("check(reject) = %v, want one violation", err)
	}
	if err := st.Check(accept); err != nil {
		t.Errorf("a second check of the same tape: %v, want nil", err)
	}
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	if n := testing.AllocsPerRun(100, func() { _, _, _ = st.Lookup([]string{"items", "1", "code"}) }); n != 0 {
		t.Errorf("lookup of an unescaped string: %v allocations, want 0", n)
	}
}

// BenchmarkScan parses the benchmark payloads of bench/ into the tape (no
// schema): the scanner's share of Validate. Each runs as the fixture is
// written (indented) and compacted, as many providers send it.
func BenchmarkScan(b *testing.B) {
	for _, f := range []string{"tickets/examples/valid/sac_ticket.creation.json", "salesforce/examples/valid/salesforcesettings.updated.json", "salesiq/examples/valid/operator.created.json"} {
		indented, err := os.ReadFile(filepath.Join("..", "..", "specs", f))
		if err != nil {
			b.Fatal(err)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, indented); err != nil {
			b.Fatal(err)
		}
		for _, form := range []struct {
			name string
			data []byte
		}{{"", indented}, {"compact_", compact.Bytes()}} {
			data := form.data
			b.Run(form.name+filepath.Base(f), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					st := Scan(data)
					if !st.Parsed {
						b.Fatal(st.bad)
					}
					st.Release()
				}
			})
		}
	}
}

// refDuplicate reports whether the JSON text b holds an object with two
// equal keys, by encoding/json's tokens.
func refDuplicate(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	type level struct {
		obj  bool
		key  bool // the next string token is a key
		keys map[string]bool
	}
	var stack []*level
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		var top *level
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if top != nil && top.obj {
					top.key = true
				}
				stack = append(stack, &level{obj: t == '{', key: t == '{', keys: map[string]bool{}})
			default:
				stack = stack[:len(stack)-1]
			}
			continue
		case string:
			if top != nil && top.obj && top.key {
				if top.keys[t] {
					return true
				}
				top.keys[t] = true
				top.key = false
				continue
			}
		}
		if top != nil && top.obj {
			top.key = true
		}
	}
}

// FuzzScanner: the scanner accepts exactly the JSON texts encoding/json
// accepts (valid UTF-8) that hold no duplicate key, and builds a tape whose
// every string reads back as encoding/json decodes it.
func FuzzScanner(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":[true,false,null],"c":{"d":"\u00e9x"}}`, `{"a":1,"a":2}`, `{"k\u0037":1,"k7":2}`, `[1,-0.5e3,"x\"y"]`, `{"abcdefghijklmnop":"0123456789abcdef0123","ab\\cd":"\t"}`,
		// indentation: a line break and a run of spaces shorter and longer
		// than a word, tabs after it, a control byte hidden in it
		"{\n  \"a\": [\n    1,\n\t2\n  ],\n          \"b\": {}\n}", "{\n   \x01\"a\":1}", "{\n\"a\":1,\n       \n \"a\":2}", "{\n        \t\"k\":1}", "{\"a\":1,\n  \"b\":2,\n        \"c\":3,\n         \"d\":4,\r\n  \"e\":5}",
		// the duplicate-key map hashes a key by its words: keys of eight
		// bytes, longer, sharing their first or last eight, short ones at
		// the end of the text (read byte by byte)
		`{"abcdefgh":1,"abcdefgh":2}`, `{"abcdefghi":1,"abcdefghi":2}`, `{"abcdefghij_x":1,"abcdefghij_y":2}`, `{"x_abcdefghij":1,"y_abcdefghij":2}`, `{"ab":1,"ab":2}`, `{"abc":{"x":1},"abc":2}`, `{"":1,"":2}`} {
		f.Add([]byte(s))
	}
	var big strings.Builder
	big.WriteString("{")
	for i := 0; i < 70; i++ {
		fmt.Fprintf(&big, `"key_%02d":"value %d",`, i, i)
	}
	big.WriteString(`"key_00":0}`)
	f.Add([]byte(big.String()))
	f.Fuzz(func(t *testing.T, b []byte) {
		st := Scan(b)
		defer st.Release()
		want := json.Valid(b) && utf8.Valid(b)
		if want && refDuplicate(b) {
			want = false
		}
		got := st.Parsed
		if !got && len(st.bad) > 0 && st.bad[0].keyword == "number-size" {
			return // beyond the bounds on numbers: refused on purpose
		}
		if got != want {
			t.Fatalf("%q: scanner accepts %v, encoding/json %v (%+v)", b, got, want, st.bad)
		}
		if !got {
			return
		}
		// the tape's structure (each container's count, the Next links
		// of its members or elements, where each value ends) is the
		// document's
		var ref any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&ref); err != nil {
			t.Fatalf("%q: %v", b, err)
		}
		reached := 0
		tv, err := tapeAny(st, 0, &reached)
		if err != nil {
			t.Fatalf("%q: %v", b, err)
		}
		if !reflect.DeepEqual(tv, ref) {
			t.Fatalf("%q: the tape reads %#v, encoding/json %#v", b, tv, ref)
		}
		if reached != len(st.Nodes) {
			t.Fatalf("%q: %d of the tape's %d nodes are reached from its root", b, reached, len(st.Nodes))
		}
		for i := range st.Nodes {
			if st.Nodes[i].Kind != KString {
				continue
			}
			nd := &st.Nodes[i]
			var s string
			if err := json.Unmarshal(st.Data[nd.Start-1:nd.End+1], &s); err != nil {
				t.Fatalf("string node %d %q: %v", i, st.Data[nd.Start-1:nd.End+1], err)
			}
			if string(st.Text(int32(i))) != s {
				t.Fatalf("string node %d reads %q, encoding/json %q", i, st.Text(int32(i)), s)
			}
		}
	})
}

// A body with more violations than MaxViolations lists the first ones in
// document order and counts the rest in one "limit" violation: 20 000
// duplicate keys would otherwise cost 20 000 walks of the tape.
func TestViolationsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"a":0`)
	for i := 0; i < 20000; i++ {
		b.WriteString(`,"a":1`)
	}
	b.WriteString("}")
	err := Run([]byte(b.String()), func(st *State) *ValidationError { return st.Check(func(*State, int32) bool { return true }) })
	if err == nil {
		t.Fatal("20 000 duplicate keys accepted")
	}
	vs := err.Violations
	if len(vs) != MaxViolations+1 {
		t.Fatalf("%d violations listed, want %d and a count of the rest", len(vs), MaxViolations+1)
	}
	if vs[0].Keyword != "duplicate-key" || vs[0].Pointer != "/a" {
		t.Errorf("first violation %+v", vs[0])
	}
	last := vs[MaxViolations]
	if last.Keyword != "limit" || !strings.HasPrefix(last.Message, strconv.Itoa(20000-MaxViolations)+" more") {
		t.Errorf("last violation %+v, want the count of the %d not listed", last, 20000-MaxViolations)
	}
}

// TestPooledStateBounded: bodies within the handler's default body limit
// that grow the scanner's scratch space past hcKeepBytes (a wide array, a
// wide object, thousands of violations) leave a state that
// keeps at most hcKeepBytes per buffer when it goes back to the pool; a
// common payload keeps its tape for the next body.
func TestPooledStateBounded(t *testing.T) {
	const limit = DefaultMaxBodyBytes
	var wideObj strings.Builder
	wideObj.WriteString("{")
	for i := 0; wideObj.Len() < limit-16; i++ {
		if i > 0 {
			wideObj.WriteString(",")
		}
		wideObj.WriteString(`"` + strconv.Itoa(i) + `":0`)
	}
	wideObj.WriteString("}")
	for name, body := range map[string]string{
		"wide array":     "[" + strings.Repeat("0,", limit/2-2) + "0]",
		"wide object":    wideObj.String(),
		"duplicate keys": `{"a":0` + strings.Repeat(`,"a":1`, limit/6-2) + "}",
	} {
		if len(body) > limit {
			t.Fatalf("%s: %d bytes, over the body limit", name, len(body))
		}
		st := Scan([]byte(body))
		st.Check(func(*State, int32) bool { return true })
		grown := st.retained()
		st.trim()
		kept := st.retained()
		t.Logf("%s: %d bytes of scratch space, %d kept", name, grown, kept)
		if grown <= hcKeepBytes {
			t.Errorf("%s: grew the state to only %d bytes: not an attack on it", name, grown)
		}
		for buf, n := range map[string]uintptr{"nodes": hcCapBytes(st.Nodes), "open": hcCapBytes(st.open), "marks": hcCapBytes(st.marks), "violations": hcCapBytes(st.viols), "bad": hcCapBytes(st.bad), "table": hcCapBytes(st.table)} {
			if n > hcKeepBytes {
				t.Errorf("%s: the pooled state keeps %d bytes of %s", name, n, buf)
			}
		}
	}
	small, err := os.ReadFile(filepath.Join("..", "..", "specs", "salesforce", "examples", "valid", "salesforcesettings.updated.json"))
	if err != nil {
		t.Fatal(err)
	}
	st := Scan(small)
	nodes := cap(st.Nodes)
	st.trim()
	if cap(st.Nodes) != nodes || nodes == 0 {
		t.Errorf("a common payload's tape (%d nodes) was dropped", nodes)
	}
}

// TestViolationsHeldInDocumentOrder: a state holds a bounded number of
// violations, and what it lists is still the first MaxViolations in
// document order with the count of the rest, when those come last: the
// repeated keys of an object are found when it closes, after those of
// the objects inside it.
func TestViolationsHeldInDocumentOrder(t *testing.T) {
	const outer, inner = 2 * hcViolsHeld, 5 * hcViolsHeld
	body := `{"a":0` + strings.Repeat(`,"a":1`, outer) + `,"z":{"b":0` + strings.Repeat(`,"b":1`, inner) + "}}"
	st := Scan([]byte(body))
	defer st.Release()
	if len(st.bad) > hcViolsHeld {
		t.Errorf("the state holds %d violations, want at most %d", len(st.bad), hcViolsHeld)
	}
	err := st.Check(func(*State, int32) bool { return true })
	if err == nil || len(err.Violations) != MaxViolations+1 {
		t.Fatalf("got %v, want %d violations and a count", err, MaxViolations+1)
	}
	for i, v := range err.Violations[:MaxViolations] {
		if v.Keyword != "duplicate-key" || v.Pointer != "/a" || !strings.Contains(v.Message, `"a"`) {
			t.Fatalf("violation %d is %+v, want the outer object's repeated \"a\"", i, v)
		}
	}
	if want := hcLimitMessage(outer + inner - MaxViolations); err.Violations[MaxViolations].Message != want {
		t.Errorf("count %q, want %q", err.Violations[MaxViolations].Message, want)
	}
	rs := st.Refusals()
	if len(rs) != MaxViolations+1 || rs[0].Pointer != "/a" || rs[MaxViolations].Message != hcLimitMessage(outer+inner-MaxViolations) {
		t.Errorf("refusals: %d, first %+v, last %+v", len(rs), rs[0], rs[len(rs)-1])
	}
}

// TestRecordKeepsTheFirst: violations recorded in shuffled document
// order, two per node, far more than a state holds: the ones kept start
// with the first MaxViolations in document order, each node's in the
// order found.
func TestRecordKeepsTheFirst(t *testing.T) {
	var st State
	const nodes = 10 * hcViolsHeld
	order := rand.New(rand.NewSource(1)).Perm(nodes)
	for _, n := range order {
		st.record(hcViolation{node: int32(n + 1), msg: "first"})
	}
	for _, n := range order {
		st.record(hcViolation{node: int32(n + 1), msg: "second"})
	}
	if len(st.viols) > hcViolsHeld {
		t.Fatalf("%d violations held, want at most %d", len(st.viols), hcViolsHeld)
	}
	if st.dropped+len(st.viols) != 2*nodes {
		t.Errorf("%d dropped and %d held, want %d in all", st.dropped, len(st.viols), 2*nodes)
	}
	hcSortViolations(st.viols)
	for i, v := range st.viols[:MaxViolations] {
		if want := (hcViolation{node: int32(i/2 + 1), msg: [2]string{"first", "second"}[i%2]}); v != want {
			t.Fatalf("violation %d is %+v, want %+v", i, v, want)
		}
	}
}

// retained is the bytes of scratch space st holds (its buffers'
// capacities).
func (st *State) retained() uintptr {
	return hcCapBytes(st.Nodes) + hcCapBytes(st.open) + hcCapBytes(st.marks) + hcCapBytes(st.viols) +
		hcCapBytes(st.Scope) + hcCapBytes(st.Ev) + hcCapBytes(st.buf) + hcCapBytes(st.arena) + hcCapBytes(st.idx) +
		hcCapBytes(st.hashes) + hcCapBytes(st.table) + hcCapBytes(st.Pending) + hcCapBytes(st.bad)
}

// TestTapeGrowth: building the tape of a large body allocates a small
// multiple of the tape itself, not the five times that growing it by a
// quarter at a time costs, and a long string does not make it reserve a
// node per byte.
func TestTapeGrowth(t *testing.T) {
	for name, body := range map[string]string{
		"wide array":       "[" + strings.Repeat("0,", DefaultMaxBodyBytes/2-2) + "0]",
		"one key repeated": "{" + strings.Repeat(`"k":{"a":1,"b":[true,null]},`, DefaultMaxBodyBytes/30) + `"z":0}`,
		"one long value":   `{"a":[1,2,3],"b":"` + strings.Repeat("x", DefaultMaxBodyBytes-32) + `"}`,
	} {
		st := new(State)
		st.Data = []byte(body)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		st.parse()
		runtime.ReadMemStats(&after)
		tape := uint64(len(st.Nodes)) * uint64(unsafe.Sizeof(Node{}))
		got := after.TotalAlloc - before.TotalAlloc
		t.Logf("%s: %d nodes (%d bytes), %d bytes allocated", name, len(st.Nodes), tape, got)
		if got > 5*tape/2+64<<10 {
			t.Errorf("%s: building a tape of %d bytes allocated %d", name, tape, got)
		}
	}
}

// TestAcceptGraded: the acceptor of guarantees alone decides only on a
// scan whose caller discards drift, and a pooled state does not carry
// that to the next scan; neither acceptor runs on a payload that did not
// parse.
func TestAcceptGraded(t *testing.T) {
	var called string
	exact := func(*State, int32) bool { called = "exact"; return false }
	guarantees := func(*State, int32) bool { called = "guarantees"; return true }
	for _, c := range []struct {
		discard bool
		want    string
		ok      bool
	}{{false, "exact", false}, {true, "guarantees", true}, {false, "exact", false}} {
		st := Scan([]byte(`{"a":1}`))
		if c.discard {
			st.DiscardDrift()
		}
		called = ""
		ok := st.AcceptGraded(exact, guarantees)
		st.Release()
		if called != c.want || ok != c.ok {
			t.Errorf("discard %v: called %q (accepted %v), want %q (%v)", c.discard, called, ok, c.want, c.ok)
		}
	}
	st := Scan([]byte(`{"a":`))
	st.DiscardDrift()
	called = ""
	if st.AcceptGraded(exact, guarantees) || called != "" {
		t.Errorf("a malformed payload: accepted, or %q called", called)
	}
	st.Release()
}

// tapeAny is the value of node i of a parsed tape as encoding/json decodes
// it into any (with UseNumber), read through the tape's structure only: a
// container's members or elements by their Next links, as many as its
// count says and ending with a link of 0, each ending where its text ends.
// It counts in *reached the nodes it reads (keys included).
func tapeAny(st *State, i int32, reached *int) (any, error) {
	*reached++
	nd := &st.Nodes[i]
	text := st.Data[nd.Start:nd.End]
	switch nd.Kind {
	case KString:
		return string(st.Text(i)), nil
	case KNumber:
		return json.Number(text), nil
	case KTrue, KFalse, KNull:
		var v any
		err := json.Unmarshal(text, &v)
		return v, err
	}
	var items []int32
	if nd.N > 0 {
		for k := i + 1; k != 0; k = st.Nodes[k].Next {
			if k <= i || int(k) >= len(st.Nodes) || len(items) > int(nd.N) {
				return nil, fmt.Errorf("node %d: a link to %d, after %d items of %d", i, k, len(items), nd.N)
			}
			items = append(items, k)
		}
	}
	if len(items) != int(nd.N) {
		return nil, fmt.Errorf("node %d: %d items linked, a count of %d", i, len(items), nd.N)
	}
	last := nd.Start + 1
	switch nd.Kind {
	case KObject:
		m := map[string]any{}
		for _, k := range items {
			*reached++ // the key
			v, err := tapeAny(st, k+1, reached)
			if err != nil {
				return nil, err
			}
			m[string(st.Text(k))] = v
			last = tapeEnd(st, k+1)
		}
		if !onlySpaceThen(st.Data[last:nd.End], '}') {
			return nil, fmt.Errorf("object node %d ends at %d, its last member at %d", i, nd.End, last)
		}
		return m, nil
	case KArray:
		a := []any{}
		for _, k := range items {
			v, err := tapeAny(st, k, reached)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
			last = tapeEnd(st, k)
		}
		if !onlySpaceThen(st.Data[last:nd.End], ']') {
			return nil, fmt.Errorf("array node %d ends at %d, its last element at %d", i, nd.End, last)
		}
		return a, nil
	}
	return nil, fmt.Errorf("node %d: kind %d", i, nd.Kind)
}

// tapeEnd is the offset one past the text of node i.
func tapeEnd(st *State, i int32) int32 {
	if st.Nodes[i].Kind == KString {
		return st.Nodes[i].End + 1 // the closing quote
	}
	return st.Nodes[i].End
}

// onlySpaceThen reports whether b is JSON whitespace and then c.
func onlySpaceThen(b []byte, c byte) bool {
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) == 1 && b[0] == c
}
