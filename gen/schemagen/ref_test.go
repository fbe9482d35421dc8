package schemagen

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hookcontract/hookcontract/runtime/hcrt"
	jsonschema "github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/hookcontract/hookcontract/internal/expect"
)

// refCompile compiles root with the reference validator: jsonschema/v5,
// draft 2020-12, formats asserted, resources registered under their URIs.
func refCompile(resources map[string][]byte, root string) (*jsonschema.Schema, error) {
	return refCompileDraft(resources, root, jsonschema.Draft2020)
}

// refCompileDraft is refCompile with draft as the default dialect.
func refCompileDraft(resources map[string][]byte, root string, draft *jsonschema.Draft) (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.Draft = draft
	c.AssertFormat = true
	c.Formats["uri-template"] = hcrt.URITemplateFormat // as the runner registers it
	expect.Register(c)                                 // expectations are compiled, never validated
	c.LoadURL = func(s string) (io.ReadCloser, error) {
		return nil, &json.UnsupportedValueError{Str: "no loading: " + s}
	}
	for _, uri := range sortedKeys(resources) {
		if err := c.AddResource(uri, bytes.NewReader(resources[uri])); err != nil {
			return nil, err
		}
	}
	return c.Compile(root)
}

// refValid is the reference answer for a payload: it must be one JSON
// value (decoded with UseNumber, no trailing data, valid UTF-8) that the
// schema accepts.
func refValid(s *jsonschema.Schema, data []byte) (valid bool, err error) {
	v, ok := refDecode(data)
	if !ok {
		return false, nil
	}
	defer func() {
		if r := recover(); r != nil {
			valid, err = false, &json.UnsupportedValueError{Str: "reference validator panicked"}
		}
	}()
	return s.Validate(v) == nil, nil
}

func refDecode(data []byte) (any, bool) {
	if !utf8.Valid(data) {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	if strings.HasPrefix(string(data), "\ufeff") {
		return nil, false
	}
	return v, true
}
