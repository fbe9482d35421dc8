package contracttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
	"github.com/hookcontract/hookcontract/runtime/hcrt"

	"github.com/santhosh-tekuri/jsonschema/v5"
)

// normalize turns jsonschema/v5's error tree into violations people can act
// on: one per failing leaf keyword; a missing required property at its own
// pointer; an additionalProperties failure at each property; a union
// resolved by its discriminator first, reporting only the chosen branch.
// Messages say what was expected and what was found, never a secret value.
// schemas finds a compiled schema by location, for the values of const and
// enum (v5's messages print numbers as strings); it may be nil.
func normalize(ve *jsonschema.ValidationError, root *jsonschema.Schema, v any, schemas map[string]*jsonschema.Schema) []Violation {
	var out []Violation
	collect(ve, &out)
	for i := range out {
		out[i] = finishMessage(out[i], root, v, schemas)
	}
	sortViolations(out)
	// The same rule can fail twice: a schema applied through two paths,
	// or two schemas saying the same (an envelope and the event schema
	// that refines it both typing a member). Report it once.
	dedup := out[:0]
	for _, x := range out {
		if n := len(dedup); n > 0 && dedup[n-1].Pointer == x.Pointer && dedup[n-1].Keyword == x.Keyword && dedup[n-1].Message == x.Message {
			continue
		}
		dedup = append(dedup, x)
	}
	return dedup
}

// keywordOf is the failing keyword of a v5 error: the last token of its
// keyword location, except for dependentRequired, whose location ends with
// the dependent member and an index.
func keywordOf(e *jsonschema.ValidationError) string {
	toks := jsonpointer.Tokens(e.KeywordLocation)
	n := len(toks)
	if n >= 3 && (toks[n-3] == "dependentRequired" || toks[n-3] == "dependencies") {
		if _, err := strconv.Atoi(toks[n-1]); err == nil {
			return toks[n-3]
		}
	}
	if n == 0 {
		return ""
	}
	return toks[n-1]
}

func collect(e *jsonschema.ValidationError, out *[]Violation) {
	kw := keywordOf(e)
	switch {
	case kw == "oneOf" || kw == "anyOf":
		if len(e.Causes) == 0 { // oneOf matched more than one branch
			msg := e.Message
			var a, b int
			if _, err := fmt.Sscanf(e.Message, "valid against schemas at indexes %d and %d", &a, &b); err == nil {
				msg = "expected exactly one of the alternatives to match, found alternatives " + strconv.Itoa(a) + " and " + strconv.Itoa(b) + " both match"
			}
			*out = append(*out, leaf(e, kw, e.InstanceLocation, msg))
			return
		}
		var chosen, all [][]Violation
		for _, branch := range e.Causes {
			var bv []Violation
			collect(branch, &bv)
			all = append(all, bv)
			if !discriminatorMismatch(bv, e.InstanceLocation) {
				chosen = append(chosen, bv)
			}
		}
		if len(chosen) == 1 {
			*out = append(*out, chosen[0]...)
			return
		}
		// No branch, or several, selected by a discriminator: what every
		// branch reports (a missing discriminator) is wrong whichever
		// was meant.
		if common := commonViolations(all); len(common) > 0 {
			*out = append(*out, common...)
			return
		}
		*out = append(*out, leaf(e, kw, e.InstanceLocation, "expected the value to match one of the "+strconv.Itoa(len(e.Causes))+" alternatives, found it matches none"))
	case kw == "required" && len(e.Causes) == 0:
		names := quotedNames(strings.TrimPrefix(e.Message, "missing properties: "))
		if len(names) == 0 {
			*out = append(*out, leaf(e, kw, e.InstanceLocation, e.Message))
			return
		}
		for _, n := range names {
			*out = append(*out, leaf(e, kw, e.InstanceLocation+"/"+jsonpointer.Escape(n), "expected required property "+strconv.Quote(n)+", found it missing"))
		}
	case (kw == "dependentRequired" || kw == "dependencies") && len(e.Causes) == 0:
		names := quotedNames(strings.TrimPrefix(e.Message, "property "))
		if i := strings.Index(e.Message, ", if "); len(names) == 1 && i >= 0 {
			dep := quotedNames(e.Message[i+len(", if "):])
			if len(dep) == 1 {
				*out = append(*out, leaf(e, "dependentRequired", e.InstanceLocation+"/"+jsonpointer.Escape(names[0]), "expected property "+strconv.Quote(names[0])+" because "+strconv.Quote(dep[0])+" is present, found it missing"))
				return
			}
		}
		*out = append(*out, leaf(e, "dependentRequired", e.InstanceLocation, e.Message))
	case kw == "additionalProperties" && len(e.Causes) == 0 && strings.HasPrefix(e.Message, "additionalProperties "):
		names := quotedNames(strings.TrimSuffix(strings.TrimPrefix(e.Message, "additionalProperties "), " not allowed"))
		for _, n := range names {
			*out = append(*out, leaf(e, kw, e.InstanceLocation+"/"+jsonpointer.Escape(n), "expected no property "+strconv.Quote(n)+" (additionalProperties is false), found it"))
		}
	case len(e.Causes) == 0 || kw == "contains":
		if e.Message == "not allowed" {
			kw = "false"
		}
		*out = append(*out, leaf(e, kw, e.InstanceLocation, e.Message))
	default:
		for _, c := range e.Causes {
			collect(c, out)
		}
	}
}

