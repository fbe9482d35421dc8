package hcrt

import (
	"strings"
	"testing"
)

// TestRefusals: why a payload did not parse, with the offset each refusal
// is about and its message without a position.
func TestRefusals(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []Refusal
	}{
		{`{"a": 1}`, nil},
		{``, []Refusal{{0, "", "json", "empty payload: expected a JSON value"}}},
		{"{\n  \"a\": tru\n}", []Refusal{{9, "", "json", `invalid literal: expected "true"`}}},
		{`{"a": 1,}`, []Refusal{{8, "", "json", "expected a string for an object key, found '}'"}}},
		{"\xEF\xBB\xBF{}", []Refusal{{0, "", "json", "unexpected byte order mark"}}},
	} {
		st := Scan([]byte(tc.in))
		got := st.Refusals()
		st.Release()
		if len(got) != len(tc.want) {
			t.Errorf("%q: %+v, want %+v", tc.in, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%q: %+v, want %+v", tc.in, got[i], tc.want[i])
			}
		}
	}
}

// TestRefusalsDuplicates: every repeated key, in document order (the
// inner object's first, although it closes first), at its opening quote.
func TestRefusalsDuplicates(t *testing.T) {
	st := Scan([]byte(`{"d": {"id": 1, "x": {"id": 3, "id": 4}, "id": 2}}`))
	got := st.Refusals()
	st.Release()
	if len(got) != 2 || got[0].Pointer != "/d/x/id" || got[0].Offset != 31 || got[1].Pointer != "/d/id" || got[1].Offset != 41 ||
		got[0].Keyword != "duplicate-key" || got[1].Keyword != "duplicate-key" {
		t.Errorf("%+v", got)
	}
}

// TestRefusalsNumbersAndLimit: numbers beyond the bounds are refused at
// their first byte; past MaxViolations, one refusal counts the rest.
func TestRefusalsNumbersAndLimit(t *testing.T) {
	st := Scan([]byte(`[1, 1e99999, "s"]`))
	got := st.Refusals()
	st.Release()
	if len(got) != 1 || got[0].Keyword != "number-size" || got[0].Pointer != "/1" || got[0].Offset != 4 {
		t.Errorf("number: %+v", got)
	}
	var b strings.Builder
	b.WriteString("{")
	for i := 0; i < MaxViolations+6; i++ {
		b.WriteString(`"k": 1, `)
	}
	b.WriteString(`"k": 1}`)
	st = Scan([]byte(b.String()))
	got = st.Refusals()
	st.Release()
	if len(got) != MaxViolations+1 || got[0].Offset != 9 || got[MaxViolations].Keyword != "limit" || !strings.HasPrefix(got[MaxViolations].Message, "6 more violations") {
		t.Errorf("%d refusals, first %+v, last %+v", len(got), got[0], got[len(got)-1])
	}
}

// TestOffset: a string starts at its quote, any other value at its first
// byte.
func TestOffset(t *testing.T) {
	st := Scan([]byte(` {"a": [true, "x"]}`))
	defer st.Release()
	for i, want := range []int{1, 2, 7, 8, 14} {
		if got := st.Offset(int32(i)); got != want {
			t.Errorf("node %d (kind %d): offset %d, want %d", i, st.Nodes[i].Kind, got, want)
		}
	}
}

// TestLineColumn: lines end at '\n'; columns count characters, a byte that
// is not UTF-8 as one; an offset past the end is the end.
func TestLineColumn(t *testing.T) {
	data := []byte("{\n  \"é\": 1,\r\n\t\xff}")
	for _, tc := range []struct{ at, line, col int }{
		{0, 1, 1}, {1, 1, 2}, {2, 2, 1}, {4, 2, 3}, {7, 2, 5}, {13, 2, 11}, {14, 3, 1}, {15, 3, 2}, {16, 3, 3}, {99, 3, 4},
	} {
		if line, col := LineColumn(data, tc.at); line != tc.line || col != tc.col {
			t.Errorf("offset %d: %d:%d, want %d:%d", tc.at, line, col, tc.line, tc.col)
		}
	}
}
