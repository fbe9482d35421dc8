package contracttest

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

// testSuite is the embedded suite (compiled once per process).
func testSuite(tb testing.TB) *Suite {
	tb.Helper()
	s, err := Embedded()
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

const ticket = `{
  "data": {"status": "CREATION", "params": {"id": "debde69a-2dbb-427b-b478-6cffd7930ecf"},
           "resource": "/v0/tickets/debde69a-2dbb-427b-b478-6cffd7930ecf"},
  "tenant_id": "3b5cf468-c858-404b-9e53-630e3df9d74a",
  "topic": "sac_ticket"
}`

const settings = `{
  "id": "evt_1", "attemptId": "att_1", "created": 1634755502, "event": "salesforcesettings.updated", "livemode": false,
  "data": {"enabled": true, "mcInstanceId": "mc-1", "messageId": "m-1", "clientId": "CLIENT-ID-VALUE", "clientSecret": "CLIENT-SECRET-VALUE"}
}`

// edit returns doc with each old string replaced by its new one, failing
// when one is absent.
func edit(tb testing.TB, doc string, oldNew ...string) []byte {
	tb.Helper()
	for i := 0; i < len(oldNew); i += 2 {
		if !strings.Contains(doc, oldNew[i]) {
			tb.Fatalf("edit: %q not in the document", oldNew[i])
		}
		doc = strings.Replace(doc, oldNew[i], oldNew[i+1], 1)
	}
	return []byte(doc)
}

type vk struct{ pointer, keyword string }

func violationKeys(r Result) []vk {
	var out []vk
	for _, v := range r.Violations {
		out = append(out, vk{v.Pointer, v.Keyword})
	}
	return out
}

func TestCheckVerdicts(t *testing.T) {
	s := testSuite(t)
	for _, tc := range []struct {
		name      string
		data      []byte
		opts      CheckOptions
		verdict   Verdict
		event     string // provider/event
		qualifier string
		want      []vk
		unknown   []string
	}{
		{name: "valid", data: []byte(ticket), verdict: Pass, event: "tickets/sac_ticket", qualifier: "CREATION"},
		{name: "drift", data: edit(t, ticket, `"topic"`, `"shard": 3, "topic"`, `"id": "debde`, `"kind": "x", "id": "debde`),
			verdict: Drift, event: "tickets/sac_ticket", qualifier: "CREATION", unknown: []string{"/data/params/kind", "/shard"}},
		{name: "members of a free-form object are not drift", data: []byte(`{"notificationType": "installation.deleted", "data": {"projectId": "p", "provider": "salesforce", "integrationId": "i", "installationId": "in", "groupRef": "g", "consumerRef": "c", "connectionId": "cn",
			"config": {"write": {"objects": {"any": 1}}, "read": {"objects": {"account": {"objectName": "account", "destination": "d", "anything": 2}}}}}}`),
			verdict: Drift, event: "ampersand/installation.deleted", unknown: []string{"/data/config/read/objects/account/anything"}},
		{name: "missing required member at its own pointer", data: edit(t, ticket, `"status": "CREATION", `, ``),
			verdict: Fail, event: "tickets/sac_ticket", want: []vk{{"/data/status", "required"}}},
		{name: "every violation", data: edit(t, ticket, `"CREATION"`, `"CREATED"`, `"3b5cf468-c858-404b-9e53-630e3df9d74a"`, `42`),
			verdict: Fail, event: "tickets/sac_ticket", qualifier: "CREATED", want: []vk{{"/data/status", "enum"}, {"/tenant_id", "type"}}},
		{name: "conditional required", data: edit(t, settings, `"clientSecret": "CLIENT-SECRET-VALUE"`, `"smsEnabled": true`),
			verdict: Fail, event: "salesforce/salesforcesettings.updated", want: []vk{{"/data/clientSecret", "required"}}},
		{name: "if/then/else reports the branch taken", data: []byte(`{"id": "e", "attemptId": "a", "created": 1, "event": "salesforcesettings.updated", "data": {"providerId": "p1", "data": {"smsEnabled": true}}}`),
			verdict: Fail, event: "salesforce/salesforcesettings.updated", want: []vk{{"/data/data/enabled", "required"}}},
		{name: "unknown event: drift, as a generated handler acknowledges it", data: edit(t, ticket, `"sac_ticket"`, `"sac_invoice"`),
			verdict: Drift, event: "tickets/sac_invoice"},
		{name: "event name not a string", data: edit(t, ticket, `"sac_ticket"`, `42`),
			verdict: Fail, want: []vk{{"/topic", "enum"}}},
		{name: "no event", data: []byte(`{"hello": "world"}`), verdict: Fail, want: []vk{{"", "event"}}},
		{name: "not an object", data: []byte(`[1, 2]`), verdict: Fail, want: []vk{{"", "event"}}},
		{name: "not JSON", data: []byte(`{"topic": sac_ticket}`), verdict: Fail, want: []vk{{"", "json"}}},
		{name: "provider given", data: []byte(ticket), opts: CheckOptions{Provider: "tickets"}, verdict: Pass, event: "tickets/sac_ticket", qualifier: "CREATION"},
		{name: "wrong provider given", data: []byte(ticket), opts: CheckOptions{Provider: "sonar"}, verdict: Fail, want: []vk{{"", "event"}}},
		{name: "unknown provider", data: []byte(ticket), opts: CheckOptions{Provider: "nope"}, verdict: Fail, want: []vk{{"", "provider"}}},
		{name: "event given, body carries another", data: []byte(ticket), opts: CheckOptions{Provider: "tickets", Event: "sac_message"},
			verdict: Fail, event: "tickets/sac_message", qualifier: "CREATION", want: []vk{{"/data/params/ticket_id", "required"}, {"/topic", "const"}}},
		{name: "bare body with its event", data: []byte(`{"projectId": "p", "provider": "hubspot", "groupRef": "g", "consumerRef": "c", "consumerName": "n", "connectionId": "cn"}`),
			opts: CheckOptions{Event: "connection.deleted"}, verdict: Pass, event: "ampersand/connection.deleted"},
		{name: "request bodies: the best fitting contract", data: []byte(`{"webhook": {"name": "n", "active": "true", "settings": {"customer_created": "true"}, "url": "https://example.com/h", "http_method": "POST"}}`),
			verdict: Pass, event: "sonar/createWebhook"},
		{name: "request bodies: the best fitting contract, invalid", data: []byte(`{"webhook": {"name": "n", "active": "true", "settings": {"customer_created": true}, "url": "https://example.com/h", "http_method": "POST"}}`),
			verdict: Fail, event: "sonar/createWebhook", want: []vk{{"/webhook/settings/customer_created", "enum"}}},
		{name: "request bodies: the other provider", data: []byte(`{"webhook": {"url": "https://example.com/h", "secured": true}, "published": false}`),
			verdict: Pass, event: "salesiq/createWebhook"},
		{name: "request bodies: cannot tell", data: []byte(`{"webhook": {"url": 7}}`), verdict: Fail, want: []vk{{"", "provider"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.Check(tc.data, tc.opts)
			if r.Verdict != tc.verdict {
				t.Errorf("verdict %s, want %s; violations %+v, unknown %v", r.Verdict, tc.verdict, r.Violations, r.Unknown)
			}
			if tc.event != "" && r.Provider+"/"+r.Event != tc.event {
				t.Errorf("detected %s/%s, want %s", r.Provider, r.Event, tc.event)
			}
			if r.Qualifier != tc.qualifier {
				t.Errorf("qualifier %q, want %q", r.Qualifier, tc.qualifier)
			}
			if got := violationKeys(r); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("violations %v, want %v\n%+v", got, tc.want, r.Violations)
			}
			if !slices.Equal(r.Unknown, tc.unknown) {
				t.Errorf("unknown %v, want %v", r.Unknown, tc.unknown)
			}
			for _, v := range r.Violations {
				if v.Message == "" || (v.Keyword != "provider" && (v.Line < 1 || v.Column < 1)) {
					t.Errorf("violation without message or position: %+v", v)
				}
			}
		})
	}
}

// TestMessagesSayExpectedAndFound: every message of a schema violation
// names what was expected and what was found.
func TestMessagesSayExpectedAndFound(t *testing.T) {
	s := testSuite(t)
	for _, tc := range []struct {
		data []byte
		want string
	}{
		{edit(t, ticket, `"CREATION"`, `"creation"`), `/data/status: expected one of "CREATION", "UPDATE", "DELETION", found "creation"`},
		{edit(t, ticket, `"3b5cf468-c858-404b-9e53-630e3df9d74a"`, `"3b5cf468"`), `/tenant_id: expected a valid uuid, found "3b5cf468"`},
		{edit(t, ticket, `"3b5cf468-c858-404b-9e53-630e3df9d74a"`, `true`), `/tenant_id: expected string, found true`},
		{edit(t, ticket, `"/v0/tickets/debde69a-2dbb-427b-b478-6cffd7930ecf"`, `"/v1/x"`), `/data/resource: expected a string matching ^/v0/tickets/[^/]+$, found "/v1/x"`},
		{edit(t, ticket, `"status": "CREATION", `, ``), `/data/status: expected required property "status", found it missing`},
		{edit(t, settings, `"created": 1634755502`, `"created": -1`), `/created: expected a number >= 0, found the number -1`},
		{edit(t, settings, `"event": "salesforcesettings.updated"`, `"event": "salesforcesettings.updated", "data": {}`), `duplicate-key`},
	} {
		r := s.Check(tc.data, CheckOptions{})
		var lines []string
		for _, v := range r.Violations {
			lines = append(lines, v.Pointer+": "+v.Message+" ["+v.Keyword+"]")
		}
		if got := strings.Join(lines, "\n"); !strings.Contains(got, tc.want) {
			t.Errorf("violations:\n%s\nwant one with %q", got, tc.want)
		}
	}
}

// TestSecretsNeverShown: the value of a field marked secret appears in no
// report format, whatever rule it breaks.
func TestSecretsNeverShown(t *testing.T) {
	s := testSuite(t)
	const secret = "SECRET-d41d8cd98f00"
	payloads := [][]byte{
		edit(t, settings, `"CLIENT-SECRET-VALUE"`, `{"token": "`+secret+`"}`),
		edit(t, settings, `"CLIENT-ID-VALUE"`, `["`+secret+`"]`),
		edit(t, settings, `"data": {`, `"data": {"providerId": "p", "apiKey": {"k": "`+secret+`"}, "data": {"enabled": "`+secret+`"}, "z": {`),
		[]byte(`{"notificationType": "installation.created", "data": {"projectId": "p", "provider": "salesforce", "integrationId": "i", "installationId": "in", "groupRef": "g", "consumerRef": "c", "connectionId": "cn", "configURL": "` + secret + `"}}`),
		[]byte(`{"notificationType": "installation.updated", "data": {"projectId": "p", "provider": "salesforce", "integrationId": "i", "installationId": "in", "groupRef": "g", "consumerRef": "c", "connectionId": "cn", "config": {}, "lastConfigURL": "not a url ` + secret + `"}}`),
	}
	var payloadList []Payload
	for i, p := range payloads {
		payloadList = append(payloadList, Payload{Source: fmt.Sprintf("p%d.json", i), Data: p})
	}
	rep := s.CheckPayloads(payloadList, Options{})
	for _, r := range rep.Results {
		if r.Verdict != Fail {
			t.Errorf("%s: verdict %s, want fail", r.Source, r.Verdict)
		}
	}
	for _, format := range Formats {
		var b bytes.Buffer
		if err := rep.Write(&b, format, false); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(b.String(), secret) || strings.Contains(b.String(), "SECRET-") {
			t.Errorf("format %s shows a secret value:\n%s", format, b.String())
		}
		if !strings.Contains(b.String(), "redacted") {
			t.Errorf("format %s: no redacted value in\n%s", format, b.String())
		}
	}
}

// TestCheckKeepsNothingOfThePayload: changing the bytes after Check does not
// change its result.
func TestCheckKeepsNothingOfThePayload(t *testing.T) {
	s := testSuite(t)
	for _, doc := range []string{ticket, strings.Replace(ticket, `"topic"`, `"extra": 1, "topic"`, 1), strings.Replace(ticket, `"CREATION"`, `"NOPE"`, 1)} {
		data := []byte(doc)
		r := s.Check(data, CheckOptions{})
		want := fmt.Sprintf("%+v", r)
		for i := range data {
			data[i] = '#'
		}
		s.Check([]byte(strings.ReplaceAll(doc, "e", "o")), CheckOptions{})
		if got := fmt.Sprintf("%+v", r); got != want {
			t.Errorf("result changed with the payload's bytes:\n%s\nwant\n%s", got, want)
		}
	}
}

// TestCheckConcurrent: checks from many goroutines agree (run with -race).
func TestCheckConcurrent(t *testing.T) {
	s := testSuite(t)
	docs := [][]byte{[]byte(ticket), []byte(settings), edit(t, ticket, `"CREATION"`, `"X"`), edit(t, ticket, `"topic"`, `"new": {"a": 1}, "topic"`)}
	want := make([]string, len(docs))
	for i, d := range docs {
		want[i] = fmt.Sprintf("%+v", s.Check(d, CheckOptions{}))
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				k := (g + i) % len(docs)
				if got := fmt.Sprintf("%+v", s.Check(docs[k], CheckOptions{})); got != want[k] {
					t.Errorf("concurrent check of %d = %s, want %s", k, got, want[k])
					return
				}
			}
		}()
	}
	wg.Wait()
}

