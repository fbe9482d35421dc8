package hcrt

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"
)

// The format checkers below accept exactly what the reference validator
// (jsonschema/v5 with AssertFormat) accepts.

// hcAtoi parses like strconv.Atoi: an optional sign and at least one digit.
func hcAtoi(s []byte) (int64, bool) {
	neg := false
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 {
		return 0, false
	}
	var n int64
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > 1e17 {
			return 0, false // overflow is an error for strconv.Atoi
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func hcInRange(s []byte, lo, hi int64) (int64, bool) {
	n, ok := hcAtoi(s)
	return n, ok && n >= lo && n <= hi
}

func hcDigits(s []byte) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// FmtDate: full-date of RFC 3339 (as time.Parse("2006-01-02") reads it).
func FmtDate(s []byte) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' || !hcDigits(s[0:4]) || !hcDigits(s[5:7]) || !hcDigits(s[8:10]) {
		return false
	}
	y := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	m := int(s[5]-'0')*10 + int(s[6]-'0')
	d := int(s[8]-'0')*10 + int(s[9]-'0')
	if m < 1 || m > 12 || d < 1 {
		return false
	}
	days := [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}[m]
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		days = 29
	}
	return d <= days
}

// FmtTime: full-time of RFC 3339, leap seconds only at 23:59 UTC.
func FmtTime(s []byte) bool {
	if len(s) < 9 || s[2] != ':' || s[5] != ':' {
		return false
	}
	h, ok1 := hcInRange(s[0:2], 0, 23)
	m, ok2 := hcInRange(s[3:5], 0, 59)
	sec, ok3 := hcInRange(s[6:8], 0, 60)
	if !ok1 || !ok2 || !ok3 {
		return false
	}
	s = s[8:]
	if s[0] == '.' {
		s = s[1:]
		n := 0
		for len(s) > 0 && s[0] >= '0' && s[0] <= '9' {
			s = s[1:]
			n++
		}
		if n == 0 {
			return false
		}
	}
	if len(s) == 0 {
		return false
	}
	if s[0] == 'z' || s[0] == 'Z' {
		if len(s) != 1 {
			return false
		}
	} else {
		if len(s) != 6 || s[3] != ':' {
			return false
		}
		var sign int64
		switch s[0] {
		case '+':
			sign = -1
		case '-':
			sign = 1
		default:
			return false
		}
		zh, ok1 := hcInRange(s[1:3], 0, 23)
		zm, ok2 := hcInRange(s[4:6], 0, 59)
		if !ok1 || !ok2 {
			return false
		}
		hm := h*60 + m + sign*(zh*60+zm)
		if hm < 0 {
			hm += 24 * 60
		}
		h, m = hm/60, hm%60
	}
	if sec == 60 && (h != 23 || m != 59) {
		return false
	}
	return true
}

// FmtDateTime: date-time of RFC 3339.
func FmtDateTime(s []byte) bool {
	if len(s) < 20 || (s[10] != 'T' && s[10] != 't') {
		return false
	}
	return FmtDate(s[:10]) && FmtTime(s[11:])
}

// hcDurUnits reads the (digits unit)* run before 'T' or the end; units are
// returned in u (at most 3 kept; more is reported as n > 3).
func hcDurUnits(s []byte) (rest []byte, u [3]byte, n int, ok bool) {
	for len(s) > 0 && s[0] != 'T' {
		digits := false
		for len(s) > 0 && s[0] >= '0' && s[0] <= '9' {
			digits = true
			s = s[1:]
		}
		if !digits || len(s) == 0 {
			return s, u, n, false
		}
		if n < 3 {
			u[n] = s[0]
		}
		n++
		s = s[1:]
	}
	return s, u, n, true
}

func hcUnitsIn(u [3]byte, n int, all string) bool {
	if n > 3 {
		return false
	}
	return strings.Contains(all, string(u[:n]))
}

// FmtDuration: duration of RFC 3339 appendix A.
func FmtDuration(s []byte) bool {
	if len(s) == 0 || s[0] != 'P' {
		return false
	}
	s, u, n, ok := hcDurUnits(s[1:])
	if !ok {
		return false
	}
	if n == 1 && u[0] == 'W' {
		return len(s) == 0
	}
	if n > 0 {
		if !hcUnitsIn(u, n, "YMD") {
			return false
		}
		if len(s) == 0 {
			return true
		}
	}
	if len(s) == 0 || s[0] != 'T' {
		return false
	}
	s, u, n, ok = hcDurUnits(s[1:])
	return ok && len(s) == 0 && n > 0 && hcUnitsIn(u, n, "HMS")
}

