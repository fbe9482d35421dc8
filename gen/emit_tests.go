package gen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/hookcontract/hookcontract/internal/contract"
)

// emitTests writes, when the spec has fixtures, a test file that checks
// every fixture with Validate/ValidateEvent and Parse/ParseEvent (valid
// ones conform, invalid ones fail with exactly the recorded violations) and
// posts them to NewHandler over real HTTP on loopback.
func (g *generator) emitTests() error {
	p := g.m.p
	if p.Fixtures == nil {
		return nil
	}
	f := jen.NewFile(g.opts.Package)
	var rows []jen.Code
	add := func(fx *contract.Fixture, valid, drift bool) error {
		body, err := p.ReadFile(fx.Path)
		if err != nil {
			return fmt.Errorf("read fixture: %w", err)
		}
		var expect []jen.Code
		for _, e := range fx.Expect {
			expect = append(expect, jen.Lit(e.Pointer+" "+e.Keyword))
		}
		rows = append(rows, jen.Values(jen.Dict{
			jen.Id("file"):   jen.Lit(strings.TrimPrefix(fx.Path, p.Dir+"/")),
			jen.Id("event"):  jen.Lit(fx.Event),
			jen.Id("form"):   jen.Lit(fx.Form),
			jen.Id("valid"):  jen.Lit(valid),
			jen.Id("drift"):  jen.Lit(drift),
			jen.Id("expect"): jen.Index().String().Values(expect...),
			jen.Id("body"):   jen.Lit(string(body)),
		}))
		return nil
	}
	for _, fx := range p.Fixtures.Valid {
		if err := add(fx, true, false); err != nil {
			return err
		}
	}
	for _, fx := range p.Fixtures.Invalid {
		if err := add(fx, false, false); err != nil {
			return err
		}
	}
	for _, fx := range p.Fixtures.Drift {
		// drift conforms: valid, with the expectations it breaks
		if err := add(fx, true, true); err != nil {
			return err
		}
	}
	f.Comment("fixtures are the spec's fixtures with their recorded outcomes.")
	f.Var().Id("fixtures").Op("=").Index().Struct(
		jen.Id("file").String(), jen.Id("event").String(), jen.Id("form").String(),
		jen.Id("valid").Bool(),
		jen.Id("drift").Bool(),
		jen.Id("expect").Index().String(),
		jen.Id("body").String(),
	).Values(rows...)

	// A handler that records which method was called.
	f.Type().Id("recorder").Struct(
		jen.Id("UnimplementedHandler"),
		jen.Id("mu").Qual("sync", "Mutex"),
		jen.Id("got").Index().String(),
	)
	f.Func().Params(jen.Id("r").Op("*").Id("recorder")).Id("record").Params(jen.Id("name").String()).Block(
		jen.Id("r").Dot("mu").Dot("Lock").Call(),
		jen.Id("r").Dot("got").Op("=").Append(jen.Id("r").Dot("got"), jen.Id("name")),
		jen.Id("r").Dot("mu").Dot("Unlock").Call(),
	)
	for _, e := range g.m.events {
		f.Func().Params(jen.Id("r").Op("*").Id("recorder")).Id("On"+e.GoName).Params(jen.Id("_").Qual("context", "Context"), jen.Id("e").Op("*").Id(e.TypeName)).Error().Block(
			jen.Id("r").Dot("record").Call(jen.Id("e").Dot("EventName").Call()),
			jen.Return(jen.Nil()),
		)
	}
	// jennifer knows only the imports it saw; the hand-written test body
	// needs more, so the import block is replaced.
	rendered := fmt.Sprintf("%#v", f)
	_, decls, ok := strings.Cut(rendered, "\n)\n")
	if !ok {
		return fmt.Errorf("render fixture tests: no import block")
	}
	var src strings.Builder
	fmt.Fprintf(&src, "package %s\n\nimport (\n", g.opts.Package)
	for _, imp := range []string{"bytes", "context", "encoding/json", "io", "math/big", "net/http", "net/http/httptest", "reflect", "sort", "strings", "sync", "testing"} {
		fmt.Fprintf(&src, "\t%q\n", imp)
	}
	src.WriteString(")\n")
	src.WriteString(decls)
	src.WriteString(testBody)
	src.WriteString(canonicalJSONSource)
	return g.put(FilePrefix+"fixtures_test.go", []byte(src.String()))
}

