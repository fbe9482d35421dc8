package schemagen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	jsonschema "github.com/santhosh-tekuri/jsonschema/v5"
	"gopkg.in/yaml.v3"

	"github.com/hookcontract/hookcontract/internal/expect"
)

// A corpus is what the differential test runs: the schemas of spec
// directories laid out as specs/LAYOUT.md says, one validator per webhook
// form, and the fixtures paired with them.
type corpus struct {
	schemas    map[string][]byte // by $id
	sources    map[string]string // $id -> source name
	validators []corpusValidator
	fixtures   []corpusFixture
}

type corpusValidator struct {
	name string // Go function name
	uri  string // root URI
}

type corpusFixture struct {
	name       string   // source name of the fixture
	data       []byte   // payload
	validators []string // validators to run it through
}

// loadCorpus reads every provider directory under dir (name is how dir
// appears in messages, e.g. "specs").
func loadCorpus(t testing.TB, dir, name string, c *corpus) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		provider := e.Name()
		pdir := filepath.Join(dir, provider)
		docBytes, err := os.ReadFile(filepath.Join(pdir, "openapi.yaml"))
		if err != nil {
			continue
		}
		loadProvider(t, pdir, name+"/"+provider, provider, docBytes, c)
	}
}

func loadProvider(t testing.TB, pdir, pname, provider string, docBytes []byte, c *corpus) {
	var doc map[string]any
	if err := yaml.Unmarshal(docBytes, &doc); err != nil {
		t.Fatalf("%s/openapi.yaml: %v", pname, err)
	}
	// schemas/*.json by file name -> $id
	ids := map[string]string{}
	files, _ := filepath.Glob(filepath.Join(pdir, "schemas", "*.json"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var head struct {
			ID string `json:"$id"`
		}
		if err := json.Unmarshal(data, &head); err != nil || head.ID == "" {
			t.Fatalf("%s/schemas/%s: no $id (%v)", pname, filepath.Base(f), err)
		}
		ids[filepath.Base(f)] = head.ID
		c.schemas[head.ID] = data
		c.sources[head.ID] = pname + "/schemas/" + filepath.Base(f)
	}
	rootOf := func(ref string) (string, bool) {
		file, frag, _ := strings.Cut(strings.TrimPrefix(ref, "schemas/"), "#")
		id, ok := ids[file]
		if !ok {
			return "", false
		}
		if frag != "" {
			return id + "#" + frag, true
		}
		return id, true
	}
	forms := map[string]string{} // event|form -> validator name
	add := func(event, form, ref string) {
		uri, ok := rootOf(ref)
		if !ok {
			t.Errorf("%s: %s %s: schema %q not found", pname, event, form, ref)
			return
		}
		fn := goName("Diff_" + provider + "_" + event + "_" + form)
		forms[event+"|"+form] = fn
		c.validators = append(c.validators, corpusValidator{name: fn, uri: uri})
	}
	bodyRef := func(op map[string]any) string {
		rb, _ := op["requestBody"].(map[string]any)
		content, _ := rb["content"].(map[string]any)
		aj, _ := content["application/json"].(map[string]any)
		sch, _ := aj["schema"].(map[string]any)
		ref, _ := sch["$ref"].(string)
		return ref
	}
	webhooks, _ := doc["webhooks"].(map[string]any)
	for _, event := range sortedKeys(webhooks) {
		item, _ := webhooks[event].(map[string]any)
		op, _ := item["post"].(map[string]any)
		if ref := bodyRef(op); ref != "" {
			add(event, "envelope", ref)
		}
		if bare, ok := op["x-hookcontract-bare"].(string); ok {
			add(event, "bare", bare)
		}
	}
	paths, _ := doc["paths"].(map[string]any)
	for _, p := range sortedKeys(paths) {
		item, _ := paths[p].(map[string]any)
		for _, method := range sortedKeys(item) {
			op, ok := item[method].(map[string]any)
			if !ok {
				continue
			}
			id, _ := op["operationId"].(string)
			if ref := bodyRef(op); ref != "" && id != "" && strings.HasPrefix(ref, "schemas/") {
				add(id, "request", ref)
			}
		}
	}
	var envelopes []string
	for k, v := range forms {
		if strings.HasSuffix(k, "|envelope") {
			envelopes = append(envelopes, v)
		}
	}
	sort.Strings(envelopes)
	// fixtures
	fixBytes, err := os.ReadFile(filepath.Join(pdir, "examples", "fixtures.yaml"))
	if err != nil {
		return
	}
	var fixtures struct {
		Valid   []map[string]any `yaml:"valid"`
		Invalid []map[string]any `yaml:"invalid"`
		Drift   []map[string]any `yaml:"drift"`
	}
	if err := yaml.Unmarshal(fixBytes, &fixtures); err != nil {
		t.Fatalf("%s/examples/fixtures.yaml: %v", pname, err)
	}
	for _, f := range slices.Concat(fixtures.Valid, fixtures.Invalid, fixtures.Drift) {
		file, _ := f["file"].(string)
		event, _ := f["event"].(string)
		form, _ := f["form"].(string)
		if form == "" {
			form = "envelope"
		}
		data, err := os.ReadFile(filepath.Join(pdir, "examples", filepath.FromSlash(file)))
		if err != nil {
			t.Errorf("%s/examples/%s: %v", pname, file, err)
			continue
		}
		var vs []string
		if v, ok := forms[event+"|"+form]; ok {
			vs = []string{v}
		} else if event == "" && form == "envelope" {
			vs = envelopes
		}
		if len(vs) == 0 {
			continue
		}
		c.fixtures = append(c.fixtures, corpusFixture{name: pname + "/examples/" + file, data: data, validators: vs})
	}
}

func goName(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

func TestDifferential(t *testing.T) {
	c := &corpus{schemas: map[string][]byte{}, sources: map[string]string{}}
	root := repoRoot(t)
	loadCorpus(t, filepath.Join(root, "specs"), "specs", c)
	loadCorpus(t, filepath.Join("testdata", "specs"), "gen/schemagen/testdata/specs", c)
	if len(c.fixtures) == 0 {
		t.Fatal("no fixtures found")
	}
	set := NewSet()
	for _, id := range sortedKeys(c.schemas) {
		if err := set.Add(id, c.schemas[id], c.sources[id]); err != nil {
			t.Fatal(err)
		}
	}
	var roots []Root
	refs := map[string]*jsonschema.Schema{}
	for _, v := range c.validators {
		roots = append(roots, Root{URI: v.uri, FuncName: v.name})
		s, err := refCompile(c.schemas, v.uri)
		if err != nil {
			t.Fatalf("reference compile %s: %v", v.uri, err)
		}
		refs[v.name] = s
	}
	prog, err := set.Compile(roots)
	if err != nil {
		t.Fatal(err)
	}
	plans := map[string]*expect.Plan{}
	for name, s := range refs {
		plans[name] = expect.NewPlan(nil, s)
	}
	type input struct {
		fixture, what string
		fn            string
		want          bool
		drift         []string // the expectations the reference finds broken, when valid
	}
	var (
		cases  []harnessCase
		inputs []input
	)
	for _, f := range c.fixtures {
		for _, m := range mutations(f.name, f.data) {
			for _, fn := range f.validators {
				want, err := refValid(refs[fn], m.data)
				if err != nil {
					continue // the reference cannot answer (it panicked): nothing to compare
				}
				var drift []string
				if want {
					v, _ := refDecode(m.data)
					drift = ReferenceDrift(refs[fn], plans[fn], v)
				}
				cases = append(cases, harnessCase{fn: fn, data: m.data})
				inputs = append(inputs, input{fixture: f.name, what: m.what, fn: fn, want: want, drift: drift})
			}
		}
	}
	results := runProgramVet(t, prog, cases, true)
	disagree, accepted, drifted := 0, 0, 0
	guaranteesOnly := 0 // drifting inputs an acceptor of guarantees alone accepted
	for i, r := range results {
		if r.Valid {
			accepted++
		}
		if r.HasFast && !r.Tape && r.TapeGuarantees && r.Guarantees {
			guaranteesOnly++
		}
		if r.Valid && inputs[i].want {
			var got []string
			for _, v := range r.Violations {
				if v.Grade == "expected" {
					got = append(got, DriftKey(v.Pointer, v.Keyword))
				}
			}
			slices.Sort(got)
			got = slices.Compact(got)
			if len(got) > 0 {
				drifted++
			}
			if !slices.Equal(got, inputs[i].drift) {
				disagree++
				if disagree <= 20 {
					t.Errorf("%s (%s) with %s: reference drift %q, generated drift %q\n  input: %s",
						inputs[i].fixture, inputs[i].what, inputs[i].fn, inputs[i].drift, got, clip(cases[i].data))
				}
			}
		}
		if r.Valid != inputs[i].want {
			disagree++
			if disagree <= 20 {
				t.Errorf("%s (%s) with %s: reference valid=%v, generated valid=%v %v\n  input: %s",
					inputs[i].fixture, inputs[i].what, inputs[i].fn, inputs[i].want, r.Valid, r.Violations, clip(cases[i].data))
			}
		}
	}
	t.Logf("differential: %d fixtures, %d validators, %d inputs compared (%d accepted, %d of them drifting, %d rejected), %d disagreements; %d drifting inputs accepted by an acceptor of guarantees alone",
		len(c.fixtures), len(c.validators), len(results), accepted, drifted, len(results)-accepted, disagree, guaranteesOnly)
	if guaranteesOnly == 0 {
		t.Error("no drifting input was decided by an acceptor of guarantees alone: the corpus does not test them")
	}
}

func clip(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "..."
	}
	return string(b)
}

// --- mutations -------------------------------------------------------------

// jv is an ordered JSON value: members keep their order, numbers their text.
type jv struct {
	kind  byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	s     string
	b     bool
	keys  []string
	items []*jv
}

func parseJV(data []byte) (*jv, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := readJV(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data")
	}
	return v, nil
}

func readJV(dec *json.Decoder) (*jv, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch x := tok.(type) {
	case json.Delim:
		if x == '{' {
			v := &jv{kind: 'o'}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				item, err := readJV(dec)
				if err != nil {
					return nil, err
				}
				v.keys = append(v.keys, k.(string))
				v.items = append(v.items, item)
			}
			_, err := dec.Token()
			return v, err
		}
		v := &jv{kind: 'a'}
		for dec.More() {
			item, err := readJV(dec)
			if err != nil {
				return nil, err
			}
			v.items = append(v.items, item)
		}
		_, err := dec.Token()
		return v, err
	case string:
		return &jv{kind: 's', s: x}, nil
	case json.Number:
		return &jv{kind: 'n', s: x.String()}, nil
	case bool:
		return &jv{kind: 'b', b: x}, nil
	}
	return &jv{kind: 'z'}, nil
}

