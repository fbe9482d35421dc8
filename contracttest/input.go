package contracttest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/hookcontract/hookcontract/internal/capture"
	"github.com/hookcontract/hookcontract/runtime/hcrt"
)

// Payload is one payload read from an input.
type Payload struct {
	Source string // file name as given (or found under a directory), "-" for stdin
	Line   int    // 1-based line in an NDJSON file, 0 for a whole-file payload
	Data   []byte
	// Provider is set for a capture of `hookcontract serve`: the provider
	// whose path the body was posted to.
	Provider string
	// Header is the request header of a capture of `hookcontract serve`:
	// where a spec's event name travels in a header, it is read there.
	Header http.Header
}

// InputError is an input that could not be read. The run goes on with the
// other inputs and ends with exit status 2.
type InputError struct {
	Path string
	Err  error
}

func (e *InputError) Error() string { return fmt.Sprintf("read %s: %v", e.Path, e.Err) }
func (e *InputError) Unwrap() error { return e.Err }

// IsNDJSON tells whether a file name holds one payload per line.
func IsNDJSON(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".ndjson" || ext == ".jsonl"
}

func isPayloadFile(name string) bool {
	return strings.EqualFold(filepath.Ext(name), ".json") || IsNDJSON(name)
}

// Skipped is an input that was found but holds nothing to check: a file
// under a directory that is not named .json, .ndjson or .jsonl, a
// capture of a request that is not a delivery, a link to a directory
// already walked. ExpandPaths and ReadPayloads return it among their
// errors so that it is reported and counted, but it is not an error: see
// SplitSkipped.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

func (s *Skipped) Error() string { return fmt.Sprintf("skipped %s: %s", s.Path, s.Reason) }

// SplitSkipped separates the inputs skipped from the real errors.
func SplitSkipped(errs []error) (skipped []Skipped, rest []error) {
	for _, err := range errs {
		var s *Skipped
		if errors.As(err, &s) {
			skipped = append(skipped, *s)
			continue
		}
		rest = append(rest, err)
	}
	return skipped, rest
}

// ExpandPaths turns the paths given on a command line into the list of
// files to read: a file stands for itself (whatever its name), "-" for
// stdin, and a directory for every .json, .ndjson and .jsonl regular file
// under it, walked recursively in lexical order. Under a directory,
// symbolic links are followed, to files and to directories, and each
// directory is walked once (a link back to a directory being walked, or
// already walked, is skipped, so a link loop cannot trap the walk). Every
// other file found under a directory is returned as a *Skipped; a
// dangling link, a named pipe or any other file that is not a regular
// file is an error. A directory with no payload file is an error too, so
// that a mistyped path cannot pass silently. Errors are returned beside
// the files found.
func ExpandPaths(paths []string) ([]string, []error) {
	var files []string
	errs, _ := walkPaths(paths, func(f string) error {
		files = append(files, f)
		return nil
	})
	return files, errs
}

// walkPaths is ExpandPaths giving each file to visit as it is found, in
// the same order, so that a tree of any size is walked holding no more
// than the entries of one directory per level. An error from visit stops
// the walk and is returned apart from the errors found.
func walkPaths(paths []string, visit func(string) error) (errs []error, err error) {
	stdin := false
	for _, p := range paths {
		if p == "-" {
			if stdin {
				errs = append(errs, &InputError{Path: p, Err: errors.New("standard input given more than once")})
				continue
			}
			stdin = true
			if err := visit(p); err != nil {
				return errs, err
			}
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			errs = append(errs, &InputError{Path: p, Err: unwrapPathError(err)})
			continue
		}
		if !fi.IsDir() {
			if err := visit(p); err != nil {
				return errs, err
			}
			continue
		}
		w := &dirWalker{seen: map[string]bool{}, visit: visit}
		err = w.walk(p)
		_, werrs := SplitSkipped(w.errs)
		errs = append(errs, w.errs...)
		if err != nil {
			return errs, err
		}
		if w.found == 0 && len(werrs) == 0 {
			errs = append(errs, &InputError{Path: p, Err: errors.New("no .json, .ndjson or .jsonl file in this directory")})
		}
	}
	return errs, nil
}

