package contract

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
)

// TestInferEvents covers the ways real vendors carry the event name.
func TestInferEvents(t *testing.T) {
	body := func(props string) string {
		return `{"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {` + props + `}}}}}}}`
	}
	for _, c := range []struct {
		name, doc, pointer string
		wire               []string
	}{
		{"const differs from key", `{"openapi": "3.1.0", "webhooks": {"pet_created": ` + body(`"kind": {"const": "pet.created"}`) + `, "pet_deleted": ` + body(`"kind": {"const": "pet.deleted"}`) + `}}`,
			"/kind", []string{"pet.created", "pet.deleted"}},
		{"enum of every name", `{"openapi": "3.1.0", "webhooks": {"a.created": ` + body(`"event_type": {"enum": ["a.created", "a.deleted"]}, "id": {"type": "string"}`) + `, "a.deleted": ` + body(`"event_type": {"enum": ["a.created", "a.deleted"]}, "id": {"type": "string"}`) + `}}`,
			"/event_type", []string{"a.created", "a.deleted"}},
		{"plain string named type", `{"openapi": "3.1.0", "webhooks": {"user.created": ` + body(`"type": {"type": "string"}, "object": {"type": "string"}`) + `, "user.deleted": ` + body(`"type": {"type": "string"}, "object": {"type": "string"}`) + `}}`,
			"/type", []string{"user.created", "user.deleted"}},
		{"inside an array item", `{"openapi": "3.1.0", "webhooks": {"/CAPTURE": ` + body(`"items": {"type": "array", "items": {"properties": {"code": {"enum": ["CAPTURE"]}}}}`) + `, "/REFUND": ` + body(`"items": {"type": "array", "items": {"properties": {"code": {"enum": ["REFUND"]}}}}`) + `}}`,
			"/items/0/code", []string{"CAPTURE", "REFUND"}},
		{"discriminator mapping", `{"openapi": "3.1.0", "webhooks": {"created": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Created"}}}}}}, "deleted": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Deleted"}}}}}}},
"components": {"schemas": {"Created": {"type": "object", "properties": {"kind": {"type": "string"}}}, "Deleted": {"type": "object", "properties": {"kind": {"type": "string"}}},
"Any": {"oneOf": [{"$ref": "#/components/schemas/Created"}, {"$ref": "#/components/schemas/Deleted"}], "discriminator": {"propertyName": "kind", "mapping": {"pet.created": "#/components/schemas/Created", "pet.deleted": "#/components/schemas/Deleted"}}}}}}`,
			"/kind", []string{"pet.created", "pet.deleted"}},
		{"3.0 x-webhooks", `{"openapi": "3.0.3", "x-webhooks": {"a": ` + body(`"type": {"type": "string", "nullable": true}`) + `, "b": ` + body(`"type": {"type": "string"}`) + `}}`,
			"/type", []string{"a", "b"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := LoadFile(fstest.MapFS{"v/doc.json": {Data: []byte(c.doc)}}, "v/doc.json")
			if err != nil {
				t.Fatal(err)
			}
			if p.Ext.Event.Pointer != c.pointer {
				t.Errorf("pointer = %q, want %q", p.Ext.Event.Pointer, c.pointer)
			}
			var got []string
			for _, e := range p.Events {
				got = append(got, e.Name)
			}
			if strings.Join(got, " ") != strings.Join(c.wire, " ") {
				t.Errorf("wire names = %v, want %v", got, c.wire)
			}
		})
	}
}