func (v *jv) clone() *jv {
	c := *v
	c.keys = append([]string(nil), v.keys...)
	c.items = make([]*jv, len(v.items))
	for i, it := range v.items {
		c.items[i] = it.clone()
	}
	return &c
}

func (v *jv) write(b *bytes.Buffer) {
	switch v.kind {
	case 'o':
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			q, _ := json.Marshal(k)
			b.Write(q)
			b.WriteByte(':')
			v.items[i].write(b)
		}
		b.WriteByte('}')
	case 'a':
		b.WriteByte('[')
		for i, it := range v.items {
			if i > 0 {
				b.WriteByte(',')
			}
			it.write(b)
		}
		b.WriteByte(']')
	case 's':
		q, _ := json.Marshal(v.s)
		b.Write(q)
	case 'n':
		b.WriteString(v.s)
	case 'b':
		b.WriteString(strconv.FormatBool(v.b))
	default:
		b.WriteString("null")
	}
}

func (v *jv) bytes() []byte {
	var b bytes.Buffer
	v.write(&b)
	return b.Bytes()
}

// paths lists every value position as a list of member/element indexes.
func (v *jv) paths(prefix []int, out *[][]int) {
	*out = append(*out, append([]int(nil), prefix...))
	for i, it := range v.items {
		it.paths(append(prefix, i), out)
	}
}

