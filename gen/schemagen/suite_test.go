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

// Files of the draft 2020-12 suite, by support.
var (
	suiteFiles = []string{
		"additionalProperties.json", "allOf.json", "anchor.json", "anyOf.json", "boolean_schema.json",
		"const.json", "contains.json", "content.json", "default.json", "defs.json",
		"dependentRequired.json", "dependentSchemas.json", "enum.json", "exclusiveMaximum.json",
		"exclusiveMinimum.json", "format.json", "if-then-else.json", "infinite-loop-detection.json",
		"items.json", "maxContains.json", "maxItems.json", "maxLength.json", "maxProperties.json",
		"maximum.json", "minContains.json", "minItems.json", "minLength.json", "minProperties.json",
		"minimum.json", "multipleOf.json", "not.json", "oneOf.json", "pattern.json",
		"patternProperties.json", "prefixItems.json", "properties.json", "propertyNames.json",
		"ref.json", "refRemote.json", "required.json", "type.json", "uniqueItems.json",
		"unevaluatedItems.json", "unevaluatedProperties.json", "dynamicRef.json",
		"vocabulary.json",
		"optional/bignum.json", "optional/float-overflow.json", "optional/non-bmp-regex.json",
		"optional/anchor.json", "optional/id.json", "optional/no-schema.json", "optional/dynamicRef.json",
		"optional/refOfUnknownKeyword.json", "optional/unknownKeyword.json", "optional/ecmascript-regex.json",
		"optional/format-assertion.json", "optional/cross-draft.json", "optional/dependencies-compatibility.json",
		"optional/format/date-time.json", "optional/format/date.json", "optional/format/time.json",
		"optional/format/duration.json", "optional/format/email.json", "optional/format/hostname.json",
		"optional/format/ipv4.json", "optional/format/ipv6.json", "optional/format/uri.json",
		"optional/format/uri-reference.json", "optional/format/iri.json", "optional/format/iri-reference.json",
		"optional/format/uri-template.json", "optional/format/uuid.json", "optional/format/regex.json",
		"optional/format/json-pointer.json", "optional/format/relative-json-pointer.json",
		"optional/format/unknown.json",
	}
	// unsupportedFiles are listed in SUITE.md with the reason they are not run.
	unsupportedFiles = map[string]string{}
)

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
	testsDir := filepath.Join(dir, "tests", "draft2020-12")
	if _, err := os.Stat(testsDir); err != nil {
		t.Skip("JSON-Schema-Test-Suite not found at ../shared/testdata/json-schema-test-suite beside the repository (set HOOKCONTRACT_JSON_SCHEMA_SUITE to the suite's root, the directory holding tests/ and remotes/)")
	}
	type caseRef struct {
		file, key string
		valid     bool
		reference bool // the expected answer is the reference validator's
	}
	var (
		programs []*Program
		cases    []harnessCase
		refs     []caseRef
		tally    = map[string]*suiteTally{}
		usedSkip = map[string]bool{}
	)
	for fi, file := range suiteFiles {
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
			groupSkip, groupSkipped := suiteSkips[gkey]
			if groupSkipped {
				usedSkip[gkey] = true
			} else if reason, ok := suiteSkips[file]; ok {
				usedSkip[file] = true
				groupSkip, groupSkipped = reason, true
			}
			fn := fmt.Sprintf("Suite%d_%d", fi, gi)
			var prog *Program
			var compileErr error
			var resources map[string][]byte
			id := fmt.Sprintf("https://suite.hookcontract.test/%s/%d.json", strings.TrimSuffix(file, ".json"), gi)
			if !groupSkipped {
				set := NewSet()
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
				if reason, ok := suiteSkips[key]; ok {
					usedSkip[key] = true
					tl.skipped++
					if (reason != reasonReference && reason != reasonAssert) || compileErr != nil {
						continue
					}
					ref, err := refCompile(resources, id)
					if err != nil {
						t.Fatalf("%s: reference compile: %v", key, err)
					}
					want, err := refValid(ref, c.Data)
					if err != nil {
						t.Fatalf("%s: %v", key, err)
					}
					if want == c.Valid {
						t.Errorf("%s: skipped because the reference disagrees with the suite, but it agrees", key)
					}
					cases = append(cases, harnessCase{fn: fn, data: c.Data})
					refs = append(refs, caseRef{file: file, key: key, valid: want, reference: true})
					continue
				}
				if groupSkipped {
					tl.skipped++
					_ = groupSkip
					continue
				}
				if compileErr != nil {
					t.Errorf("%s: %v", key, compileErr)
					continue
				}
				cases = append(cases, harnessCase{fn: fn, data: c.Data})
				refs = append(refs, caseRef{file: file, key: key, valid: c.Valid})
			}
			if prog != nil {
				programs = append(programs, prog)
			}
		}
	}
	for key := range suiteSkips {
		if !usedSkip[key] {
			t.Errorf("skip entry %q matches no case of the suite", key)
		}
	}
	results := runProgram(t, Merge(programs...), cases)
	for i, r := range results {
		ref := refs[i]
		if r.Valid != ref.valid {
			t.Errorf("%s: want valid=%v, got %v %v", ref.key, ref.valid, r.Valid, r.Violations)
			continue
		}
		if !ref.reference {
			tally[ref.file].passed++
		}
	}
	table := suiteTable(tally)
	t.Log("\n" + table)
	path := "SUITE.md"
	if *update {
		if err := os.WriteFile(path, []byte(table), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	old, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(old, []byte(table)) {
		t.Errorf("SUITE.md is out of date; run go test ./gen/schemagen -run TestSuite -update")
	}
}

func suiteTable(tally map[string]*suiteTally) string {
	var b strings.Builder
	b.WriteString("# JSON-Schema-Test-Suite, draft 2020-12\n\n")
	b.WriteString("Generated by `go test ./gen/schemagen -run TestSuite -update`: every case below was compiled\n")
	b.WriteString("into one generated Go program and run; passed counts cases whose accept/reject equals the suite's.\n\n")
	b.WriteString("| file | passed | total | skipped |\n|---|---:|---:|---:|\n")
	var tp, tt, ts int
	for _, f := range suiteFiles {
		tl := tally[f]
		fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", f, tl.passed, tl.total, tl.skipped)
		tp, tt, ts = tp+tl.passed, tt+tl.total, ts+tl.skipped
	}
	fmt.Fprintf(&b, "| **all** | %d | %d | %d |\n", tp, tt, ts)
	if len(unsupportedFiles) > 0 {
		b.WriteString("\n## Files not run\n\n")
		for _, f := range sortedKeys(unsupportedFiles) {
			fmt.Fprintf(&b, "- %s: %s\n", f, unsupportedFiles[f])
		}
	}
	b.WriteString("\n## Skipped cases\n\n")
	keys := sortedKeys(suiteSkips)
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "- `%s`: %s\n", strings.ReplaceAll(k, "|", " / "), suiteSkips[k])
	}
	return b.String()
}

