package schemagen_test

import (
	"slices"
	"strings"
	"testing"

	jsonschema "github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hookcontract/hookcontract/gen/schemagen"
	"github.com/hookcontract/hookcontract/internal/expect"
)

const gradedURI = "https://hookcontract.dev/schemas/demo/graded.json"

// referenceExpectations is what jsonschema/v5 with package expect says of
// data: whether it satisfies the guarantees and, when it does, the
// expectations broken (see ReferenceDrift).
func referenceExpectations(s *jsonschema.Schema, plan *expect.Plan, data []byte) (bool, []string) {
	if !referenceValid(s, data) {
		return false, nil
	}
	v, ok := schemagen.ReferenceDecode(data)
	if !ok {
		return false, nil
	}
	return true, schemagen.ReferenceDrift(s, plan, v)
}

// generatedExpectations is the same for a generated validator's answer.
func generatedExpectations(verr *ValidationError) (bool, []string) {
	if verr == nil {
		return true, nil
	}
	var out []string
	for _, v := range verr.Violations {
		if v.Grade != GradeExpected {
			return false, nil
		}
		out = append(out, schemagen.DriftKey(v.Pointer, v.Keyword))
	}
	slices.Sort(out)
	return true, slices.Compact(out)
}

var gradedCases = []struct {
	name, data string
	want       []string // nil: no drift; "fail": the guarantees fail
}{
	{"all met", `{"kind":"text","id":"12","owner":{"id":"a","name":"n"},"email":"a@b.c"}`, nil},
	{"root expectation", `{"kind":"text"}`, []string{" required"}},
	{"type then pattern of a member", `{"kind":"text","id":12}`, []string{"/id type"}},
	{"pattern", `{"kind":"text","id":"bot_zia"}`, []string{"/id pattern"}},
	{"guarantee fails: no expectation reported", `{"id":"x"}`, []string{"fail"}},
	{"guarantee of a member fails", `{"kind":"text","id":true}`, []string{"fail"}},
	{"allOf expectation", `{"kind":"file","id":"1"}`, []string{"/kind enum"}},
	{"format", `{"kind":"text","id":"1","email":"","owner":{"id":"a"}}`, []string{"/email format"}},
	{"dependentSchemas when present", `{"kind":"text","id":"1","email":"a@b.c"}`, []string{" required"}},
	{"secret", `{"kind":"text","id":"1","secret":"short"}`, []string{"/secret minLength"}},
	{"bounds", `{"kind":"text","id":"1","count":5}`, []string{"/count maximum"}},
	{"$ref target and its member", `{"kind":"text","id":"1","owner":{"name":""}}`, []string{"/owner required", "/owner/name minLength"}},
	{"items", `{"kind":"text","id":"1","tags":["ok","toolong"]}`, []string{"/tags/1 maxLength"}},
	{"prefixItems and items", `{"kind":"text","id":"1","pair":["a",2]}`, []string{"/pair/0 type", "/pair/1 type"}},
	{"patternProperties and additionalProperties", `{"kind":"text","id":"1","labels":{"x-a":"s","b":true}}`, []string{"/labels/b type", "/labels/x-a type"}},
	{"anyOf: only the matching branch", `{"kind":"bot","id":"1","message":{"meta":{}}}`, []string{"/message required"}},
	{"anyOf: expectations never pick the branch", `{"kind":"text","id":"1","message":{"text":"hi","msgid":"1"}}`, nil},
	{"anyOf: both branches match", `{"kind":"text","id":"1","message":{"text":"hi","meta":{}}}`, []string{"/message required"}},
	{"oneOf: the matching branch", `{"kind":"text","id":"1","sender":"bot_zia"}`, []string{"/sender pattern"}},
	{"oneOf: the other branch", `{"kind":"text","id":"1","sender":{}}`, []string{"/sender required"}},
	{"oneOf: guarantees fail", `{"kind":"text","id":"1","sender":1}`, []string{"fail"}},
	{"then taken, never if", `{"kind":"text","id":"1","status":"pending"}`, []string{"/status enum"}},
	{"else taken", `{"kind":"text","id":"1","status":-1}`, []string{"/status minimum"}},
	{"never not", `{"kind":"text","id":"1","flag":"yes"}`, []string{"/flag type"}},
	{"too many members", `{"kind":"text","id":"1","a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7}`, []string{" maxProperties"}},
}

// TestExpectations pins the rule of package expect on the generated
// validators and on the reference alike.
func TestExpectations(t *testing.T) {
	ref := reference(t, gradedURI)
	plan := expect.NewPlan(nil, ref)
	for _, c := range gradedCases {
		data := []byte(c.data)
		wantValid := !slices.Equal(c.want, []string{"fail"})
		verr := ValidateDemoGraded(data)
		gv, got := generatedExpectations(verr)
		rv, rgot := referenceExpectations(ref, plan, data)
		if gv != wantValid || rv != wantValid {
			t.Errorf("%s: generated valid=%v, reference valid=%v, want %v (%v)", c.name, gv, rv, wantValid, verr)
			continue
		}
		if !wantValid {
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: generated drift %q, want %q", c.name, got, c.want)
		}
		if !slices.Equal(rgot, c.want) {
			t.Errorf("%s: reference drift %q, want %q", c.name, rgot, c.want)
		}
		if verr != nil && !verr.Drift() {
			t.Errorf("%s: Drift() = false on %v", c.name, verr)
		}
		if verr != nil {
			for _, v := range verr.Violations {
				if v.Pointer == "/secret" && strings.Contains(v.Message, "short") {
					t.Errorf("%s: a secret value reached a message: %s", c.name, v.Message)
				}
			}
		}
	}
}

// FuzzExpect: on any input, the generated graded validator and the
// reference agree on validity and, for valid inputs, on the expectations
// broken.
func FuzzExpect(f *testing.F) {
	for _, c := range gradedCases {
		f.Add([]byte(c.data))
	}
	ref := reference(f, gradedURI)
	plan := expect.NewPlan(nil, ref)
	f.Fuzz(func(t *testing.T, data []byte) {
		verr := ValidateDemoGraded(data)
		if verr != nil && len(verr.Violations) > 0 && verr.Violations[0].Keyword == "duplicate-key" {
			return
		}
		gv, got := generatedExpectations(verr)
		rv, want := referenceExpectations(ref, plan, data)
		if gv != rv {
			t.Fatalf("generated valid=%v, reference valid=%v on %q: %v", gv, rv, data, verr)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("on %q: generated drift %q, reference drift %q", data, got, want)
		}
	})
}

// gradedPayload meets every guarantee and every expectation of graded.json,
// and exercises each applicator.
const gradedPayload = `{"kind":"text","id":"12345","owner":{"id":"o1","name":"Ann"},"tags":["a","bb","ccc"],
"pair":[1,"x","y"],"labels":{"x-a":true,"b":"s"},"message":{"text":"hi","msgid":"1"},"sender":"42"}`

// BenchmarkExpectations: the cost of expectations that are met, beside the
// same schema without them, in one process (report the ratio of MB/s).
func BenchmarkExpectations(b *testing.B) {
	data := []byte(gradedPayload)
	if err := ValidateDemoGraded(data); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		fn   func([]byte) *ValidationError
	}{{"without-expectations", ValidateDemoGradedPlain}, {"with-expectations", ValidateDemoGraded}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if c.fn(data) != nil {
					b.Fatal("invalid")
				}
			}
		})
	}
}
