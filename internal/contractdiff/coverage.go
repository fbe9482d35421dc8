package contractdiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hookcontract/hookcontract/contracttest"
	"github.com/hookcontract/hookcontract/internal/capture"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// Coverage is what a set of payloads exercises of a contract.
type Coverage struct {
	Payloads   int              `json:"payloads"`
	Undetected int              `json:"undetected"` // payloads whose event could not be told
	Events     []*EventCoverage `json:"events"`     // every event of the contract, seen or not
	Errors     []error          `json:"-"`
}

// EventCoverage is one event's coverage.
type EventCoverage struct {
	Provider string `json:"provider"`
	Event    string `json:"event"`
	Seen     int    `json:"seen"` // payloads of this event
	// Fields lists every field the schema declares or a payload carried,
	// by pointer ("*" stands for every item of an array).
	Fields []*FieldCoverage `json:"fields"`
	// UntestedExpectations lists the fields with an expectation that no
	// payload carried.
	UntestedExpectations []string `json:"untested_expectations"`
}

// FieldCoverage is one field's coverage.
type FieldCoverage struct {
	Pointer  string   `json:"pointer"`
	Declared bool     `json:"declared"`         // the schema declares it
	Expected bool     `json:"expected"`         // an expectation applies to it
	Secret   bool     `json:"secret,omitempty"` // its values are never shown
	Seen     int      `json:"seen"`             // payloads that carried it
	Types    []string `json:"types"`            // JSON types observed
	Values   []string `json:"values,omitempty"`
	More     bool     `json:"more_values,omitempty"` // more distinct strings than the limit
	values   map[string]bool
	types    map[string]bool
}

// CoverageOptions control a coverage run.
type CoverageOptions struct {
	Values   int    // distinct string values kept per field
	Provider string // only this provider's events; "" for all
}

// maxFieldDepth bounds the walk of recursive schemas.
const maxFieldDepth = 12

// MeasureCoverage checks the payloads under paths with suite (to tell
// their events) and records what they carry against the contract's
// schemas.
func MeasureCoverage(c Contract, suite *contracttest.Suite, paths []string, stdin io.Reader, opts CoverageOptions) *Coverage {
	payloads, errs := readPayloads(paths, stdin)
	rep := suite.CheckPayloads(payloads, contracttest.Options{Provider: opts.Provider})
	cov := &Coverage{Payloads: len(payloads), Errors: errs}
	byEvent := map[string]*EventCoverage{}
	roots := map[*EventCoverage]*jsonschema.Schema{}
	for _, p := range c.Providers() {
		if opts.Provider != "" && p != opts.Provider {
			continue
		}
		for _, e := range c.Events(p) {
			ec := &EventCoverage{Provider: p, Event: e, UntestedExpectations: []string{}}
			byEvent[p+" "+e] = ec
			cov.Events = append(cov.Events, ec)
			if s, err := c.EventSchema(p, e); err == nil {
				roots[ec] = s
				declare(ec, "", flatten(s, guaranteed), map[string]bool{}, 0)
			} else {
				cov.Errors = append(cov.Errors, err)
			}
		}
	}
	for i, r := range rep.Results {
		ec := byEvent[r.Provider+" "+r.Event]
		if ec == nil {
			cov.Undetected++
			continue
		}
		ec.Seen++
		dec := json.NewDecoder(bytes.NewReader(payloads[i].Data))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) != nil {
			continue
		}
		seen := map[string]bool{}
		observe(ec, "", v, flatten(roots[ec], guaranteed), seen, opts.Values, false)
		for ptr := range seen {
			ec.field(ptr).Seen++
		}
	}
	for _, ec := range cov.Events {
		sort.Slice(ec.Fields, func(i, j int) bool { return ec.Fields[i].Pointer < ec.Fields[j].Pointer })
		for _, f := range ec.Fields {
			f.Types = slices.Sorted(maps.Keys(f.types))
			f.Values = slices.Sorted(maps.Keys(f.values))
			if f.Types == nil {
				f.Types = []string{}
			}
			if f.Expected && f.Seen == 0 {
				ec.UntestedExpectations = append(ec.UntestedExpectations, orRoot(f.Pointer))
			}
		}
	}
	return cov
}

