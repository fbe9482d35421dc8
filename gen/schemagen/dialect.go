package schemagen

import "strings"

// Dialect is the JSON Schema draft whose rules a schema is validated by.
// A schema resource declaring $schema uses that draft; one that does not
// uses the set's default (WithDialect), draft 2020-12 unless told.
type Dialect int

const (
	Draft2020 Dialect = iota // draft 2020-12 (the default)
	Draft2019                // draft 2019-09: $recursiveRef, items arrays and additionalItems
	Draft7                   // draft-07: definitions, dependencies, $ref overriding its siblings
	Draft4                   // draft-04: id, boolean exclusiveMinimum/exclusiveMaximum
)

func (d Dialect) version() int {
	switch d {
	case Draft2019:
		return 2019
	case Draft7:
		return 7
	case Draft4:
		return 4
	}
	return 2020
}

// String names the draft as its meta-schema does.
func (d Dialect) String() string {
	switch d {
	case Draft2019:
		return "draft 2019-09"
	case Draft7:
		return "draft-07"
	case Draft4:
		return "draft-04"
	}
	return "draft 2020-12"
}

// idKeyword is the keyword that gives a schema its URI.
func (d Dialect) idKeyword() string {
	if d == Draft4 {
		return "id"
	}
	return "$id"
}

// dialectOf maps a $schema URI to its draft (http or https, with or
// without an empty fragment), as jsonschema/v5 does.
func dialectOf(uri string) (Dialect, bool) {
	u := strings.TrimSuffix(strings.TrimSuffix(uri, "/"), "#")
	u = strings.TrimSuffix(u, "#")
	u = strings.TrimPrefix(strings.TrimPrefix(u, "http://"), "https://")
	if strings.HasPrefix(u, "spec.openapis.org/oas/3.1/dialect/") {
		return Draft2020, true // the OpenAPI 3.1 dialects: 2020-12 with the OpenAPI vocabulary
	}
	switch u {
	case "json-schema.org/draft/2020-12/schema", "json-schema.org/schema":
		return Draft2020, true
	case "json-schema.org/draft/2019-09/schema":
		return Draft2019, true
	case "json-schema.org/draft-07/schema":
		return Draft7, true
	case "json-schema.org/draft-04/schema":
		return Draft4, true
	}
	return Draft2020, false
}

// keywordDrafts gives, for each keyword that is not in every supported
// draft, the first and last draft (by version number) that defines it.
// A keyword outside its range is ignored, as the reference validator
// ignores it, and reported as a warning.
var keywordDrafts = map[string][2]int{
	"id":                    {4, 4},
	"$id":                   {7, 2020},
	"const":                 {7, 2020},
	"contains":              {7, 2020},
	"propertyNames":         {7, 2020},
	"if":                    {7, 2020},
	"then":                  {7, 2020},
	"else":                  {7, 2020},
	"additionalItems":       {4, 2019},
	"$anchor":               {2019, 2020},
	"dependentRequired":     {2019, 2020},
	"dependentSchemas":      {2019, 2020},
	"unevaluatedProperties": {2019, 2020},
	"unevaluatedItems":      {2019, 2020},
	"minContains":           {2019, 2020},
	"maxContains":           {2019, 2020},
	"$recursiveRef":         {2019, 2019},
	"$recursiveAnchor":      {2019, 2019},
	"$dynamicRef":           {2020, 2020},
	"$dynamicAnchor":        {2020, 2020},
	"prefixItems":           {2020, 2020},
}

// draftName names a version number as Dialect.String does.
func draftName(v int) string {
	switch v {
	case 4:
		return Draft4.String()
	case 7:
		return Draft7.String()
	case 2019:
		return Draft2019.String()
	}
	return Draft2020.String()
}

// Option configures a Set.
type Option func(*options)

type options struct {
	dialect              Dialect
	skipPatterns         bool
	unknownAsAnnotations bool
}

// WithDialect sets the draft of schemas that do not declare $schema.
func WithDialect(d Dialect) Option { return func(o *options) { o.dialect = d } }

// SkipUnsupportedPatterns makes a pattern Go's regexp (RE2) cannot compile
// (lookaround, backreferences) an annotation, reported as a warning,
// instead of a compile error. Such a pattern then constrains nothing.
func SkipUnsupportedPatterns() Option { return func(o *options) { o.skipPatterns = true } }

// UnknownKeywordsAsAnnotations makes a keyword no supported draft defines
// (a vendor's own, such as cloudeventTypes) an annotation, reported as a
// warning, as the reference validator ignores it, instead of a compile
// error. A misspelt keyword then constrains nothing: the warning is all
// that says so.
func UnknownKeywordsAsAnnotations() Option { return func(o *options) { o.unknownAsAnnotations = true } }
