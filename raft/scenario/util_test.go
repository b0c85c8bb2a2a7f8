package scenario

import (
	"reflect"
	"testing"
)

var posType = reflect.TypeFor[Pos]()

// clearPos zeroes every Pos reachable from v (a pointer), in place, so that
// ASTs parsed from differently laid out text can be compared.
func clearPos(v any) {
	clearPosValue(reflect.ValueOf(v))
}

func clearPosValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			clearPosValue(v.Elem())
		}
	case reflect.Struct:
		if v.Type() == posType {
			if v.CanSet() {
				v.Set(reflect.Zero(posType))
			}
			return
		}
		for i := 0; i < v.NumField(); i++ {
			clearPosValue(v.Field(i))
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			clearPosValue(v.Index(i))
		}
	}
}

// sameAST reports whether a and b are equal ignoring positions and the
// scenario's first line. It clears the positions of both.
func sameAST(a, b *Scenario) bool {
	clearPos(a)
	clearPos(b)
	a.Line, b.Line = 0, 0
	return reflect.DeepEqual(a, b)
}

// mustParse parses src or fails the test.
func mustParse(t *testing.T, src string) *Scenario {
	t.Helper()
	sc, err := Parse("t.raft", src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return sc
}
