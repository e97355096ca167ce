// inits.h — the start-up functions of each builtin type file, called in this order by
// init_types() (vm/runtime.cpp). Each sets its Type fields, slots and methods, then
// calls type_ready. Modules initialise lazily on first import instead.
#pragma once

namespace gp {
void init_object_type();      // objects/object.cpp: object
void init_type_type();        // objects/type.cpp: type
void init_singleton_types();  // objects/singletons.cpp: None, NotImplemented, Ellipsis
void init_descr_types();      // objects/descr.cpp: builtin function, method descr, property,
                              //   staticmethod, classmethod, super
void init_int_type();         // objects/int.cpp (and bool in objects/bool.cpp: init_bool_type)
void init_bool_type();
void init_float_type();       // objects/float.cpp
void init_str_type();         // objects/str.cpp
void init_bytes_types();      // objects/bytes.cpp, bytearray.cpp
void init_tuple_type();       // objects/tuple.cpp
void init_list_type();        // objects/list.cpp
void init_dict_type();        // objects/dict.cpp (with its views and iterators)
void init_set_types();        // objects/set.cpp (set, frozenset)
void init_range_type();       // objects/range.cpp
void init_slice_type();       // objects/slice.cpp
void init_iter_types();       // objects/iterobject.cpp: enumerate, zip, map, filter, reversed, ...
void init_function_types();   // vm/function.cpp: function, method, cell, code
void init_generator_type();   // vm/generator.cpp
void init_module_type();      // vm/module.cpp
void init_traceback_type();   // vm/traceback.cpp
void init_exception_types();  // objects/exceptions.cpp
void init_file_types();       // modules/io.cpp: text and binary file objects
}  // namespace gp