// TestLoadErrorsLocated: a problem is reported as file:line:col: pointer:
// message, and every broken webhook at once.
func TestLoadErrorsLocated(t *testing.T) {
	doc := "openapi: 3.1.0\nwebhooks:\n  a:\n    post:\n      summary: no body\n  b:\n    post:\n      requestBody:\n        content:\n          text/plain: {}\n"
	_, err := LoadFile(fstest.MapFS{"v/doc.yaml": {Data: []byte(doc)}}, "v/doc.yaml")
	if err == nil {
		t.Fatal("loaded webhooks without JSON bodies")
	}
	for _, want := range []string{"v/doc.yaml:4:5: /webhooks/a/post: expected a requestBody", "v/doc.yaml:8:7: /webhooks/b/post/requestBody: expected content application/json"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
}

// TestSurrogatePairJSON: a JSON document is read as JSON, so a surrogate
// pair escape is one character.
func TestSurrogatePairJSON(t *testing.T) {
	v, err := decodeDocument([]byte(`{"title": "rocket \ud83d\ude80"}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := v.(map[string]any)["title"]; got != "rocket \U0001F680" {
		t.Errorf("title = %q", got)
	}
}

// TestEveryKinProblemReported: two broken component schemas give two
// located warnings, not only the first.
func TestEveryKinProblemReported(t *testing.T) {
	doc := `{"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
"webhooks": {"a.created": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}, "responses": {"200": {"description": "ok"}}}}},
"components": {"schemas": {
  "A": {"type": "object", "properties": {"type": {"const": "a.created"}}},
  "B": {"type": "obect"},
  "C": {"type": "strin"}
}}}`
	p, err := LoadFile(fstest.MapFS{"v/doc.json": {Data: []byte(doc)}}, "v/doc.json")
	if err != nil {
		t.Fatal(err)
	}
	joined := strings.Join(p.Warnings, "\n")
	for _, want := range []string{"v/doc.json:5:3: /components/schemas/B: invalid schema", "v/doc.json:6:3: /components/schemas/C: invalid schema"} {
		if !strings.Contains(joined, want) {
			t.Errorf("warnings do not contain %q:\n%s", want, joined)
		}
	}
}

// TestInferEventLocations: webhooks that carry their name at different
// places get every place, in a deterministic order, each webhook's name
// read at its own.
func TestInferEventLocations(t *testing.T) {
	body := func(props string) string {
		return `{"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {` + props + `}}}}}}}`
	}
	for _, c := range []struct {
		name, doc string
		locs      []string
		wire      []string
	}{
		{"two spellings of one member", `{"openapi": "3.1.0", "webhooks": {"A": ` + body(`"NotificationType": {"type": "string"}`) + `, "B": ` + body(`"NotificationType": {"type": "string"}`) + `, "C": ` + body(`"notificationType": {"type": "string"}`) + `}}`,
			[]string{"/NotificationType", "/notificationType"}, []string{"A", "B", "C"}},
		{"two envelopes, each pinned", `{"openapi": "3.1.0", "webhooks": {"/A": ` + body(`"items": {"type": "array", "items": {"properties": {"code": {"enum": ["A"]}}}}`) + `, "/B": ` + body(`"items": {"type": "array", "items": {"properties": {"code": {"enum": ["B"]}}}}`) + `, "/C": ` + body(`"items": {"type": "array", "items": {"properties": {"code": {"enum": ["C"]}}}}`) + `, "/D": ` + body(`"type": {"const": "d.changed"}, "data": {"type": "object"}`) + `}}`,
			[]string{"/items/0/code", "/type"}, []string{"A", "B", "C", "d.changed"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := LoadFile(fstest.MapFS{"v/doc.json": {Data: []byte(c.doc)}}, "v/doc.json")
			if err != nil {
				t.Fatal(err)
			}
			if got := locationStrings(p.Ext.Event.Locations()); strings.Join(got, " ") != strings.Join(c.locs, " ") {
				t.Errorf("locations = %v, want %v", got, c.locs)
			}
			if p.Ext.Event.Pointer != c.locs[0] {
				t.Errorf("pointer = %q, want %q", p.Ext.Event.Pointer, c.locs[0])
			}
			var got []string
			for _, e := range p.Events {
				got = append(got, e.Name)
			}
			if strings.Join(got, " ") != strings.Join(c.wire, " ") {
				t.Errorf("wire names = %v, want %v", got, c.wire)
			}
		})
	}
}