func orRoot(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

func (ec *EventCoverage) field(ptr string) *FieldCoverage {
	for _, f := range ec.Fields {
		if f.Pointer == ptr {
			return f
		}
	}
	f := &FieldCoverage{Pointer: ptr, types: map[string]bool{}, values: map[string]bool{}}
	ec.Fields = append(ec.Fields, f)
	return f
}

// declare records the fields a schema declares, and where expectations
// apply.
func declare(ec *EventCoverage, ptr string, c conj, onPath map[string]bool, depth int) {
	k := c.key()
	if onPath[k] || depth > maxFieldDepth {
		return
	}
	onPath[k] = true
	defer delete(onPath, k)
	if isSecret(c) {
		ec.field(ptr).Secret = true
	}
	for _, s := range c {
		if _, ok := s.Extensions[ExpectKeyword]; ok {
			ec.field(ptr).Expected = true
		}
	}
	e := merge(c, guaranteed)
	for _, name := range slices.Sorted(maps.Keys(e.props)) {
		at := ptr + "/" + jsonpointer.Escape(name)
		ec.field(at).Declared = true
		declare(ec, at, e.props[name], onPath, depth+1)
	}
	if len(e.items) > 0 {
		declare(ec, ptr+"/*", e.items, onPath, depth+1)
	}
	var branches []*jsonschema.Schema
	for _, group := range append(e.oneOf, e.anyOf...) {
		branches = append(branches, group...)
	}
	for _, s := range e.cond {
		branches = append(branches, s.If, s.Then, s.Else)
	}
	for _, b := range branches {
		if b != nil {
			declare(ec, ptr, flatten(b, guaranteed), onPath, depth+1)
		}
	}
}

func jsonType(v any) string {
	if n, ok := v.(json.Number); ok && !strings.ContainsAny(n.String(), ".eE") {
		return "integer"
	}
	return contracttest.JSONType(v)
}

// maxValueLen is the longest string value a report shows in full.
const maxValueLen = 64

// observe records the fields of a decoded payload, walking the schema
// beside it: c is the conjunction that applies to v, nil where the
// contract says nothing (a member it does not know). Under a secret field
// every field is secret.
func observe(ec *EventCoverage, ptr string, v any, c conj, seen map[string]bool, limit int, secret bool) {
	var e *eff
	if c != nil {
		e = merge(c, guaranteed)
	}
	if ptr != "" {
		f := ec.field(ptr)
		if c != nil {
			// Declared, by name or by additionalProperties or
			// patternProperties.
			f.Declared = true
			f.Secret = f.Secret || isSecret(c)
		}
		f.Secret = f.Secret || secret
		secret = f.Secret
		seen[ptr] = true
		f.types[jsonType(v)] = true
		if !f.Declared && capture.IsSecretHeader(ptr[strings.LastIndexByte(ptr, '/')+1:]) {
			f.Secret, secret = true, true // a member the contract does not know, named like a credential
		}
		if s, ok := v.(string); ok && !f.More && !f.Secret {
			if len(s) > maxValueLen {
				s = strings.ToValidUTF8(s[:maxValueLen], "") + "..."
			}
			if !f.values[s] && len(f.values) >= limit {
				f.More = true
			} else {
				f.values[s] = true
			}
		}
	}
	switch x := v.(type) {
	case map[string]any:
		for k, m := range x {
			observe(ec, ptr+"/"+jsonpointer.Escape(k), m, memberConj(e, k), seen, limit, secret)
		}
	case []any:
		for i, m := range x {
			var item conj
			if e != nil {
				item = e.items
				if i < len(e.prefix) {
					item = e.prefix[i]
				}
			}
			observe(ec, ptr+"/*", m, item, seen, limit, secret)
		}
	}
}

// memberConj returns what applies to member k of an object: its property
// schema (in any branch of a oneOf or anyOf too), else the
// patternProperties it matches, else additionalProperties; nil when the
// contract says nothing of it.
func memberConj(e *eff, k string) conj {
	if e == nil {
		return nil
	}
	if p, ok := e.props[k]; ok {
		return p
	}
	var out conj
	for _, group := range append(e.oneOf, e.anyOf...) {
		for _, b := range group {
			if p, ok := merge(flatten(b, guaranteed), guaranteed).props[k]; ok {
				out = append(out, p...)
			}
		}
	}
	for _, s := range e.cond {
		for _, b := range []*jsonschema.Schema{s.Then, s.Else} {
			if b != nil {
				if p, ok := merge(flatten(b, guaranteed), guaranteed).props[k]; ok {
					out = append(out, p...)
				}
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	for re, p := range e.patProps {
		if m, err := regexp.MatchString(re, k); err == nil && m {
			out = append(out, p...)
		}
	}
	if len(out) > 0 {
		return out
	}
	return e.addl
}

// CoverageFormats are the formats a coverage report can be written in.
var CoverageFormats = []string{"json", "markdown", "text"}

// Write writes the coverage in one of CoverageFormats.
func (cov *Coverage) Write(w io.Writer, format string) error {
	var b bytes.Buffer
	switch format {
	case "json":
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		doc := struct {
			Version int `json:"version"`
			*Coverage
		}{1, cov}
		if err := enc.Encode(doc); err != nil {
			return err
		}
	case "text":
		cov.writeText(&b)
	case "markdown":
		cov.writeMarkdown(&b)
	default:
		return fmt.Errorf("unknown format %q", format)
	}
	_, err := w.Write(b.Bytes())
	return err
}

func (cov *Coverage) never() []string {
	var out []string
	for _, ec := range cov.Events {
		if ec.Seen == 0 {
			out = append(out, ec.Provider+" "+ec.Event)
		}
	}
	return out
}

func (f *FieldCoverage) describe() string {
	if f.Seen == 0 {
		return "never seen"
	}
	s := fmt.Sprintf("seen %d, %s", f.Seen, strings.Join(f.Types, "|"))
	switch {
	case f.Secret:
		s += ", values not shown (secret)"
	case len(f.Values) > 0:
		q := make([]string, len(f.Values))
		for i, v := range f.Values {
			q[i] = fmt.Sprintf("%q", v)
		}
		s += ": " + strings.Join(q, ", ")
		if f.More {
			s += ", ..."
		}
	}
	if !f.Declared {
		s += " (not in the contract)"
	}
	if f.Expected {
		s += " (expectation)"
	}
	return s
}

func (cov *Coverage) summary() string {
	seen := 0
	for _, ec := range cov.Events {
		if ec.Seen > 0 {
			seen++
		}
	}
	return fmt.Sprintf("%d %s, %d of %d events seen, %d undetected", cov.Payloads, plural(cov.Payloads, "payload", "payloads"), seen, len(cov.Events), cov.Undetected)
}

func (cov *Coverage) writeText(w io.Writer) {
	for _, ec := range cov.Events {
		if ec.Seen == 0 {
			continue
		}
		fmt.Fprintf(w, "%s %s: %d %s\n", ec.Provider, ec.Event, ec.Seen, plural(ec.Seen, "payload", "payloads"))
		for _, f := range ec.Fields {
			fmt.Fprintf(w, "  %s: %s\n", f.Pointer, f.describe())
		}
		for _, p := range ec.UntestedExpectations {
			fmt.Fprintf(w, "  expectation at %s: no payload has tested it\n", p)
		}
	}
	if never := cov.never(); len(never) > 0 {
		fmt.Fprintf(w, "never seen: %s\n", strings.Join(never, ", "))
	}
	fmt.Fprintf(w, "%s\n", cov.summary())
}

func (cov *Coverage) writeMarkdown(w io.Writer) {
	fmt.Fprintf(w, "### Payload coverage\n\n%s.\n\n", cov.summary())
	for _, ec := range cov.Events {
		if ec.Seen == 0 {
			continue
		}
		fmt.Fprintf(w, "#### %s `%s`: %d %s\n\n| field | coverage |\n| --- | --- |\n", ec.Provider, ec.Event, ec.Seen, plural(ec.Seen, "payload", "payloads"))
		for _, f := range ec.Fields {
			fmt.Fprintf(w, "| %s | %s |\n", mdCell(code(f.Pointer)), mdCell(f.describe()))
		}
		fmt.Fprintln(w)
		for _, p := range ec.UntestedExpectations {
			fmt.Fprintf(w, "- expectation at %s: no payload has tested it\n", mdCell(code(p)))
		}
		if len(ec.UntestedExpectations) > 0 {
			fmt.Fprintln(w)
		}
	}
	if never := cov.never(); len(never) > 0 {
		fmt.Fprintf(w, "Never seen: %s.\n", mdCell(strings.Join(never, ", ")))
	}
}
