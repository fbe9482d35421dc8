package hcrt

// URITemplateFormat is the uri-template format check of the generated
// validators (RFC 6570 with operators and modifiers), in the form
// jsonschema/v5 registers in Compiler.Formats: values that are not strings
// pass.
func URITemplateFormat(v any) bool {
	s, ok := v.(string)
	return !ok || FmtURITemplate([]byte(s))
}