// dirWalker walks a directory tree through symbolic links, each directory
// once, giving its payload files to visit in lexical order of their
// paths: the entries of a directory are taken in the order of their names
// with a separator after the name of each directory, which is the order
// of the paths below them.
type dirWalker struct {
	seen  map[string]bool // real paths of the directories walked
	visit func(string) error
	found int
	errs  []error
}

func (w *dirWalker) walk(dir string) error {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		w.errs = append(w.errs, &InputError{Path: dir, Err: unwrapPathError(err)})
		return nil
	}
	if abs, err := filepath.Abs(real); err == nil {
		real = abs
	}
	if w.seen[real] {
		w.errs = append(w.errs, &Skipped{Path: dir, Reason: "a link to a directory already walked"})
		return nil
	}
	w.seen[real] = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		w.errs = append(w.errs, &InputError{Path: dir, Err: unwrapPathError(err)})
		return nil
	}
	type entry struct {
		key, path string
		mode      fs.FileMode
	}
	list := make([]entry, 0, len(entries))
	for _, d := range entries {
		fp := filepath.Join(dir, d.Name())
		mode := d.Type()
		if mode&fs.ModeSymlink != 0 {
			fi, err := os.Stat(fp)
			if err != nil {
				w.errs = append(w.errs, &InputError{Path: fp, Err: fmt.Errorf("symbolic link: %w", unwrapPathError(err))})
				continue
			}
			mode = fi.Mode().Type()
		}
		key := d.Name()
		if mode.IsDir() {
			key += string(filepath.Separator)
		}
		list = append(list, entry{key, fp, mode})
	}
	entries = nil
	sort.Slice(list, func(i, j int) bool { return list[i].key < list[j].key })
	for _, e := range list {
		switch {
		case e.mode.IsDir():
			if err := w.walk(e.path); err != nil {
				return err
			}
		case !isPayloadFile(e.path):
			w.errs = append(w.errs, &Skipped{Path: e.path, Reason: "not a .json, .ndjson or .jsonl file"})
		case !e.mode.IsRegular():
			w.errs = append(w.errs, &InputError{Path: e.path, Err: fmt.Errorf("not a regular file (%s)", describeMode(e.mode))})
		default:
			w.found++
			if err := w.visit(e.path); err != nil {
				return err
			}
		}
	}
	return nil
}

func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "mode " + m.String()
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// MaxPayloadBytes is the largest payload the runner reads: a whole file,
// or one line of an NDJSON input. A larger one is an input error at its
// file (and line), and the run goes on with the next line or file; it
// is never read whole into memory.
const MaxPayloadBytes = 16 << 20

// errStopped is returned by an emit function when the run was stopped.
var errStopped = errors.New("run stopped")

// ReadPayloads reads one input. A .json file (or any file not named
// .ndjson/.jsonl) is one payload; an NDJSON file is one payload per
// non-blank line, and an error when it has none; stdin ("-") is one
// payload, or one per line when its first non-blank line holds a whole
// JSON object or array and another non-blank line follows. A payload or
// line larger than MaxPayloadBytes is an error; the lines after it are
// still read. Each payload's Data is its own.
func ReadPayloads(name string, stdin io.Reader, emit func(Payload)) error {
	var lineErrs []error
	err := readInput(name, stdin, func(p Payload, err error) error {
		if err != nil {
			lineErrs = append(lineErrs, err)
			return nil
		}
		p.Data = bytes.Clone(p.Data)
		emit(p)
		return nil
	})
	if err != nil {
		return err
	}
	return errors.Join(lineErrs...)
}

// payloadFunc receives, in order, each payload of an input, or the error
// of a line that could not be read as one (a line too long). p.Data is
// valid only during the call. An error it returns stops the reading and
// is returned.
type payloadFunc func(p Payload, err error) error

// readInput reads one input in bounded memory: an NDJSON input line by
// line, a whole-file payload up to MaxPayloadBytes.
func readInput(name string, stdin io.Reader, emit payloadFunc) error {
	var r io.Reader
	if name == "-" {
		if stdin == nil {
			return &InputError{Path: "-", Err: errors.New("no standard input")}
		}
		r = stdin
	} else {
		f, err := os.Open(name)
		if err != nil {
			return &InputError{Path: name, Err: unwrapPathError(err)}
		}
		defer f.Close()
		r = f
	}
	lr := &lineReader{r: bufio.NewReaderSize(r, 64<<10)}
	switch {
	case name == "-":
		return readStdin(lr, emit)
	case IsNDJSON(name):
		return readLines(name, lr, emit, 0)
	}
	data, err := readRest(name, lr.r, nil)
	if err != nil {
		return err
	}
	return emitWhole(name, data, emit)
}

