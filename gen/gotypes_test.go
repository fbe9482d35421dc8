package gen

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/testmod"
)

// loadGotypes loads testdata/vendors/gotypes.
func loadGotypes(t *testing.T) *contract.Provider {
	t.Helper()
	p, err := contract.LoadFileWith(os.DirFS(filepath.Join("testdata", "vendors", "gotypes")), "openapi.yaml", contract.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// gotypesModel builds the model of testdata/vendors/gotypes.
func gotypesModel(t *testing.T, opts TypeOptions) (*model, map[string]*namedType) {
	t.Helper()
	p := loadGotypes(t)
	m, err := buildModel(p, opts)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*namedType{}
	for _, nt := range m.tb.order {
		byName[nt.Name] = nt
	}
	return m, byName
}

func fieldOf(t *testing.T, nt *namedType, json string) *field {
	t.Helper()
	if nt == nil {
		t.Fatalf("no type for member %s", json)
	}
	for _, f := range nt.Fields {
		if f.JSONName == json {
			return f
		}
	}
	t.Fatalf("%s has no member %s", nt.Name, json)
	return nil
}

// TestGoTypeKinds: every type of the IR has its kind, named components
// are alias types named after them, nullable members are nullable, and
// unions are sums where shape tells their branches apart.
func TestGoTypeKinds(t *testing.T) {
	_, types := gotypesModel(t, TypeOptions{DateTime: DateTimeTime})
	for name, want := range map[string]kind{
		"Currency": kindAlias, "Cents": kindAlias, "Amount": kindAlias, "Tags": kindAlias, "Reasons": kindAlias, "Timestamp": kindAlias,
		"OrderPaid": kindStruct, "Card": kindStruct, "Money": kindStruct, "Contact": kindStruct,
		"Payment": kindSum, "Price": kindSum, "ReasonItem": kindEnum,
	} {
		nt := types[name]
		if nt == nil {
			t.Errorf("no type %s", name)
			continue
		}
		if nt.Kind != want {
			t.Errorf("%s is a %s, want a %s", name, nt.Kind, want)
		}
	}
	for name, want := range map[string]string{"Currency": "string", "Cents": "int64", "Amount": "json.Number", "Timestamp": "DateTime"} {
		if u := types[name].Underlying; u.Kind != kindScalar || u.Scalar != want {
			t.Errorf("%s is defined as %s %q, want the scalar %s", name, u.Kind, u.Scalar, want)
		}
	}
	if !types["Amount"].Transparent || types["Currency"].Transparent {
		t.Error("json.Number must be a Go alias (it keeps its JSON form), string a defined type")
	}
	if u := types["Tags"].Underlying; u.Kind != kindSlice || u.Elem.Scalar != "string" {
		t.Errorf("Tags is a %s", u.Kind)
	}
	order := types["OrderPaid"]
	if f := fieldOf(t, order, "currency"); f.Type.Named != types["Currency"] {
		t.Error("currency is not of the Currency type")
	}
	if f := fieldOf(t, order, "note"); !f.Required || f.Type.Kind != kindNullable || f.Type.Elem.Scalar != "string" {
		t.Errorf("note: required %v, %s", f.Required, f.Type.Kind)
	}
	if f := fieldOf(t, order, "coupon"); f.Required || f.Type.Kind != kindNullable {
		t.Errorf("coupon: required %v, %s", f.Required, f.Type.Kind)
	}
	if f := fieldOf(t, order, "shipped_at"); f.Type.Kind != kindNullable || f.Type.Elem.Scalar != "DateTime" {
		t.Errorf("shipped_at: %s", f.Type.Kind)
	}
	pay := types["Payment"]
	var got []string
	for _, br := range pay.Branches {
		got = append(got, br.Type.Named.Name+":"+br.Member)
	}
	if strings.Join(got, " ") != "BankTransfer:iban Card:last4 PaymentObject:" {
		t.Errorf("Payment branches (tried in this order) %v", got)
	}
	got = nil
	for _, br := range types["Price"].Branches {
		got = append(got, br.Type.Named.Name+":"+br.JSON)
	}
	if strings.Join(got, " ") != "PriceInteger:number Money:object PriceString:string" {
		t.Errorf("Price branches %v", got)
	}
	if f := fieldOf(t, order, "discount"); f.Type.Kind != kindNullable || f.Type.Elem.Kind != kindSum || len(f.Type.Elem.Named.Branches) != 2 {
		t.Errorf("discount (string, number or null): %s", f.Type.Kind)
	}
	if f := fieldOf(t, order, "batch"); f.Type.Kind != kindScalar || f.Type.Scalar != "IntOrString" {
		t.Errorf("batch (string or integer): %s %s", f.Type.Kind, f.Type.Scalar)
	}
	if f := fieldOf(t, order, "gift"); f.Type.Scalar == "BoolOrString" {
		t.Error("gift (a boolean or any string) is a BoolOrString, which cannot hold \"wrapped\"")
	}
	if types["Contact"].Ambiguous == "" {
		t.Error("Contact's branches cannot be told apart, and its type does not say so")
	}

	// Without the option, date-time strings stay strings.
	_, plain := gotypesModel(t, TypeOptions{})
	if u := plain["Timestamp"].Underlying; u.Scalar != "string" {
		t.Errorf("date-time without the option: %q", u.Scalar)
	}
	if f := fieldOf(t, plain["OrderPaid"], "shipped_at"); f.Type.Elem.Scalar != "string" {
		t.Errorf("shipped_at without the option: %q", f.Type.Elem.Scalar)
	}
	if _, ok := plain["DateTime"]; ok {
		t.Error("a type named DateTime without the option")
	}
}

// TestGoTypesOptionRefused: an unknown date-time choice is an error.
func TestGoTypesOptionRefused(t *testing.T) {
	p := loadGotypes(t)
	if _, err := Generate(p, Options{Package: "gotypes", Types: TypeOptions{DateTime: "unix"}}); err == nil || !strings.Contains(err.Error(), "types.date-time") {
		t.Errorf("date-time: unix: %v", err)
	}
	files, err := Generate(p, Options{Package: "gotypes"})
	if err != nil {
		t.Fatal(err)
	}
	if src := string(files[FilePrefix+"support.go"]); strings.Contains(src, "type DateTime") || !strings.Contains(src, "type Nullable[") {
		t.Error("support: DateTime must be pruned without the option, Nullable kept when used")
	}
}

// TestTypesAPIPruned: a package whose payload types use no Nullable and
// no DateTime exports neither.
func TestTypesAPIPruned(t *testing.T) {
	for _, p := range embedded(t).Providers {
		files, err := Generate(p, Options{Package: p.Name})
		if err != nil {
			t.Fatal(err)
		}
		types := string(files[FilePrefix+"types.go"])
		support := string(files[FilePrefix+"support.go"])
		for typ, names := range typesAPI {
			if strings.Contains(types, typ) {
				continue
			}
			for _, n := range names {
				if strings.Contains(support, " "+n+"[") || strings.Contains(support, " "+n+"(") || strings.Contains(support, "type "+n+" ") {
					t.Errorf("%s: support exports %s, which its types do not use", p.Name, n)
				}
			}
		}
	}
}

// roundTripTest parses bodies with the generated package, checks the Go
// values they decode to, and marshals the payloads back: what was
// received comes back, absent members absent, null ones null, and
// date-times byte for byte.
const roundTripTest = `package gotypes

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"reflect"
	"testing"
	"time"
)

func parseOrder(t *testing.T, body string) *OrderPaid {
	t.Helper()
	ev, err := Parse([]byte(body))
	if err != nil {
		t.Fatalf("parse %s: %v", body, err)
	}
	e, ok := ev.(*OrderPaidEvent)
	if !ok {
		t.Fatalf("parse: %T", ev)
	}
	out, err := json.Marshal(e.Payload)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(canonicalJSON(t, []byte(body)), canonicalJSON(t, out)) {
		t.Errorf("marshal(parse(x)) differs:\n x: %s\n    %s", body, out)
	}
	return &e.Payload
}

// TestParseAfterValidate: every body Validate accepts is parsed, never a
// decoding failure (which would be a lost delivery), and marshals back to
// what was received; bodies mix every branch shape with what a sender
// may write instead.
func TestParseAfterValidate(t *testing.T) {
	paidAts := []string{` + "`" + `"2026-12-01T10:00:00Z"` + "`" + `, ` + "`" + `"2026-12-01T10:00:00.1234567891234-07:00"` + "`" + `, ` + "`" + `"1990-12-31t15:59:60z"` + "`" + `, ` + "`" + `"not a time"` + "`" + `, ` + "`" + `7` + "`" + `}
	payments := []string{` + "`" + `{"last4":"1"}` + "`" + `, ` + "`" + `{"iban":"x","bic":"y"}` + "`" + `, ` + "`" + `{}` + "`" + `, ` + "`" + `{"voucher":"v"}` + "`" + `, ` + "`" + `{"last4":"1","iban":"2"}` + "`" + `, ` + "`" + `{"last4":1}` + "`" + `, ` + "`" + `"card"` + "`" + `, ` + "`" + `[]` + "`" + `, ` + "`" + `null` + "`" + `}
	prices := []string{` + "`" + `"x"` + "`" + `, ` + "`" + `1` + "`" + `, ` + "`" + `1.0` + "`" + `, ` + "`" + `1e2` + "`" + `, ` + "`" + `-0` + "`" + `, ` + "`" + `1.5` + "`" + `, ` + "`" + `{"amount":"1","currency":"EUR"}` + "`" + `, ` + "`" + `{"amount":"1"}` + "`" + `, ` + "`" + `null` + "`" + `, ` + "`" + `true` + "`" + `, ` + "`" + `[1]` + "`" + `}
	extras := []string{"", ` + "`" + `,"discount":null` + "`" + `, ` + "`" + `,"discount":7.0` + "`" + `, ` + "`" + `,"discount":"x"` + "`" + `, ` + "`" + `,"discount":true` + "`" + `, ` + "`" + `,"shipped_at":null` + "`" + `, ` + "`" + `,"shipped_at":"2016-12-31T23:59:60Z"` + "`" + `, ` + "`" + `,"coupon":null,"tags":[]` + "`" + `, ` + "`" + `,"total":1E+2,"cents":-5` + "`" + `, ` + "`" + `,"weight":1.250` + "`" + `, ` + "`" + `,"weight":"heavy"` + "`" + `, ` + "`" + `,"batch":"b7","discount":1.5` + "`" + `, ` + "`" + `,"batch":7` + "`" + `, ` + "`" + `,"gift":true` + "`" + `, ` + "`" + `,"gift":"false"` + "`" + `, ` + "`" + `,"gift":"wrapped"` + "`" + `}
	accepted := 0
	for _, at := range paidAts {
		for _, pay := range payments {
			for _, price := range prices {
				for _, extra := range extras {
					body := ` + "`" + `{"type":"order.paid","id":"o","currency":"EUR","paid_at":` + "`" + ` + at + ` + "`" + `,"note":null,"payment":` + "`" + ` + pay + ` + "`" + `,"price":` + "`" + ` + price + ` + "`" + `,"contact":{"email":"e"}` + "`" + ` + extra + "}"
					if Validate([]byte(body)) != nil {
						continue
					}
					accepted++
					parseOrder(t, body)
				}
			}
		}
	}
	if accepted == 0 {
		t.Fatal("no body accepted")
	}
	t.Logf("%d bodies accepted, parsed and marshaled back", accepted)
}

// TestDiscriminatorOverruled: a body the oneOf accepts is parsed whatever
// its discriminator names: the branch it names when that branch's type
// holds it, else the first that does.
func TestDiscriminatorOverruled(t *testing.T) {
	for _, c := range []struct{ pet, want string }{
		{` + "`" + `{"kind":"cat","meow":true}` + "`" + `, "*gotypes.Cat"},
		{` + "`" + `{"kind":"dog","bark":"woof"}` + "`" + `, "*gotypes.Dog"},
		{` + "`" + `{"kind":"dog","bark":1,"meow":true}` + "`" + `, "*gotypes.Cat"}, // only Cat's schema accepts it
		{` + "`" + `{"kind":"bird","meow":false}` + "`" + `, "*gotypes.Cat"},
		{` + "`" + `{"kind":"c\u0061t","meow":false}` + "`" + `, "*gotypes.Cat"},
	} {
		body := ` + "`" + `{"type":"order.paid","id":"o","currency":"EUR","paid_at":"2026-12-01T10:00:00Z","note":null,"payment":{"last4":"1"},"price":"x","contact":{"email":"e"},"pet":` + "`" + ` + c.pet + "}"
		if err := Validate([]byte(body)); err != nil {
			t.Fatalf("%s: %v", c.pet, err)
		}
		ev, err := Parse([]byte(body))
		if err != nil {
			t.Fatalf("%s: Validate accepts it, Parse: %v", c.pet, err)
		}
		if got := fmt.Sprintf("%T", ev.(*OrderPaidEvent).Payload.Pet.Value); got != c.want {
			t.Errorf("%s: %s, want %s", c.pet, got, c.want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	// members whose names no struct tag holds, and "-", which a tag holds
	// only followed by a comma
	odd := parseOrder(t, ` + "`" + `{"type":"order.paid","id":"o","currency":"EUR","paid_at":"2026-12-01T10:00:00Z","note":null,
		"payment":{"last4":"1"},"price":"x","contact":{"email":"e"},"buyer's note":"ring twice","a,b":null,"":"empty","-":true,"unmarshalJSON":"u"}` + "`" + `)
	if odd.BuyerSNote == nil || *odd.BuyerSNote != "ring twice" || odd.Field == nil || *odd.Field != "empty" || odd.Field2 == nil || !*odd.Field2 || odd.UnmarshalJSON2 == nil {
		t.Errorf("members by odd names: %+v", odd)
	}
	if b, err := json.Marshal(OrderPaid{}); err != nil || bytes.Contains(b, []byte(` + "`" + `"a,b"` + "`" + `)) || bytes.Contains(b, []byte(` + "`" + `"":` + "`" + `)) {
		t.Errorf("absent members marshaled: %s %v", b, err)
	}
	card := parseOrder(t, ` + "`" + `{"type":"order.paid","id":"o1","currency":"EUR","total":12.50,"cents":1250,"tags":[],
		"paid_at":"2026-12-01T10:00:00.123456789123+00:00","shipped_at":null,"note":null,
		"payment":{"last4":"4242","brand":"visa"},"price":"12.50 EUR","contact":{"email":"a@example.com"},"discount":"10%"}` + "`" + `)
	if _, ok := card.Payment.Value.(*Card); !ok {
		t.Errorf("payment: %T, want *Card", card.Payment.Value)
	}
	if v, ok := card.Price.Value.(PriceString); !ok || v != "12.50 EUR" {
		t.Errorf("price: %T %v", card.Price.Value, card.Price.Value)
	}
	if !card.ShippedAt.IsNull() || card.Coupon.IsSet() || card.Note != nil || card.Tags == nil || len(card.Tags) != 0 {
		t.Errorf("shipped_at null %v, coupon set %v, note %v, tags %#v", card.ShippedAt.IsNull(), card.Coupon.IsSet(), card.Note, card.Tags)
	}
	if d, ok := card.Discount.Get(); !ok || d.Value != OrderPaidDiscountString("10%") {
		t.Errorf("discount: %v %v", d, ok)
	}
	if card.PaidAt.Time.Nanosecond() != 123456789 {
		t.Errorf("paid_at: %v", card.PaidAt.Time)
	}

	bank := parseOrder(t, ` + "`" + `{"type":"order.paid","id":"o2","currency":"USD","cents":1.0e3,
		"paid_at":"2016-12-31t23:59:60z","shipped_at":"2017-01-02T08:00:00Z","note":"door","coupon":null,
		"payment":{"iban":"DE89370400440532013000"},"price":999,"contact":{"email":"b@example.com","phone":"1"},"discount":null}` + "`" + `)
	if _, ok := bank.Payment.Value.(*BankTransfer); !ok {
		t.Errorf("payment: %T, want *BankTransfer", bank.Payment.Value)
	}
	if v, ok := bank.Price.Value.(PriceInteger); !ok || v != 999 {
		t.Errorf("price: %T %v", bank.Price.Value, bank.Price.Value)
	}
	if *bank.Cents != 1000 || !bank.Discount.IsNull() || !bank.Coupon.IsNull() || *bank.Note != "door" {
		t.Errorf("cents %d, coupon null %v, note %v", *bank.Cents, bank.Coupon.IsNull(), bank.Note)
	}
	if want := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC); !bank.PaidAt.Time.Equal(want) {
		t.Errorf("leap second: %v, want %v", bank.PaidAt.Time, want)
	}
	if at, ok := bank.ShippedAt.Get(); !ok || at.Time.Day() != 2 {
		t.Errorf("shipped_at: %v %v", at, ok)
	}
	if bank.Contact.Phone == nil || *bank.Contact.Phone != "1" {
		t.Error("contact: the members of every branch")
	}

	voucher := parseOrder(t, ` + "`" + `{"type":"order.paid","id":"o3","currency":"GBP","paid_at":"2026-12-01T10:00:00Z","note":null,
		"coupon":"WINTER","payment":{"voucher":"X"},"price":{"amount":"5.00","currency":"GBP"},"contact":{"email":"c@example.com","name":"C"},"weight":1.250}` + "`" + `)
	if _, ok := voucher.Payment.Value.(*PaymentObject); !ok {
		t.Errorf("payment: %T, want *PaymentObject", voucher.Payment.Value)
	}
	if m, ok := voucher.Price.Value.(*Money); !ok || m.Currency != "GBP" {
		t.Errorf("price: %T", voucher.Price.Value)
	}
	if w, ok := voucher.Weight.Value.(OrderPaidWeightNumber); !ok || w != "1.250" {
		t.Errorf("weight: %T %v", voucher.Weight.Value, voucher.Weight.Value)
	}
	if voucher.Discount.IsSet() {
		t.Error("discount: absent, and set")
	}
	if c, ok := voucher.Coupon.Get(); !ok || c != "WINTER" {
		t.Errorf("coupon: %q %v", c, ok)
	}

	// A value set in Go marshals as set: a changed time, a null.
	bank.PaidAt.Time = bank.PaidAt.Time.Add(time.Hour)
	bank.Coupon.Unset()
	bank.ShippedAt.SetNull()
	out, err := json.Marshal(bank)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{` + "`" + `"paid_at":"2017-01-01T01:00:00Z"` + "`" + `, ` + "`" + `"shipped_at":null` + "`" + `} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("%s lacks %s", out, want)
		}
	}
	if bytes.Contains(out, []byte("coupon")) {
		t.Errorf("%s: an unset member is marshaled", out)
	}
}
`

// TestGoTypesRoundTrip generates testdata/vendors/gotypes with date-times
// as time.Time into a temporary module and runs roundTripTest there.
func TestGoTypesRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a generated package")
	}
	p := loadGotypes(t)
	files, err := Generate(p, Options{Package: "gotypes", Source: "openapi.yaml", Types: TypeOptions{DateTime: DateTimeTime}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), testmod.GoMod("example.com/gotypes", ""), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteDir(dir, files); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "roundtrip_test.go"), []byte(roundTripTest+canonicalJSONSource), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "test", "-count=1", "-v", "-run", "^(TestRoundTrip|TestParseAfterValidate|TestDiscriminatorOverruled)$", ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatal(fmt.Errorf("go test: %v\n%s", err, out))
	}
	if !strings.Contains(string(out), "--- PASS: TestRoundTrip") || !strings.Contains(string(out), "--- PASS: TestParseAfterValidate") || !strings.Contains(string(out), "--- PASS: TestDiscriminatorOverruled") {
		t.Fatalf("the round trip did not run:\n%s", out)
	}
	t.Logf("%s", out)
}