// miniSpec is a spec directory with one provider, "mini", whose event name
// is at /kind and whose only webhook "shape" has the given schema; extra
// files are added as given.
func miniSpec(schema string, extra map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"mini/openapi.yaml": {Data: []byte(`openapi: 3.1.0
info: {title: mini, version: "1"}
x-hookcontract:
  provider: mini
  event:
    pointer: /kind
paths: {}
webhooks:
  shape:
    post:
      operationId: shape
      requestBody:
        content:
          application/json:
            schema:
              $ref: schemas/shape.json
      responses:
        "200": {description: ok}
`)},
		"mini/schemas/shape.json": {Data: []byte(schema)},
	}
	for name, data := range extra {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

// TestUnionResolvedByDiscriminator: a oneOf whose branches pin a
// discriminator reports only the chosen branch's failures, and drift is
// computed against the branch the payload matches.
func TestUnionResolvedByDiscriminator(t *testing.T) {
	s, err := Load(miniSpec(`{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://hookcontract.dev/schemas/mini/shape.json",
  "type": "object",
  "required": ["kind", "shape"],
  "properties": {"kind": {"const": "shape"}, "shape": {"oneOf": [
    {"type": "object", "required": ["type", "radius"], "properties": {"type": {"const": "circle"}, "radius": {"type": "number", "minimum": 0}}},
    {"type": "object", "required": ["type", "side"], "properties": {"type": {"const": "square"}, "side": {"type": "number"}}},
    {"type": "object", "required": ["type", "a", "b"], "properties": {"type": {"enum": ["rect", "rectangle"]}, "a": {"type": "number"}, "b": {"type": "number"}}}
  ]}}
}`, nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		doc     string
		verdict Verdict
		want    []vk
		unknown []string
	}{
		{`{"kind": "shape", "shape": {"type": "circle", "radius": 2}}`, Pass, nil, nil},
		{`{"kind": "shape", "shape": {"type": "circle", "radius": -2}}`, Fail, []vk{{"/shape/radius", "minimum"}}, nil},
		{`{"kind": "shape", "shape": {"type": "square"}}`, Fail, []vk{{"/shape/side", "required"}}, nil},
		{`{"kind": "shape", "shape": {"type": "rect", "a": 1, "b": "2"}}`, Fail, []vk{{"/shape/b", "type"}}, nil},
		{`{"kind": "shape", "shape": {"type": "oval"}}`, Fail, []vk{{"/shape", "oneOf"}}, nil},
		{`{"kind": "shape", "shape": {"radius": 1}}`, Fail, []vk{{"/shape/type", "required"}}, nil},
		{`{"kind": "shape", "shape": "round"}`, Fail, []vk{{"/shape", "type"}}, nil},
		{`{"kind": "shape", "shape": {"type": "square", "side": 1, "radius": 3}}`, Drift, nil, []string{"/shape/radius"}},
	} {
		r := s.Check([]byte(tc.doc), CheckOptions{})
		if r.Verdict != tc.verdict || !reflect.DeepEqual(violationKeys(r), tc.want) || !slices.Equal(r.Unknown, tc.unknown) {
			t.Errorf("%s: %s %v unknown %v, want %s %v unknown %v", tc.doc, r.Verdict, r.Violations, r.Unknown, tc.verdict, tc.want, tc.unknown)
		}
	}
}

// TestSpecWithDanglingRef: a spec directory whose schema refers to a file
// that does not exist is an error that names the file and the reference.
func TestSpecWithDanglingRef(t *testing.T) {
	_, err := Load(miniSpec(`{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://hookcontract.dev/schemas/mini/shape.json",
  "type": "object",
  "properties": {"kind": {"const": "shape"}, "owner": {"$ref": "owner.json"}}
}`, nil))
	if err == nil {
		t.Fatal("Load succeeded with a dangling $ref")
	}
	for _, want := range []string{"mini/schemas/shape.json", "/properties/owner/$ref", `"owner.json"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "/tmp") || strings.Contains(err.Error(), "\n") {
		t.Errorf("error %q: want one line without machine paths", err)
	}
	// A $ref to a missing $defs entry inside an existing file.
	_, err = Load(miniSpec(`{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://hookcontract.dev/schemas/mini/shape.json",
  "type": "object",
  "properties": {"kind": {"const": "shape"}, "id": {"$ref": "#/$defs/missing"}}
}`, nil))
	if err == nil || !strings.Contains(err.Error(), "mini/schemas/shape.json:5:53: /properties/id/$ref") || !strings.Contains(err.Error(), "/$defs/missing") {
		t.Fatalf("Load with a ref to a missing $defs entry: %v", err)
	}
}

// TestTooManyValues: a payload within MaxPayloadBytes that holds more
// than MaxPayloadValues values (a megabyte array of zeros, which the
// reference validator would take seconds and a gigabyte to check) fails
// unchecked in the runner with a "limit" violation that says so;
// Suite.Check has no such bound.
func TestTooManyValues(t *testing.T) {
	s := testSuite(t)
	body := []byte(`{"topic":"sac_ticket","data":[` + strings.Repeat("0,", MaxPayloadValues) + `0]}`)
	if len(body) > MaxPayloadBytes {
		t.Fatalf("%d bytes: over MaxPayloadBytes", len(body))
	}
	rep := s.CheckPayloads([]Payload{{Source: "big.json", Data: body}}, Options{Provider: "tickets"})
	if len(rep.Results) != 1 {
		t.Fatalf("%d results", len(rep.Results))
	}
	r := rep.Results[0]
	if r.Verdict != Fail || len(r.Violations) != 1 || r.Violations[0].Keyword != "limit" || !strings.Contains(r.Violations[0].Message, "MaxPayloadValues") {
		t.Fatalf("got %s %+v, want one limit violation", r.Verdict, r.Violations)
	}
	// the object, two members (four nodes) and the array are 6 nodes:
	// the value beyond the bound is the zero at index MaxPayloadValues-5
	if v := r.Violations[0]; v.Line != 1 || v.Column != 31+2*(MaxPayloadValues-5) {
		t.Errorf("limit violation at line %d, column %d, want 1, %d", v.Line, v.Column, 31+2*(MaxPayloadValues-5))
	}
	// exactly MaxPayloadValues values are checked
	body = []byte(`{"topic":"sac_ticket","data":[` + strings.Repeat("0,", MaxPayloadValues-6) + `0]}`)
	rep = s.CheckPayloads([]Payload{{Source: "big.json", Data: body}}, Options{Provider: "tickets"})
	for _, v := range rep.Results[0].Violations {
		if v.Keyword == "limit" {
			t.Fatalf("%d values: %+v", MaxPayloadValues, v)
		}
	}
}

// TestTooManyValuesOnStdin: a first stdin line of more values than the
// runner checks is still one payload of NDJSON (refused for the bound),
// not the start of a single payload made of the whole input.
func TestTooManyValuesOnStdin(t *testing.T) {
	s := testSuite(t)
	big := `{"topic":"sac_ticket","data":[` + strings.Repeat("0,", MaxPayloadValues) + `0]}`
	small := `{"topic":"sac_ticket","data":{}}`
	rep := s.RunPaths([]string{"-"}, strings.NewReader(big+"\n"+small+"\n"), Options{Provider: "tickets"})
	if len(rep.Results) != 2 || len(rep.Errors) != 0 {
		t.Fatalf("%d results, errors %v; want 2 NDJSON payloads", len(rep.Results), rep.Errors)
	}
	if r := rep.Results[0]; r.Line != 1 || len(r.Violations) != 1 || r.Violations[0].Keyword != "limit" {
		t.Errorf("line 1: %s %+v, want one limit violation", r.Verdict, r.Violations)
	}
	if r := rep.Results[1]; r.Line != 2 || (len(r.Violations) > 0 && r.Violations[0].Keyword == "limit") {
		t.Errorf("line 2: %s %+v, want it checked", r.Verdict, r.Violations)
	}
}

// A payload that conforms but is larger than the handler it is for reads
// drifts: that handler answers it 413, and the provider's delivery is
// lost. The bound is the generated handler's default unless the options
// say otherwise; one byte over it is enough.
func TestBodyLimit(t *testing.T) {
	s := testSuite(t)
	pad := func(n int) []byte { // ticket, padded with spaces to n bytes
		b := []byte(ticket)
		return append(b, bytes.Repeat([]byte(" "), n-len(b))...)
	}
	def := int(hcrt.DefaultMaxBodyBytes)
	for _, tc := range []struct {
		name    string
		data    []byte
		opts    CheckOptions
		verdict Verdict
		over    int64
	}{
		{"at the default bound", pad(def), CheckOptions{}, Pass, 0},
		{"one byte over the default bound", pad(def + 1), CheckOptions{}, Drift, hcrt.DefaultMaxBodyBytes},
		{"over the default, no bound", pad(def + 1), CheckOptions{MaxBodyBytes: -1}, Pass, 0},
		{"over the default, within a larger bound", pad(def + 1), CheckOptions{MaxBodyBytes: 2 << 20}, Pass, 0},
		{"over a small bound", []byte(ticket), CheckOptions{MaxBodyBytes: 100}, Drift, 100},
		{"not conforming and over the bound: fails, and says so", edit(t, ticket, `"CREATION"`, `"CREATED"`), CheckOptions{MaxBodyBytes: 100}, Fail, 100},
	} {
		r := s.Check(tc.data, tc.opts)
		if r.Verdict != tc.verdict || r.OverBodyLimit != tc.over {
			t.Errorf("%s: verdict %s, over %d; want %s, %d (%+v)", tc.name, r.Verdict, r.OverBodyLimit, tc.verdict, tc.over, r.Violations)
		}
		if tc.over > 0 && !slices.ContainsFunc(r.driftLines(), func(l string) bool { return strings.Contains(l, "answers 413") }) {
			t.Errorf("%s: the report does not say the handler refuses it: %q", tc.name, r.driftLines())
		}
		// every reporter says it, of a failing payload too
		var text, gh strings.Builder
		if err := r.writeText(&text, false); err != nil {
			t.Fatal(err)
		}
		if err := r.writeGitHub(&gh, false); err != nil {
			t.Fatal(err)
		}
		jc := r.junitCase(false)
		junit := ""
		if jc.Failure != nil {
			junit = jc.Failure.Text
		} else if jc.SystemOut != nil {
			junit = jc.SystemOut.Text
		}
		for format, out := range map[string]string{"text": text.String(), "github": gh.String(), "junit": junit} {
			if says := strings.Contains(out, "answers 413"); says != (tc.over > 0) {
				t.Errorf("%s: the %s report says the handler refuses it: %v, want %v:\n%s", tc.name, format, says, tc.over > 0, out)
			}
		}
		// the handler's gate, bounded alike, refuses exactly what drifts so
		gateOpts := []hcrt.Option{hcrt.WithInsecureSkipVerify(), hcrt.WithLogger(slog.New(slog.DiscardHandler))}
		if tc.opts.MaxBodyBytes > 0 {
			gateOpts = append(gateOpts, hcrt.WithMaxBodyBytes(tc.opts.MaxBodyBytes))
		}
		if tc.opts.MaxBodyBytes >= 0 {
			req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(tc.data))
			req.Header.Set("Content-Type", "application/json")
			_, rej := hcrt.NewGate(&hcrt.Provider{Name: "tickets"}, gateOpts...).Admit(httptest.NewRecorder(), req)
			if refused := rej != nil && rej.Verdict == hcrt.VerdictTooLarge; refused != (tc.over > 0) {
				t.Errorf("%s: the gate refuses it as too large: %v; the check says over %d", tc.name, refused, tc.over)
			}
		}
		if tc.over == hcrt.DefaultMaxBodyBytes && !slices.ContainsFunc(r.driftLines(), func(l string) bool { return strings.Contains(l, "WithMaxBodyBytes") }) {
			t.Errorf("%s: the report does not say how to check a handler's own bound: %q", tc.name, r.driftLines())
		}
	}
}