// readRest reads the rest of an input after head, up to MaxPayloadBytes
// in all.
func readRest(name string, r io.Reader, head []byte) ([]byte, error) {
	buf := bytes.NewBuffer(head)
	if _, err := buf.ReadFrom(io.LimitReader(r, int64(MaxPayloadBytes+1-len(head)))); err != nil {
		return nil, &InputError{Path: name, Err: unwrapPathError(err)}
	}
	if buf.Len() > MaxPayloadBytes {
		return nil, &InputError{Path: name, Err: tooLarge("a payload")}
	}
	return buf.Bytes(), nil
}

// canonicalHeader is a capture's headers as an http.Header, whatever the
// case a capture written by hand spells their names in.
func canonicalHeader(m map[string][]string) http.Header {
	h := make(http.Header, len(m))
	for k, vs := range m {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	return h
}

func tooLarge(what string) error {
	return fmt.Errorf("%s larger than %d bytes (MaxPayloadBytes), not read", what, MaxPayloadBytes)
}

// emitWhole emits the payload of a whole input: the body of a capture of
// `hookcontract serve`, or the input itself.
func emitWhole(name string, data []byte, emit payloadFunc) error {
	// A capture of `hookcontract serve` stands for the body it holds, when
	// that is a delivery read in full.
	if c, ok, err := capture.Parse(data); ok || err != nil {
		if err != nil {
			return &InputError{Path: name, Err: err}
		}
		if !c.IsPayload() {
			return &Skipped{Path: name, Reason: notPayloadReason(c)}
		}
		body, _ := c.RawBody()
		return emit(Payload{Source: name, Data: body, Provider: c.Provider, Header: canonicalHeader(c.Headers)}, nil)
	}
	if len(bytes.Trim(data, " \t\r\n")) == 0 {
		return errEmpty(name)
	}
	return emit(Payload{Source: name, Data: data}, nil)
}

// errEmpty is the error of an input with nothing in it: whatever its
// form, it holds no payload (the same error for an empty .json, .ndjson
// or stdin).
func errEmpty(name string) error {
	return &InputError{Path: name, Err: errors.New("no payload: the input is empty")}
}

// readLines emits one payload per non-blank line until the end of the
// input; emitted counts the payloads emitted before (by readStdin). Blank
// and whitespace-only lines are skipped (a trailing newline, or blank
// lines between records, are common in captures); a final line without
// newline counts; a carriage return before a newline is dropped.
func readLines(name string, lr *lineReader, emit payloadFunc, emitted int) error {
	for {
		raw, tooLong, err := lr.next()
		if err == io.EOF {
			if emitted == 0 {
				return errEmpty(name)
			}
			return nil
		}
		if err != nil {
			return &InputError{Path: name, Err: unwrapPathError(err)}
		}
		if err := emitLine(name, lr.line, raw, tooLong, emit); err != nil {
			return err
		}
		if tooLong || !isBlank(trimEOL(raw)) {
			emitted++
		}
	}
}

// emitLine emits a line read by a lineReader: a payload, nothing for a
// blank line, or the error of a line too long.
func emitLine(name string, line int, raw []byte, tooLong bool, emit payloadFunc) error {
	if tooLong {
		return emit(Payload{}, &InputError{Path: name + ":" + strconv.Itoa(line), Err: tooLarge("a line")})
	}
	l := trimEOL(raw)
	if isBlank(l) {
		return nil
	}
	return emit(Payload{Source: name, Line: line, Data: l}, nil)
}

// readStdin reads stdin: NDJSON when its first non-blank line holds a
// whole JSON object or array and another non-blank line follows, else
// one payload.
func readStdin(lr *lineReader, emit payloadFunc) error {
	var head []byte // what was read, for a single payload
	first, firstLine := []byte(nil), 0
	for {
		raw, tooLong, err := lr.next()
		switch {
		case err == io.EOF:
			return emitWhole("-", head, emit)
		case err != nil:
			return &InputError{Path: "-", Err: unwrapPathError(err)}
		case tooLong:
			if first == nil {
				return &InputError{Path: "-", Err: tooLarge("a payload")}
			}
		case isBlank(trimEOL(raw)):
			head = append(head, raw...)
			continue
		case first == nil && isJSONValue(trimEOL(raw)):
			head = append(head, raw...)
			first, firstLine = trimEOL(head[len(head)-len(raw):]), lr.line
			continue
		case first == nil:
			// Not one value per line: the whole input is one payload.
			data, err := readRest("-", lr.r, append(head, raw...))
			if err != nil {
				return err
			}
			return emitWhole("-", data, emit)
		}
		// A second non-blank line: one payload per line.
		if err := emit(Payload{Source: "-", Line: firstLine, Data: first}, nil); err != nil {
			return err
		}
		if err := emitLine("-", lr.line, raw, tooLong, emit); err != nil {
			return err
		}
		return readLines("-", lr, emit, 2)
	}
}

// isJSONValue tells whether l holds a whole JSON object or array. A line
// that holds more than MaxPayloadValues values, all well-formed as far as
// they go, is taken for one: its payload is then refused for that bound.
func isJSONValue(l []byte) bool {
	l = bytes.TrimSpace(l)
	if len(l) == 0 || (l[0] != '{' && l[0] != '[') {
		return false
	}
	st := hcrt.ScanBounded(l, MaxPayloadValues)
	defer st.Release()
	if rs := st.Refusals(); len(rs) == 1 && rs[0].Keyword == "limit" {
		return true
	}
	return st.Parsed
}

// lineReader reads lines of at most MaxPayloadBytes, whatever the length
// of the lines in its input.
type lineReader struct {
	r    *bufio.Reader
	long []byte // a line longer than the reader's buffer
	line int    // 1-based number of the line last read
}

// next returns the next line with its line ending, valid until the next
// call, or io.EOF. A line longer than MaxPayloadBytes is read to its end
// and dropped: tooLong is set and the line is nil.
func (lr *lineReader) next() (raw []byte, tooLong bool, err error) {
	raw, err = lr.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		lr.long = append(lr.long[:0], raw...)
		for err == bufio.ErrBufferFull {
			raw, err = lr.r.ReadSlice('\n')
			if !tooLong && len(lr.long)+len(raw) > MaxPayloadBytes+2 {
				tooLong, lr.long = true, nil
			}
			if !tooLong {
				lr.long = append(lr.long, raw...)
			}
		}
		raw = lr.long
	}
	if err == io.EOF && (len(raw) > 0 || tooLong) {
		err = nil
	}
	if err != nil {
		return nil, false, err
	}
	lr.line++
	if tooLong || len(trimEOL(raw)) > MaxPayloadBytes {
		return nil, true, nil
	}
	return raw, false, nil
}