// FmtPeriod: start/end, start/duration or duration/end.
func FmtPeriod(s []byte) bool {
	slash := bytes.IndexByte(s, '/')
	if slash < 0 {
		return false
	}
	start, end := s[:slash], s[slash+1:]
	if FmtDateTime(start) {
		return FmtDateTime(end) || FmtDuration(end)
	}
	return FmtDuration(start) && FmtDateTime(end)
}

// FmtHostname: RFC 1123 host name.
func FmtHostname(s []byte) bool {
	s = bytes.TrimSuffix(s, []byte("."))
	if len(s) > 253 {
		return false
	}
	first := byte(0)
	if len(s) > 0 {
		first = s[0]
	}
	for {
		label := s
		dot := bytes.IndexByte(s, '.')
		if dot >= 0 {
			label = s[:dot]
		}
		if len(label) < 1 || len(label) > 63 || first == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, c := range label {
			if !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-') {
				return false
			}
		}
		if dot < 0 {
			return true
		}
		s = s[dot+1:]
	}
}

// FmtEmail: RFC 5322 address.
func FmtEmail(s []byte) bool {
	if len(s) > 254 {
		return false
	}
	at := bytes.LastIndexByte(s, '@')
	if at < 0 {
		return false
	}
	local, domain := s[:at], s[at+1:]
	if len(local) > 64 {
		return false
	}
	if len(domain) >= 2 && domain[0] == '[' && domain[len(domain)-1] == ']' {
		ip := domain[1 : len(domain)-1]
		if bytes.HasPrefix(ip, []byte("IPv6:")) {
			return FmtIPv6(ip[5:])
		}
		return FmtIPv4(ip)
	}
	if !FmtHostname(domain) {
		return false
	}
	if hcSimpleLocal(local) && domain[len(domain)-1] != '.' {
		return true // a dot-atom of plain characters at a host name: net/mail accepts it
	}
	_, err := mail.ParseAddress(string(s))
	return err == nil
}

// hcSimpleLocal: a dot-atom of letters, digits and "!#$%&'*+-/=?^_`{|}~".
func hcSimpleLocal(s []byte) bool {
	if len(s) == 0 || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i, c := range s {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '.':
			if s[i-1] == '.' {
				return false
			}
		case strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// FmtIPv4: dotted quad without leading zeros.
func FmtIPv4(s []byte) bool {
	for g := 0; g < 4; g++ {
		group := s
		dot := bytes.IndexByte(s, '.')
		if g < 3 {
			if dot < 0 {
				return false
			}
			group = s[:dot]
			s = s[dot+1:]
		} else if dot >= 0 {
			return false
		}
		n, ok := hcAtoi(group)
		if !ok || n < 0 || n > 255 || (n != 0 && group[0] == '0') {
			return false
		}
	}
	return true
}

// FmtIPv6: RFC 4291 address without zone (what net.ParseIP accepts
// when the text has a colon), parsed without allocating.
func FmtIPv6(s []byte) bool {
	for _, c := range s {
		if c == '.' {
			return false // an IPv4 form: a colon after it is never valid
		}
		if c == ':' {
			break
		}
		if c == '%' {
			return false
		}
	}
	if bytes.IndexByte(s, ':') < 0 || bytes.IndexByte(s, '%') >= 0 {
		return false
	}
	n := 0         // bytes of address parsed
	ellipsis := -1 // where :: stands
	if len(s) >= 2 && s[0] == ':' && s[1] == ':' {
		ellipsis = 0
		s = s[2:]
		if len(s) == 0 {
			return true
		}
	}
	for n < 16 {
		digits, acc := 0, 0
		for ; digits < len(s) && hcHex(s[digits]) >= 0; digits++ {
			if digits > 3 {
				return false
			}
			acc = acc<<4 + hcHex(s[digits])
		}
		_ = acc
		if digits == 0 {
			return false
		}
		if digits < len(s) && s[digits] == '.' {
			if (ellipsis < 0 && n != 12) || n+4 > 16 || !hcIPv4Fields(s) {
				return false
			}
			s = s[len(s):]
			n += 4
			break
		}
		n += 2
		s = s[digits:]
		if len(s) == 0 {
			break
		}
		if s[0] != ':' || len(s) == 1 {
			return false
		}
		s = s[1:]
		if s[0] == ':' {
			if ellipsis >= 0 {
				return false
			}
			ellipsis = n
			s = s[1:]
			if len(s) == 0 {
				break
			}
		}
	}
	if len(s) != 0 {
		return false
	}
	if n < 16 {
		return ellipsis >= 0
	}
	return ellipsis < 0
}

// hcIPv4Fields: four decimal octets without leading zeros.
func hcIPv4Fields(s []byte) bool {
	val, pos, digits := 0, 0, 0
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
			if digits == 1 && val == 0 {
				return false
			}
			val = val*10 + int(c-'0')
			digits++
			if val > 255 {
				return false
			}
		case c == '.':
			if i == 0 || i == len(s)-1 || s[i-1] == '.' || pos == 3 {
				return false
			}
			pos++
			val, digits = 0, 0
		default:
			return false
		}
	}
	return pos == 3
}

