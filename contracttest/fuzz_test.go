package contracttest

import (
	"bytes"
	"testing"
)

// FuzzCheck: no bytes make the payload readers or Suite.Check panic, and
// every result has one of the three verdicts, a failure at least one
// violation with a message, and drift at least one unknown member or one
// expectation broken, every violation of a drift graded expected. Seeded
// with every fixture file of the embedded specs.
func FuzzCheck(f *testing.F) {
	for _, data := range fixtureFiles(f) {
		f.Add(data, uint8(0))
	}
	f.Add([]byte(ticket+"\n"+settings), uint8(1))
	f.Add([]byte("\xEF\xBB\xBF{}\n\n[1]\n"), uint8(2))
	s := testSuite(f)
	providers := s.Providers()
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		check := func(r Result) {
			switch r.Verdict {
			case Pass:
			case Fail:
				if len(r.Violations) == 0 {
					t.Fatalf("fail without violations: %+v", r)
				}
				for _, v := range r.Violations {
					if v.Grade != Guaranteed {
						t.Fatalf("failure graded %q: %+v", v.Grade, v)
					}
					if v.Keyword == "internal" {
						t.Fatalf("internal error: %s", v.Message)
					}
					if v.Message == "" || v.Keyword == "" {
						t.Fatalf("violation without message or keyword: %+v", v)
					}
				}
			case Drift:
				// An unknown event may have no name: "" names none, and a
				// body several webhooks that may omit the name accept is
				// one of them, unnamed.
				if len(r.Unknown) == 0 && len(r.Violations) == 0 && !r.UnknownEvent {
					t.Fatalf("drift without unknown members, expectations or an unknown event: %+v", r)
				}
				for _, v := range r.Violations {
					if v.Grade != Expected || v.Message == "" {
						t.Fatalf("drift violation not graded expected, or without message: %+v", v)
					}
				}
			default:
				t.Fatalf("verdict %q", r.Verdict)
			}
		}
		opts := CheckOptions{}
		if mode&1 != 0 {
			opts.Provider = providers[int(mode>>1)%len(providers)]
		}
		check(s.Check(data, opts))
		// The readers: stdin, NDJSON.
		rep := s.RunPaths([]string{"-"}, bytes.NewReader(data), Options{Provider: opts.Provider, Jobs: 2})
		for _, r := range rep.Results {
			check(r)
		}
		var payloads []Payload
		SplitLines("f.ndjson", data, func(p Payload) { payloads = append(payloads, p) })
		for _, r := range s.CheckPayloads(payloads, Options{Jobs: 1}).Results {
			check(r)
		}
	})
}