func leaf(e *jsonschema.ValidationError, kw, ptr, msg string) Violation {
	return Violation{Violation: hcrt.Violation{Pointer: ptr, Keyword: kw, Message: msg}, SchemaLocation: e.AbsoluteKeywordLocation,
		memberName: strings.Contains(e.KeywordLocation, "/propertyNames/")}
}

// discriminatorMismatch tells whether a union branch failed on the value
// that selects it: a const or enum at the union's own location or at one of
// its direct members.
func discriminatorMismatch(branch []Violation, at string) bool {
	for _, b := range branch {
		if b.Keyword != "const" && b.Keyword != "enum" {
			continue
		}
		if b.Pointer == at {
			return true
		}
		if rest, ok := strings.CutPrefix(b.Pointer, at+"/"); ok && !strings.Contains(rest, "/") {
			return true
		}
	}
	return false
}

// commonViolations returns the violations of the first branch whose
// pointer and keyword every branch reports.
func commonViolations(branches [][]Violation) []Violation {
	if len(branches) == 0 {
		return nil
	}
	var out []Violation
	for _, v := range branches[0] {
		everywhere := true
		for _, b := range branches[1:] {
			if !slices.ContainsFunc(b, func(x Violation) bool { return x.Pointer == v.Pointer && x.Keyword == v.Keyword }) {
				everywhere = false
				break
			}
		}
		if everywhere {
			out = append(out, v)
		}
	}
	return out
}

