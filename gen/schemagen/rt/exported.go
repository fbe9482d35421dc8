package rt

// This file is not copied into generated packages (schemagen.Runtime
// embeds the other files): it exports runtime checks for code of this
// module that must judge exactly as the generated validators do.

// URITemplateFormat is the uri-template format check of the generated
// validators (RFC 6570 with operators and modifiers), in the form
// jsonschema/v5 registers in Compiler.Formats: values that are not strings
// pass.
func URITemplateFormat(v any) bool {
	s, ok := v.(string)
	return !ok || hcFmtURITemplate([]byte(s))
}

// The bounds on numbers: a number with more characters before its
// exponent, or more exponent digits (leading zeros aside), is refused with
// a number-size violation. The contract test runner uses the same
// constants (contracttest.MaxNumberChars, contracttest.MaxExponentDigits).
const (
	MaxNumberChars    = hcMaxNumberChars
	MaxExponentDigits = hcMaxExponentDigits
)
