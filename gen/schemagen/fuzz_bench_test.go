package schemagen_test

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	jsonschema "github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hookcontract/hookcontract/internal/expect"
)

// reference compiles a demo schema with jsonschema/v5 (draft 2020-12
// unless the schema declares another, formats asserted).
func reference(tb testing.TB, uri string) *jsonschema.Schema {
	tb.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	expect.Register(c)
	for dir, base := range map[string]string{
		filepath.Join("testdata", "specs", "demo", "schemas"): "https://hookcontract.dev/schemas/demo/",
		filepath.Join("testdata", "dialects"):                 "https://hookcontract.dev/schemas/dialects/",
	} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			if err := c.AddResource(base+filepath.Base(f), bytes.NewReader(data)); err != nil {
				tb.Fatal(err)
			}
		}
	}
	s, err := c.Compile(uri)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// referenceValid decodes as the contract tests do (UseNumber, one value, valid
// UTF-8, no BOM) and validates.
func referenceValid(s *jsonschema.Schema, data []byte) bool {
	if !utf8.Valid(data) || bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		return false
	}
	return s.Validate(v) == nil
}

// hasDuplicateKeys reports whether data has an object with a repeated key,
// which the reference cannot see (encoding/json keeps the last).
func hasDuplicateKeys(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	var walk func() bool
	walk = func() bool {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		d, ok := tok.(json.Delim)
		if !ok {
			return false
		}
		switch d {
		case '{':
			seen := map[string]bool{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return false
				}
				if seen[k.(string)] {
					return true
				}
				seen[k.(string)] = true
				if walk() {
					return true
				}
			}
		case '[':
			for dec.More() {
				if walk() {
					return true
				}
			}
		}
		_, _ = dec.Token()
		return false
	}
	return walk()
}

func demoFixtures(tb testing.TB) map[string][]byte {
	out := map[string][]byte{}
	for _, dir := range []string{"valid", "invalid"} {
		files, _ := filepath.Glob(filepath.Join("testdata", "specs", "demo", "examples", dir, "*.json"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			out[dir+"/"+filepath.Base(f)] = data
		}
	}
	return out
}

func FuzzValidate(f *testing.F) {
	for _, data := range demoFixtures(f) {
		f.Add(data)
	}
	f.Add([]byte(`{"a":1,"a":2}`))
	f.Add([]byte(strings.Repeat("[", 20000)))
	for _, seed := range dialectSeeds {
		f.Add([]byte(seed))
	}
	checks := []struct {
		validate func([]byte) *ValidationError
		ref      *jsonschema.Schema
	}{
		{ValidateDemoChatCreated, reference(f, "https://hookcontract.dev/schemas/demo/chat.created.json")},
		{ValidateDemoChat, reference(f, "https://hookcontract.dev/schemas/demo/chat.json")},
		{ValidateDialectDraft4, reference(f, "https://hookcontract.dev/schemas/dialects/order.draft4.json")},
		{ValidateDialectDraft7, reference(f, "https://hookcontract.dev/schemas/dialects/order.draft7.json")},
		{ValidateDialect2019, reference(f, "https://hookcontract.dev/schemas/dialects/tree.2019.json")},
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range checks {
			verr := c.validate(data)
			if verr != nil && len(verr.Violations) == 0 {
				t.Fatal("a ValidationError without violations")
			}
			if verr != nil && verr.Violations[0].Keyword == "duplicate-key" {
				if !hasDuplicateKeys(data) {
					t.Fatalf("duplicate-key reported on %q", data)
				}
				continue
			}
			if got, want := verr == nil, referenceValid(c.ref, data); got != want {
				t.Fatalf("generated valid=%v, reference valid=%v on %q: %v", got, want, data, verr)
			}
		}
	})
}

// dialectSeeds are payloads for the draft-04, draft-07 and 2019-09 demo
// schemas, valid and not.
var dialectSeeds = []string{
	`{"id":"ord_12345678","amount":10,"lines":["a",1],"customer":{"email":"a@example.com"},"discount":2}`,
	`{"id":"ord_12345678","amount":0,"lines":["a",1,2],"discount":"x","refund":true}`,
	`{"type":"order.refunded","reason":"late","lines":["header",7,3],"meta":"eyJhIjoxfQ==","raw":"[1]","customer":{"id":"c"}}`,
	`{"type":"order.paid","lines":["header",0],"meta":"%%%","raw":"{","Bad":1}`,
	`{"name":"root","children":[{"name":"a","children":[]},{"weight":2}],"tags":["t",1.5],"weight":1}`,
	`{"children":[{"extra":true}],"tags":["t","u"]}`,
}

