package schemagen

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	jsonschema "github.com/santhosh-tekuri/jsonschema/v5"
)

var update = flag.Bool("update", false, "rewrite SUITE.md and the generated fuzz validator")

// repoRoot walks up from the working directory to the directory of go.mod.
func repoRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// suiteDir is the root of the JSON-Schema-Test-Suite (holding tests/ and
// remotes/): $HOOKCONTRACT_JSON_SCHEMA_SUITE, or ../shared/testdata/
// json-schema-test-suite beside the repository.
func suiteDir(t testing.TB) string {
	if d := os.Getenv("HOOKCONTRACT_JSON_SCHEMA_SUITE"); d != "" {
		return d
	}
	return filepath.Join(repoRoot(t), "..", "shared", "testdata", "json-schema-test-suite")
}

// suiteDraft is one draft of the suite, run with its dialect and the
// reference validator configured for it.
type suiteDraft struct {
	dir     string // under tests/
	dialect Dialect
	ref     *jsonschema.Draft
	skips   map[string]string // see suiteSkips
	// unsupportedFiles are listed in SUITE.md with the reason they are not run.
	unsupportedFiles map[string]string
}

var suiteDrafts = []suiteDraft{
	{dir: "draft2020-12", dialect: Draft2020, ref: jsonschema.Draft2020},
	{dir: "draft2019-09", dialect: Draft2019, ref: jsonschema.Draft2019, skips: suiteSkips2019},
	{dir: "draft7", dialect: Draft7, ref: jsonschema.Draft7, skips: suiteSkips7},
	{dir: "draft4", dialect: Draft4, ref: jsonschema.Draft4, skips: suiteSkips4},
}

// suiteFiles lists the test files of a draft: the keyword files, then
// optional/ and optional/format/, each sorted.
func suiteFiles(t testing.TB, testsDir string) []string {
	var main, optional []string
	err := filepath.WalkDir(testsDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		rel, _ := filepath.Rel(testsDir, path)
		rel = filepath.ToSlash(rel)
		if strings.Contains(rel, "/") {
			optional = append(optional, rel)
		} else {
			main = append(main, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("list %s: %v", testsDir, err)
	}
	sort.Strings(main)
	sort.Slice(optional, func(i, j int) bool {
		di, dj := strings.Count(optional[i], "/"), strings.Count(optional[j], "/")
		if di != dj {
			return di < dj
		}
		return optional[i] < optional[j]
	})
	return append(main, optional...)
}

type suiteGroup struct {
	Description string          `json:"description"`
	Schema      json.RawMessage `json:"schema"`
	Tests       []struct {
		Description string          `json:"description"`
		Data        json.RawMessage `json:"data"`
		Valid       bool            `json:"valid"`
	} `json:"tests"`
}

// addRemotes registers the suite's remotes/ under http://localhost:1234/
// and returns them by URI.
func addRemotes(t testing.TB, set *Set, dir string) map[string][]byte {
	out := map[string][]byte{}
	remotes := filepath.Join(dir, "remotes")
	err := filepath.WalkDir(remotes, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
			return err
		}
		rel, _ := filepath.Rel(remotes, path)
		rel = filepath.ToSlash(rel)
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out["http://localhost:1234/"+rel] = data
		return set.Add("http://localhost:1234/"+rel, data, "remotes/"+rel)
	})
	if err != nil {
		t.Fatalf("remotes: %v", err)
	}
	return out
}

type suiteTally struct{ passed, total, skipped int }