// TestDeclaredEventPointers: events.pointers is taken as given, in order,
// after events.pointer; each webhook's name is read at its own place.
func TestDeclaredEventPointers(t *testing.T) {
	body := func(props string) string {
		return `{"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {` + props + `}}}}}}}`
	}
	doc := `{"openapi": "3.1.0", "webhooks": {"a": ` + body(`"kind": {"const": "a.x"}`) + `, "b": ` + body(`"meta": {"properties": {"kind": {"const": "b.x"}}}`) + `}}`
	p, err := LoadFileWith(fstest.MapFS{"v/doc.json": {Data: []byte(doc)}}, "v/doc.json", LoadOptions{EventPointer: "/meta/kind", EventPointers: []string{"/kind", "/meta/kind"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := locationStrings(p.Ext.Event.Locations()); strings.Join(got, " ") != "/meta/kind /kind" {
		t.Errorf("locations = %v, want [/meta/kind /kind]", got)
	}
	if p.Event("a.x") == nil || p.Event("b.x") == nil {
		t.Errorf("wire names not read at each webhook's own place: %v", p.Events)
	}
}

// TestFindEventAmbiguous: the first place naming a known event wins, an
// unknown name is reported when no place names a known one, and two
// places naming different known events are an error naming both.
func TestFindEventAmbiguous(t *testing.T) {
	known := func(s string) bool { return s == "a" || s == "b" }
	locs := []Location{{Pointer: "/type"}, {Pointer: "/meta/type"}}
	for _, c := range []struct {
		body, name, at, err string
	}{
		{`{"type": "a"}`, "a", "/type", ""},
		{`{"meta": {"type": "b"}}`, "b", "/meta/type", ""},
		{`{"type": "zz", "meta": {"type": "b"}}`, "b", "/meta/type", ""},
		{`{"type": "zz"}`, "zz", "/type", ""},
		{`{"type": "a", "meta": {"type": "a"}}`, "a", "/type", ""},
		{`{"type": "a", "meta": {"type": "b"}}`, "a", "/type", `expected one event name, found "a" at /type and "b" at /meta/type`},
		{`{"other": 1}`, "", "", ""},
	} {
		var v any
		if err := json.Unmarshal([]byte(c.body), &v); err != nil {
			t.Fatal(err)
		}
		at, err := FindEvent(v, nil, locs, DefaultSeparator, known)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.body, err)
		case c.err != "" && (err == nil || err.Error() != c.err):
			t.Errorf("%s: error %v, want %q", c.body, err, c.err)
		}
		if name, _ := at.Name.(string); name != c.name || at.Pointer != c.at || at.Present != (c.name != "") {
			t.Errorf("%s: found %+v, want %q at %q", c.body, at, c.name, c.at)
		}
	}
}

// TestFindEventHeader: a header location is one entry of the ordered list;
// a qualified header names value+separator+qualifier, else the value alone
// ("_" also read as "-"); without the delivery's headers it is skipped.
func TestFindEventHeader(t *testing.T) {
	names := map[string]bool{"issues-opened": true, "push": true, "check-run-completed": true, "a": true}
	known := func(s string) bool { return names[s] }
	locs := []Location{{Header: "X-Hub-Event", Pointer: "/action"}, {Pointer: "/type"}}
	for _, c := range []struct {
		header, body, name, at, err string
	}{
		{"issues", `{"action": "opened"}`, "issues-opened", "header:X-Hub-Event/action", ""},
		{"push", `{"ref": "x"}`, "push", "header:X-Hub-Event/action", ""},
		{"push", `{"action": 7}`, "push", "header:X-Hub-Event/action", ""},
		{"check_run", `{"action": "completed"}`, "check-run-completed", "header:X-Hub-Event/action", ""},
		{"issues", `{"action": "transferred"}`, "issues-transferred", "header:X-Hub-Event/action", ""},
		{"", `{"type": "a"}`, "a", "/type", ""},
		{"zz", `{"type": "a"}`, "a", "/type", ""},
		{"push", `{"type": "push"}`, "push", "header:X-Hub-Event/action", ""},
		{"push", `{"type": "a"}`, "push", "header:X-Hub-Event/action", `expected one event name, found "push" at header:X-Hub-Event/action and "a" at /type`},
		{"", `{"other": 1}`, "", "", ""},
	} {
		var v any
		if err := json.Unmarshal([]byte(c.body), &v); err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		if c.header != "" {
			h.Set("x-hub-event", c.header)
		}
		at, err := FindEvent(v, h, locs, "-", known)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s %s: %v", c.header, c.body, err)
		case c.err != "" && (err == nil || err.Error() != c.err):
			t.Errorf("%s %s: error %v, want %q", c.header, c.body, err, c.err)
		}
		if name, _ := at.Name.(string); name != c.name || at.Location != c.at || at.Present != (c.name != "") {
			t.Errorf("%s %s: found %+v, want %q at %q", c.header, c.body, at, c.name, c.at)
		}
	}
	// The runner without the delivery's headers: the header is skipped.
	if at, _ := FindEvent(map[string]any{"action": "opened"}, nil, locs, "-", known); at.Present {
		t.Errorf("found %+v without headers", at)
	}
}

