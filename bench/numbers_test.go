package bench

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/generated/tickets"
)

// TestNumberBoundsAgree: a delivery carrying a number at or around the
// bounds of contracttest.MaxNumberChars and contracttest.MaxExponentDigits
// is refused by the runner (what `hookcontract test` and `serve` say), by
// the generated Validate and by the generated handler alike, each with a
// number-size violation at the number's pointer; within the bounds all
// three accept it.
func TestNumberBoundsAgree(t *testing.T) {
	suite, err := contracttest.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	fixture, err := os.ReadFile(filepath.Join("..", "specs", "tickets", "examples", "valid", "sac_message.creation.json"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(tickets.NewHandler(tickets.UnimplementedHandler{}, tickets.WithLogger(slog.New(slog.DiscardHandler))))
	defer srv.Close()
	digits := func(n int) string { return "1" + strings.Repeat("3", n-1) }
	for _, tc := range []struct {
		lit     string
		refused bool
	}{
		{digits(contracttest.MaxNumberChars), false},
		{digits(contracttest.MaxNumberChars + 1), true},
		{"-" + digits(contracttest.MaxNumberChars-1), false},
		{"-" + digits(contracttest.MaxNumberChars), true},
		{"0." + digits(contracttest.MaxNumberChars-2), false},
		{"0." + digits(contracttest.MaxNumberChars-1), true},
		{digits(contracttest.MaxNumberChars) + "e-9999", false},
		{"1e9999", false},
		{"1e10000", true},
		{"-2.5E-10000", true},
		{"1e0009999", false},
		{"1e" + strings.Repeat("9", 40), true},
	} {
		name := tc.lit
		if len(name) > 24 {
			name = name[:12] + "..." + name[len(name)-8:]
		}
		body := []byte(`{"x_number": [` + tc.lit + `],` + strings.TrimSpace(string(fixture))[1:])
		want := "/x_number/0"

		r := suite.Check(body, contracttest.CheckOptions{})
		runner := ""
		if r.Verdict == contracttest.Fail {
			for _, v := range r.Violations {
				runner += v.Keyword + " " + v.Pointer + ";"
			}
		}

		gen := ""
		var ve *tickets.ValidationError
		if err := tickets.Validate(body); errors.As(err, &ve) {
			for _, v := range ve.Violations {
				gen += v.Keyword + " " + v.Pointer + ";"
			}
		} else if err != nil {
			t.Fatalf("%s: Validate: %v", name, err)
		}

		resp, err := http.Post(srv.URL, "application/json", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		var problem struct {
			Violations []struct{ Pointer, Keyword string }
		}
		if resp.StatusCode == http.StatusBadRequest {
			if err := json.NewDecoder(resp.Body).Decode(&problem); err != nil {
				t.Fatalf("%s: problem document: %v", name, err)
			}
		}
		resp.Body.Close()
		handler := ""
		for _, v := range problem.Violations {
			handler += v.Keyword + " " + v.Pointer + ";"
		}

		expect := ""
		if tc.refused {
			expect = "number-size " + want + ";"
		}
		if runner != expect || gen != expect || handler != expect {
			t.Errorf("%s: runner %q (%s), Validate %q, handler %d %q; want %q from each", name, runner, r.Verdict, gen, resp.StatusCode, handler, expect)
		}
		if !tc.refused && resp.StatusCode/100 != 2 {
			t.Errorf("%s: handler answered %d, want a success", name, resp.StatusCode)
		}
	}
}
