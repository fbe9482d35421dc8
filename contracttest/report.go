package contracttest

import (
	"bufio"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/hookcontract/hookcontract/internal/jsonpointer"
	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

// Formats a report can be written in.
var Formats = []string{"text", "json", "junit", "github"}

// Write writes the report in one of Formats.
func (r *Report) Write(w io.Writer, format string, strict bool) error {
	rw, err := NewReportWriter(w, format, strict)
	if err != nil {
		return err
	}
	for i := range r.Results {
		if err := rw.Result(&r.Results[i]); err != nil {
			rw.Abort()
			return err
		}
	}
	return rw.Close(r)
}

// ReportWriter writes a report as its results come, in one of Formats:
// each result as it is given, then, on Close, what the report says of
// the whole run (input errors, inputs skipped, the summary). Text, json
// and github write every result at once. A JUnit report opens with the
// totals, so its testcases are written to a temporary file as they come
// and copied after the totals on Close: the output is the same
// document Report.Write writes.
type ReportWriter struct {
	w      io.Writer
	strict bool
	format string
	err    error
	n      int // results written

	// junit
	tmp      *os.File
	tmpw     *bufio.Writer
	enc      *xml.Encoder
	failures int
}

// NewReportWriter starts a report in format on w; strict says whether
// drift fails.
func NewReportWriter(w io.Writer, format string, strict bool) (*ReportWriter, error) {
	rw := &ReportWriter{w: w, strict: strict, format: format}
	switch format {
	case "text", "github":
	case "json":
		_, rw.err = fmt.Fprintf(w, "{\n  \"version\": 1,\n  \"strict\": %t,\n  \"results\": [", strict)
	case "junit":
		f, err := os.CreateTemp("", "hookcontract-junit-*.xml")
		if err != nil {
			return nil, fmt.Errorf("junit report: %w", err)
		}
		rw.tmp, rw.tmpw = f, bufio.NewWriterSize(f, 64<<10)
		rw.enc = xml.NewEncoder(rw.tmpw)
		rw.enc.Indent("    ", "  ")
	default:
		return nil, fmt.Errorf("unknown format %q (expected %s)", format, strings.Join(Formats, ", "))
	}
	return rw, rw.err
}

// Result writes one result.
func (rw *ReportWriter) Result(res *Result) error {
	if rw.err != nil {
		return rw.err
	}
	switch rw.format {
	case "text":
		rw.err = res.writeText(rw.w, rw.strict)
	case "github":
		rw.err = res.writeGitHub(rw.w, rw.strict)
	case "json":
		rw.err = writeJSONResult(rw.w, res, rw.n == 0)
	case "junit":
		c := res.junitCase(rw.strict)
		if c.Failure != nil {
			rw.failures++
		}
		rw.err = rw.enc.Encode(c)
	}
	rw.n++
	return rw.err
}

// Close writes the end of the report: rep's input errors, skipped inputs,
// fixture counts and summary (rep.Summary counts the results written
// here when rep holds them, or counted them as RunStream does).
func (rw *ReportWriter) Close(rep *Report) error {
	defer rw.Abort()
	if rw.err != nil {
		return rw.err
	}
	switch rw.format {
	case "text":
		return rep.writeTextEnd(rw.w, rw.strict)
	case "github":
		return rep.writeGitHubEnd(rw.w, rw.strict)
	case "json":
		return rep.writeJSONEnd(rw.w, rw.strict, rw.n)
	}
	return rep.writeJUnitEnd(rw)
}

// Abort drops what a report writer holds (a JUnit report's temporary
// file) without finishing the report. Close calls it.
func (rw *ReportWriter) Abort() {
	if rw.tmp != nil {
		rw.tmp.Close()
		os.Remove(rw.tmp.Name())
		rw.tmp = nil
	}
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

func (res *Result) writeText(w io.Writer, strict bool) error {
	if res.Verdict == Pass {
		return nil
	}
	ew := &errWriter{w: w}
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
	// A drifting payload's violations are broken expectations, tagged so.
	for _, v := range res.Violations {
		ew.printf("  %s: %s: %s [%s]\n", res.position(v), jsonpointer.Display(v.Pointer), v.Message, v.tag())
		if v.SchemaLocation != "" {
			ew.printf("    schema: %s\n", v.SchemaLocation)
		}
	}
	if l := res.limitLine(); l != "" && res.Verdict == Fail {
		ew.printf("  %s\n", l)
	}
	return ew.err
}

func (r *Report) writeTextEnd(w io.Writer, strict bool) error {
	ew := &errWriter{w: w}
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
	switch {
	case r.UnknownEvent && r.Event == "":
		out = append(out, "names no event, and several webhooks that may omit the name accept it; a generated handler acknowledges it and ignores it [drift]")
	case r.UnknownEvent:
		out = append(out, fmt.Sprintf("event %q is not in the contract; a generated handler acknowledges it and ignores it [drift]", r.Event))
	}
	for _, u := range r.Unknown {
		out = append(out, u+": property not in the contract [drift]")
	}
	if l := r.limitLine(); l != "" {
		out = append(out, l)
	}
	return out
}

// limitLine says that the payload is larger than the body bound checked,
// "" when it is not. A payload that does not conform says it too, after
// its violations: conforming, it would still be lost.
func (r *Result) limitLine() string {
	if r.OverBodyLimit <= 0 {
		return ""
	}
	bound := "the bound checked"
	if r.OverBodyLimit == hcrt.DefaultMaxBodyBytes {
		bound = "a generated handler's default; if yours is built WithMaxBodyBytes, check with its bound (--max-body-bytes)"
	}
	return fmt.Sprintf("%d bytes, more than the %d a handler so bounded reads (%s): it answers 413 and the delivery is lost [drift]", r.Bytes, r.OverBodyLimit, bound)
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

// JSONReport is the document written by --format json, its members in
// the order written: the results come as they are checked, what needs
// the whole run after them.
type JSONReport struct {
	Version int       `json:"version"` // 1
	Strict  bool      `json:"strict"`
	Results []Result  `json:"results"`
	OK      bool      `json:"ok"`
	Summary Summary   `json:"summary"`
	Errors  []string  `json:"errors,omitempty"`
	Skipped []Skipped `json:"skipped,omitempty"`
	// Fixtures is set for a self-check of fixtures.
	Fixtures *FixtureCount `json:"fixtures,omitempty"`
}

// jsonEnd is the part of JSONReport written after the results.
type jsonEnd struct {
	OK       bool          `json:"ok"`
	Summary  Summary       `json:"summary"`
	Errors   []string      `json:"errors,omitempty"`
	Skipped  []Skipped     `json:"skipped,omitempty"`
	Fixtures *FixtureCount `json:"fixtures,omitempty"`
}

// writeJSONResult writes a result as an element of the results array,
// indented as in the whole document.
func writeJSONResult(w io.Writer, res *Result, first bool) error {
	var b strings.Builder
	if !first {
		b.WriteByte(',')
	}
	b.WriteString("\n    ")
	if err := encodeJSON(&b, res, "    "); err != nil {
		return err
	}
	_, err := io.WriteString(w, strings.TrimSuffix(b.String(), "\n"))
	return err
}

// encodeJSON appends v to b as the json report writes it, each line
// after the first starting with prefix.
func encodeJSON(b *strings.Builder, v any, prefix string) error {
	enc := json.NewEncoder(b)
	enc.SetIndent(prefix, "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (r *Report) writeJSONEnd(w io.Writer, strict bool, results int) error {
	end := jsonEnd{OK: r.OK(strict) && len(r.Errors) == 0, Summary: r.Summary(), Skipped: r.Skipped, Fixtures: r.Fixtures}
	for _, e := range r.Errors {
		end.Errors = append(end.Errors, e.Error())
	}
	var b strings.Builder
	if results > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("],")
	if err := encodeJSON(&b, end, ""); err != nil {
		return err
	}
	// The members of end, without its opening brace, close the document.
	_, err := io.WriteString(w, strings.Replace(b.String(), "],{", "],", 1))
	return err
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
	XMLName   xml.Name      `xml:"testcase"`
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

// junitCase is a result's testcase.
func (res *Result) junitCase(strict bool) junitCase {
	c := junitCase{Name: res.Location(), Classname: res.classname()}
	var b strings.Builder
	violations := func() {
		for _, v := range res.Violations {
			fmt.Fprintf(&b, "%s: %s: %s [%s]\n", res.position(v), jsonpointer.Display(v.Pointer), v.Message, v.tag())
			if v.SchemaLocation != "" {
				fmt.Fprintf(&b, "  schema: %s\n", v.SchemaLocation)
			}
		}
	}
	switch {
	case res.Verdict == Fail:
		violations()
		if l := res.limitLine(); l != "" {
			fmt.Fprintf(&b, "%s\n", l)
		}
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
	return c
}

// writeJUnitEnd writes the JUnit document: the totals, the testcases of
// the results from the temporary file, then those of the input errors
// and skipped inputs.
func (r *Report) writeJUnitEnd(rw *ReportWriter) error {
	tests, errs := rw.n, 0
	for _, e := range r.Errors {
		errs++
		if err := rw.enc.Encode(junitCase{Name: inputName(e), Classname: "input", Error: &junitFailure{Message: e.Error(), Type: "input"}}); err != nil {
			return err
		}
	}
	for _, sk := range r.Skipped {
		if err := rw.enc.Encode(junitCase{Name: sk.Path, Classname: "input", Skipped: &junitSkipped{Message: sk.Reason}}); err != nil {
			return err
		}
	}
	tests += len(r.Errors) + len(r.Skipped)
	if err := rw.enc.Flush(); err != nil {
		return err
	}
	if err := rw.tmpw.Flush(); err != nil {
		return fmt.Errorf("junit report: %w", err)
	}
	if _, err := rw.tmp.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("junit report: %w", err)
	}
	ew := &errWriter{w: rw.w}
	ew.printf("%s<testsuites tests=\"%d\" failures=\"%d\" errors=\"%d\">\n", xml.Header, tests, rw.failures, errs)
	ew.printf("  <testsuite name=\"hookcontract\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"%d\">", tests, rw.failures, errs, len(r.Skipped))
	if tests > 0 {
		ew.printf("\n")
		if ew.err == nil {
			_, ew.err = io.Copy(rw.w, rw.tmp)
		}
		ew.printf("\n  ")
	}
	ew.printf("</testsuite>\n</testsuites>\n")
	return ew.err
}

// inputName is the path of an input error, or its message when it has none.
func inputName(err error) string {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie.Path
	}
	return err.Error()
}

func (res *Result) writeGitHub(w io.Writer, strict bool) error {
	ew := &errWriter{w: w}
	loc := "file=" + ghProperty(res.Source)
	if res.Line > 0 {
		loc += ",line=" + strconv.Itoa(res.Line)
	}
	switch res.Verdict {
	case Fail:
		for _, v := range res.Violations {
			ew.printf("::error %s,title=%s::%s\n", res.ghLocation(v), ghProperty(res.title()), ghData(fmt.Sprintf("%s: %s [%s]", jsonpointer.Display(v.Pointer), v.Message, v.tag())))
		}
		if l := res.limitLine(); l != "" {
			ew.printf("::error %s,title=%s::%s\n", loc, ghProperty(res.title()), ghData(l))
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
			ew.printf("::%s %s,title=%s::%s\n", level, res.ghLocation(v), ghProperty(res.title()), ghData(fmt.Sprintf("%s: %s [%s]", jsonpointer.Display(v.Pointer), v.Message, v.tag())))
		}
	}
	return ew.err
}

func (r *Report) writeGitHubEnd(w io.Writer, strict bool) error {
	ew := &errWriter{w: w}
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

// GitHubData escapes the message of a GitHub Actions workflow command.
func GitHubData(s string) string { return ghData(s) }

// GitHubProperty escapes a property value of a GitHub Actions workflow command.
func GitHubProperty(s string) string { return ghProperty(s) }
