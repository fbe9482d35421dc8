package contracttest

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Verdict is the outcome of checking one payload.
type Verdict string

// Verdicts.
const (
	Pass  Verdict = "pass"  // conforms and carries nothing the contract does not know
	Drift Verdict = "drift" // conforms, but carries properties the contract does not know
	Fail  Verdict = "fail"  // does not conform, or is not JSON
)

// Violation is one rule a payload breaks.
type Violation struct {
	Pointer        string `json:"pointer"`                  // JSON pointer into the payload
	Keyword        string `json:"keyword"`                  // the failing keyword: type, required, enum, ...
	SchemaLocation string `json:"schemaLocation,omitempty"` // absolute location of the keyword in the schema
	Message        string `json:"message"`                  // what was expected and what was found
}

// Result is the outcome of checking one payload.
type Result struct {
	Source     string      `json:"source"`              // file name, "-" for stdin, or a caller's label
	Line       int         `json:"line,omitempty"`      // line in an NDJSON file
	Provider   string      `json:"provider,omitempty"`  // "" when it could not be told
	Event      string      `json:"event,omitempty"`     // "" when it could not be told
	Qualifier  string      `json:"qualifier,omitempty"` // second-level discriminator value (ticket status)
	Form       string      `json:"form,omitempty"`      // envelope, bare or request
	Verdict    Verdict     `json:"verdict"`
	Violations []Violation `json:"violations,omitempty"`
	Unknown    []string    `json:"unknown,omitempty"` // pointers of properties the contract does not know
	Bytes      int         `json:"bytes"`
}

// Location is "source" or "source:line".
func (r *Result) Location() string {
	if r.Line > 0 {
		return r.Source + ":" + strconv.Itoa(r.Line)
	}
	return r.Source
}

// CheckOptions narrow detection.
type CheckOptions struct {
	Provider string // skip provider detection
	Event    string // the event of a body that carries no event name
}

// Check validates one payload.
func (s *Suite) Check(data []byte, opts CheckOptions) Result {
	r := Result{Bytes: len(data)}
	if opts.Provider != "" && s.provider(opts.Provider) == nil {
		r.Verdict = Fail
		r.Violations = []Violation{{Keyword: "provider", Message: fmt.Sprintf("unknown provider %q; known: %s", opts.Provider, strings.Join(s.Providers(), ", "))}}
		return r
	}
	v, err := decode(data)
	if err != nil {
		r.Verdict = Fail
		var se *SyntaxError
		if errors.As(err, &se) {
			msg := "not JSON: " + se.Error()
			if se.Keyword == "duplicate-key" {
				msg = se.Error()
			}
			r.Violations = []Violation{{Pointer: se.Pointer, Keyword: se.Keyword, Message: msg}}
		} else {
			r.Violations = []Violation{{Keyword: "json", Message: err.Error()}}
		}
		return r
	}
	ev, sch, form, vio := s.detect(v, opts)
	if ev != nil {
		r.Provider, r.Event, r.Form = ev.provider.Name, ev.Name, form
		if q := ev.provider.Ext.Event.Qualifier; q != "" && form == "envelope" {
			if qv, ok := lookup(v, splitPointer(q)).(string); ok {
				r.Qualifier = qv
			}
		}
	} else if len(vio) == 0 {
		r.Provider = opts.Provider
	}
	if sch == nil {
		r.Verdict = Fail
		r.Violations = vio
		return r
	}
	if err := sch.Validate(v); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			r.Verdict = Fail
			r.Violations = append(vio, Violation{Keyword: "schema", Message: err.Error()})
			return r
		}
		found := normalize(ve, sch, v)
		// The schema usually pins the event name itself; report a
		// mismatch with --event once.
		for _, x := range vio {
			dup := false
			for _, y := range found {
				dup = dup || y.Pointer == x.Pointer
			}
			if !dup {
				found = append(found, x)
			}
		}
		sortViolations(found)
		r.Violations = found
		r.Verdict = Fail
		return r
	}
	if len(vio) > 0 {
		r.Verdict = Fail
		r.Violations = vio
		return r
	}
	r.Unknown = unknownProperties(sch, v)
	r.Verdict = Pass
	if len(r.Unknown) > 0 {
		r.Verdict = Drift
	}
	return r
}