// TestDialectSeeds: the seeds get the reference's verdicts from the
// draft-04, draft-07 and 2019-09 demo validators (the fuzz target then
// searches around them).
func TestDialectSeeds(t *testing.T) {
	for _, c := range []struct {
		validate func([]byte) *ValidationError
		uri      string
	}{
		{ValidateDialectDraft4, "https://hookcontract.dev/schemas/dialects/order.draft4.json"},
		{ValidateDialectDraft7, "https://hookcontract.dev/schemas/dialects/order.draft7.json"},
		{ValidateDialect2019, "https://hookcontract.dev/schemas/dialects/tree.2019.json"},
	} {
		ref := reference(t, c.uri)
		valid := 0
		for _, seed := range dialectSeeds {
			got := c.validate([]byte(seed)) == nil
			if want := referenceValid(ref, []byte(seed)); got != want {
				t.Errorf("%s on %s: generated valid=%v, reference %v: %v", c.uri, seed, got, want, c.validate([]byte(seed)))
			}
			if got {
				valid++
			}
		}
		if valid == 0 {
			t.Errorf("%s: no seed is valid: the seeds test nothing", c.uri)
		}
	}
}

func TestDemoFixtures(t *testing.T) {
	fx := demoFixtures(t)
	for name, v := range map[string]func([]byte) *ValidationError{
		"valid/chat.created.json":      ValidateDemoChatCreated,
		"valid/chat.created.bare.json": ValidateDemoChat,
		"valid/settings.updated.json":  ValidateDemoSettingsUpdated,
	} {
		if err := v(fx[name]); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	err := ValidateDemoChatCreated(fx["invalid/attender-unknown.json"])
	if err == nil {
		t.Fatal("attender-unknown.json accepted")
	}
	var got []string
	for _, v := range err.Violations {
		got = append(got, v.Pointer+" "+v.Keyword)
		if strings.Contains(v.Message, "short") {
			t.Errorf("a secret value reached a message: %+v", v)
		}
	}
	want := []string{
		"/attempt maximum",
		"/entity/closed_at required",
		"/entity/id anyOf",
		"/entity/visitor/name minLength",
		"/entity/visitor/session_token minLength",
		"/entity/attender/email required", // the oneOf branch whose const "type" matches
		"/entity/attender/id anyOf",
		"/entity/messages contains",
		"/entity/messages/0 not",
		"/entity/messages/0/time exclusiveMinimum",
		"/entity/tags uniqueItems",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("violations:\n%s\nwant:\n%s\n(%v)", strings.Join(got, "\n"), strings.Join(want, "\n"), err)
	}
	err = ValidateDemoSettingsUpdated(fx["invalid/enabled-missing.json"])
	if err == nil || !strings.Contains(err.Error(), "/data/enabled: required") || strings.Contains(err.Error(), "12") && !strings.Contains(err.Error(), "redacted") {
		t.Errorf("enabled-missing.json: %v", err)
	}
}

func benchPayload(b *testing.B) []byte {
	data, err := os.ReadFile(filepath.Join("testdata", "specs", "demo", "examples", "valid", "chat.created.json"))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkGenerated measures the generated validator on a 1.5 KB nested
// payload; compare with BenchmarkReference (jsonschema/v5 decode+validate).
func BenchmarkGenerated(b *testing.B) {
	data := benchPayload(b)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := ValidateDemoChatCreated(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReference(b *testing.B) {
	data := benchPayload(b)
	s := reference(b, "https://hookcontract.dev/schemas/demo/chat.created.json")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var v any
		if err := dec.Decode(&v); err != nil {
			b.Fatal(err)
		}
		if err := s.Validate(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSONValid(b *testing.B) {
	data := benchPayload(b)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if !json.Valid(data) {
			b.Fatal("invalid")
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	fx := demoFixtures(t)
	done := make(chan bool)
	for g := 0; g < 8; g++ {
		go func() {
			for k := 0; k < 200; k++ {
				if ValidateDemoChatCreated(fx["valid/chat.created.json"]) != nil || ValidateDemoChatCreated(fx["invalid/attender-unknown.json"]) == nil {
					t.Error("wrong answer under concurrency")
				}
			}
			done <- true
		}()
	}
	for g := 0; g < 8; g++ {
		<-done
	}
}
