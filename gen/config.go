package gen

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hookcontract/hookcontract/internal/contract"
	"github.com/hookcontract/hookcontract/internal/goident"
)

// Config is a hookcontract.yaml file: the packages `hookcontract generate
// --config` writes. Its JSON Schema (for editors) is ConfigSchema.
type Config struct {
	Version  string          `yaml:"version"`
	Packages []PackageConfig `yaml:"packages"`
}

// PackageConfig is one generated package.
type PackageConfig struct {
	Provider string `yaml:"provider,omitempty"` // an embedded spec, by provider name
	Spec     string `yaml:"spec,omitempty"`     // or a spec file, relative to the config file
	// Catalog is a folder of plain JSON Schema files, one per event and no
	// OpenAPI document, relative to the config file; events.map (or
	// events.keyword) says which file is which event's.
	Catalog string `yaml:"catalog,omitempty"`
	// Dialect is the draft of catalog files that declare no $schema:
	// draft-04, draft-07, 2019-09 or 2020-12 (the default).
	Dialect string `yaml:"dialect,omitempty"`
	Package string `yaml:"package"` // Go package name
	Out     string `yaml:"out"`     // output directory, relative to the config file
	// Events says what a vendor's document does not, without editing it.
	Events *EventsConfig `yaml:"events,omitempty"`
	// Types chooses Go types where more than one fits.
	Types *TypesConfig `yaml:"types,omitempty"`
}

// TypesConfig chooses Go types where more than one fits.
type TypesConfig struct {
	// DateTime is the Go type of `format: date-time` strings: "string"
	// (the default) or "time" (a DateTime: a time.Time that marshals back
	// the text it was decoded from).
	DateTime string `yaml:"date-time,omitempty"`
}

// TypeOptions returns the generator options p's types section asks for.
func (p PackageConfig) TypeOptions() TypeOptions {
	if p.Types == nil {
		return TypeOptions{}
	}
	return TypeOptions{DateTime: p.Types.DateTime}
}

// EventsConfig declares a spec's events where the document does not say
// enough: components-only documents, and event names no member pins.
type EventsConfig struct {
	// Pointer is where a body carries its event name (inferred when empty).
	Pointer string `yaml:"pointer,omitempty"`
	// Pointers lists every place a delivery may carry its event name, in
	// the order detection tries them (after Pointer, when both are given):
	// a JSON pointer into the body (/type), or a request header
	// (header:X-Event), optionally qualified by a body member
	// (header:X-GitHub-Event/action: issues and opened is issues-opened).
	// The first that names a known event wins.
	Pointers []string `yaml:"pointers,omitempty"`
	// Header is the request header that carries the event name: the same
	// as "header:NAME" first in Pointers.
	Header string `yaml:"header,omitempty"`
	// Map maps event names to their body schema, a reference relative to
	// the document ("#/components/schemas/Created").
	Map map[string]string `yaml:"map,omitempty"`
	// Keyword, for a catalog, adds every event name a schema file lists
	// in this root keyword of its own (cloudeventTypes), mapped to that
	// file.
	Keyword string `yaml:"keyword,omitempty"`
}

// ConfigSchema is the JSON Schema of hookcontract.yaml.
//
//go:embed hookcontract.schema.json
var ConfigSchema []byte

// ParseConfig decodes a hookcontract.yaml strictly: unknown keys, a
// missing or unknown version, and incomplete packages are errors.
func ParseConfig(data []byte) (*Config, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c Config
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	if c.Version != "1" {
		return nil, fmt.Errorf("version: expected \"1\", found %q", c.Version)
	}
	if len(c.Packages) == 0 {
		return nil, errors.New("packages: expected at least one package")
	}
	var errs []error
	outs := map[string]int{}
	for i, p := range c.Packages {
		at := fmt.Sprintf("packages[%d]", i)
		switch {
		case btoi(p.Provider != "")+btoi(p.Spec != "")+btoi(p.Catalog != "") != 1:
			errs = append(errs, fmt.Errorf("%s: expected exactly one of provider, spec and catalog", at))
		case p.Catalog != "" && (p.Events == nil || len(p.Events.Map) == 0 && p.Events.Keyword == ""):
			errs = append(errs, fmt.Errorf("%s.events: a catalog needs an event map (events.map or events.keyword)", at))
		case !goident.IsIdentifier(p.Package):
			errs = append(errs, fmt.Errorf("%s.package: expected a Go package name, found %q", at, p.Package))
		case strings.TrimSpace(p.Out) == "":
			errs = append(errs, fmt.Errorf("%s.out: expected an output directory", at))
		}
		if p.Dialect != "" && p.Catalog == "" {
			errs = append(errs, fmt.Errorf("%s.dialect: only a catalog's files are read by a configured draft (a document's schemas follow the document)", at))
		}
		if ev := p.Events; ev != nil {
			if ev.Pointer != "" && !strings.HasPrefix(ev.Pointer, "/") {
				errs = append(errs, fmt.Errorf("%s.events.pointer: expected a JSON pointer such as /type, found %q", at, ev.Pointer))
			}
			for k, ptr := range ev.Pointers {
				if _, err := contract.ParseLocation(ptr); err != nil {
					errs = append(errs, fmt.Errorf("%s.events.pointers[%d]: %w", at, k, err))
				}
			}
			if p.Provider != "" {
				errs = append(errs, fmt.Errorf("%s.events: an embedded spec declares its events itself", at))
			}
			if ev.Keyword != "" && p.Catalog == "" {
				errs = append(errs, fmt.Errorf("%s.events.keyword: only a catalog's files list their events", at))
			}
		}
		if err := p.TypeOptions().check(); err != nil {
			errs = append(errs, fmt.Errorf("%s.%w", at, err))
		}
		if j, ok := outs[p.Out]; ok && p.Out != "" {
			errs = append(errs, fmt.Errorf("%s.out: %q is also the output of packages[%d]", at, p.Out, j))
		}
		outs[p.Out] = i
	}
	return &c, errors.Join(errs...)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
