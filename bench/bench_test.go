package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/go-faster/jx"

	ogenpeer "github.com/hookcontract/hookcontract/bench/ogen/peer"
	"github.com/hookcontract/hookcontract/generated/ampersand"
	"github.com/hookcontract/hookcontract/generated/salesforce"
	"github.com/hookcontract/hookcontract/generated/salesiq"
	"github.com/hookcontract/hookcontract/generated/tickets"
)

// payload is one benchmark input with the ways to check it.
type payload struct {
	name      string
	provider  string
	data      []byte
	validate  func([]byte) error
	parse     func([]byte) error
	unmarshal func([]byte) error
	ogen      func([]byte) error // ogen's generated decode + validate
	// ogenBranch, when set, is ogen's decode + validate of the root
	// rewritten with the union ogen cannot express replaced by the branch
	// the payload takes (see bench/ogen/bundle): the values ogen's code for
	// the root as written skips unread, decoded and checked, as Parse does.
	ogenBranch func([]byte) error
	schema     string // $id of the event's schema (the reference's input)
}

// ogenCheck decodes data into ogen's generated type for the same schema
// and validates it, as an ogen-generated server does with a request body.
// ogen emits no Validate method for a type it finds nothing to check in.
func ogenCheck[T any, P interface {
	*T
	Decode(*jx.Decoder) error
}](data []byte) error {
	var v T
	if err := P(&v).Decode(jx.DecodeBytes(data)); err != nil {
		return err
	}
	if v, ok := any(P(&v)).(interface{ Validate() error }); ok {
		return v.Validate()
	}
	return nil
}

func fixture(tb testing.TB, provider, file string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "specs", provider, "examples", "valid", file))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// largeInstallation is an installation.created notification whose config
// holds enough objects to weigh 64 KB.
func largeInstallation(tb testing.TB) []byte { return installationOf(tb, 64<<10) }

// installationOf is an installation.created notification of at least size
// bytes.
func installationOf(tb testing.TB, size int) []byte {
	var doc map[string]any
	if err := json.Unmarshal(fixture(tb, "ampersand", "installation.created.json"), &doc); err != nil {
		tb.Fatal(err)
	}
	objects := map[string]any{}
	data := doc["data"].(map[string]any)
	data["config"] = map[string]any{"read": map[string]any{"objects": objects}}
	for i := 0; ; i++ {
		name := fmt.Sprintf("object_%04d", i)
		objects[name] = map[string]any{
			"objectName":     name,
			"destination":    "warehouse-webhook",
			"requiredFields": []string{"id", "name", "owner", "created_at"},
			"optionalFields": []string{"industry", "annualrevenue", "billing_city", "billing_country"},
		}
		b, _ := json.Marshal(doc)
		if len(b) >= size {
			return b
		}
	}
}

func payloads(tb testing.TB) []payload {
	return []payload{
		{
			name: "small_ticket", provider: "tickets", data: fixture(tb, "tickets", "sac_ticket.creation.json"),
			validate: tickets.Validate,
			parse:    func(b []byte) error { _, err := tickets.Parse(b); return err },
			unmarshal: func(b []byte) error {
				var e tickets.SacTicketEvent
				return reflectUnmarshal(b, &e.Payload)
			},
			ogen:   ogenCheck[ogenpeer.TicketsSacTicket],
			schema: "https://hookcontract.dev/schemas/tickets/sac_ticket.json",
		},
		{
			name: "small_salesforce_settings", provider: "salesforce", data: fixture(tb, "salesforce", "salesforcesettings.updated.json"),
			validate: salesforce.Validate,
			parse:    func(b []byte) error { _, err := salesforce.Parse(b); return err },
			unmarshal: func(b []byte) error {
				var e salesforce.SalesforcesettingsUpdatedEvent
				return reflectUnmarshal(b, &e.Payload)
			},
			ogen:       ogenCheck[ogenpeer.SalesforceEnvelope],
			ogenBranch: ogenCheck[ogenpeer.SalesforceEnvelopeSettingsBranch],
			schema:     "https://hookcontract.dev/schemas/salesforce/envelope.json",
		},
		{
			name: "medium_operator_created", provider: "salesiq", data: fixture(tb, "salesiq", "operator.created.json"),
			validate: salesiq.Validate,
			parse:    func(b []byte) error { _, err := salesiq.Parse(b); return err },
			unmarshal: func(b []byte) error {
				var e salesiq.OperatorCreatedEvent
				return reflectUnmarshal(b, &e.Payload)
			},
			ogen:   ogenCheck[ogenpeer.SalesiqOperatorCreated],
			schema: "https://hookcontract.dev/schemas/salesiq/operator.created.json",
		},
		{
			name: "large_installation_64KB", provider: "ampersand", data: largeInstallation(tb),
			validate: ampersand.Validate,
			parse:    func(b []byte) error { _, err := ampersand.Parse(b); return err },
			unmarshal: func(b []byte) error {
				var e ampersand.InstallationCreatedEvent
				return reflectUnmarshal(b, &e.Payload)
			},
			ogen:   ogenCheck[ogenpeer.AmpersandInstallationCreated],
			schema: "https://hookcontract.dev/schemas/ampersand/installation.created.json",
		},
	}
}

