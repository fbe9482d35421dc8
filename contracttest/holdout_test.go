package contracttest

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// TestHoldout judges payloads written from the provider documents apart
// from the specs and their fixtures: testdata/holdout/valid/<provider>/
// must conform (pass or drift), testdata/holdout/invalid/<provider>/
// must fail, with a violation at the pointer recorded in
// testdata/holdout/expect.json, and testdata/holdout/drift/<provider>/
// must conform but drift, with an expectation broken at that pointer. A body without its envelope names its
// event in its file name: <event>.bare[.<what>].json. Each payload is
// checked with --provider, and envelopes also without it: detection must
// find the provider of the directory.
func TestHoldout(t *testing.T) {
	s := testSuite(t)
	root := filepath.Join("testdata", "holdout")
	raw, err := os.ReadFile(filepath.Join(root, "expect.json"))
	if err != nil {
		t.Fatal(err)
	}
	var expect map[string]string
	if err := json.Unmarshal(raw, &expect); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	counts := map[string]int{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".json" || filepath.Dir(p) == root {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if len(parts) != 3 {
			t.Errorf("%s: expected holdout/{valid,invalid,drift}/<provider>/<file>.json", rel)
			return nil
		}
		kind, provider, file := parts[0], parts[1], parts[2]
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		event := ""
		if i := strings.Index(file, ".bare"); i >= 0 {
			event = file[:i]
		}
		counts[kind+" "+provider]++
		t.Run(rel, func(t *testing.T) {
			modes := []CheckOptions{{Provider: provider, Event: event}}
			if event == "" {
				modes = append(modes, CheckOptions{})
			}
			for _, opts := range modes {
				r := s.Check(data, opts)
				switch kind {
				case "valid":
					// An event no provider declares, at a pointer two
					// providers share, cannot tell its provider: without
					// --provider that is a failure at the event member.
					cannotTell := opts.Provider == "" && r.Provider == "" && len(r.Violations) == 1 && r.Violations[0].Keyword == "enum" && strings.Contains(r.Violations[0].Message, "; expected an event name of ")
					if r.Verdict == Fail && !cannotTell {
						t.Errorf("with %+v: fails, want it to conform:\n%s", opts, describeViolations(r))
					}
				case "invalid", "drift":
					want, ok := expect[provider+"/"+file]
					if !ok {
						t.Fatalf("no expected pointer in expect.json for %s/%s", provider, file)
					}
					seen[provider+"/"+file] = true
					verdict, grade := Fail, Guaranteed
					if kind == "drift" {
						verdict, grade = Drift, Expected
					}
					if r.Verdict != verdict {
						t.Errorf("with %+v: %s, want %s at %q:\n%s", opts, r.Verdict, verdict, want, describeViolations(r))
					} else if !slices.ContainsFunc(r.Violations, func(v Violation) bool { return v.Pointer == want && v.Grade == grade }) {
						t.Errorf("with %+v: %s, but not at %q:\n%s", opts, verdict, want, describeViolations(r))
					}
				default:
					t.Fatalf("%s: expected valid, invalid or drift", kind)
				}
				if r.Provider != "" && r.Provider != provider {
					t.Errorf("with %+v: detected provider %q, want %q", opts, r.Provider, provider)
				}
			}
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for name := range expect {
		if !seen[name] {
			t.Errorf("expect.json lists %s, which is not under invalid/ or drift/", name)
		}
	}
	for _, p := range testSuite(t).Providers() {
		if counts["valid "+p] < 4 || counts["invalid "+p] < 4 {
			t.Errorf("provider %s: %d valid and %d invalid hold-out payloads, want at least 4 of each", p, counts["valid "+p], counts["invalid "+p])
		}
	}
}

func describeViolations(r Result) string {
	var b strings.Builder
	for _, v := range r.Violations {
		b.WriteString("  " + jsonpointer.Display(v.Pointer) + ": " + v.Message + " [" + v.Keyword + "]\n")
	}
	return b.String()
}
