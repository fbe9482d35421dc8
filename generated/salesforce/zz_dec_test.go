package salesforce

import (
	"os"
	"testing"

	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

func BenchmarkZZDecode(b *testing.B) {
	data, _ := os.ReadFile("../../specs/salesforce/examples/valid/salesforcesettings.updated.json")
	st := hcrt.Scan(data)
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			e := new(SalesforcesettingsUpdatedEvent)
			if err := hcDecEnvelope(st, 0, &e.Payload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("accept", func(b *testing.B) {
		for b.Loop() {
			if !st.Accept(hcAe062d091) {
				b.Fatal("x")
			}
		}
	})
	b.Run("scan", func(b *testing.B) {
		for b.Loop() {
			hcrt.Scan(data).Release()
		}
	})
	b.Run("parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Parse(data)
		}
	})
	b.Run("validate", func(b *testing.B) {
		for b.Loop() {
			Validate(data)
		}
	})
}
