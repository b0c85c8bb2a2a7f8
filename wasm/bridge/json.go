package bridge

import (
	"strconv"
	"unicode/utf8"
)

// jsonw writes JSON by hand. The WebAssembly build leaves encoding/json
// out (it would add about 450 KB), and the shapes sent to the page are few
// and fixed. (The WebAssembly build compiles this package without
// inlining, -gcflags=-l: inlined at the hundreds of call sites of the
// writers, these small methods doubled the writers' size.)
type jsonw struct {
	b     []byte
	comma bool // a value has been written at this nesting level
}

func (w *jsonw) sep() {
	if w.comma {
		w.b = append(w.b, ',')
	}
	w.comma = true
}

func (w *jsonw) open(c byte) {
	w.sep()
	w.b = append(w.b, c)
	w.comma = false
}

func (w *jsonw) close(c byte) {
	w.b = append(w.b, c)
	w.comma = true
}

func (w *jsonw) obj()    { w.open('{') }
func (w *jsonw) endObj() { w.close('}') }
func (w *jsonw) arr()    { w.open('[') }
func (w *jsonw) endArr() { w.close(']') }

// key writes an object key; the value written next belongs to it.

func (w *jsonw) key(k string) {
	w.sep()
	w.b = appendString(w.b, k)
	w.b = append(w.b, ':')
	w.comma = false
}

func (w *jsonw) str(s string) {
	w.sep()
	w.b = appendString(w.b, s)
}

func (w *jsonw) int(v int) {
	w.sep()
	w.b = strconv.AppendInt(w.b, int64(v), 10)
}

func (w *jsonw) num(v float64) {
	w.sep()
	w.b = strconv.AppendFloat(w.b, v, 'g', -1, 64)
}

func (w *jsonw) bool(v bool) {
	w.sep()
	w.b = strconv.AppendBool(w.b, v)
}

func (w *jsonw) null() {
	w.sep()
	w.b = append(w.b, "null"...)
}

// Shorthands for a key and its value.

func (w *jsonw) kstr(k, v string) { w.key(k); w.str(v) }

func (w *jsonw) kint(k string, v int) { w.key(k); w.int(v) }

func (w *jsonw) kbool(k string, v bool) {
	w.key(k)
	w.bool(v)
}

func (w *jsonw) String() string { return string(w.b) }

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string. Invalid UTF-8 becomes U+FFFD;
// <, > and & are escaped too, so that the text is safe wherever it lands.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20 || c == '<' || c == '>' || c == '&':
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// errorJSON is the answer to a call that went wrong.
func errorJSON(msg string) string {
	return `{"error":` + string(appendString(nil, msg)) + `}`
}
