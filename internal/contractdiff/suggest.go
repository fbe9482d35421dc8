package contractdiff

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/pmezard/go-difflib/difflib"
	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// Suggestion kinds.
const (
	SuggestProperty    = "new-property"             // a member payloads carry that the contract does not know
	SuggestEnumValue   = "new-enum-value"           // a value payloads carry that an enum excludes
	SuggestExpectation = "expectation-contradicted" // an expectation real data breaks
)

// Suggestion is one proposed contract change and the payloads that
// motivate it.
type Suggestion struct {
	Kind     string   `json:"kind"`
	Provider string   `json:"provider"`
	Event    string   `json:"event"`
	Pointer  string   `json:"pointer"` // in the payload; "*" for every item of an array
	File     string   `json:"file"`    // the schema file to change
	At       string   `json:"at"`      // JSON pointer of the change in the file
	Message  string   `json:"message"`
	Loosens  bool     `json:"loosens_guarantee"` // it admits payloads the guarantees reject
	Payloads []string `json:"payloads"`          // the payloads that motivate it
	Count    int      `json:"count"`

	name   string          // SuggestProperty: the member; SuggestExpectation: the keyword
	types  map[string]bool // SuggestProperty: JSON types seen
	values []any           // SuggestEnumValue
	seen   map[string]bool // payload locations
}

// Suggestions is a suggest run's outcome.
type Suggestions struct {
	Payloads    int           `json:"payloads"`
	Suggestions []*Suggestion `json:"suggestions"`
	Errors      []error       `json:"-"`
	// Files holds each changed schema file: old and new contents, by the
	// path inside the spec directory.
	Files map[string][2][]byte `json:"-"`
}

// maxMotivating bounds the payloads a suggestion lists by name.
const maxMotivating = 5

