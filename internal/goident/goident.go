// Package goident is the one check of the names the generator writes into Go
// source: package names, and the names of the declarations it emits.
package goident

import (
	"go/token"
	"go/types"
)

// IsIdentifier reports whether s is a Go identifier a declaration or package
// clause may use: letters, digits and underscores not starting with a digit,
// not a keyword ("package func" does not compile) and not the blank
// identifier "_".
func IsIdentifier(s string) bool {
	return token.IsIdentifier(s) && s != "_"
}

// IsPredeclared reports whether s is one of Go's predeclared identifiers
// (string, len, nil, true, any, ...), which a package-level declaration of
// that name would shadow for the whole package.
func IsPredeclared(s string) bool {
	return types.Universe.Lookup(s) != nil
}

// IsDeclarable reports whether s may name a package-level declaration of
// generated code: an identifier that is not predeclared, since generated code
// relies on the predeclared meaning of len, string, nil and the rest.
func IsDeclarable(s string) bool {
	return IsIdentifier(s) && !IsPredeclared(s)
}
