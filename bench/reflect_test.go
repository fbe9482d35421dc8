package bench

import (
	"encoding/json"
	"reflect"
	"sync"
)

// The generated types decode themselves (UnmarshalJSON runs the generated
// decoders), so the encoding/json peer decodes into a mirror of the same
// type without methods: the same fields, tags and layout, every struct
// rebuilt with reflect.StructOf, so that encoding/json decodes it by
// reflection as it would the generated types without their decoders.

var plainTypes sync.Map // reflect.Type -> reflect.Type

// reflectUnmarshal is json.Unmarshal of data into a new value of the
// method-less mirror of v's type (v is a pointer).
func reflectUnmarshal(data []byte, v any) error {
	t := reflect.TypeOf(v).Elem()
	p, ok := plainTypes.Load(t)
	if !ok {
		p, _ = plainTypes.LoadOrStore(t, plainOf(t))
	}
	return json.Unmarshal(data, reflect.New(p.(reflect.Type)).Interface())
}

// plainOf returns t with every struct type in it rebuilt without methods.
// The support types that keep two wire forms (IntOrString, BoolOrString)
// and json.RawMessage keep their own UnmarshalJSON, as before.
func plainOf(t reflect.Type) reflect.Type {
	switch t.Kind() {
	case reflect.Struct:
		if t.Name() == "IntOrString" || t.Name() == "BoolOrString" {
			return t
		}
		fields := make([]reflect.StructField, t.NumField())
		for i := range fields {
			f := t.Field(i)
			fields[i] = reflect.StructField{Name: f.Name, Type: plainOf(f.Type), Tag: f.Tag}
		}
		return reflect.StructOf(fields)
	case reflect.Pointer:
		if e := plainOf(t.Elem()); e != t.Elem() {
			return reflect.PointerTo(e)
		}
	case reflect.Slice:
		if e := plainOf(t.Elem()); e != t.Elem() {
			return reflect.SliceOf(e)
		}
	case reflect.Map:
		if e := plainOf(t.Elem()); e != t.Elem() {
			return reflect.MapOf(t.Key(), e)
		}
	}
	return t
}
