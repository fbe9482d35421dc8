package schemagen

import "testing"

func TestSmoke(t *testing.T) {
	set := NewSet()
	schema := `{"$schema":"https://json-schema.org/draft/2020-12/schema","$id":"https://x.test/a.json",
	"type":"object","required":["a","b"],
	"properties":{"a":{"type":"integer","minimum":3},"b":{"enum":["x","y"]},"s":{"type":"string","x-hookcontract-secret":true,"minLength":5},
	"arr":{"type":"array","items":{"$ref":"#/$defs/d"},"uniqueItems":true}},
	"$defs":{"d":{"type":"string","format":"date"}}}`
	if err := set.Add("https://x.test/a.json", []byte(schema), "testdata/a.json"); err != nil {
		t.Fatal(err)
	}
	res := runHarness(t, set, []Root{{URI: "https://x.test/a.json", FuncName: "ValidateA"}}, []harnessCase{
		{"ValidateA", []byte(`{"a":3,"b":"x"}`)},
		{"ValidateA", []byte(`{"a":2.0,"b":"z","s":"abc","arr":["2020-01-01","2020-01-01","x"]}`)},
		{"ValidateA", []byte(`{"a":1,"a":2}`)},
		{"ValidateA", []byte(`{"a":1,`)},
		{"ValidateA", []byte(`{}`)},
	})
	for _, r := range res {
		t.Logf("%+v", r)
	}
}