// detect finds the event of a decoded payload and the schema to check it
// against. When it cannot, it returns the violations that say why.
func (s *Suite) detect(v any, opts CheckOptions) (*event, *jsonschema.Schema, string, []Violation) {
	candidates := s.providers
	if opts.Provider != "" {
		candidates = []*provider{s.provider(opts.Provider)}
	}
	if opts.Event != "" {
		var found []*event
		for _, p := range candidates {
			if e := p.events[opts.Event]; e != nil {
				found = append(found, e)
			}
		}
		switch len(found) {
		case 0:
			return nil, nil, "", []Violation{{Keyword: "event", Message: fmt.Sprintf("no provider declares event %q", opts.Event)}}
		case 1:
		default:
			names := make([]string, len(found))
			for i, e := range found {
				names[i] = e.provider.Name
			}
			return nil, nil, "", []Violation{{Keyword: "event", Message: fmt.Sprintf("event %q is declared by %s: pass --provider", opts.Event, strings.Join(names, " and "))}}
		}
		e := found[0]
		if e.Kind == "request" {
			return e, e.schema, "request", nil
		}
		name, present := lookupPresent(v, e.provider.evPointer)
		switch {
		case present && name == opts.Event:
			return e, e.schema, "envelope", nil
		case present:
			return e, e.schema, "envelope", []Violation{{Pointer: e.provider.Ext.Event.Pointer, Keyword: "const", Message: fmt.Sprintf("expected event %q as given, found %s", opts.Event, describeValue(name, false))}}
		case e.bare != nil:
			return e, e.bare, "bare", nil
		default:
			return e, e.schema, "envelope", nil
		}
	}
	var matches []*event
	var unknown []Violation
	for _, p := range candidates {
		name, present := lookupPresent(v, p.evPointer)
		if present {
			if str, ok := name.(string); ok {
				if e := p.events[str]; e != nil && e.Kind == "webhook" {
					matches = append(matches, e)
					continue
				}
			}
			unknown = append(unknown, Violation{Pointer: p.Ext.Event.Pointer, Keyword: "enum", Message: fmt.Sprintf("expected an event name of %s (%s), found %s", p.Name, strings.Join(p.webhookNames(), ", "), describeValue(name, false))})
			continue
		}
		for _, rr := range p.requests {
			if _, ok := lookupPresent(v, rr.present); ok && rr.event != nil {
				matches = append(matches, rr.event)
			}
		}
	}
	switch {
	case len(matches) == 1:
		e := matches[0]
		form := "envelope"
		if e.Kind == "request" {
			form = "request"
		}
		return e, e.schema, form, nil
	case len(matches) > 1:
		names := make([]string, len(matches))
		for i, e := range matches {
			names[i] = e.provider.Name + "/" + e.Name
		}
		return nil, nil, "", []Violation{{Keyword: "provider", Message: fmt.Sprintf("payload matches %s: pass --provider", strings.Join(names, " and "))}}
	case len(unknown) == 1 || (len(unknown) > 0 && opts.Provider != ""):
		return nil, nil, "", unknown[:1]
	case len(unknown) > 1:
		var b strings.Builder
		for i, u := range unknown {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(u.Message)
		}
		return nil, nil, "", []Violation{{Pointer: unknown[0].Pointer, Keyword: "enum", Message: b.String()}}
	}
	var where []string
	for _, p := range candidates {
		where = append(where, p.Name+" "+p.Ext.Event.Pointer)
	}
	msg := fmt.Sprintf("no event name found (looked for %s); for a body that carries none, pass --event", strings.Join(where, ", "))
	return nil, nil, "", []Violation{{Keyword: "event", Message: msg}}
}

func (p *provider) webhookNames() []string {
	var out []string
	for _, e := range p.Events {
		if e.Kind == "webhook" {
			out = append(out, e.Name)
		}
	}
	if len(out) > 8 {
		out = append(out[:8], "...")
	}
	return out
}

func splitPointer(p string) []string {
	if p == "" {
		return nil
	}
	toks := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, t := range toks {
		toks[i] = strings.ReplaceAll(strings.ReplaceAll(t, "~1", "/"), "~0", "~")
	}
	return toks
}

func lookup(v any, toks []string) any {
	x, _ := lookupPresent(v, toks)
	return x
}

func lookupPresent(v any, toks []string) (any, bool) {
	for _, t := range toks {
		switch c := v.(type) {
		case map[string]any:
			var ok bool
			if v, ok = c[t]; !ok {
				return nil, false
			}
		case []any:
			i, err := strconv.Atoi(t)
			if err != nil || i < 0 || i >= len(c) {
				return nil, false
			}
			v = c[i]
		default:
			return nil, false
		}
	}
	return v, true
}

// describeValue renders a found value for a message: short, and redacted
// when it is a secret.
func describeValue(v any, secret bool) string {
	if secret {
		return "a secret value (redacted)"
	}
	switch x := v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		if len(x) > 64 {
			x = x[:61] + "..."
		}
		return strconv.Quote(x)
	case json.Number:
		return "the number " + string(x)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprintf("%v", v)
}

func sortViolations(vs []Violation) {
	sort.SliceStable(vs, func(i, j int) bool {
		if vs[i].Pointer != vs[j].Pointer {
			return vs[i].Pointer < vs[j].Pointer
		}
		return vs[i].Keyword < vs[j].Keyword
	})
}
