package contracttest

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Formats a report can be written in.
var Formats = []string{"text", "json", "junit", "github"}

// Write writes the report in one of Formats.
func (r *Report) Write(w io.Writer, format string, strict bool) error {
	switch format {
	case "text":
		return r.writeText(w, strict)
	case "json":
		return r.writeJSON(w, strict)
	case "junit":
		return r.writeJUnit(w, strict)
	case "github":
		return r.writeGitHub(w, strict)
	}
	return fmt.Errorf("unknown format %q (expected %s)", format, strings.Join(Formats, ", "))
}

func (r *Result) title() string {
	switch {
	case r.Provider == "" && r.Event == "":
		return "unknown"
	case r.Event == "":
		return r.Provider + "/?"
	}
	t := r.Provider + "/" + r.Event
	if r.Qualifier != "" {
		t += " (" + r.Qualifier + ")"
	}
	return t
}

// classname is a result's JUnit class: provider.event.
func (r *Result) classname() string {
	switch {
	case r.Provider == "" && r.Event == "":
		return "unknown"
	case r.Event == "":
		return r.Provider
	}
	return r.Provider + "." + r.Event
}

func (r *Report) writeText(w io.Writer, strict bool) error {
	ew := &errWriter{w: w}
	for i := range r.Results {
		res := &r.Results[i]
		if res.Verdict == Pass {
			continue
		}
		label := "drift"
		if strict {
			label = "drift, fails with --strict"
		}
		if res.Verdict == Drift {
			ew.printf("%s  %s  [%s]\n", res.Location(), res.title(), label)
			for _, l := range res.driftLines() {
				ew.printf("  %s\n", l)
			}
		} else {
			ew.printf("%s  %s\n", res.Location(), res.title())
		}
		for _, v := range res.Violations {
			ew.printf("  %s: %s: %s [%s]\n", res.position(v), orRoot(v.Pointer), v.Message, v.tag())
			if v.SchemaLocation != "" {
				ew.printf("    schema: %s\n", v.SchemaLocation)
			}
		}
	}
	for _, sk := range r.Skipped {
		ew.printf("skipped %s: %s\n", sk.Path, sk.Reason)
	}
	ew.printf("%s", r.summaryLines(strict))
	return ew.err
}

// driftLines say what a drifting payload carries that the contract does
// not know.
func (r *Result) driftLines() []string {
	var out []string
	if r.UnknownEvent {
		out = append(out, fmt.Sprintf("event %q is not in the contract; a generated handler acknowledges it and ignores it [drift]", r.Event))
	}
	for _, u := range r.Unknown {
		out = append(out, u+": property not in the contract [drift]")
	}
	return out
}

// where is the line and column in the input of a violation: an NDJSON
// payload's line in the file and the column in that line, or the line
// and column in a whole-file payload. 0 when it is not known.
func (r *Result) where(v Violation) (line, col int) {
	switch {
	case r.Line > 0:
		return r.Line, v.Column
	case v.Line > 0:
		return v.Line, v.Column
	}
	return 0, 0
}

// tag is the bracketed note after a violation: its keyword, and its
// grade when it is an expectation.
func (v Violation) tag() string {
	if v.Grade == Expected {
		return v.Keyword + ", expected"
	}
	return v.Keyword
}

// ghLocation is a workflow annotation's file, line and col properties for
// a violation.
func (r *Result) ghLocation(v Violation) string {
	loc := "file=" + ghProperty(r.Source)
	if line, col := r.where(v); line > 0 {
		loc += ",line=" + strconv.Itoa(line)
		if col > 0 {
			loc += ",col=" + strconv.Itoa(col)
		}
	}
	return loc
}

// position is file:line:col of a violation, as compilers and editors
// write it; file alone when the line is not known.
func (r *Result) position(v Violation) string {
	line, col := r.where(v)
	switch {
	case line == 0:
		return r.Source
	case col == 0:
		return r.Source + ":" + strconv.Itoa(line)
	}
	return r.Source + ":" + strconv.Itoa(line) + ":" + strconv.Itoa(col)
}

// summaryLines end the text and github reports: a line on drift when there
// is some, then `N passed, N failed`, where drift counts as passed, or with
// strict as failed.
func (r *Report) summaryLines(strict bool) string {
	s := r.Summary()
	var b strings.Builder
	if s.Drift > 0 {
		what := "payload carries"
		if s.Drift > 1 {
			what = "payloads carry"
		}
		breaks := "breaks"
		if s.Drift > 1 {
			breaks = "break"
		}
		how := "passed"
		if strict {
			how = "failed with --strict"
		}
		fmt.Fprintf(&b, "drift: %d %s what the contract does not know or %s its expectations (counted as %s)\n", s.Drift, what, breaks, how)
	}
	if f := r.Fixtures; f != nil {
		fmt.Fprintf(&b, "%s, %s", held(f.ValidHeld, f.Valid, "valid fixture", "conforms", "conform"),
			held(f.InvalidHeld, f.Invalid, "invalid fixture", "fails as recorded", "fail as recorded"))
		if f.Drift > 0 {
			fmt.Fprintf(&b, ", %s", held(f.DriftHeld, f.Drift, "drift fixture", "drifts as recorded", "drift as recorded"))
		}
		if f.Coverage > 0 {
			fmt.Fprintf(&b, ", %s", plural(strconv.Itoa(f.Coverage), "coverage problem"))
		}
	} else if strict {
		fmt.Fprintf(&b, "%d passed, %d failed", s.Passed, s.Failed+s.Drift)
	} else {
		fmt.Fprintf(&b, "%d passed, %d failed", s.Passed+s.Drift, s.Failed)
	}
	if s.Skipped > 0 {
		fmt.Fprintf(&b, ", %d skipped", s.Skipped)
	}
	if s.InputErrors > 0 {
		fmt.Fprintf(&b, ", %s", plural(strconv.Itoa(s.InputErrors), "input error"))
	}
	b.WriteString("\n")
	return b.String()
}

