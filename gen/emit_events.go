package gen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/hookcontract/hookcontract/gen/schemagen"
	"github.com/hookcontract/hookcontract/internal/jsonpointer"
)

func ptrLit(toks []string) jen.Code {
	vals := make([]jen.Code, len(toks))
	for i, t := range toks {
		vals[i] = jen.Lit(t)
	}
	return jen.Index().String().Values(vals...)
}

// eventPlaces returns the body members that carry the event name, and a
// description of every location for documentation ("in the X-GitHub-Event
// header (qualified by /action, joined with "-"), or at /type").
func (m *model) eventPlaces() (bodyLocs []string, where string) {
	var places []string
	for _, l := range m.eventLocs {
		if l.IsHeader() {
			place := "in the " + l.Header + " header"
			if l.Pointer != "" {
				place += fmt.Sprintf(" (qualified by %s, joined with %q)", l.Pointer, m.eventSep)
			}
			places = append(places, place)
			continue
		}
		bodyLocs = append(bodyLocs, l.Pointer)
		places = append(places, "at "+l.Pointer)
	}
	return bodyLocs, strings.Join(places, ", or ")
}

func (g *generator) emitEvents() error {
	m := g.m
	f := newFile(g.opts.Package)
	// ptr names the body members that carry the event name, for messages
	// about a body alone; where describes every location.
	bodyLocs, where := m.eventPlaces()
	ptr := strings.Join(bodyLocs, " or ")
	headerNames := strings.Join(m.headers, " or ")
	// headerOnly: the body does not carry the event name; Validate and
	// Parse cannot tell it, ValidateEvent and ParseEvent (and the handler,
	// which reads the header) can.
	headerOnly := len(bodyLocs) == 0
	noName := func() jen.Code {
		return jen.Op("&").Id("ValidationError").Values(jen.Id("Violations").Op(":").Index().Id("Violation").Values(jen.Values(
			jen.Id("Keyword").Op(":").Lit("event"),
			jen.Id("Message").Op(":").Lit("the body carries no event name (it travels in the "+headerNames+" header): use ValidateEvent or ParseEvent"),
			jen.Id("Grade").Op(":").Id("GradeGuaranteed"),
		)))
	}

	comment(f, fmt.Sprintf("EventName is the name of a %s event as sent on the wire (%s). It also\nholds names the spec does not know; Known tells them apart.", m.p.Name, where))
	f.Type().Id("EventName").String()
	var consts, names []jen.Code
	for _, e := range m.events {
		consts = append(consts, jen.Comment(fmt.Sprintf("%s is %q.", e.ConstName, e.Name)))
		consts = append(consts, jen.Id(e.ConstName).Id("EventName").Op("=").Lit(e.Name))
		names = append(names, jen.Id(e.ConstName))
	}
	if len(consts) > 0 {
		f.Const().Defs(consts...)
	}
	comment(f, "Known reports whether n is an event the spec declares.")
	f.Func().Params(jen.Id("n").Id("EventName")).Id("Known").Params().Bool().BlockFunc(func(b *jen.Group) {
		if len(names) > 0 {
			b.Switch(jen.Id("n")).Block(jen.Case(names...).Block(jen.Return(jen.True())))
		}
		b.Return(jen.False())
	})
	comment(f, "Events returns the names of every event the spec declares, sorted.")
	f.Func().Id("Events").Params().Index().Id("EventName").Block(
		jen.Return(jen.Index().Id("EventName").Values(names...)),
	)

	comment(f, "Event is a parsed delivery: one of the *...Event types of this package,\nor *UnknownEvent for a well-formed event the spec does not declare.")
	f.Type().Id("Event").Interface(
		jen.Comment("EventName returns the event's name as sent on the wire."),
		jen.Id("EventName").Params().String(),
		jen.Id("isEvent").Params(),
	)
	comment(f, "UnknownEvent is a delivery whose event name the spec does not declare:\na provider's new event. Raw holds the body as received.")
	f.Type().Id("UnknownEvent").Struct(
		jen.Id("Name").Id("EventName"),
		jen.Id("Raw").Qual(jsonPkg, "RawMessage"),
	)
	comment(f, "EventName returns the event's name.")
	f.Func().Params(jen.Id("e").Op("*").Id("UnknownEvent")).Id("EventName").Params().String().Block(jen.Return(jen.String().Parens(jen.Id("e").Dot("Name"))))
	f.Func().Params(jen.Op("*").Id("UnknownEvent")).Id("isEvent").Params().Block()

	for _, e := range m.events {
		doc := fmt.Sprintf("%s is the event %q.", e.TypeName, e.Name)
		if e.Doc != "" {
			doc += " " + e.Doc
		}
		fields := []jen.Code{
			jen.Comment("Payload is the delivered body."),
			jen.Id("Payload").Add(e.Payload.code()),
		}
		if e.Bare != nil {
			doc += "\n\nThe body may also arrive without its envelope (see ParseEvent); then Bare\nis set and Payload is zero."
			fields = append(fields, jen.Comment("Bare is the body when it arrived without its envelope."), jen.Id("Bare").Add(e.Bare.optional()))
		}
		comment(f, doc)
		f.Type().Id(e.TypeName).Struct(fields...)
		comment(f, "EventName returns "+fmt.Sprintf("%q", e.Name)+".")
		f.Func().Params(jen.Op("*").Id(e.TypeName)).Id("EventName").Params().String().Block(jen.Return(jen.String().Parens(jen.Id(e.ConstName))))
		f.Func().Params(jen.Op("*").Id(e.TypeName)).Id("isEvent").Params().Block()
	}

	var unnamed, unnamedNames []jen.Code // the webhooks whose bodies may carry no event name
	for _, e := range m.events {
		if ce := m.p.Event(e.Name); ce != nil && ce.MayOmitName() {
			unnamed = append(unnamed, jen.Id(schemagen.TapeFunc(e.Validate)))
			unnamedNames = append(unnamedNames, jen.Id(e.ConstName))
		}
	}
	if len(unnamed) > 0 {
		comment(f, "unnamedValidators check, on a parsed payload, the webhooks whose bodies\nmay carry no event name (unnamedEvents, in the same order): such a body is\nthe event of the only one that accepts it (parseUnnamed), or told by its\nroute (ParseEvent).")
		f.Var().Id("unnamedValidators").Op("=").Index().Func().Params(jen.Op("*").Qual(schemagen.RuntimePath, "State")).Op("*").Id("ValidationError").Values(unnamed...)
		f.Var().Id("unnamedEvents").Op("=").Index().Id("EventName").Values(unnamedNames...)
		comment(f, "parseUnnamed parses a body that names no event, by the rule the runner\napplies too: the only webhook that may omit the name whose schema accepts\nthe body is its event; when several accept it, it is an *UnknownEvent,\nacknowledged, never refused; ok is false when none does.")
		f.Func().Id("parseUnnamed").Params(jen.Id("st").Op("*").Qual(schemagen.RuntimePath, "State")).Params(jen.Id("ev").Id("Event"), jen.Id("drift").Index().Id("Violation"), jen.Id("ok").Bool(), jen.Id("err").Error()).Block(
			jen.Id("at").Op(":=").Lit(-1),
			jen.For(jen.List(jen.Id("i"), jen.Id("v")).Op(":=").Range().Id("unnamedValidators")).Block(
				jen.If(jen.Qual(schemagen.RuntimePath, "AsError").Call(jen.Id("v").Call(jen.Id("st"))).Op("!=").Nil()).Block(jen.Continue()),
				jen.If(jen.Id("at").Op(">=").Lit(0)).Block(
					jen.Return(jen.Op("&").Id("UnknownEvent").Values(jen.Id("Raw").Op(":").Qual("bytes", "Clone").Call(jen.Id("st").Dot("Data"))), jen.Nil(), jen.True(), jen.Nil()),
				),
				jen.Id("at").Op("=").Id("i"),
			),
			jen.If(jen.Id("at").Op("<").Lit(0)).Block(jen.Return(jen.Nil(), jen.Nil(), jen.False(), jen.Nil())),
			// the tape its validator accepted, decoded with its envelope
			jen.List(jen.Id("ev"), jen.Id("drift"), jen.Id("err")).Op("=").Id("decodeEvent").Call(jen.Id("unnamedEvents").Index(jen.Id("at")), jen.Id("st"), jen.False()),
			jen.Return(jen.Id("ev"), jen.Id("drift"), jen.True(), jen.Id("err")),
		)
	}
	var locVals []jen.Code
	for _, l := range m.eventLocs {
		fields := []jen.Code{jen.Id("Name").Op(":").Lit(l.String())}
		if l.IsHeader() {
			fields = append(fields, jen.Id("Header").Op(":").Lit(l.Header))
		}
		if toks := jsonpointer.Tokens(l.Pointer); len(toks) > 0 {
			fields = append(fields, jen.Id("Pointer").Op(":").Add(ptrLit(toks)))
		}
		locVals = append(locVals, jen.Values(fields...))
	}
	comment(f, "eventLocations are the places a delivery carries its event name, in the\norder detection tries them (findDelivery); eventSeparator joins a\nqualified header's value and its qualifier.")
	f.Var().Id("eventLocations").Op("=").Index().Id("eventLocation").Values(locVals...)
	f.Const().Id("eventSeparator").Op("=").Lit(m.eventSep)
	comment(f, "knownEvent reports whether name is an event the spec declares.")
	f.Func().Id("knownEvent").Params(jen.Id("name").Index().Byte()).Bool().BlockFunc(func(b *jen.Group) {
		if len(m.events) > 0 {
			var names []jen.Code
			for _, e := range m.events {
				names = append(names, jen.Lit(e.Name))
			}
			b.Switch(jen.String().Call(jen.Id("name"))).Block(jen.Case(names...).Block(jen.Return(jen.True())))
		}
		b.Return(jen.False())
	})
	comment(f, "eventName is name as an EventName: a declared event's constant, without\ncopying name, or a copy of any other.")
	f.Func().Id("eventName").Params(jen.Id("name").Index().Byte()).Id("EventName").BlockFunc(func(b *jen.Group) {
		if len(m.events) > 0 {
			b.Switch(jen.String().Call(jen.Id("name"))).BlockFunc(func(sw *jen.Group) {
				for _, e := range m.events {
					sw.Case(jen.Lit(e.Name)).Block(jen.Return(jen.Id(e.ConstName)))
				}
			})
		}
		b.Return(jen.Id("EventName").Call(jen.Id("name")))
	})

	// validatorFor: event name -> validator, bare validator
	comment(f, "validatorFor returns the validators of a declared event, on a parsed\npayload (see hcrt.Scan): for the body with its envelope, and (or nil) for the\nbare body.")
	f.Func().Id("validatorFor").Params(jen.Id("name").Id("EventName")).Params(jen.Id("envelope"), jen.Id("bare").Func().Params(jen.Op("*").Qual(schemagen.RuntimePath, "State")).Op("*").Id("ValidationError"), jen.Id("ok").Bool()).BlockFunc(func(b *jen.Group) {
		if len(m.events) > 0 {
			b.Switch(jen.Id("name")).BlockFunc(func(sw *jen.Group) {
				for _, e := range m.events {
					bare := jen.Code(jen.Nil())
					if e.ValidateB != "" {
						bare = jen.Id(schemagen.TapeFunc(e.ValidateB))
					}
					sw.Case(jen.Id(e.ConstName)).Block(jen.Return(jen.Id(schemagen.TapeFunc(e.Validate)), bare, jen.True()))
				}
			})
		}
		b.Return(jen.Nil(), jen.Nil(), jen.False())
	})

	requestNote := ""
	if len(m.requests) > 0 {
		var rs []string
		for _, r := range m.requests {
			rs = append(rs, fmt.Sprintf("a %s request (when %s is present)", r.OperationID, "/"+strings.Join(r.Present, "/")))
		}
		requestNote = "\n\nIt also checks " + strings.Join(rs, ", ") + "."
	}
	named := "at " + ptr
	if headerOnly {
		named = where
	}
	comment(f, fmt.Sprintf("Validate checks a delivered body against the contract of the event named\n%s, and returns a *ValidationError listing every violation (nil when\nthe body conforms, drift included: see Check). A body that is not JSON, names no event, or names an\nevent the spec does not declare is a violation too.%s", named, requestNote))
	f.Func().Id("Validate").Params(jen.Id("data").Index().Byte()).Error().Block(jen.Return(jen.Qual(schemagen.RuntimePath, "AsError").Call(jen.Id("graded").Call(jen.Id("data"), jen.False()))))
	f.Comment("graded is Validate returning drift too (see Check) when drift is set; without it, a")
	f.Comment("body that breaks expectations only may come back without a violation.")
	f.Func().Id("graded").Params(jen.Id("data").Index().Byte(), driftParam(headerOnly)).Op("*").Id("ValidationError").BlockFunc(func(b *jen.Group) {
		if headerOnly {
			b.If(jen.Id("v").Op(":=").Id("validateJSON").Call(jen.Id("data")), jen.Id("v").Op("!=").Nil()).Block(jen.Return(jen.Id("v")))
			b.Return(noName())
			return
		}
		// One parse: the event is read from the tape the validator checks.
		b.Id("st").Op(":=").Qual(schemagen.RuntimePath, "Scan").Call(jen.Id("data"))
		b.Defer().Id("st").Dot("Release").Call()
		b.Add(discardDrift())
		b.If(jen.Op("!").Id("st").Dot("Parsed")).Block(jen.Return(jen.Id("st").Dot("Check").Call(jen.Nil())))
		b.List(jen.Id("name"), jen.Id("isString"), jen.Id("present"), jen.Id("amb")).Op(":=").Id("findEvent").Call(jen.Id("st").Dot("Lookup"))
		b.If(jen.Id("amb").Op("!=").Nil()).Block(jen.Return(jen.Id("amb")))
		b.If(jen.Id("present").Op("&&").Id("isString")).Block(
			jen.If(jen.Id("v").Op(",").Id("_").Op(",").Id("ok").Op(":=").Id("validatorFor").Call(jen.Id("eventName").Call(jen.Id("name"))), jen.Id("ok")).Block(
				jen.Return(jen.Id("v").Call(jen.Id("st"))),
			),
		)
		for _, r := range m.requests {
			b.If(jen.Id("_").Op(",").Id("_").Op(",").Id("ok").Op(":=").Id("st").Dot("Lookup").Call(ptrLit(r.Present)), jen.Op("!").Id("present").Op("&&").Id("ok")).Block(
				jen.Return(jen.Id(schemagen.TapeFunc(r.Validate)).Call(jen.Id("st"))),
			)
		}
		if len(unnamed) > 0 {
			// A body naming no event that the schema of a webhook whose
			// bodies carry no event name accepts is that webhook's.
			b.If(jen.Op("!").Id("present")).Block(
				jen.For(jen.List(jen.Id("_"), jen.Id("v")).Op(":=").Range().Id("unnamedValidators")).Block(
					jen.If(jen.Id("vr").Op(":=").Id("v").Call(jen.Id("st")), jen.Qual(schemagen.RuntimePath, "AsError").Call(jen.Id("vr")).Op("==").Nil()).Block(jen.Return(jen.Id("vr"))),
				),
			)
		}
		b.Return(jen.Id("eventViolation").Call(jen.Id("data"), jen.Lit(ptr), jen.Id("name"), jen.Id("isString"), jen.Id("present")))
	})

	comment(f, "ValidateEvent checks a body said to be the event named event: with its\nenvelope when the body carries an event name, else as the bare body when\nthe event has a bare form (SalesIQ entities, Ampersand data-only bodies).\nFor a request body, pass its operationId.")
	f.Func().Id("ValidateEvent").Params(jen.Id("event").String(), jen.Id("data").Index().Byte()).Error().Block(jen.Return(jen.Qual(schemagen.RuntimePath, "AsError").Call(jen.Id("gradedEvent").Call(jen.Id("event"), jen.Id("data"), jen.False()))))
	f.Comment("gradedEvent is ValidateEvent returning drift too (see CheckEvent) when drift is set.")
	f.Func().Id("gradedEvent").Params(jen.Id("event").String(), jen.Id("data").Index().Byte(), driftParam(false)).Op("*").Id("ValidationError").BlockFunc(func(b *jen.Group) {
		for _, r := range m.requests {
			b.If(jen.Id("event").Op("==").Lit(r.OperationID)).Block(jen.Return(jen.Id(r.Validate).Call(jen.Id("data"))))
		}
		b.List(jen.Id("envelope"), jen.Id("bare"), jen.Id("ok")).Op(":=").Id("validatorFor").Call(jen.Id("EventName").Call(jen.Id("event")))
		b.If(jen.Op("!").Id("ok")).Block(
			jen.Return(jen.Op("&").Id("ValidationError").Values(jen.Id("Violations").Op(":").Index().Id("Violation").Values(jen.Values(
				jen.Id("Keyword").Op(":").Lit("event"),
				jen.Id("Message").Op(":").Qual("fmt", "Sprintf").Call(jen.Lit("expected an event the spec declares, found %q"), jen.Id("event")),
				jen.Id("Grade").Op(":").Id("GradeGuaranteed"),
			)))),
		)
		b.Id("st").Op(":=").Qual(schemagen.RuntimePath, "Scan").Call(jen.Id("data"))
		b.Defer().Id("st").Dot("Release").Call()
		b.Add(discardDrift())
		b.If(jen.List(jen.Id("_"), jen.Id("_"), jen.Id("present"), jen.Id("_")).Op(":=").Id("findEvent").Call(jen.Id("st").Dot("Lookup")), jen.Op("!").Id("present").Op("&&").Id("bare").Op("!=").Nil()).Block(
			jen.Return(jen.Id("bare").Call(jen.Id("st"))),
		)
		b.Return(jen.Id("envelope").Call(jen.Id("st")))
	})

	comment(f, "Parse detects the event of a delivered body, validates it and decodes it\ninto its typed event. A well-formed body naming an event the spec does not\ndeclare is returned as *UnknownEvent, not as an error. A body that breaks\nexpectations only (drift, see Check) is accepted. Numbers keep every\ndigit.")
	f.Func().Id("Parse").Params(jen.Id("data").Index().Byte()).Params(jen.Id("Event"), jen.Error()).Block(
		jen.List(jen.Id("ev"), jen.Id("_"), jen.Id("err")).Op(":=").Id("parse").Call(jen.Id("data"), jen.False()),
		jen.Return(jen.Id("ev"), jen.Id("err")),
	)
	f.Comment("parse is Parse returning the drift of an accepted body too, the expectations it")
	f.Comment("breaks, when drift is set.")
	if headerOnly {
		f.Func().Id("parse").Params(jen.Id("data").Index().Byte(), driftParam(true)).Params(jen.Id("Event"), jen.Index().Id("Violation"), jen.Error()).Block(
			jen.If(jen.Id("v").Op(":=").Id("validateJSON").Call(jen.Id("data")), jen.Id("v").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Id("v"))),
			jen.Return(jen.Nil(), jen.Nil(), noName()),
		)
	} else {
		f.Func().Id("parse").Params(jen.Id("data").Index().Byte(), driftParam(false)).Params(jen.Id("Event"), jen.Index().Id("Violation"), jen.Error()).Block(
			// One scan: the event is found on the tape its validator and decoder read.
			jen.Id("st").Op(":=").Qual(schemagen.RuntimePath, "Scan").Call(jen.Id("data")),
			jen.Defer().Id("st").Dot("Release").Call(),
			discardDrift(),
			jen.Return(jen.Id("parseTape").Call(jen.Id("st"))),
		)
		f.Comment("parseTape is parse on a scanned body.")
		f.Func().Id("parseTape").Params(jen.Id("st").Op("*").Qual(schemagen.RuntimePath, "State")).Params(jen.Id("Event"), jen.Index().Id("Violation"), jen.Error()).Block(
			jen.Id("data").Op(":=").Id("st").Dot("Data"),
			jen.List(jen.Id("name"), jen.Id("isString"), jen.Id("present"), jen.Id("amb")).Op(":=").Id("findEvent").Call(jen.Id("st").Dot("Lookup")),
			jen.If(jen.Id("amb").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Id("amb"))),
			jen.If(jen.Id("present").Op("&&").Id("isString").Op("&&").Op("!").Id("knownEvent").Call(jen.Id("name"))).Block(
				jen.If(jen.Id("err").Op(":=").Qual(schemagen.RuntimePath, "AsError").Call(jen.Id("validateJSONTape").Call(jen.Id("st"))), jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Id("err"))),
				jen.Return(jen.Op("&").Id("UnknownEvent").Values(jen.Id("Name").Op(":").Id("EventName").Call(jen.String().Call(jen.Id("name"))), jen.Id("Raw").Op(":").Qual("bytes", "Clone").Call(jen.Id("data"))), jen.Nil(), jen.Nil()),
			),
			jen.If(jen.Id("present").Op("&&").Id("isString")).Block(
				// The event is known: validate with its validator and decode the same tape.
				jen.Return(jen.Id("decodeEvent").Call(jen.Id("eventName").Call(jen.Id("name")), jen.Id("st"), jen.False())),
			),
			jen.Do(func(s *jen.Statement) {
				if len(unnamed) == 0 {
					s.Null()
					return
				}
				// Told by its schema, or by its route: never refused.
				s.If(jen.Op("!").Id("present")).Block(
					jen.If(jen.List(jen.Id("ev"), jen.Id("drift"), jen.Id("ok"), jen.Id("err")).Op(":=").Id("parseUnnamed").Call(jen.Id("st")), jen.Id("ok")).Block(
						jen.Return(jen.Id("ev"), jen.Id("drift"), jen.Id("err")),
					),
				)
			}),
			jen.If(jen.Id("err").Op(":=").Id("Validate").Call(jen.Id("data")), jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Id("err"))),
			jen.Return(jen.Nil(), jen.Nil(), jen.Qual("errors", "New").Call(jen.Lit("body is a request, not an event: use ValidateEvent"))),
		)
	}

	comment(f, "parseDelivery parses a delivery the handler received, reading the event\nname from the request's header too when the spec says it travels there\n(findDelivery on the scanned body), and returns the drift of an accepted\nbody too.")
	hdr := "h"
	if len(m.headers) == 0 {
		hdr = "_"
	}
	f.Func().Id("parseDelivery").Params(jen.Id(hdr).Qual("net/http", "Header"), jen.Id("data").Index().Byte()).Params(jen.Id("Event"), jen.Index().Id("Violation"), jen.Error()).BlockFunc(func(b *jen.Group) {
		if len(m.headers) == 0 {
			b.Return(jen.Id("parse").Call(jen.Id("data"), jen.True()))
			return
		}
		// One scan: the header and the tape tell the event, its validator and
		// decoder read the same tape.
		b.Id("st").Op(":=").Qual(schemagen.RuntimePath, "Scan").Call(jen.Id("data"))
		b.Defer().Id("st").Dot("Release").Call()
		b.List(jen.Id("name"), jen.Id("isString"), jen.Id("present"), jen.Id("amb")).Op(":=").Id("findDelivery").Call(jen.Id("h"), jen.Id("st").Dot("Lookup"))
		b.If(jen.Id("amb").Op("!=").Nil()).Block(
			jen.If(jen.Id("v").Op(":=").Id("validateJSONTape").Call(jen.Id("st")), jen.Id("v").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Id("v"))),
			jen.Return(jen.Nil(), jen.Nil(), jen.Id("amb")),
		)
		b.If(jen.Id("present").Op("&&").Id("isString").Op("&&").Op("!").Id("knownEvent").Call(jen.Id("name"))).Block(
			jen.If(jen.Id("err").Op(":=").Qual(schemagen.RuntimePath, "AsError").Call(jen.Id("validateJSONTape").Call(jen.Id("st"))), jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Id("err"))),
			jen.Return(jen.Op("&").Id("UnknownEvent").Values(jen.Id("Name").Op(":").Id("EventName").Call(jen.String().Call(jen.Id("name"))), jen.Id("Raw").Op(":").Qual("bytes", "Clone").Call(jen.Id("data"))), jen.Nil(), jen.Nil()),
		)
		b.If(jen.Id("present").Op("&&").Id("isString")).Block(
			// a declared event: its bare form when the body names no event (as ParseEvent)
			jen.List(jen.Id("_"), jen.Id("bare"), jen.Id("_")).Op(":=").Id("validatorFor").Call(jen.Id("eventName").Call(jen.Id("name"))),
			jen.List(jen.Id("_"), jen.Id("_"), jen.Id("inBody"), jen.Id("_")).Op(":=").Id("findEvent").Call(jen.Id("st").Dot("Lookup")),
			jen.Return(jen.Id("decodeEvent").Call(jen.Id("eventName").Call(jen.Id("name")), jen.Id("st"), jen.Op("!").Id("inBody").Op("&&").Id("bare").Op("!=").Nil())),
		)
		if headerOnly {
			b.If(jen.Id("v").Op(":=").Id("validateJSONTape").Call(jen.Id("st")), jen.Id("v").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Id("v")))
			b.Return(jen.Nil(), jen.Nil(), jen.Op("&").Id("ValidationError").Values(jen.Id("Violations").Op(":").Index().Id("Violation").Values(jen.Values(
				jen.Id("Keyword").Op(":").Lit("event"),
				jen.Id("Message").Op(":").Lit("expected the event name in the "+headerNames+" header, found it missing"),
				jen.Id("Grade").Op(":").Id("GradeGuaranteed"),
			))))
			return
		}
		// What the header does not tell, the body alone does (or says why not).
		b.Return(jen.Id("parseTape").Call(jen.Id("st")))
	})

	comment(f, "ParseEvent validates a body said to be the event named event (see\nValidateEvent) and decodes it into its typed event; a bare body is decoded\ninto the event's Bare field.")
	f.Func().Id("ParseEvent").Params(jen.Id("event").String(), jen.Id("data").Index().Byte()).Params(jen.Id("Event"), jen.Error()).Block(
		jen.List(jen.Id("ev"), jen.Id("_"), jen.Id("err")).Op(":=").Id("parseEvent").Call(jen.Id("event"), jen.Id("data"), jen.False()),
		jen.Return(jen.Id("ev"), jen.Id("err")),
	)
	f.Comment("parseEvent is ParseEvent returning the drift of an accepted body too, the")
	f.Comment("expectations it breaks, when drift is set.")
	f.Func().Id("parseEvent").Params(jen.Id("event").String(), jen.Id("data").Index().Byte(), driftParam(false)).Params(jen.Id("Event"), jen.Index().Id("Violation"), jen.Error()).Block(
		jen.List(jen.Id("_"), jen.Id("bare"), jen.Id("ok")).Op(":=").Id("validatorFor").Call(jen.Id("EventName").Call(jen.Id("event"))),
		jen.Do(func(s *jen.Statement) {
			// a request's operationId is validated as the request
			var cond []jen.Code
			for _, r := range m.requests {
				cond = append(cond, jen.Id("event").Op("==").Lit(r.OperationID))
			}
			if len(cond) == 0 {
				s.Null()
				return
			}
			c := jen.Add(cond[0])
			for _, x := range cond[1:] {
				c = c.Op("||").Add(x)
			}
			s.If(c).Block(jen.Id("ok").Op("=").False())
		}),
		jen.If(jen.Op("!").Id("ok")).Block(
			jen.If(jen.Id("err").Op(":=").Qual(schemagen.RuntimePath, "AsError").Call(jen.Id("gradedEvent").Call(jen.Id("event"), jen.Id("data"), jen.Id("drift"))), jen.Id("err").Op("!=").Nil()).Block(jen.Return(jen.Nil(), jen.Nil(), jen.Id("err"))),
			jen.Return(jen.Nil(), jen.Nil(), jen.Qual("fmt", "Errorf").Call(jen.Lit("%q is a request, not an event"), jen.Id("event"))),
		),
		jen.Id("st").Op(":=").Qual(schemagen.RuntimePath, "Scan").Call(jen.Id("data")),
		jen.Defer().Id("st").Dot("Release").Call(),
		discardDrift(),
		jen.List(jen.Id("_"), jen.Id("_"), jen.Id("present"), jen.Id("_")).Op(":=").Id("findEvent").Call(jen.Id("st").Dot("Lookup")),
		jen.Return(jen.Id("decodeEvent").Call(jen.Id("EventName").Call(jen.Id("event")), jen.Id("st"), jen.Op("!").Id("present").Op("&&").Id("bare").Op("!=").Nil())),
	)

	comment(f, "decodeEvent validates the scanned body st of the event named name (its\nbare form when bare) and decodes the same tape; it returns the drift of an\naccepted body too.")
	f.Func().Id("decodeEvent").Params(jen.Id("name").Id("EventName"), jen.Id("st").Op("*").Qual(schemagen.RuntimePath, "State"), jen.Id("bare").Bool()).Params(jen.Id("Event"), jen.Index().Id("Violation"), jen.Error()).BlockFunc(func(b *jen.Group) {
		if len(m.events) > 0 {
			b.Switch(jen.Id("name")).BlockFunc(func(sw *jen.Group) {
				for _, e := range m.events {
					sw.Case(jen.Id(e.ConstName)).Block(jen.Return(jen.Id(eventDecFunc(e)).Call(jen.Id("st"), jen.Id("bare"))))
				}
			})
		}
		b.Id("_").Op("=").Id("bare")
		// a copy of name: the callers' conversions of the bytes to a name then stay on their stack
		b.Return(jen.Op("&").Id("UnknownEvent").Values(jen.Id("Name").Op(":").Id("EventName").Call(jen.Qual("strings", "Clone").Call(jen.String().Call(jen.Id("name")))), jen.Id("Raw").Op(":").Qual("bytes", "Clone").Call(jen.Id("st").Dot("Data"))), jen.Nil(), jen.Nil())
	})

	// Handler
	comment(f, fmt.Sprintf("Handler has one method per %s event. Embed UnimplementedHandler to\nacknowledge the events you do not handle. A method's error makes NewHandler\nanswer 500, so the provider retries the delivery.", m.p.Name))
	f.Type().Id("Handler").InterfaceFunc(func(ig *jen.Group) {
		for _, e := range m.events {
			ig.Comment(fmt.Sprintf("On%s handles %q.", e.GoName, e.Name))
			ig.Id("On"+e.GoName).Params(jen.Qual("context", "Context"), jen.Op("*").Id(e.TypeName)).Error()
		}
	})
	comment(f, "UnimplementedHandler acknowledges every event without doing anything.\nEmbed it in your Handler to implement only the events you need.")
	f.Type().Id("UnimplementedHandler").Struct()
	for _, e := range m.events {
		comment(f, fmt.Sprintf("On%s acknowledges %q.", e.GoName, e.Name))
		f.Func().Params(jen.Id("UnimplementedHandler")).Id("On"+e.GoName).Params(jen.Qual("context", "Context"), jen.Op("*").Id(e.TypeName)).Error().Block(jen.Return(jen.Nil()))
	}
	comment(f, "Dispatch calls the Handler method of e's event. An *UnknownEvent is not\ndispatched: Dispatch returns nil.")
	f.Func().Id("Dispatch").Params(jen.Id("ctx").Qual("context", "Context"), jen.Id("h").Id("Handler"), jen.Id("e").Id("Event")).Error().BlockFunc(func(b *jen.Group) {
		b.Switch(jen.Id("e").Op(":=").Id("e").Assert(jen.Type())).BlockFunc(func(sw *jen.Group) {
			for _, e := range m.events {
				sw.Case(jen.Op("*").Id(e.TypeName)).Block(jen.Return(jen.Id("h").Dot("On"+e.GoName).Call(jen.Id("ctx"), jen.Id("e"))))
			}
		})
		b.Return(jen.Nil())
	})
	return g.put(FilePrefix+"events.go", []byte(f.GoString()))
}

// driftParam is the parameter "drift bool" of the functions that return
// drift only when asked (graded, gradedEvent, parse, parseEvent); "_" where
// the function never scans the body.
func driftParam(unused bool) jen.Code {
	if unused {
		return jen.Id("_").Bool()
	}
	return jen.Id("drift").Bool()
}

// discardDrift is `if !drift { st.DiscardDrift() }`: a caller that drops
// drift lets the acceptors decide on guarantees alone.
func discardDrift() jen.Code {
	return jen.If(jen.Op("!").Id("drift")).Block(jen.Id("st").Dot("DiscardDrift").Call())
}