// testBody is the provider-independent part of the fixture tests.
const testBody = `
func violations(err error) []string {
	ve, ok := err.(*ValidationError)
	if !ok {
		return nil
	}
	return pairs(ve.Violations)
}

func pairs(vs []Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Pointer+" "+v.Keyword)
	}
	sort.Strings(out)
	return out
}

func checkResult(event string, body []byte) Result {
	if event != "" {
		return CheckEvent(event, body)
	}
	return Check(body)
}

func check(event string, body []byte) error {
	if event != "" {
		return ValidateEvent(event, body)
	}
	return Validate(body)
}

func TestFixtures(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.file, func(t *testing.T) {
			body := []byte(fx.body)
			err := check(fx.event, body)
			want := append([]string(nil), fx.expect...)
			sort.Strings(want)
			if fx.valid {
				if err != nil {
					t.Fatalf("valid fixture rejected: %v", err)
				}
				r := checkResult(fx.event, body)
				switch {
				case fx.drift && r.Conformance != ConformanceDrift:
					t.Errorf("drift fixture: conformance %s, want drift %v", r.Conformance, r.Violations)
				case fx.drift && strings.Join(pairs(r.Violations), "|") != strings.Join(want, "|"):
					t.Errorf("drift = %q, want %q (%v)", pairs(r.Violations), want, r.Violations)
				case !fx.drift && r.Conformance != ConformancePass:
					t.Errorf("valid fixture: conformance %s, want pass %v", r.Conformance, r.Violations)
				}
				for _, v := range r.Violations {
					if v.Grade != GradeExpected {
						t.Errorf("drift violation %s graded %q", v.Pointer, v.Grade)
					}
				}
				if fx.form == "request" {
					return
				}
				var ev Event
				if fx.event != "" {
					ev, err = ParseEvent(fx.event, body)
				} else {
					ev, err = Parse(body)
				}
				if err != nil {
					t.Fatalf("parse: %v", err)
				}
				if fx.event != "" && ev.EventName() != fx.event {
					t.Errorf("parsed event %q, want %q", ev.EventName(), fx.event)
				}
				return
			}
			if err == nil {
				t.Fatalf("invalid fixture accepted")
			}
			if got := violations(err); strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("violations = %q, want %q (%v)", got, want, err)
			}
		})
	}
}

// TestFixturesRoundTrip: marshaling the payload Parse decoded from a valid
// fixture gives back the fixture: absent members absent, null ones null,
// empty arrays empty, every value as received.
func TestFixturesRoundTrip(t *testing.T) {
	for _, fx := range fixtures {
		if !fx.valid || fx.drift || fx.form == "request" {
			continue
		}
		var ev Event
		var err error
		if fx.event != "" {
			ev, err = ParseEvent(fx.event, []byte(fx.body))
		} else {
			ev, err = Parse([]byte(fx.body))
		}
		if err != nil {
			t.Fatalf("%s: parse: %v", fx.file, err)
		}
		rv := reflect.ValueOf(ev).Elem()
		var payload any
		if b := rv.FieldByName("Bare"); b.IsValid() && !b.IsNil() {
			payload = b.Interface()
		} else if p := rv.FieldByName("Payload"); p.IsValid() {
			payload = p.Interface()
		} else {
			continue
		}
		out, err := json.Marshal(payload)
		if err != nil {
			t.Fatalf("%s: marshal: %v", fx.file, err)
		}
		if !reflect.DeepEqual(canonicalJSON(t, []byte(fx.body)), canonicalJSON(t, out)) {
			t.Errorf("%s: marshaling the parsed payload does not give the fixture back:\n%s", fx.file, out)
		}
	}
}

func TestHandlerOverHTTP(t *testing.T) {
	rec := &recorder{}
	srv := httptest.NewServer(NewHandler(rec, WithInsecureSkipVerify()))
	defer srv.Close()
	post := func(body string) *http.Response {
		t.Helper()
		resp, err := http.Post(srv.URL, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	want := 0
	for _, fx := range fixtures {
		if fx.form != "envelope" {
			continue
		}
		resp := post(fx.body)
		// A well-formed event the spec does not declare is acknowledged
		// and ignored: the provider must not retry it forever.
		if ev, err := Parse([]byte(fx.body)); err == nil {
			if _, unknown := ev.(*UnknownEvent); unknown {
				if resp.StatusCode != http.StatusNoContent {
					t.Errorf("%s: unknown event answered %d, want 204", fx.file, resp.StatusCode)
				}
				continue
			}
		}
		switch {
		case fx.valid && resp.StatusCode != http.StatusNoContent:
			t.Errorf("%s: status %d, want 204", fx.file, resp.StatusCode)
		case fx.valid:
			want++
		case resp.StatusCode != http.StatusBadRequest:
			t.Errorf("%s: status %d, want 400", fx.file, resp.StatusCode)
		case resp.Header.Get("Content-Type") != "application/problem+json":
			t.Errorf("%s: content type %q, want application/problem+json", fx.file, resp.Header.Get("Content-Type"))
		}
	}
	if len(rec.got) != want {
		t.Errorf("handler called %d times, want %d", len(rec.got), want)
	}
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET: status %d, Allow %q; want 405 and POST", resp.StatusCode, resp.Header.Get("Allow"))
	}
}
`

// canonicalJSONSource is the test helper that compares JSON values.
const canonicalJSONSource = `
// canonicalJSON decodes data with every number as an exact rational, so
// that 1.0e3 and 1000 compare equal and nothing else does.
func canonicalJSON(t *testing.T, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	var walk func(any) any
	walk = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				v[k] = walk(x)
			}
		case []any:
			for i, x := range v {
				v[i] = walk(x)
			}
		case json.Number:
			if r, ok := new(big.Rat).SetString(string(v)); ok {
				return r.RatString()
			}
		}
		return v
	}
	return walk(v)
}
`
