package contracttest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hookcontract/hookcontract/internal/capture"
)

// Payload is one payload read from an input.
type Payload struct {
	Source string // file name as given (or found under a directory), "-" for stdin
	Line   int    // 1-based line in an NDJSON file, 0 for a whole-file payload
	Data   []byte
	// Provider is set for a capture of `hookcontract serve`: the provider
	// whose path the body was posted to.
	Provider string
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
	var errs []error
	stdin := false
	for _, p := range paths {
		if p == "-" {
			if stdin {
				errs = append(errs, &InputError{Path: p, Err: errors.New("standard input given more than once")})
				continue
			}
			stdin = true
			files = append(files, p)
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			errs = append(errs, &InputError{Path: p, Err: unwrapPathError(err)})
			continue
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		w := &dirWalker{seen: map[string]bool{}}
		w.walk(p)
		sort.Strings(w.found)
		_, werrs := SplitSkipped(w.errs)
		errs = append(errs, w.errs...)
		if len(w.found) == 0 && len(werrs) == 0 {
			errs = append(errs, &InputError{Path: p, Err: errors.New("no .json, .ndjson or .jsonl file in this directory")})
		}
		files = append(files, w.found...)
	}
	return files, errs
}

// dirWalker walks a directory tree through symbolic links, each directory
// once.
type dirWalker struct {
	seen  map[string]bool // real paths of the directories walked
	found []string
	errs  []error
}

func (w *dirWalker) walk(dir string) {
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		w.errs = append(w.errs, &InputError{Path: dir, Err: unwrapPathError(err)})
		return
	}
	if abs, err := filepath.Abs(real); err == nil {
		real = abs
	}
	if w.seen[real] {
		w.errs = append(w.errs, &Skipped{Path: dir, Reason: "a link to a directory already walked"})
		return
	}
	w.seen[real] = true
	entries, err := os.ReadDir(dir)
	if err != nil {
		w.errs = append(w.errs, &InputError{Path: dir, Err: unwrapPathError(err)})
		return
	}
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
		switch {
		case mode.IsDir():
			w.walk(fp)
		case !isPayloadFile(d.Name()):
			w.errs = append(w.errs, &Skipped{Path: fp, Reason: "not a .json, .ndjson or .jsonl file"})
		case !mode.IsRegular():
			w.errs = append(w.errs, &InputError{Path: fp, Err: fmt.Errorf("not a regular file (%s)", describeMode(mode))})
		default:
			w.found = append(w.found, fp)
		}
	}
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

// ReadPayloads reads one input. A .json file (or any file not named
// .ndjson/.jsonl) is one payload; an NDJSON file is one payload per
// non-blank line, and an error when it has none; stdin ("-") is one
// payload, or one per line when it holds several lines that each hold a
// JSON object or array.
func ReadPayloads(name string, stdin io.Reader, emit func(Payload)) error {
	var data []byte
	var err error
	if name == "-" {
		if stdin == nil {
			return &InputError{Path: "-", Err: errors.New("no standard input")}
		}
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return &InputError{Path: name, Err: unwrapPathError(err)}
	}
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
		emit(Payload{Source: name, Data: body, Provider: c.Provider})
		return nil
	}
	if len(bytes.Trim(data, " \t\r\n")) == 0 {
		// Whatever its form, an input with nothing in it holds no
		// payload: the same error for an empty .json, .ndjson or stdin.
		return &InputError{Path: name, Err: errors.New("no payload: the input is empty")}
	}
	if IsNDJSON(name) || (name == "-" && looksLikeNDJSON(data)) {
		if SplitLines(name, data, emit) == 0 {
			return &InputError{Path: name, Err: errors.New("no payload: every line is blank")}
		}
		return nil
	}
	emit(Payload{Source: name, Data: data})
	return nil
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

// looksLikeNDJSON tells whether stdin holds several JSON values, one per
// line, rather than one (possibly pretty-printed) value: at least two
// non-blank lines, each a complete JSON object or array.
func looksLikeNDJSON(data []byte) bool {
	lines := 0
	var d decoder
	for len(data) > 0 {
		var l []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			l, data = data, nil
		}
		l = bytes.TrimSpace(l)
		if len(l) == 0 {
			continue
		}
		if l[0] != '{' && l[0] != '[' {
			return false
		}
		if _, err := d.decode(l); err != nil {
			return false
		}
		lines++
	}
	return lines > 1
}