// reference compiles the provider's schemas with jsonschema/v5 as the
// contract test runner does (draft 2020-12, formats asserted).
func reference(tb testing.TB, provider, id string) *jsonschema.Schema {
	tb.Helper()
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	c.AssertFormat = true
	files, err := filepath.Glob(filepath.Join("..", "specs", provider, "schemas", "*.json"))
	if err != nil {
		tb.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		var head struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(b, &head); err != nil {
			tb.Fatal(err)
		}
		if err := c.AddResource(head.ID, bytes.NewReader(b)); err != nil {
			tb.Fatal(err)
		}
	}
	s, err := c.Compile(id)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

func decodeValidate(s *jsonschema.Schema, b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	return s.Validate(v)
}

// TestInputsAgree: every benchmark input conforms for every contestant, so
// the benchmarks measure the valid path.
func TestInputsAgree(t *testing.T) {
	for _, p := range payloads(t) {
		if err := p.validate(p.data); err != nil {
			t.Errorf("%s: Validate: %v", p.name, err)
		}
		if err := p.parse(p.data); err != nil {
			t.Errorf("%s: Parse: %v", p.name, err)
		}
		if err := p.unmarshal(p.data); err != nil {
			t.Errorf("%s: Unmarshal: %v", p.name, err)
		}
		if err := p.ogen(p.data); err != nil {
			t.Errorf("%s: ogen decode+validate: %v", p.name, err)
		}
		if p.ogenBranch != nil {
			if err := p.ogenBranch(p.data); err != nil {
				t.Errorf("%s: ogen decode+validate of the branch: %v", p.name, err)
			}
		}
		if err := decodeValidate(reference(t, p.provider, p.schema), p.data); err != nil {
			t.Errorf("%s: jsonschema/v5: %v", p.name, err)
		}
	}
}

// TestValidateAllocationsDoNotGrow: the generated validator allocates
// nothing that grows with the payload on the valid path: the same
// notification at 2 KB, 16 KB and 256 KB costs the same allocations, and
// Validate allocates nothing at all on the benchmark payloads.
func TestValidateAllocationsDoNotGrow(t *testing.T) {
	var counts []float64
	for _, size := range []int{2 << 10, 16 << 10, 256 << 10} {
		data := installationOf(t, size)
		if err := ampersand.Validate(data); err != nil {
			t.Fatal(err)
		}
		counts = append(counts, testing.AllocsPerRun(20, func() { _ = ampersand.Validate(data) }))
	}
	if counts[0] != counts[1] || counts[1] != counts[2] {
		t.Errorf("allocations per Validate at 2 KB, 16 KB, 256 KB = %v; want them equal", counts)
	}
	for _, p := range payloads(t) {
		if n := testing.AllocsPerRun(50, func() { _ = p.validate(p.data) }); n != 0 {
			t.Errorf("%s (%d bytes): %v allocations per Validate, want 0", p.name, len(p.data), n)
		}
	}
}

func run(b *testing.B, data []byte, fn func([]byte) error) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	// one call before the timed loop (b.Loop resets the timer and the
	// counts when it starts): the steady state of a server, whose pooled
	// scratch space the collections between benchmarks have emptied (the
	// 64 KB payload's tape, 5 667 nodes, was grown once in the loop: 295 KB
	// spread over its iterations)
	if err := fn(data); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := fn(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPayloads runs, per payload: the generated Validate and Parse,
// jsonschema/v5 decode+validate (the reference) and encoding/json
// Unmarshal into the same generated type.
func BenchmarkPayloads(b *testing.B) {
	for _, p := range payloads(b) {
		ref := reference(b, p.provider, p.schema)
		b.Run(p.name+"/Validate", func(b *testing.B) { run(b, p.data, p.validate) })
		b.Run(p.name+"/Parse", func(b *testing.B) { run(b, p.data, p.parse) })
		b.Run(p.name+"/ReferenceDecodeValidate", func(b *testing.B) {
			run(b, p.data, func(d []byte) error { return decodeValidate(ref, d) })
		})
		b.Run(p.name+"/Unmarshal", func(b *testing.B) { run(b, p.data, p.unmarshal) })
		b.Run(p.name+"/OgenDecodeValidate", func(b *testing.B) { run(b, p.data, p.ogen) })
		if p.ogenBranch != nil {
			b.Run(p.name+"/OgenBranchDecodeValidate", func(b *testing.B) { run(b, p.data, p.ogenBranch) })
		}
	}
}