// trimEOL drops a line's newline and a carriage return before it.
func trimEOL(l []byte) []byte {
	l = bytes.TrimSuffix(l, []byte{'\n'})
	return bytes.TrimSuffix(l, []byte{'\r'})
}

// notPayloadReason says why a capture holds no delivery to check.
func notPayloadReason(c *capture.Capture) string {
	switch {
	case c.Method != http.MethodPost:
		return fmt.Sprintf("a capture of a %s request, not a delivery", c.Method)
	case c.Provider == "":
		return fmt.Sprintf("a capture of a request to %s, a path of no provider", c.Path)
	case c.Truncated:
		return fmt.Sprintf("a capture of a body cut at the size limit (answered %d)", c.Status)
	}
	return "a capture that holds no delivery"
}

// SplitLines emits one payload per non-blank line of data and returns how
// many it emitted. Blank and whitespace-only lines are skipped (a trailing
// newline, or blank lines between records, are common in captures); a
// final line without newline counts; a carriage return before a newline
// is dropped.
func SplitLines(name string, data []byte, emit func(Payload)) int {
	line, n := 0, 0
	for len(data) > 0 {
		line++
		var l []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			l, data = data, nil
		}
		l = bytes.TrimSuffix(l, []byte{'\r'})
		if isBlank(l) {
			continue
		}
		n++
		emit(Payload{Source: name, Line: line, Data: l})
	}
	return n
}

// isBlank tells whether a line holds only JSON whitespace.
func isBlank(l []byte) bool {
	for _, c := range l {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}