// hcURIChar: the characters a URI fast path accepts without asking net/url
// (unreserved, sub-delims, ':', '@', '/', '?').
func hcURIChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/?", c) >= 0
}

// hcSimpleURI reports whether s is scheme "://" host [":" port] followed by
// a path, query and fragment of plain characters and valid escapes: a form
// net/url accepts. ok is false when s is not of that form (the caller then
// asks net/url).
func hcSimpleURI(s []byte) (ok bool) {
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || i > 0 && (s[i] >= '0' && s[i] <= '9' || s[i] == '+' || s[i] == '-' || s[i] == '.')) {
		i++
	}
	if i == 0 || len(s) < i+3 || string(s[i:i+3]) != "://" {
		return false
	}
	s = s[i+3:]
	end := len(s)
	for j, c := range s {
		if c == '/' || c == '?' || c == '#' {
			end = j
			break
		}
	}
	host, rest := s[:end], s[end:]
	if len(host) == 0 {
		return false
	}
	colon := bytes.IndexByte(host, ':')
	name := host
	if colon >= 0 {
		name = host[:colon]
		if !hcDigits(host[colon+1:]) {
			return false
		}
	}
	if len(name) == 0 {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	hash := false
	for j := 0; j < len(rest); j++ {
		c := rest[j]
		switch {
		case c == '%':
			if j+2 >= len(rest) || hcHex(rest[j+1]) < 0 || hcHex(rest[j+2]) < 0 {
				return false
			}
			j += 2
		case c == '#':
			if hash {
				return false
			}
			hash = true
		case !hcURIChar(c):
			return false
		}
	}
	return true
}

func hcURLParse(s string) (*url.URL, bool) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, false
	}
	host := u.Hostname()
	if strings.IndexByte(host, ':') >= 0 {
		if strings.IndexByte(u.Host, '[') < 0 || strings.IndexByte(u.Host, ']') < 0 {
			return nil, false
		}
		if !FmtIPv6([]byte(host)) {
			return nil, false
		}
	}
	return u, true
}

// FmtURI: absolute URI of RFC 3986.
func FmtURI(s []byte) bool {
	if hcSimpleURI(s) {
		return true
	}
	u, ok := hcURLParse(string(s))
	return ok && u.IsAbs()
}

// FmtURIReference: URI or relative reference of RFC 3986.
func FmtURIReference(s []byte) bool {
	if hcSimpleURI(s) {
		return true
	}
	_, ok := hcURLParse(string(s))
	return ok && bytes.IndexByte(s, '\\') < 0
}

// FmtURITemplate: an RFC 6570 URI template (any level): literals and
// expressions {[operator]varspec,...} with the operators + # . / ; ? & (and
// the reserved = , ! @ |), varspecs name[:max-length] or name*. As the
// JSON-Schema-Test-Suite does (RFC 6570 erratum 6937), an apostrophe is a
// literal.
func FmtURITemplate(s []byte) bool {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '{':
			end := bytes.IndexByte(s[i+1:], '}')
			if end < 0 || !hcURITemplateExpr(s[i+1:i+1+end]) {
				return false
			}
			i += end + 2
		case c == '%':
			if i+2 >= len(s) || hcHex(s[i+1]) < 0 || hcHex(s[i+2]) < 0 {
				return false
			}
			i += 3
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(s[i:])
			if !hcUCSChar(r) {
				return false
			}
			i += n
		case c <= ' ' || c == 0x7f || strings.IndexByte("\"<>\\^`{|}", c) >= 0:
			return false
		default:
			i++
		}
	}
	return true
}

// hcURITemplateExpr checks the inside of one {expression}.
func hcURITemplateExpr(e []byte) bool {
	if len(e) > 0 && strings.IndexByte("+#./;?&=,!@|", e[0]) >= 0 {
		e = e[1:]
	}
	if len(e) == 0 {
		return false
	}
	for _, spec := range bytes.Split(e, []byte(",")) {
		name := spec
		if j := bytes.IndexByte(spec, ':'); j >= 0 {
			name = spec[:j]
			n := spec[j+1:]
			if len(n) == 0 || len(n) > 4 || n[0] < '1' || n[0] > '9' {
				return false
			}
			for _, d := range n {
				if d < '0' || d > '9' {
					return false
				}
			}
		} else if len(spec) > 0 && spec[len(spec)-1] == '*' {
			name = spec[:len(spec)-1]
		}
		if !hcVarName(name) {
			return false
		}
	}
	return true
}