// Suggest checks the payloads under paths and proposes the contract
// changes their drift and failures call for: properties the contract does
// not know (with the types seen), enum values it excludes, and
// expectations the data contradicts. No guarantee is loosened without a
// suggestion that says so and names its payloads.
func Suggest(c Contract, suite *contracttest.Suite, paths []string, stdin io.Reader) *Suggestions {
	payloads, errs := readPayloads(paths, stdin)
	rep := suite.CheckPayloads(payloads, contracttest.Options{})
	out := &Suggestions{Payloads: len(payloads), Errors: errs, Files: map[string][2][]byte{}}
	sc, ok := c.(*specContract)
	if !ok {
		out.Errors = append(out.Errors, errors.New("suggest needs a contract read from schema files"))
		return out
	}
	byKey := map[string]*Suggestion{}
	get := func(kind, provider, event, ptr, name string, owner *jsonschema.Schema, at string) *Suggestion {
		file, frag := sc.fileOf(provider, owner)
		k := kind + "\x00" + file + "\x00" + frag + "\x00" + at + "\x00" + name
		s := byKey[k]
		if s == nil {
			s = &Suggestion{Kind: kind, Provider: provider, Event: event, Pointer: ptr, File: file, At: frag + at, name: name, types: map[string]bool{}, seen: map[string]bool{}}
			byKey[k] = s
		}
		return s
	}
	for i := range rep.Results {
		r := &rep.Results[i]
		if r.Provider == "" || r.Event == "" {
			continue
		}
		root, err := c.EventSchema(r.Provider, r.Event)
		if err != nil {
			continue
		}
		var v any
		dec := json.NewDecoder(bytes.NewReader(payloads[i].Data))
		dec.UseNumber()
		if dec.Decode(&v) != nil {
			continue
		}
		loc := r.Location()
		unknown := func(u string, closed bool) {
			toks := jsonpointer.Tokens(u)
			if len(toks) == 0 {
				return
			}
			parent, wild := schemaAt(flatten(root, guaranteed), toks[:len(toks)-1])
			owner := propertiesOwner(parent)
			if owner == nil {
				return
			}
			name := toks[len(toks)-1]
			s := get(SuggestProperty, r.Provider, r.Event, wild+"/"+jsonpointer.Escape(name), name, owner, "/properties/"+jsonpointer.Escape(name))
			s.Loosens = s.Loosens || closed
			s.types[jsonType(lookupValue(v, toks))] = true
			s.motivate(loc)
		}
		for _, u := range r.Unknown {
			unknown(u, false)
		}
		for _, viol := range r.Violations {
			if viol.Keyword == "additionalProperties" {
				// A member a closed schema excludes: declaring it admits
				// what a guarantee rejects.
				unknown(viol.Pointer, true)
				continue
			}
			if viol.Keyword != "enum" && viol.Keyword != "const" {
				continue
			}
			toks := jsonpointer.Tokens(viol.Pointer)
			at, wild := schemaAt(flatten(root, guaranteed), toks)
			owner := enumOwner(at)
			if owner == nil || isSecret(at) {
				continue // a secret's value is never shown, not even as a suggestion
			}
			val := lookupValue(v, toks)
			s := get(SuggestEnumValue, r.Provider, r.Event, wild, "", owner, "/enum")
			s.Loosens = true
			if !slices.ContainsFunc(s.values, func(x any) bool { return canonical(x) == canonical(val) }) {
				s.values = append(s.values, val)
			}
			s.motivate(loc)
		}
		// Expectations are checked here, value by value, against real
		// data: one that a payload breaks is a suggestion to drop it.
		walkExpectations(flatten(root, guaranteed), v, "", map[string]bool{}, func(ptr string, owner *jsonschema.Schema, kw string) {
			s := get(SuggestExpectation, r.Provider, r.Event, ptr, kw, owner, "/"+ExpectKeyword+"/"+jsonpointer.Escape(kw))
			s.motivate(loc)
		})
	}
	for _, k := range slices.Sorted(maps.Keys(byKey)) {
		s := byKey[k]
		if s.File == "" {
			continue
		}
		s.finish()
		out.Suggestions = append(out.Suggestions, s)
	}
	sort.SliceStable(out.Suggestions, func(i, j int) bool {
		a, b := out.Suggestions[i], out.Suggestions[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.At < b.At
	})
	if err := out.edit(sc); err != nil {
		out.Errors = append(out.Errors, err)
	}
	return out
}

func (s *Suggestion) motivate(loc string) {
	if !s.seen[loc] {
		s.seen[loc] = true
		s.Count++
	}
}

func (s *Suggestion) finish() {
	s.Payloads = slices.Sorted(maps.Keys(s.seen))
	if len(s.Payloads) > maxMotivating {
		s.Payloads = s.Payloads[:maxMotivating]
	}
	n := fmt.Sprintf("%d %s", s.Count, plural(s.Count, "payload", "payloads"))
	carry, contradict := plural(s.Count, "carries", "carry"), plural(s.Count, "contradicts", "contradict")
	switch s.Kind {
	case SuggestProperty:
		loosens := ""
		if s.Loosens {
			loosens = "this loosens a guarantee (additionalProperties excludes it); "
		}
		s.Message = fmt.Sprintf("add optional property %q (%s) to %s %s at %s: %s%s %s it", s.name, strings.Join(typesOf(s.types), " or "), s.Provider, s.Event, orRoot(strings.TrimSuffix(s.Pointer, "/"+jsonpointer.Escape(s.name))), loosens, n, carry)
	case SuggestEnumValue:
		s.Message = fmt.Sprintf("add enum %s %s to %s %s at %s: this loosens a guarantee; %s %s it", plural(len(s.values), "value", "values"), showValues(s.values), s.Provider, s.Event, orRoot(s.Pointer), n, carry)
	case SuggestExpectation:
		s.Message = fmt.Sprintf("drop the expectation %q of %s %s at %s: %s %s it (an expectation, not a guarantee)", s.name, s.Provider, s.Event, orRoot(s.Pointer), n, contradict)
	}
}

func typesOf(t map[string]bool) []string {
	if t["integer"] && t["number"] {
		delete(t, "integer")
	}
	return slices.Sorted(maps.Keys(t))
}

// schemaAt walks a conjunction along payload pointer tokens (members and
// array indices) and returns the conjunction at the end, with the pointer
// written with * for array indices.
func schemaAt(c conj, toks []string) (conj, string) {
	var wild strings.Builder
	for _, tok := range toks {
		e := merge(c, guaranteed)
		if i, err := strconv.Atoi(tok); err == nil && i >= 0 && (len(e.items) > 0 || len(e.prefix) > 0) {
			c = e.items
			if i < len(e.prefix) {
				c = e.prefix[i]
			}
			wild.WriteString("/*")
			continue
		}
		if c = memberConj(e, tok); len(c) == 0 {
			return nil, ""
		}
		wild.WriteString("/" + jsonpointer.Escape(tok))
	}
	return c, wild.String()
}

// propertiesOwner picks the schema to add a property to: the first of the
// conjunction that declares properties, or that is an object schema.
func propertiesOwner(c conj) *jsonschema.Schema {
	for _, s := range c {
		if s.Properties != nil {
			return s
		}
	}
	for _, s := range c {
		if slices.Contains(s.Types, "object") {
			return s
		}
	}
	return nil
}

func isSecret(c conj) bool {
	return slices.ContainsFunc(c, func(s *jsonschema.Schema) bool {
		_, ok := s.Extensions[contracttest.SecretKeyword]
		return ok
	})
}

func enumOwner(c conj) *jsonschema.Schema {
	for _, s := range c {
		if s.Enum != nil && len(s.Constant) == 0 {
			return s
		}
	}
	return nil
}

func lookupValue(v any, toks []string) any {
	for _, tok := range toks {
		switch x := v.(type) {
		case map[string]any:
			v = x[tok]
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// walkExpectations validates every value of a payload against the
// expectations that apply to it and reports each keyword a value breaks.
func walkExpectations(c conj, v any, ptr string, onPath map[string]bool, report func(ptr string, owner *jsonschema.Schema, kw string)) {
	k := c.key()
	if onPath[k] {
		return
	}
	onPath[k] = true
	defer delete(onPath, k)
	for _, s := range c {
		x, ok := s.Extensions[ExpectKeyword].(expectation)
		if !ok {
			continue
		}
		err := x.schema.Validate(v)
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			for _, kw := range brokenKeywords(ve) {
				report(ptr, s, kw)
			}
		}
	}
	e := merge(c, guaranteed)
	switch x := v.(type) {
	case map[string]any:
		for _, name := range slices.Sorted(maps.Keys(x)) {
			if p, ok := e.props[name]; ok {
				walkExpectations(p, x[name], ptr+"/"+jsonpointer.Escape(name), onPath, report)
			}
		}
	case []any:
		if len(e.items) > 0 {
			for _, item := range x {
				walkExpectations(e.items, item, ptr+"/*", onPath, report)
			}
		}
	}
}

// brokenKeywords lists the top-level keywords of an expectation that a
// validation error names.
func brokenKeywords(ve *jsonschema.ValidationError) []string {
	seen := map[string]bool{}
	var walk func(*jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			_, frag, _ := strings.Cut(e.AbsoluteKeywordLocation, "#")
			if i := strings.Index(frag, "/"+ExpectKeyword+"/"); i >= 0 {
				rest := frag[i+len(ExpectKeyword)+2:]
				kw, _, _ := strings.Cut(rest, "/")
				if kw != "" {
					seen[kw] = true
				}
			}
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return slices.Sorted(maps.Keys(seen))
}

// fileOf returns the schema file holding a compiled schema, and the JSON
// pointer of the schema inside it.
func (s *specContract) fileOf(provider string, sch *jsonschema.Schema) (string, string) {
	p := s.providers[provider]
	if p == nil || sch == nil {
		return "", ""
	}
	id, frag, _ := strings.Cut(sch.Location, "#")
	for _, f := range p.Schemas {
		if f.ID == id {
			if u, err := url.PathUnescape(frag); err == nil {
				frag = u
			}
			return f.Path, frag
		}
	}
	return "", ""
}

func (s *specContract) schemaFile(path string) *contract.SchemaFile {
	for _, p := range s.providers {
		for _, f := range p.Schemas {
			if f.Path == path {
				return f
			}
		}
	}
	return nil
}

// edit applies every suggestion to its schema file, one after the other,
// each located again in the text the previous ones left: the files keep
// their layout and key order, only the suggested members change.
func (out *Suggestions) edit(sc *specContract) error {
	for _, s := range out.Suggestions {
		f := sc.schemaFile(s.File)
		if f == nil {
			return fmt.Errorf("suggest: no schema file %s", s.File)
		}
		cur, ok := out.Files[s.File]
		if !ok {
			cur = [2][]byte{f.Raw, f.Raw}
		}
		next, err := applySuggestion(cur[1], s)
		if err != nil {
			return &contract.Error{File: s.File, Pointer: s.At, Err: fmt.Errorf("apply suggestion: %w", err)}
		}
		if !json.Valid(next) {
			return &contract.Error{File: s.File, Pointer: s.At, Err: errors.New("apply suggestion: the result is not JSON")}
		}
		cur[1] = next
		out.Files[s.File] = cur
	}
	return nil
}

func applySuggestion(data []byte, s *Suggestion) ([]byte, error) {
	switch s.Kind {
	case SuggestProperty:
		owner := strings.TrimSuffix(s.At, "/properties/"+jsonpointer.Escape(s.name))
		member := strconv.Quote(s.name) + ": " + typeSchema(typesOf(s.types))
		if start, end, ok := span(data, owner+"/properties"); ok {
			return insertItems(data, start, end, []string{member})
		}
		start, end, ok := span(data, owner)
		if !ok {
			return nil, fmt.Errorf("no schema at %s", orRoot(owner))
		}
		return insertItems(data, start, end, []string{`"properties": {` + member + `}`})
	case SuggestEnumValue:
		start, end, ok := span(data, s.At)
		if !ok {
			return nil, fmt.Errorf("no enum at %s", s.At)
		}
		var items []string
		for _, v := range sortedValues(s.values) {
			items = append(items, canonical(v))
		}
		return insertItems(data, start, end, items)
	case SuggestExpectation:
		return deleteMember(data, s.At)
	}
	return nil, fmt.Errorf("unknown suggestion %q", s.Kind)
}

func typeSchema(types []string) string {
	if len(types) == 1 {
		return `{"type": ` + strconv.Quote(types[0]) + `}`
	}
	q := make([]string, len(types))
	for i, t := range types {
		q[i] = strconv.Quote(t)
	}
	return `{"type": [` + strings.Join(q, ", ") + `]}`
}

// span returns where the value at ptr starts and ends in data.
func span(data []byte, ptr string) (int, int, bool) {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return 0, 0, false
	}
	for _, tok := range jsonpointer.Tokens(ptr) {
		m, ok := v.(map[string]any)
		if !ok {
			return 0, 0, false
		}
		if v, ok = m[tok]; !ok {
			return 0, 0, false
		}
	}
	start := contracttest.Locate(data, ptr)
	dec := json.NewDecoder(bytes.NewReader(data[start:]))
	var at any
	if dec.Decode(&at) != nil || !reflect.DeepEqual(at, v) {
		// Not the value decoding finds there: a duplicate member name
		// makes the text ambiguous, and it is not edited.
		return 0, 0, false
	}
	return start, start + int(dec.InputOffset()), true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// lineIndent returns the whitespace that starts the line holding pos.
func lineIndent(data []byte, pos int) string {
	i := bytes.LastIndexByte(data[:pos], '\n') + 1
	j := i
	for j < len(data) && (data[j] == ' ' || data[j] == '\t') {
		j++
	}
	return string(data[i:j])
}

// insertItems appends members (to an object) or items (to an array) in
// the container spanning data[start:end], in the container's own layout.
func insertItems(data []byte, start, end int, items []string) ([]byte, error) {
	closing := end - 1
	if closing <= start || (data[closing] != '}' && data[closing] != ']') {
		return nil, errors.New("not an object or array")
	}
	last := closing - 1
	for last > start && isSpace(data[last]) {
		last--
	}
	empty := last == start
	var text string
	at, to := last+1, last+1
	if !bytes.ContainsRune(data[start:end], '\n') {
		text = strings.Join(items, ", ")
		if !empty {
			text = ", " + text
		}
	} else {
		outer := lineIndent(data, start)
		indent := outer + "  "
		if !empty {
			first := start + 1
			for first < closing && isSpace(data[first]) {
				first++
			}
			indent = lineIndent(data, first)
			if bytes.LastIndexByte(data[:first], '\n') < start {
				indent = outer + "  " // the first member sits on the opening line
			}
			text = ",\n" + indent + strings.Join(items, ",\n"+indent)
		} else {
			at, to = start+1, closing
			text = "\n" + indent + strings.Join(items, ",\n"+indent) + "\n" + outer
		}
	}
	out := make([]byte, 0, len(data)+len(text))
	out = append(out, data[:at]...)
	out = append(out, text...)
	return append(out, data[to:]...), nil
}

// deleteMember removes the member at ptr from its object, with its comma.
func deleteMember(data []byte, ptr string) ([]byte, error) {
	if ptr == "" {
		return nil, errors.New("the whole document is not a member")
	}
	vs, ve, ok := span(data, ptr)
	if !ok {
		return nil, fmt.Errorf("no member at %s", ptr)
	}
	// Walk back from the value over the colon and the key to what
	// precedes the member: the opening brace or a comma.
	back := func(i int) int {
		for i >= 0 && isSpace(data[i]) {
			i--
		}
		return i
	}
	i := back(vs - 1)
	if i < 0 || data[i] != ':' {
		return nil, errors.New("not an object member")
	}
	i = back(i - 1)
	if i < 0 || data[i] != '"' {
		return nil, errors.New("not an object member")
	}
	ks := i - 1
	for ks >= 0 && (data[ks] != '"' || escaped(data, ks)) {
		ks--
	}
	before := back(ks - 1)
	if ks < 0 || before < 0 || (data[before] != '{' && data[before] != ',') {
		return nil, errors.New("not an object member")
	}
	after := ve
	for after < len(data) && isSpace(data[after]) {
		after++
	}
	from, to := ks, ve
	switch {
	case data[before] == '{' && after < len(data) && data[after] == '}':
		// The last member: remove the object's member that holds it too,
		// rather than leave an empty object behind.
		if toks := jsonpointer.Tokens(ptr); len(toks) > 1 {
			if out, err := deleteMember(data, ptr[:strings.LastIndexByte(ptr, '/')]); err == nil {
				return out, nil
			}
		}
		from, to = before+1, after
	case data[before] == ',':
		from = before
	case after < len(data) && data[after] == ',':
		to = after + 1
		for to < len(data) && isSpace(data[to]) {
			to++
		}
	}
	out := append([]byte{}, data[:from]...)
	return append(out, data[to:]...), nil
}

// escaped tells whether the quote at i is escaped by an odd number of
// backslashes.
func escaped(data []byte, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && data[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// UnifiedDiff renders the changed files as one unified diff with a/ and
// b/ prefixes under root (the spec directory as given), for git apply or
// patch -p1.
func (out *Suggestions) UnifiedDiff(root string) (string, error) {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(out.Files)) {
		f := out.Files[name]
		p := strings.TrimSuffix(root, "/") + "/" + name
		if root == "" {
			p = name
		}
		d := difflib.UnifiedDiff{A: difflib.SplitLines(string(f[0])), B: difflib.SplitLines(string(f[1])), FromFile: "a/" + p, ToFile: "b/" + p, Context: 3}
		text, err := difflib.GetUnifiedDiffString(d)
		if err != nil {
			return "", fmt.Errorf("diff %s: %w", name, err)
		}
		b.WriteString(text)
	}
	return b.String(), nil
}