// suiteSkips lists the cases not run, each with its reason. A key is
// "file|group description" (every case of the group) or
// "file|group description|case description". A key matching nothing fails
// the test.
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
	reasonMetaschema = "needs the draft 2020-12 meta-schema, which uses $dynamicRef and $vocabulary (not supported)"
	reasonAssert     = "formats are asserted, as by the reference (jsonschema/v5 with AssertFormat); the suite expects annotation only by default (checked: this case runs against v5's answer)"
	reasonMeta       = "a custom meta-schema ($vocabulary): a $schema other than draft 2020-12 is a compile error here"
	reasonUnknown    = "keywords outside the supported set (other than x-*) are compile errors by design, never silently ignored"
	reasonRE2        = "the pattern is ECMA 262 only: Go's regexp (RE2, as used by the reference) rejects it, so it is a compile error here and in the reference"
	reasonReference  = "the reference validator (jsonschema/v5) disagrees with the suite and the generated validator agrees with the reference (checked: this case runs against v5's answer)"
)

func init() {
	for k, reason := range map[string]string{
		"vocabulary.json":                          reasonMeta,
		"optional/format-assertion.json":           reasonMeta,
		"optional/dependencies-compatibility.json": "dependencies (draft 7) is not a draft 2020-12 keyword: a compile error here",
		"optional/refOfUnknownKeyword.json":        reasonUnknown,
		"optional/cross-draft.json|refs to historic drafts are processed as historic drafts": "the referenced schema is draft 2019-09: a $schema other than draft 2020-12 is a compile error here",
		"optional/unknownKeyword.json": reasonUnknown,
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
	for _, c := range []string{"an empty expression is invalid", "an empty varspec inside the variable list is invalid",
		"fragment expansion operator", "path segment expansion operator", "form style query expansion operator",
		"a double dot in a variable name is invalid", "a four-digit prefix max-length is valid", "a space in a literal is invalid",
		"a trailing comma in the variable list is invalid", "a default value in a varspec is invalid",
		"an operator in place of the first varspec is invalid"} {
		suiteSkips["optional/format/uri-template.json|format: uri-template|"+c] = reasonReference
	}
}