// hcVarName: varchar *( ["."] varchar ), varchar = ALPHA / DIGIT / "_" /
// pct-encoded.
func hcVarName(v []byte) bool {
	if len(v) == 0 || v[0] == '.' || v[len(v)-1] == '.' {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '%':
			if i+2 >= len(v) || hcHex(v[i+1]) < 0 || hcHex(v[i+2]) < 0 {
				return false
			}
			i += 2
		case c == '.':
			if v[i+1] == '.' {
				return false
			}
		case c == '_' || (c >= '0' && c <= '9') || (c|0x20 >= 'a' && c|0x20 <= 'z'):
		default:
			return false
		}
	}
	return true
}

// hcUCSChar: the ucschar and iprivate ranges of RFC 3987, the non-ASCII
// characters a template literal may hold.
func hcUCSChar(r rune) bool {
	switch {
	case r >= 0xA0 && r <= 0xD7FF, r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFEF:
		return true
	case r >= 0xE000 && r <= 0xF8FF:
		return true // iprivate
	case r >= 0x10000 && r <= 0x10FFFD:
		if r >= 0xF0000 {
			return r&0xFFFF <= 0xFFFD // iprivate planes 15 and 16
		}
		return r&0xFFFF <= 0xFFFD && r < 0xE0000 || (r >= 0xE1000 && r <= 0xEFFFD)
	}
	return false
}

// FmtRegex: a regular expression Go's regexp accepts.
func FmtRegex(s []byte) bool {
	_, err := regexp.Compile(string(s))
	return err == nil
}

// FmtJSONPointer: RFC 6901 pointer (not the URI fragment form).
func FmtJSONPointer(s []byte) bool {
	if len(s) > 0 && s[0] != '/' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '~' && (i+1 >= len(s) || (s[i+1] != '0' && s[i+1] != '1')) {
			return false
		}
	}
	return true
}

// FmtRelativeJSONPointer: draft-handrews-relative-json-pointer-01.
func FmtRelativeJSONPointer(s []byte) bool {
	if len(s) == 0 {
		return false
	}
	switch {
	case s[0] == '0':
		s = s[1:]
	case s[0] >= '1' && s[0] <= '9':
		for len(s) > 0 && s[0] >= '0' && s[0] <= '9' {
			s = s[1:]
		}
	default:
		return false
	}
	return string(s) == "#" || FmtJSONPointer(s)
}

// FmtUUID: 8-4-4-4-12 hexadecimal digits.
func FmtUUID(s []byte) bool {
	if len(s) != 36 || s[8] != '-' || s[13] != '-' || s[18] != '-' || s[23] != '-' {
		return false
	}
	// Eight bytes at a time, each dash read as a '0' (a hex digit).
	const dash = ('-' ^ '0')
	w0 := binary.LittleEndian.Uint64(s[0:])
	w1 := binary.LittleEndian.Uint64(s[9:]) ^ dash<<32              // s[13]
	w2 := binary.LittleEndian.Uint64(s[17:]) ^ (dash<<8 | dash<<48) // s[18], s[23]
	w3 := binary.LittleEndian.Uint64(s[25:])
	w4 := binary.LittleEndian.Uint64(s[28:])
	return hcHex8(w0) && hcHex8(w1) && hcHex8(w2) && hcHex8(w3) && hcHex8(w4)
}

// hcHex8 reports whether the eight bytes of x are all hex digits: ASCII,
// and in 0-9, or in a-f once lowercased.
func hcHex8(x uint64) bool {
	if x&hcHighs != 0 {
		return false
	}
	// for ASCII bytes, adding 0x80-lo sets the high bit of those >= lo,
	// adding 0x7f-hi that of those > hi, with no carry between bytes
	digit := (x + (0x80-'0')*hcOnes) &^ (x + (0x7f-'9')*hcOnes)
	y := x | 0x20*hcOnes
	letter := (y + (0x80-'a')*hcOnes) &^ (y + (0x7f-'f')*hcOnes)
	return (digit|letter)&hcHighs == hcHighs
}

// Base64 decodes contentEncoding base64 (RFC 4648, padded), as draft-07
// asserts it.
func Base64(s []byte) ([]byte, bool) {
	out := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Decode(out, s)
	return out[:n], err == nil
}

// JSONText reports whether s is one JSON text: contentMediaType
// application/json, as draft-07 asserts it.
func JSONText(s []byte) bool { return json.Valid(s) }
