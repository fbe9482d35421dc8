package hcrt

import (
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"
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

// TestScanBounded: data of exactly the bound's nodes parses as Scan
// parses it; one node more is refused with one limit refusal at that
// node's first byte, whatever the shape of the data and whatever capacity
// the pooled state had, and the tape never grows past the bound.
func TestScanBounded(t *testing.T) {
	// a pooled state with room for far more nodes than the bounds below
	warm := Scan([]byte("[" + strings.Repeat("0,", 5000) + "0]"))
	warm.Release()
	for _, tc := range []struct {
		in    string
		nodes int // what Scan makes of it
		next  int // offset of node bound+1 when the bound is nodes-1
	}{
		{`[1,2,3]`, 4, 5},
		{`{"a":1,"b":[true,null]}`, 7, 17},
		{`{"a":{"b":{"c":"d"}}}`, 7, 15},
		{"[" + strings.Repeat("0,", 999) + "0]", 1001, 1999},
		{wideObject(99) + `"z":0}`, 201, len(wideObject(99)) + 4},
	} {
		st := Scan([]byte(tc.in))
		if !st.Parsed || len(st.Nodes) != tc.nodes {
			t.Fatalf("%.40q: Scan made %d nodes (parsed %v), want %d", tc.in, len(st.Nodes), st.Parsed, tc.nodes)
		}
		st.Release()
		for _, bound := range []int{tc.nodes, tc.nodes + 1, 1 << 20} {
			st := ScanBounded([]byte(tc.in), bound)
			if !st.Parsed || len(st.Nodes) != tc.nodes || st.Refusals() != nil {
				t.Errorf("%.40q, bound %d: parsed %v, %d nodes, %+v", tc.in, bound, st.Parsed, len(st.Nodes), st.Refusals())
			}
			st.Release()
		}
		for _, bound := range []int{1, 2, tc.nodes - 1} {
			st := ScanBounded([]byte(tc.in), bound)
			got := st.Refusals()
			if st.Parsed || len(got) != 1 || got[0].Keyword != "limit" || cap(st.Nodes) > bound ||
				!strings.Contains(got[0].Message, "more than "+strconv.Itoa(bound)+" JSON values") {
				t.Errorf("%.40q, bound %d: parsed %v, tape cap %d, refusals %+v", tc.in, bound, st.Parsed, cap(st.Nodes), got)
			} else if bound == tc.nodes-1 && got[0].Offset != tc.next {
				t.Errorf("%.40q, bound %d: refused at %d, want %d", tc.in, bound, got[0].Offset, tc.next)
			}
			st.Release()
		}
	}
	// the bound comes before any other refusal found further on
	st := ScanBounded([]byte(`[1,2,3,}`), 2)
	if got := st.Refusals(); len(got) != 1 || got[0].Keyword != "limit" || got[0].Offset != 3 {
		t.Errorf("bound before malformed JSON: %+v", got)
	}
	st.Release()
}

// TestScanBoundedMemory attacks the bound with a 16 MiB array of 8
// million numbers: bounded at 1 << 20 nodes, the scan allocates no more
// than a tape of that many (with hcGrow's slack), not one of 8 million.
func TestScanBoundedMemory(t *testing.T) {
	body := []byte("[" + strings.Repeat("0,", 8<<20-1) + "0]")
	const bound = 1 << 20
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	st := ScanBounded(body, bound)
	runtime.ReadMemStats(&after)
	defer st.Release()
	tape := uint64(bound) * uint64(unsafe.Sizeof(Node{}))
	got := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d bytes allocated; a tape of %d nodes is %d bytes", got, bound, tape)
	if st.Parsed || len(st.Nodes) != bound {
		t.Fatalf("parsed %v with %d nodes", st.Parsed, len(st.Nodes))
	}
	if got > 3*tape {
		t.Errorf("the bounded scan allocated %d bytes, more than 3 tapes of the bound (%d)", got, 3*tape)
	}
}

// wideObject is an object of n distinct members, each "kNN":0, open after
// the last one's comma.
func wideObject(n int) string {
	var b strings.Builder
	b.WriteString("{")
	for i := range n {
		b.WriteString(`"k` + strconv.Itoa(100+i) + `":0,`)
	}
	return b.String()
}

// FuzzScanBounded: with a bound, data Scan parses into n nodes parses
// the same when n is within the bound and is refused with one limit
// refusal when it is not; data Scan refuses is refused too, for the
// same reason or for the bound. The tape never grows past the bound.
func FuzzScanBounded(f *testing.F) {
	for _, s := range []string{`{"a":1,"b":[true,false,null],"c":{"d":"\u00e9x"}}`, `{"a":1,"a":2}`, `[1,2,3,}`, `[[[[]]]]`, `{"k":[1e99999,2]}`} {
		f.Add([]byte(s), uint8(3))
	}
	f.Fuzz(func(t *testing.T, b []byte, bound uint8) {
		k := int(bound)%32 + 1
		full := Scan(b)
		parsed, n, why := full.Parsed, len(full.Nodes), full.Refusals()
		full.Release()
		st := ScanBounded(b, k)
		defer st.Release()
		got := st.Refusals()
		if cap(st.Nodes) > k {
			t.Fatalf("%q, bound %d: tape of capacity %d", b, k, cap(st.Nodes))
		}
		over := len(got) == 1 && got[0].Keyword == "limit" && got[0].Pointer == ""
		switch {
		case parsed && n <= k:
			if !st.Parsed || len(st.Nodes) != n {
				t.Fatalf("%q, bound %d: %d nodes, bounded: parsed %v, %+v", b, k, n, st.Parsed, got)
			}
		case parsed:
			if st.Parsed || !over {
				t.Fatalf("%q, bound %d: %d nodes, bounded: parsed %v, %+v", b, k, n, st.Parsed, got)
			}
		default:
			if st.Parsed || (!over && !slices.Equal(got, why)) {
				t.Fatalf("%q, bound %d: refused %+v, bounded: parsed %v, %+v", b, k, why, st.Parsed, got)
			}
		}
	})
}