func (v *jv) at(path []int) (parent *jv, index int, node *jv) {
	node = v
	index = -1
	for _, i := range path {
		parent, index = node, i
		node = node.items[i]
	}
	return parent, index, node
}

type mutation struct {
	what string
	data []byte
}

var replacements = []string{
	`null`, `true`, `false`, `0`, `-1`, `1.5`, `1.0`, `1e2`, `-0`, `0.1`, `1E+2`,
	`9007199254740993`, `40526000000002040`, `123456789012345678901234567890`, `1e400`, `-1e-400`,
	`""`, `"x"`, `"zzz-not-in-enum"`, `"2020-13-01"`, `"2021-02-28T12:00:00Z"`, `"not an email"`, `"a@example.com"`,
	`"https://example.com/x"`, `"\u00e9\ud83d\ude00"`, `"12345"`, `"true"`, `"null"`, `"00000000-0000-0000-0000-000000000000"`,
	`[]`, `[1,1]`, `["a","a"]`, `{}`, `{"a":1}`, `[null]`,
}

// mutations returns the fixture and deterministic variations of it.
func mutations(name string, data []byte) []mutation {
	out := []mutation{{"as is", data}}
	h := fnv.New64a()
	h.Write([]byte(name))
	rng := rand.New(rand.NewSource(int64(h.Sum64())))
	// truncations and byte damage (not JSON, or other JSON)
	for _, n := range []int{0, 1, len(data) / 3, len(data) / 2, len(data) - 1} {
		if n >= 0 && n < len(data) {
			out = append(out, mutation{fmt.Sprintf("truncated to %d bytes", n), data[:n]})
		}
	}
	out = append(out,
		mutation{"trailing garbage", append(append([]byte(nil), data...), []byte(" x")...)},
		mutation{"trailing value", append(append([]byte(nil), data...), []byte(" {}")...)},
		mutation{"leading BOM", append([]byte("\xef\xbb\xbf"), data...)},
		mutation{"invalid UTF-8 appended in a string", []byte(`"` + "\xff" + `"`)},
	)
	root, err := parseJV(data)
	if err != nil {
		return out
	}
	var paths [][]int
	root.paths(nil, &paths)
	for _, p := range paths {
		_, _, node := root.at(p)
		// drop the member or element
		if len(p) > 0 {
			c := root.clone()
			parent, i, _ := c.at(p)
			if parent.kind == 'o' {
				parent.keys = append(parent.keys[:i], parent.keys[i+1:]...)
			}
			parent.items = append(parent.items[:i], parent.items[i+1:]...)
			out = append(out, mutation{fmt.Sprintf("drop %v", p), c.bytes()})
		}
		// replace the value: every replacement for scalars, a few for containers
		reps := replacements
		if node.kind == 'o' || node.kind == 'a' {
			reps = []string{`null`, `"x"`, `[]`, `{}`, `1`}
		}
		for _, r := range reps {
			c := root.clone()
			parent, i, _ := c.at(p)
			nv, _ := parseJV([]byte(r))
			if parent == nil {
				c = nv
			} else {
				parent.items[i] = nv
			}
			out = append(out, mutation{fmt.Sprintf("replace %v with %s", p, r), c.bytes()})
		}
		switch node.kind {
		case 's':
			for _, f := range []func(string) string{
				func(s string) string { return s + "x" },
				func(s string) string { return strings.ToUpper(s) },
				func(s string) string {
					if s == "" {
						return s
					}
					return s[:len(s)-1]
				},
				func(s string) string { return strings.Repeat(s, 40) },
				func(s string) string { return " " + s },
			} {
				c := root.clone()
				_, _, n := c.at(p)
				n.s = f(n.s)
				out = append(out, mutation{fmt.Sprintf("edit string %v", p), c.bytes()})
			}
		case 'n':
			for _, f := range []func(string) string{
				func(s string) string { return s + ".5" },
				func(s string) string { return s + ".0" },
				func(s string) string { return s + "e1" },
				func(s string) string { return "-" + strings.TrimPrefix(s, "-") },
				func(s string) string { return s + "000000000000000000000" },
			} {
				c := root.clone()
				_, _, n := c.at(p)
				n.s = f(n.s)
				if _, err := parseJV([]byte(n.s)); err == nil {
					out = append(out, mutation{fmt.Sprintf("edit number %v", p), c.bytes()})
				}
			}
		case 'o':
			c := root.clone()
			_, _, n := c.at(p)
			n.keys = append(n.keys, "unknownMember")
			n.items = append(n.items, &jv{kind: 's', s: "x"})
			out = append(out, mutation{fmt.Sprintf("add member at %v", p), c.bytes()})
		case 'a':
			if len(node.items) > 0 {
				c := root.clone()
				_, _, n := c.at(p)
				n.items = append(n.items, n.items[0].clone())
				out = append(out, mutation{fmt.Sprintf("repeat element at %v", p), c.bytes()})
				c = root.clone()
				_, _, n = c.at(p)
				n.items = nil
				out = append(out, mutation{fmt.Sprintf("empty array at %v", p), c.bytes()})
			}
		}
	}
	// a few random combinations of two edits
	for k := 0; k < 40 && len(paths) > 1; k++ {
		c := root.clone()
		for e := 0; e < 2; e++ {
			var cp [][]int
			c.paths(nil, &cp)
			p := cp[rng.Intn(len(cp))]
			parent, i, _ := c.at(p)
			if parent == nil {
				continue
			}
			nv, _ := parseJV([]byte(replacements[rng.Intn(len(replacements))]))
			parent.items[i] = nv
		}
		out = append(out, mutation{fmt.Sprintf("random pair %d", k), c.bytes()})
	}
	// whitespace and escaped keys: the same value written differently
	var pretty bytes.Buffer
	if json.Indent(&pretty, root.bytes(), "", "  ") == nil {
		out = append(out, mutation{"indented", pretty.Bytes()})
	}
	esc := bytes.ReplaceAll(root.bytes(), []byte(`"e`), []byte(`"\u0065`))
	out = append(out, mutation{"escaped e", esc})
	return out
}
