package schemagen_test

// The generated validators' format and content checks are the runtime's
// (runtime/hcrt); these tests hold them to the reference validator.

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/runtime/hcrt"
	jsonschema "github.com/santhosh-tekuri/jsonschema/v5"
)

func TestFormatsAgreeWithReference(t *testing.T) {
	checkers := map[string]func([]byte) bool{
		"date-time": hcrt.FmtDateTime, "date": hcrt.FmtDate, "time": hcrt.FmtTime, "duration": hcrt.FmtDuration,
		"period": hcrt.FmtPeriod, "hostname": hcrt.FmtHostname, "email": hcrt.FmtEmail, "ipv4": hcrt.FmtIPv4,
		"ipv6": hcrt.FmtIPv6, "uri": hcrt.FmtURI, "uri-reference": hcrt.FmtURIReference,
		"regex": hcrt.FmtRegex, "json-pointer": hcrt.FmtJSONPointer, "relative-json-pointer": hcrt.FmtRelativeJSONPointer,
		"uuid": hcrt.FmtUUID,
	}
	seeds := []string{
		"", "2020-01-01", "2020-02-29", "2021-02-29", "2020-13-01", "0000-01-01", "+123-01-01", "2020-1-01",
		"2020-01-01T00:00:00Z", "2020-01-01t23:59:60z", "2020-01-01T23:59:60+00:00", "2020-01-01T12:00:00.5+01:00",
		"12:00:00Z", "+1:00:00Z", "-0:00:00Z", "23:59:60-00:01", "00:00:60+23:59", "12:00:00.Z", "12:00:00",
		"P1Y", "P1W", "PT1H", "P1Y2M3DT4H5M6S", "PT", "P", "P1YT", "P1D1Y", "PT1H1S", "P2W1D",
		"2020-01-01T00:00:00Z/P1D", "P1D/2020-01-01T00:00:00Z", "a/b",
		"example.com", "example.com.", "-a.com", "a-.com", "a.-b.com", "a..b", strings.Repeat("a", 64) + ".com", "é.com",
		"a@example.com", "a@[127.0.0.1]", "a@[IPv6:::1]", "\"a b\"@example.com", "a@b@c", "@x.com", "a@-x.com",
		"127.0.0.1", "256.0.0.1", "01.0.0.0", "+1.0.0.0", "-0.0.0.0", "1.2.3", "1.2.3.4.5", "::1", "1::2::3", "::ffff:1.2.3.4", "fe80::1%eth0",
		"http://example.com", "http://[::1]:80/x", "http://::1/", "//x.com/y", "/a/b", "a\\b", "http://x.com/{a}", "{/var}", "x:y",
		"^a+$", "(", "[a-", "/a/b~0~1", "/a~", "/a~2", "a", "0#", "1/a", "01", "0", "#",
		"2eb8aa08-aa98-11ea-b4aa-73b441d1638b", "2eb8aa08-aa98-11ea-b4aa-73b441d1638", "2EB8AA08-AA98-11EA-B4AA-73B441D1638B",
		"2eb8aa08aa9811eab4aa73b441d1638b", "2eb8aa08-aa98-11ea-b4aa-73b441d1638g",
	}
	rng := rand.New(rand.NewSource(3))
	chars := "0123456789-:TZtz.+PYMWDHS@[]/~#{}abcxéIPv6 \\%"
	inputs := append([]string(nil), seeds...)
	for _, s := range seeds {
		for k := 0; k < 40; k++ {
			b := []rune(s)
			if len(b) > 0 {
				b[rng.Intn(len(b))] = []rune(chars)[rng.Intn(len([]rune(chars)))]
			}
			inputs = append(inputs, string(b))
		}
	}
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		for n := rng.Intn(20); n > 0; n-- {
			b.WriteRune([]rune(chars)[rng.Intn(len([]rune(chars)))])
		}
		inputs = append(inputs, b.String())
	}
	for name, check := range checkers {
		ref := jsonschema.Formats[name]
		for _, in := range inputs {
			if got, want := check([]byte(in)), ref(in); got != want {
				t.Errorf("format %s %q: got %v, reference %v", name, in, got, want)
			}
		}
	}
}

// TestContentChecks: draft-07 contentEncoding base64 and contentMediaType
// application/json answer as the reference's decoders do.
func TestContentChecks(t *testing.T) {
	for _, in := range []string{"", "eyJmb28iOiAiYmFyIn0K", "eyJmb28iOi%iYmFyIn0K", "YQ==", "YQ", "YQ=", "Y Q==", "YQ==\n", "{}", "{:}", "[1,2", "null", "\"x\"", "1 2", "\xff"} {
		dec, ok := hcrt.Base64([]byte(in))
		want, err := jsonschema.Decoders["base64"](in)
		if ok != (err == nil) || (ok && string(dec) != string(want)) {
			t.Errorf("base64 %q: got %q %v, reference %q %v", in, dec, ok, want, err)
		}
		if got, want := hcrt.JSONText([]byte(in)), jsonschema.MediaTypes["application/json"]([]byte(in)) == nil; got != want {
			t.Errorf("application/json %q: got %v, reference %v", in, got, want)
		}
	}
}

// TestFormatFastPaths drives the allocation-free paths of ipv6, uri,
// uri-reference and email with token soups and compares with the reference.
func TestFormatFastPaths(t *testing.T) {
	rng := rand.New(rand.NewSource(4))
	soups := []struct {
		formats []string
		tokens  []string
	}{
		{[]string{"ipv6"}, []string{"0", "1", "a", "F", "ffff", "12345", ":", ":", "::", ".", "1.2.3.4", "01", "255", "256", "%", "%eth0", "g"}},
		{[]string{"uri", "uri-reference", "iri", "iri-reference"}, []string{"http", "h2", "://", ":", "//", "a", "b.c", "-", ".", "/", "?", "#", "%", "%2F", "%zz", "2", "@", "[", "]", "[::1]", "é", " ", "\\", "+", "~", "80", ":80", "'", "(", "\x7f", "{", "|"}},
		{[]string{"email"}, []string{"a", "b", ".", "@", "-", "x.com", "\"", " ", "+", "(", ")", "[", "]", "[127.0.0.1]", "é", "..", "_", "ä.com", "'", "<", ">", ","}},
	}
	checkers := map[string]func([]byte) bool{
		"ipv6": hcrt.FmtIPv6, "uri": hcrt.FmtURI, "uri-reference": hcrt.FmtURIReference, "iri": hcrt.FmtURI,
		"iri-reference": hcrt.FmtURIReference, "email": hcrt.FmtEmail,
	}
	for _, soup := range soups {
		for i := 0; i < 30000; i++ {
			var b strings.Builder
			for n := 1 + rng.Intn(10); n > 0; n-- {
				b.WriteString(soup.tokens[rng.Intn(len(soup.tokens))])
			}
			in := b.String()
			for _, f := range soup.formats {
				if got, want := checkers[f]([]byte(in)), jsonschema.Formats[f](in); got != want {
					t.Fatalf("format %s %q: got %v, reference %v", f, in, got, want)
				}
			}
		}
	}
}