func TestSuite(t *testing.T) {
	dir := suiteDir(t)
	if _, err := os.Stat(filepath.Join(dir, "tests", "draft2020-12")); err != nil {
		t.Skip("JSON-Schema-Test-Suite not found at ../shared/testdata/json-schema-test-suite beside the repository (set HOOKCONTRACT_JSON_SCHEMA_SUITE to the suite's root, the directory holding tests/ and remotes/)")
	}
	type caseRef struct {
		draft, file, key string
		valid            bool
		reference        bool // the expected answer is the reference validator's
	}
	var (
		programs  []*Program
		cases     []harnessCase
		refs      []caseRef
		tallies   = map[string]map[string]*suiteTally{}
		files     = map[string][]string{}
		usedSkips = map[string]bool{}
	)
	for di, sd := range suiteDrafts {
		testsDir := filepath.Join(dir, "tests", sd.dir)
		if _, err := os.Stat(testsDir); err != nil {
			t.Fatalf("the suite has no %s: %v", sd.dir, err)
		}
		tally := map[string]*suiteTally{}
		tallies[sd.dir] = tally
		usedSkip := usedSkips
		skip := func(key string) (string, bool) {
			if r, ok := sd.skips[key]; ok {
				usedSkip[sd.dir+"\x00"+key] = true
				return r, true
			}
			if r, ok := suiteSkips[key]; ok {
				usedSkip[key] = true
				return r, true
			}
			return "", false
		}
		for fi, file := range suiteFiles(t, testsDir) {
			if _, ok := sd.unsupportedFiles[file]; ok {
				continue
			}
			files[sd.dir] = append(files[sd.dir], file)
			raw, err := os.ReadFile(filepath.Join(testsDir, filepath.FromSlash(file)))
			if err != nil {
				t.Fatalf("read %s: %v", file, err)
			}
			var groups []suiteGroup
			if err := json.Unmarshal(raw, &groups); err != nil {
				t.Fatalf("decode %s: %v", file, err)
			}
			tl := &suiteTally{}
			tally[file] = tl
			for gi, g := range groups {
				gkey := file + "|" + g.Description
				groupReason, groupSkipped := skip(gkey)
				if !groupSkipped {
					groupReason, groupSkipped = skip(file)
				}
				// a group skipped for a reason the reference answers runs
				// every case against the reference's answer
				groupByRef := groupSkipped && answeredByReference[groupReason]
				fn := fmt.Sprintf("Suite%d_%d_%d", di, fi, gi)
				var prog *Program
				var compileErr error
				var resources map[string][]byte
				id := fmt.Sprintf("https://suite.hookcontract.test/%s/%s/%d.json", sd.dir, strings.TrimSuffix(file, ".json"), gi)
				if !groupSkipped || groupByRef {
					set := NewSet(WithDialect(sd.dialect))
					set.namespace = fn + ":" // groups compile shared remotes differently ($dynamicRef)
					resources = addRemotes(t, set, dir)
					resources[id] = g.Schema
					if compileErr = set.Add(id, g.Schema, file); compileErr == nil {
						prog, compileErr = set.Compile([]Root{{URI: id, FuncName: fn}})
					}
				}
				for _, c := range g.Tests {
					tl.total++
					key := gkey + "|" + c.Description
					reason, caseSkipped := skip(key)
					if (caseSkipped && answeredByReference[reason]) || (!caseSkipped && groupByRef) {
						if compileErr != nil {
							t.Errorf("%s %s: %v", sd.dir, key, compileErr)
							continue
						}
						ref, err := refCompileDraft(resources, id, sd.ref)
						if err != nil {
							t.Fatalf("%s %s: reference compile: %v", sd.dir, key, err)
						}
						want, err := refValid(ref, c.Data)
						if err != nil {
							t.Fatalf("%s %s: %v", sd.dir, key, err)
						}
						if caseSkipped && want == c.Valid {
							t.Errorf("%s %s: skipped because the reference disagrees with the suite, but it agrees", sd.dir, key)
						}
						cases = append(cases, harnessCase{fn: fn, data: c.Data})
						if want == c.Valid {
							refs = append(refs, caseRef{draft: sd.dir, file: file, key: key, valid: c.Valid})
						} else {
							tl.skipped++
							refs = append(refs, caseRef{draft: sd.dir, file: file, key: key, valid: want, reference: true})
						}
						continue
					}
					if caseSkipped || groupSkipped {
						tl.skipped++
						continue
					}
					if compileErr != nil {
						t.Errorf("%s %s: %v", sd.dir, key, compileErr)
						continue
					}
					cases = append(cases, harnessCase{fn: fn, data: c.Data})
					refs = append(refs, caseRef{draft: sd.dir, file: file, key: key, valid: c.Valid})
				}
				if prog != nil {
					programs = append(programs, prog)
				}
			}
		}
		for key := range sd.skips {
			if !usedSkip[sd.dir+"\x00"+key] {
				t.Errorf("%s: skip entry %q matches no case of the suite", sd.dir, key)
			}
		}
	}
	for key := range suiteSkips {
		if !usedSkips[key] {
			t.Errorf("skip entry %q matches no case of any draft of the suite", key)
		}
	}
	results := runProgram(t, Merge(programs...), cases)
	for i, r := range results {
		ref := refs[i]
		if r.Valid != ref.valid {
			t.Errorf("%s %s: want valid=%v, got %v %v", ref.draft, ref.key, ref.valid, r.Valid, r.Violations)
			continue
		}
		if !ref.reference {
			tallies[ref.draft][ref.file].passed++
		}
	}
	// How much of the suite the acceptors decide (runProgram holds them
	// to their validators' answers).
	withAcc, clean := 0, 0
	for _, r := range results {
		if r.HasFast {
			withAcc++
			if r.Tape {
				clean++
			}
		}
	}
	t.Logf("acceptors: %d of %d cases have one, %d of them without violations", withAcc, len(results), clean)
	if withAcc < len(results)*8/10 {
		t.Errorf("acceptors cover too little of the suite: %d of %d cases have one", withAcc, len(results))
	}
	var table strings.Builder
	table.WriteString("# JSON-Schema-Test-Suite\n\n")
	table.WriteString("Generated by `go test ./gen/schemagen -run TestSuite -update`: every case below was compiled\n")
	table.WriteString("into one generated Go program and run, each draft with its own rules (the schema's\n")
	table.WriteString("`$schema`, or the draft as the default dialect); passed counts cases whose accept/reject\n")
	table.WriteString("equals the suite's. Skipped cases that the reference validator (jsonschema/v5, configured\n")
	table.WriteString("for the same draft) answers are run against its answer.\n")
	for _, sd := range suiteDrafts {
		table.WriteString("\n")
		table.WriteString(suiteTable(sd, files[sd.dir], tallies[sd.dir]))
	}
	table.WriteString("\n## Cases every draft skips\n\n")
	table.WriteString("Each applies to every draft whose files hold the file, group or case named.\n\n")
	for _, k := range sortedKeys(suiteSkips) {
		fmt.Fprintf(&table, "- `%s`: %s\n", strings.ReplaceAll(k, "|", " / "), suiteSkips[k])
	}
	t.Log("\n" + table.String())
	path := "SUITE.md"
	if *update {
		if err := os.WriteFile(path, []byte(table.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(old, []byte(table.String())) {
		t.Errorf("SUITE.md is out of date; run go test ./gen/schemagen -run TestSuite -update")
	}
}

func suiteTable(sd suiteDraft, files []string, tally map[string]*suiteTally) string {
	var b strings.Builder
	fmt.Fprintf(&b, "## %s\n\n", sd.dialect)
	var mp, mt, ms, op, ot, os int
	for _, f := range files {
		tl := tally[f]
		if strings.Contains(f, "/") {
			op, ot, os = op+tl.passed, ot+tl.total, os+tl.skipped
		} else {
			mp, mt, ms = mp+tl.passed, mt+tl.total, ms+tl.skipped
		}
	}
	fmt.Fprintf(&b, "Keyword files: %d of %d cases passed, %d skipped. Optional files: %d of %d passed, %d skipped.\n\n", mp, mt, ms, op, ot, os)
	b.WriteString("| file | passed | total | skipped |\n|---|---:|---:|---:|\n")
	for _, f := range files {
		tl := tally[f]
		fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", f, tl.passed, tl.total, tl.skipped)
	}
	fmt.Fprintf(&b, "| **all** | %d | %d | %d |\n", mp+op, mt+ot, ms+os)
	if len(sd.unsupportedFiles) > 0 {
		fmt.Fprintf(&b, "\n### Files not run (%s)\n\n", sd.dialect)
		for _, f := range sortedKeys(sd.unsupportedFiles) {
			fmt.Fprintf(&b, "- %s: %s\n", f, sd.unsupportedFiles[f])
		}
	}
	fmt.Fprintf(&b, "\n### Skipped cases (%s)\n\n", sd.dialect)
	if len(sd.skips) == 0 {
		b.WriteString("Only the cases every draft skips (listed at the end).\n")
	} else {
		b.WriteString("Besides the cases every draft skips (listed at the end):\n\n")
	}
	for _, k := range sortedKeys(sd.skips) {
		fmt.Fprintf(&b, "- `%s`: %s\n", strings.ReplaceAll(k, "|", " / "), sd.skips[k])
	}
	return b.String()
}

// suiteSkips lists the cases not run, each with its reason. A key is
// "file|group description" (every case of the group) or
// "file|group description|case description". A key matching nothing fails
// the test.
var (
	suiteSkips2019 = map[string]string{
		"defs.json|validate definition against metaschema": reasonOldMetaschema,
		"ref.json|remote ref, containing refs itself":      reasonOldMetaschema,
	}
	suiteSkips7 = map[string]string{
		"definitions.json|validate definition against metaschema": reasonOldMetaschema,
		"ref.json|remote ref, containing refs itself":             reasonOldMetaschema,
	}
	suiteSkips4 = map[string]string{
		"definitions.json|validate definition against metaschema": reasonOldMetaschema,
		"ref.json|remote ref, containing refs itself":             reasonOldMetaschema,
		"optional/zeroTerminatedFloats.json":                      reasonReference,
	}
	// answeredByReference are the reasons for which a skipped case still
	// runs, against the reference validator's answer.
	answeredByReference = map[string]bool{reasonReference: true, reasonAssert: true, reasonNoFormat: true}
)

// suiteSkips applies to every draft; suiteDraft.skips adds a draft's own.
var suiteSkips = map[string]string{
	"defs.json|validate definition against metaschema":                                                               reasonMetaschema,
	"ref.json|remote ref, containing refs itself":                                                                    reasonMetaschema,
	"format.json|email format|invalid email string is only an annotation by default":                                 reasonAssert,
	"format.json|regex format|invalid regex string is only an annotation by default":                                 reasonAssert,
	"format.json|ipv4 format|invalid ipv4 string is only an annotation by default":                                   reasonAssert,
	"format.json|ipv6 format|invalid ipv6 string is only an annotation by default":                                   reasonAssert,
	"format.json|hostname format|invalid hostname string is only an annotation by default":                           reasonAssert,
	"format.json|date format|invalid date string is only an annotation by default":                                   reasonAssert,
	"format.json|date-time format|invalid date-time string is only an annotation by default":                         reasonAssert,
	"format.json|time format|invalid time string is only an annotation by default":                                   reasonAssert,
	"format.json|json-pointer format|invalid json-pointer string is only an annotation by default":                   reasonAssert,
	"format.json|relative-json-pointer format|invalid relative-json-pointer string is only an annotation by default": reasonAssert,
	"format.json|iri format|invalid iri string is only an annotation by default":                                     reasonAssert,
	"format.json|iri-reference format|invalid iri-reference string is only an annotation by default":                 reasonAssert,
	"format.json|uri format|invalid uri string is only an annotation by default":                                     reasonAssert,
	"format.json|uri-reference format|invalid uri-reference string is only an annotation by default":                 reasonAssert,
	"format.json|uri-template format|invalid uri-template string is only an annotation by default":                   reasonAssert,
	"format.json|uuid format|invalid uuid string is only an annotation by default":                                   reasonAssert,
	"format.json|duration format|invalid duration string is only an annotation by default":                           reasonAssert,
}

const (
	reasonMetaschema    = "needs the draft 2020-12 meta-schema, which uses $dynamicRef and $vocabulary (not supported)"
	reasonAssert        = "formats are asserted, as by the reference (jsonschema/v5 with AssertFormat); the suite expects annotation only by default (checked: this case runs against v5's answer)"
	reasonMeta          = "a custom meta-schema ($vocabulary): a $schema other than draft 2020-12 is a compile error here"
	reasonUnknown       = "keywords outside the supported set (other than x-*) are compile errors by design, never silently ignored"
	reasonRE2           = "the pattern is ECMA 262 only: Go's regexp (RE2, as used by the reference) rejects it, so it is a compile error here and in the reference"
	reasonOldMetaschema = "needs the draft's meta-schema, which the suite does not ship among its remotes (the reference has it built in)"
	reasonNoFormat      = "a format neither the reference (jsonschema/v5) nor the generated code asserts, so an invalid value is accepted (checked: every case of the file runs against v5's answer)"
	reasonReference     = "the reference validator (jsonschema/v5) disagrees with the suite and the generated validator agrees with the reference (checked: this case runs against v5's answer)"
)

func init() {
	for k, reason := range map[string]string{
		"vocabulary.json":                       reasonMeta,
		"optional/format-assertion.json":        reasonMeta,
		"optional/format/idn-hostname.json":     reasonNoFormat,
		"optional/format/idn-email.json":        reasonNoFormat,
		"optional/format/ecmascript-regex.json": "format regex is checked with Go's regexp (RE2), as by the reference, not as ECMA 262 (checked: every case of the file runs against v5's answer)",
		"optional/refOfUnknownKeyword.json":     reasonUnknown,
		"optional/unknownKeyword.json":          reasonUnknown,
		"optional/ecmascript-regex.json|ECMA 262 regex escapes control codes with \\c and upper letter": reasonRE2,
		"optional/ecmascript-regex.json|ECMA 262 regex escapes control codes with \\c and lower letter": reasonRE2,
	} {
		suiteSkips[k] = reason
	}
	for _, k := range []string{
		"optional/ecmascript-regex.json|ECMA 262 \\S matches everything but whitespace|EM SPACE does not match (Space_Separator)",
		"optional/ecmascript-regex.json|ECMA 262 \\S matches everything but whitespace|Line tabulation does not match",
		"optional/ecmascript-regex.json|ECMA 262 \\S matches everything but whitespace|latin-1 non-breaking-space does not match",
		"optional/ecmascript-regex.json|ECMA 262 \\S matches everything but whitespace|paragraph separator does not match (line terminator)",
		"optional/ecmascript-regex.json|ECMA 262 \\S matches everything but whitespace|zero-width whitespace does not match",
		"optional/ecmascript-regex.json|ECMA 262 \\s matches whitespace|EM SPACE matches (Space_Separator)",
		"optional/ecmascript-regex.json|ECMA 262 \\s matches whitespace|Line tabulation matches",
		"optional/ecmascript-regex.json|ECMA 262 \\s matches whitespace|latin-1 non-breaking-space matches",
		"optional/ecmascript-regex.json|ECMA 262 \\s matches whitespace|paragraph separator matches (line terminator)",
		"optional/ecmascript-regex.json|ECMA 262 \\s matches whitespace|zero-width whitespace matches",
	} {
		suiteSkips[k] = reasonReference
	}
	for _, k := range []string{
		"optional/format/hostname.json|validation of host names|trailing dot",
		"optional/format/ipv4.json|validation of IP addresses|plus sign is invalid",
		"optional/format/iri.json|validation of IRIs|an IPvFuture host with an uppercase version letter is valid",
		"optional/format/uri-reference.json|validation of URI References|unescaped non US-ASCII characters",
		"optional/format/uri-reference.json|validation of URI References|a double quote in a path",
		"optional/format/uri-reference.json|validation of URI References|square brackets outside an authority",
		"optional/format/uri-reference.json|validation of URI References|more than one at-sign in the authority",
	} {
		suiteSkips[k] = reasonReference
	}
	for _, c := range []string{"invalid Punycode", "contains illegal char U+302E Hangul single dot tone mark",
		"Begins with a Spacing Combining Mark", "Begins with a Nonspacing Mark", "Begins with an Enclosing Mark",
		"Exceptions that are DISALLOWED, right-to-left chars", "Exceptions that are DISALLOWED, left-to-right chars",
		"MIDDLE DOT with no preceding 'l'", "MIDDLE DOT with nothing preceding", "MIDDLE DOT with no following 'l'",
		"MIDDLE DOT with nothing following", "Greek KERAIA not followed by Greek", "Greek KERAIA not followed by anything",
		"Hebrew GERESH not preceded by Hebrew", "Hebrew GERESH not preceded by anything",
		"Hebrew GERSHAYIM not preceded by Hebrew", "Hebrew GERSHAYIM not preceded by anything",
		"KATAKANA MIDDLE DOT with no Hiragana, Katakana, or Han", "KATAKANA MIDDLE DOT with no other characters",
		"Arabic-Indic digits mixed with Extended Arabic-Indic digits", "ZERO WIDTH JOINER not preceded by Virama",
		"ZERO WIDTH JOINER not preceded by anything", `contains "--" in the 3rd and 4th position`} {
		suiteSkips["optional/format/hostname.json|validation of A-label (punycode) host names|"+c] = reasonReference
	}
	for _, c := range []string{"unescaped non US-ASCII characters", "invalid backslash character", `invalid " character`,
		"invalid <> characters", "invalid {} characters", "invalid ^ character", "invalid ` character",
		"invalid SPACE character", "invalid | character", "square brackets are not allowed in a path segment"} {
		suiteSkips["optional/format/uri.json|validation of URIs|"+c] = reasonReference
	}
}

// TestSuiteDifferential compares the generated validators with the
// reference validator, configured for the same draft, on the suite's
// schemas and on deterministic mutations of every case's data (dropped
// members and items, replaced values, damaged bytes): for every draft, the
// answers must be the same.
func TestSuiteDifferential(t *testing.T) {
	dir := suiteDir(t)
	if _, err := os.Stat(filepath.Join(dir, "tests", "draft2020-12")); err != nil {
		t.Skip("JSON-Schema-Test-Suite not found at ../shared/testdata/json-schema-test-suite beside the repository (set HOOKCONTRACT_JSON_SCHEMA_SUITE)")
	}
	type input struct {
		draft, key, what string
		want             bool
	}
	var (
		programs []*Program
		cases    []harnessCase
		inputs   []input
		excluded []string
	)
	for di, sd := range suiteDrafts {
		testsDir := filepath.Join(dir, "tests", sd.dir)
		for fi, file := range suiteFiles(t, testsDir) {
			if strings.Contains(file, "/") {
				continue // optional files: formats and regex dialects, where the skips above apply
			}
			raw, err := os.ReadFile(filepath.Join(testsDir, file))
			if err != nil {
				t.Fatal(err)
			}
			var groups []suiteGroup
			if err := json.Unmarshal(raw, &groups); err != nil {
				t.Fatal(err)
			}
			for gi, g := range groups {
				gkey := file + "|" + g.Description
				_, s1 := sd.skips[gkey]
				_, s2 := suiteSkips[gkey]
				_, s3 := suiteSkips[file]
				if s1 || s2 || s3 {
					continue
				}
				fn := fmt.Sprintf("Diff%d_%d_%d", di, fi, gi)
				id := fmt.Sprintf("https://suite.hookcontract.test/%s/%s/%d.json", sd.dir, strings.TrimSuffix(file, ".json"), gi)
				set := NewSet(WithDialect(sd.dialect))
				set.namespace = fn + ":"
				resources := addRemotes(t, set, dir)
				resources[id] = g.Schema
				if err := set.Add(id, g.Schema, file); err != nil {
					t.Fatalf("%s %s: %v", sd.dir, gkey, err)
				}
				prog, err := set.Compile([]Root{{URI: id, FuncName: fn}})
				if err != nil {
					t.Fatalf("%s %s: %v", sd.dir, gkey, err)
				}
				ref, err := refCompileDraft(resources, id, sd.ref)
				if err != nil {
					t.Fatalf("%s %s: reference compile: %v", sd.dir, gkey, err)
				}
				// where the reference and the suite disagree on the group's own
				// cases, the generated code follows the suite: no comparison
				wrong := false
				for _, c := range g.Tests {
					if want, err := refValid(ref, c.Data); err != nil || want != c.Valid {
						wrong = true
					}
				}
				if wrong {
					excluded = append(excluded, sd.dir+" "+gkey)
					continue
				}
				programs = append(programs, prog)
				for _, c := range g.Tests {
					for _, m := range mutations(gkey+"|"+c.Description, c.Data) {
						want, err := refValid(ref, m.data)
						if err != nil {
							continue // the reference panicked: nothing to compare
						}
						cases = append(cases, harnessCase{fn: fn, data: m.data})
						inputs = append(inputs, input{draft: sd.dir, key: gkey + "|" + c.Description, what: m.what, want: want})
					}
				}
			}
		}
	}
	results := runProgram(t, Merge(programs...), cases)
	disagree := map[string]int{}
	for i, r := range results {
		if r.Valid != inputs[i].want {
			disagree[inputs[i].draft]++
			if disagree[inputs[i].draft] <= 10 {
				t.Errorf("%s %s (%s): reference valid=%v, generated valid=%v %v\n  input: %s",
					inputs[i].draft, inputs[i].key, inputs[i].what, inputs[i].want, r.Valid, r.Violations, clip(cases[i].data))
			}
		}
	}
	t.Logf("suite differential: %d inputs compared, disagreements by draft: %v; groups not compared (the reference disagrees with the suite on their own cases): %s",
		len(results), disagree, strings.Join(excluded, "; "))
}