// TestInferHeaderQualifier: webhooks that declare an event header, some of
// which pin a body member to the end of their key (GitHub's issues-opened
// pins /action to opened), get one location, the header qualified by
// that member, and the separator their keys use; names stay the keys.
func TestInferHeaderQualifier(t *testing.T) {
	hook := func(props string) string {
		return `{"post": {"parameters": [{"name": "X-GitHub-Event", "in": "header", "required": true, "schema": {"type": "string"}}], "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {` + props + `}}}}}}}`
	}
	doc := `{"openapi": "3.1.0", "webhooks": {"issues-opened": ` + hook(`"action": {"type": "string", "enum": ["opened"]}`) + `, "issues-closed": ` + hook(`"action": {"type": "string", "enum": ["closed"]}`) + `, "push": ` + hook(`"ref": {"type": "string"}`) + `}}`
	p, err := LoadFile(fstest.MapFS{"v/doc.json": {Data: []byte(doc)}}, "v/doc.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := locationStrings(p.Ext.Event.Locations()); strings.Join(got, " ") != "header:X-GitHub-Event/action" {
		t.Errorf("locations = %v, want [header:X-GitHub-Event/action]", got)
	}
	if p.Ext.Event.Sep() != "-" || p.Ext.Event.Pointer != "" {
		t.Errorf("separator %q, pointer %q; want -, none", p.Ext.Event.Sep(), p.Ext.Event.Pointer)
	}
	for _, n := range []string{"issues-opened", "issues-closed", "push"} {
		if p.Event(n) == nil {
			t.Errorf("no event %q: %v", n, p.Events)
		}
	}
	// Declared, the same spelling is read as given.
	p, err = LoadFileWith(fstest.MapFS{"v/doc.json": {Data: []byte(doc)}}, "v/doc.json", LoadOptions{EventPointers: []string{"header:X-GitHub-Event/action", "/type"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := locationStrings(p.Ext.Event.Locations()); strings.Join(got, " ") != "header:X-GitHub-Event/action /type" || p.Ext.Event.Sep() != "-" || p.Ext.Event.Pointer != "/type" {
		t.Errorf("declared: locations %v, separator %q, pointer %q", got, p.Ext.Event.Sep(), p.Ext.Event.Pointer)
	}
	for _, bad := range []string{"header:", "header:X Event", "header:X/", "type"} {
		if _, err := LoadFileWith(fstest.MapFS{"v/doc.json": {Data: []byte(doc)}}, "v/doc.json", LoadOptions{EventPointers: []string{bad}}); err == nil || !strings.Contains(err.Error(), "events.pointers[0]") {
			t.Errorf("events.pointers %q: error %v, want one naming events.pointers[0]", bad, err)
		}
	}
}

// TestInferBodyThenHeader: when every webhook declares an event header and
// the body members found leave some webhooks unnamed, the header follows
// them: those webhooks are told by it, not only by route.
func TestInferBodyThenHeader(t *testing.T) {
	hook := func(props string) string {
		return `{"post": {"parameters": [{"name": "X-Event", "in": "header", "schema": {"type": "string"}}], "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {` + props + `}}}}}}}`
	}
	doc := `{"openapi": "3.1.0", "webhooks": {"a": ` + hook(`"type": {"const": "a.x"}`) + `, "b": ` + hook(`"type": {"const": "b.x"}`) + `, "c": ` + hook(`"id": {"type": "string"}`) + `}}`
	p, err := LoadFile(fstest.MapFS{"v/doc.json": {Data: []byte(doc)}}, "v/doc.json")
	if err != nil {
		t.Fatal(err)
	}
	if got := locationStrings(p.Ext.Event.Locations()); strings.Join(got, " ") != "/type header:X-Event" {
		t.Errorf("locations = %v, want [/type header:X-Event]", got)
	}
	for _, n := range []string{"a.x", "b.x", "c"} {
		if e := p.Event(n); e == nil || e.Unnamed {
			t.Errorf("event %q: %+v, want one told by body or header", n, e)
		}
	}
	for _, w := range p.Warnings {
		if strings.Contains(w, "told only by name") {
			t.Errorf("warning: %s", w)
		}
	}
}

// TestInferOptionalEventMember: a webhook whose body declares the event
// member without requiring it (directly, or on the way to a nested one)
// may omit the name; one that requires it, or a header, does not.
func TestInferOptionalEventMember(t *testing.T) {
	hook := func(schema string) string {
		return `{"post": {"requestBody": {"content": {"application/json": {"schema": ` + schema + `}}}}}`
	}
	doc := `{"openapi": "3.1.0", "webhooks": {
		"a.x": ` + hook(`{"type": "object", "required": ["event_type"], "properties": {"event_type": {"type": "string"}}}`) + `,
		"b.x": ` + hook(`{"type": "object", "properties": {"event_type": {"type": "string"}}}`) + `,
		"c.x": ` + hook(`{"allOf": [{"type": "object", "properties": {"event_type": {"type": "string"}}}, {"required": ["event_type"]}]}`) + `}}`
	p, err := LoadFile(fstest.MapFS{"v/doc.json": {Data: []byte(doc)}}, "v/doc.json")
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range map[string]bool{"a.x": false, "b.x": true, "c.x": false} {
		e := p.Event(n)
		if e == nil {
			t.Fatalf("no event %q", n)
		}
		if e.NameOptional != want || e.MayOmitName() != want {
			t.Errorf("event %q: NameOptional %v, MayOmitName %v, want %v", n, e.NameOptional, e.MayOmitName(), want)
		}
	}
	for _, c := range []struct {
		req  map[string]bool
		ptr  string
		want bool
	}{
		{map[string]bool{"/items": true, "/items/0/kind": true}, "/items/0/kind", true},
		{map[string]bool{"/items/0/kind": true}, "/items/0/kind", false},
		{map[string]bool{"/a": true}, "/a/b", false},
		{map[string]bool{"/a": true, "/a/b": true}, "/a/b", true},
	} {
		if got := requiredPath(c.req, c.ptr); got != c.want {
			t.Errorf("requiredPath(%v, %s) = %v, want %v", c.req, c.ptr, got, c.want)
		}
	}
}