// TestBranchMembers: a member is marked as a branch's when only branches
// of a union or conditional declare it, so that decoding keeps an absent
// branch's objects out of the slots every body pays for: the Salesforce
// data member merges the settings and the provider envelope (if/then/else),
// the envelope around it declares its own members.
func TestBranchMembers(t *testing.T) {
	var sf *contract.Provider
	for _, p := range embedded(t).Providers {
		if p.Name == "salesforce" {
			sf = p
		}
	}
	if sf == nil {
		t.Fatal("no salesforce provider in specs/")
	}
	m, err := buildModel(sf, TypeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*namedType{}
	for _, nt := range m.tb.order {
		byName[nt.Name] = nt
	}
	for _, tc := range []struct {
		typ, member string
		branch      bool
	}{
		{"Envelope", "data", false},
		{"Envelope", "id", false},
		{"EnvelopeData", "data", true},       // the provider envelope's
		{"EnvelopeData", "providerId", true}, // the provider envelope's
		{"EnvelopeData", "enabled", true},    // the settings'
		{"Settings", "enabled", false},
	} {
		if f := fieldOf(t, byName[tc.typ], tc.member); f.Branch != tc.branch {
			t.Errorf("%s.%s: Branch %v, want %v", tc.typ, tc.member, f.Branch, tc.branch)
		}
	}
}