// held says "N things do" or, when some do not, "K of N things do".
func held(k, n int, thing, does, do string) string {
	what := plural(strconv.Itoa(n), thing)
	if n == 1 {
		what += " " + does
	} else {
		what += " " + do
	}
	if k == n {
		return what
	}
	return strconv.Itoa(k) + " of " + what
}

// JSONReport is the document written by --format json.
type JSONReport struct {
	Version int       `json:"version"` // 1
	Strict  bool      `json:"strict"`
	OK      bool      `json:"ok"`
	Summary Summary   `json:"summary"`
	Results []Result  `json:"results"`
	Errors  []string  `json:"errors,omitempty"`
	Skipped []Skipped `json:"skipped,omitempty"`
	// Fixtures is set for a self-check of fixtures.
	Fixtures *FixtureCount `json:"fixtures,omitempty"`
}

func (r *Report) writeJSON(w io.Writer, strict bool) error {
	doc := JSONReport{Version: 1, Strict: strict, OK: r.OK(strict) && len(r.Errors) == 0, Summary: r.Summary(), Results: r.Results, Skipped: r.Skipped, Fixtures: r.Fixtures}
	if doc.Results == nil {
		doc.Results = []Result{}
	}
	for _, e := range r.Errors {
		doc.Errors = append(doc.Errors, e.Error())
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

// junitCase is a testcase of the JUnit schema: a failure is a payload
// that does not conform, an error an input that could not be read, and
// skipped an input found but not checked.
type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	Error     *junitFailure `xml:"error,omitempty"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	SystemOut *junitText    `xml:"system-out,omitempty"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

type junitText struct {
	Text string `xml:",cdata"`
}

func (r *Report) writeJUnit(w io.Writer, strict bool) error {
	suite := junitSuite{Name: "hookcontract"}
	for i := range r.Results {
		res := &r.Results[i]
		c := junitCase{Name: res.Location(), Classname: res.classname()}
		var b strings.Builder
		violations := func() {
			for _, v := range res.Violations {
				fmt.Fprintf(&b, "%s: %s: %s [%s]\n", res.position(v), orRoot(v.Pointer), v.Message, v.tag())
				if v.SchemaLocation != "" {
					fmt.Fprintf(&b, "  schema: %s\n", v.SchemaLocation)
				}
			}
		}
		switch {
		case res.Verdict == Fail:
			violations()
			c.Failure = &junitFailure{Message: fmt.Sprintf("%d violation(s)", len(res.Violations)), Type: "violation", Text: b.String()}
		case res.Verdict == Drift:
			for _, l := range res.driftLines() {
				fmt.Fprintf(&b, "%s\n", l)
			}
			violations()
			if strict {
				c.Failure = &junitFailure{Message: fmt.Sprintf("%d unknown property(ies), %d expectation(s) broken", len(res.Unknown), len(res.Violations)), Type: "drift", Text: b.String()}
			} else {
				c.SystemOut = &junitText{b.String()}
			}
		}
		if c.Failure != nil {
			suite.Failures++
		}
		suite.Cases = append(suite.Cases, c)
	}
	for _, e := range r.Errors {
		suite.Errors++
		suite.Cases = append(suite.Cases, junitCase{Name: inputName(e), Classname: "input", Error: &junitFailure{Message: e.Error(), Type: "input"}})
	}
	for _, sk := range r.Skipped {
		suite.Skipped++
		suite.Cases = append(suite.Cases, junitCase{Name: sk.Path, Classname: "input", Skipped: &junitSkipped{Message: sk.Reason}})
	}
	suite.Tests = len(suite.Cases)
	doc := junitSuites{Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// inputName is the path of an input error, or its message when it has none.
func inputName(err error) string {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie.Path
	}
	return err.Error()
}

func (r *Report) writeGitHub(w io.Writer, strict bool) error {
	ew := &errWriter{w: w}
	for i := range r.Results {
		res := &r.Results[i]
		loc := "file=" + ghProperty(res.Source)
		if res.Line > 0 {
			loc += ",line=" + strconv.Itoa(res.Line)
		}
		switch res.Verdict {
		case Fail:
			for _, v := range res.Violations {
				ew.printf("::error %s,title=%s::%s\n", res.ghLocation(v), ghProperty(res.title()), ghData(fmt.Sprintf("%s: %s [%s]", orRoot(v.Pointer), v.Message, v.tag())))
			}
		case Drift:
			level := "warning"
			if strict {
				level = "error"
			}
			for _, l := range res.driftLines() {
				ew.printf("::%s %s,title=%s::%s\n", level, loc, ghProperty(res.title()), ghData(l))
			}
			for _, v := range res.Violations {
				ew.printf("::%s %s,title=%s::%s\n", level, res.ghLocation(v), ghProperty(res.title()), ghData(fmt.Sprintf("%s: %s [%s]", orRoot(v.Pointer), v.Message, v.tag())))
			}
		}
	}
	for _, e := range r.Errors {
		ew.printf("::error title=hookcontract::%s\n", ghData(e.Error()))
	}
	for _, sk := range r.Skipped {
		ew.printf("::notice file=%s,title=skipped::%s\n", ghProperty(sk.Path), ghData(sk.Reason))
	}
	ew.printf("%s", r.summaryLines(strict))
	return ew.err
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, a ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, a...)
	}
}
