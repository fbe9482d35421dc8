package contract

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

// HeaderPrefix starts a location that is a request header in
// events.pointers ("header:X-GitHub-Event"), as in dedupe keys.
const HeaderPrefix = "header:"

// Location is one place a delivery carries its event name, written in
// events.pointers (and x-hookcontract's event.pointers) as
//
//	/type                         a body member (a JSON pointer)
//	header:X-GitHub-Event         a request header
//	header:X-GitHub-Event/action  a header qualified by a body member: the
//	                              header names a family of events
//	                              (issues), the member which one (opened)
//
// A header name holds no "/" (RFC 9110 tokens), so what follows the first
// "/" is the qualifier's JSON pointer.
type Location struct {
	Header  string // the request header as the spec writes it, "" for a body member
	Pointer string // the body member; with Header, the qualifier ("" for none)
}

// ParseLocation reads one entry of events.pointers.
func ParseLocation(s string) (Location, error) {
	rest, ok := strings.CutPrefix(s, HeaderPrefix)
	if !ok {
		if !strings.HasPrefix(s, "/") {
			return Location{}, fmt.Errorf("expected a JSON pointer such as /type or a header such as header:X-Event, found %q", s)
		}
		return Location{Pointer: s}, nil
	}
	name, qual := rest, ""
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		name, qual = rest[:i], rest[i:]
	}
	if !isToken(name) {
		return Location{}, fmt.Errorf("expected a header name after %q (letters, digits and !#$%%&'*+-.^_`|~), found %q", HeaderPrefix, name)
	}
	if qual == "/" {
		return Location{}, fmt.Errorf("expected a JSON pointer after the header name in %q, found a lone /", s)
	}
	return Location{Header: name, Pointer: qual}, nil
}

// String writes l as events.pointers does.
func (l Location) String() string {
	if l.Header == "" {
		return l.Pointer
	}
	return HeaderPrefix + l.Header + l.Pointer
}

// IsHeader reports whether l is read from a request header.
func (l Location) IsHeader() bool { return l.Header != "" }

// isToken reports whether s is an HTTP token (a header field name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// DefaultSeparator joins a qualified header's value and its qualifier
// when the webhook keys do not show how (issues + . + opened).
const DefaultSeparator = "."

// HeaderCandidates returns the event names a header value stands for, most
// specific first: with a qualifier value q (hasQ), value+sep+q, then the
// value alone; each also with "_" read as "-" (GitHub sends check_run for
// the webhooks its spec keys check-run-completed). The first a spec
// declares is the event; when none is, the first is the name reported.
// The generated handler applies the same rule (gen/support).
func HeaderCandidates(value, q string, hasQ bool, sep string) []string {
	folded := strings.ReplaceAll(value, "_", "-")
	var out []string
	add := func(s string) {
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	if hasQ {
		add(value + sep + q)
		add(folded + sep + q)
	}
	add(value)
	add(folded)
	return out
}

// EventAt is what detection finds at one location of the event name.
type EventAt struct {
	Name     any    // the value found (a string for a header), nil when Present is false
	Pointer  string // the JSON pointer into the body it was read at, "" for a header
	Location string // the location, as events.pointers writes it
	Present  bool
}

// FindEvent applies the detection rule to a delivery: its decoded body v
// and its request header h (nil when the delivery's headers are not known:
// header locations are then skipped). It tries locs in order, and the
// first that names a known event is the event; when none does, the first
// location present is reported (an unknown or malformed name). A later
// location naming a different known event makes the delivery ambiguous:
// the error names both places. A header location's name is the first of
// HeaderCandidates that known accepts, else the first. The generated
// parseDelivery applies the same rule (see gen/support).
func FindEvent(v any, h http.Header, locs []Location, sep string, known func(string) bool) (EventAt, error) {
	var first, hit EventAt
	for _, l := range locs {
		at := EventAt{Location: l.String(), Present: true}
		if l.IsHeader() {
			if h == nil || h.Get(l.Header) == "" {
				continue
			}
			q, hasQ := "", false
			if l.Pointer != "" {
				x, ok := jsonpointer.Lookup(v, l.Pointer)
				q, hasQ = x.(string)
				hasQ = hasQ && ok
			}
			cands := HeaderCandidates(h.Get(l.Header), q, hasQ, sep)
			at.Name = cands[0]
			for _, c := range cands {
				if known(c) {
					at.Name = c
					break
				}
			}
		} else {
			x, ok := jsonpointer.Lookup(v, l.Pointer)
			if !ok {
				continue
			}
			at.Name, at.Pointer = x, l.Pointer
		}
		if !first.Present {
			first = at
		}
		s, isString := at.Name.(string)
		if !isString || !known(s) {
			continue
		}
		if !hit.Present {
			hit = at
		} else if hit.Name != s {
			return hit, fmt.Errorf("expected one event name, found %q at %s and %q at %s", hit.Name, hit.Location, s, at.Location)
		}
	}
	if hit.Present {
		return hit, nil
	}
	return first, nil
}

// Locations returns the places a delivery carries its event name, in the
// order detection tries them: the header first when Header is set (the
// older spelling of "header:NAME"), then Pointers when there are any,
// else Pointer alone; none when nothing is declared or inferred. Entries
// were checked when the spec was loaded; one that does not parse is left
// out.
func (e EventPointer) Locations() []Location {
	var out []Location
	add := func(s string) {
		l, err := ParseLocation(s)
		if err != nil {
			return
		}
		for _, o := range out {
			if o == l {
				return
			}
		}
		out = append(out, l)
	}
	if e.Header != "" {
		add(HeaderPrefix + e.Header)
	}
	if len(e.Pointers) == 0 && e.Pointer != "" {
		add(e.Pointer)
	}
	for _, s := range e.Pointers {
		add(s)
	}
	return out
}

// BodyLocations returns the JSON pointers among e's locations: where the
// body alone names its event.
func (e EventPointer) BodyLocations() []string {
	var out []string
	for _, l := range e.Locations() {
		if !l.IsHeader() {
			out = append(out, l.Pointer)
		}
	}
	return out
}

// Sep returns the separator of qualified header names (DefaultSeparator
// when none was inferred or declared).
func (e EventPointer) Sep() string {
	if e.Separator == "" {
		return DefaultSeparator
	}
	return e.Separator
}

// locationStrings writes locs as events.pointers does.
func locationStrings(locs []Location) []string {
	out := make([]string, len(locs))
	for i, l := range locs {
		out[i] = l.String()
	}
	return out
}