// quotedNames parses jsonschema/v5's list of quoted property names:
// 'a', 'b\'c'.
func quotedNames(s string) []string {
	var out []string
	for len(s) > 0 {
		s = strings.TrimLeft(s, ", ")
		if len(s) == 0 || s[0] != '\'' {
			return out
		}
		i := 1
		for i < len(s) && s[i] != '\'' {
			if s[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(s) {
			return out
		}
		body := strings.ReplaceAll(s[1:i], `\'`, `'`)
		body = strings.ReplaceAll(body, `"`, `\"`)
		name, err := strconv.Unquote(`"` + body + `"`)
		if err != nil {
			name = s[1:i]
		}
		out = append(out, name)
		s = s[i+1:]
	}
	return out
}

var (
	reType   = regexp.MustCompile(`^expected (.+), but got \w+$`)
	reBound  = regexp.MustCompile(`^must be ([<>]=?) (\S+) but found \S+$`)
	reLength = regexp.MustCompile(`^length must be ([<>]=) (\d+), but got (\d+)$`)
	reCount  = regexp.MustCompile(`^(?:minimum|maximum) (\d+) (items|properties) (?:required|allowed), but found (\d+) (?:items|properties)$`)
	reMulti  = regexp.MustCompile(`^\S+ not multipleOf (\S+)$`)
	reFormat = regexp.MustCompile(` is not valid '?([\w-]+)'?$`)
	reUnique = regexp.MustCompile(`^items at index (\d+) and (\d+) are equal$`)
)

// maxListed bounds the values of an enum a message lists.
const maxListed = 10

// finishMessage makes a violation's message say what was expected and what
// was found, and keeps the value of a secret field out of it.
func finishMessage(x Violation, root *jsonschema.Schema, v any, schemas map[string]*jsonschema.Schema) Violation {
	found, present := lookupPresent(v, jsonpointer.Tokens(x.Pointer))
	secret := present && secretAt(root, v, x.Pointer)
	nameOnly := x.memberName
	if nameOnly {
		// propertyNames checks the member's name, reported at the
		// member: what was found is the name, not the value.
		toks := jsonpointer.Tokens(x.Pointer)
		found, secret = toks[len(toks)-1], false
	}
	foundText := ""
	if present {
		foundText = ", found " + describeValue(found, secret)
	}

	sch := schemas[strings.TrimSuffix(x.SchemaLocation, "/"+x.Keyword)]
	msg := x.Message
	switch x.Keyword {
	case "type":
		if m := reType.FindStringSubmatch(msg); m != nil {
			x.Message = "expected " + m[1] + foundText
		}
	case "const":
		want := strings.TrimPrefix(msg, "value must be ")
		if sch != nil && len(sch.Constant) > 0 {
			want = renderJSON(sch.Constant[0])
		} else if msg == "const failed" {
			want = "the constant value"
		}
		x.Message = "expected " + want + foundText
	case "enum":
		want := strings.TrimPrefix(strings.TrimPrefix(msg, "value must be one of "), "value must be ")
		if sch != nil && len(sch.Enum) > 0 {
			vals := make([]string, 0, min(len(sch.Enum), maxListed))
			for _, e := range sch.Enum[:min(len(sch.Enum), maxListed)] {
				vals = append(vals, renderJSON(e))
			}
			want = strings.Join(vals, ", ")
			if len(sch.Enum) > maxListed {
				want += ", ... (" + strconv.Itoa(len(sch.Enum)) + " values)"
			}
		}
		x.Message = "expected one of " + want + foundText
	case "pattern":
		want := strings.TrimPrefix(msg, "does not match pattern ")
		if sch != nil && sch.Pattern != nil {
			want = sch.Pattern.String()
		}
		x.Message = "expected a string matching " + strings.Trim(want, "'") + foundText
	case "format":
		if m := reFormat.FindStringSubmatch(msg); m != nil {
			x.Message = "expected a valid " + m[1] + foundText
		} else if secret {
			x.Message = "expected a valid value" + foundText
		}
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		if m := reBound.FindStringSubmatch(msg); m != nil {
			x.Message = "expected a number " + m[1] + " " + m[2] + foundText
		} else if secret {
			x.Message = "expected a number within bounds" + foundText
		}
	case "multipleOf":
		if m := reMulti.FindStringSubmatch(msg); m != nil {
			x.Message = "expected a multiple of " + m[1] + foundText
		} else if secret {
			x.Message = "expected a multiple" + foundText
		}
	case "minLength", "maxLength":
		if m := reLength.FindStringSubmatch(msg); m != nil {
			bound := "at least "
			if m[1] == "<=" {
				bound = "at most "
			}
			x.Message = "expected " + bound + plural(m[2], "character") + ", found " + m[3]
		}
	case "minItems", "maxItems", "minProperties", "maxProperties":
		if m := reCount.FindStringSubmatch(msg); m != nil {
			bound := "at least "
			if strings.HasPrefix(x.Keyword, "max") {
				bound = "at most "
			}
			what := "item"
			if m[2] == "properties" {
				what = "member"
			}
			x.Message = "expected " + bound + plural(m[1], what) + ", found " + m[3]
		}
	case "uniqueItems":
		if m := reUnique.FindStringSubmatch(msg); m != nil {
			x.Message = "expected unique items, found items " + m[1] + " and " + m[2] + " equal"
		}
	case "false":
		x.Message = "expected no value here (the schema is false)" + foundText
	case "not":
		x.Message = "expected the value not to match the schema under not, found it matches"
	}
	if nameOnly {
		x.Message = "member name: " + x.Message
	}
	return x
}

func plural(n, what string) string {
	if n == "1" {
		return n + " " + what
	}
	return n + " " + what + "s"
}

// renderJSON renders a schema value (const, enum) as JSON.
func renderJSON(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "(unprintable)"
	}
	s := strings.TrimSuffix(b.String(), "\n")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}
