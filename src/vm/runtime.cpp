// runtime.cpp — start-up of the builtin types.
// Invariant: init_types() runs once, before any Python code, in the order of
// core/inits.h (object and type first: every later type_ready needs them).
#include "core/inits.h"
#include "core/runtime.h"

namespace gp {

void init_types() {
  static bool done = false;
  if (done) return;
  done = true;
  init_object_type();
  init_type_type();
  init_singleton_types();
  init_descr_types();
  init_int_type();
  init_bool_type();
  init_float_type();
  init_str_type();
  init_bytes_types();
  init_tuple_type();
  init_list_type();
  init_dict_type();
  init_set_types();
  init_range_type();
  init_slice_type();
  init_iter_types();
  init_function_types();
  init_generator_type();
  init_module_type();
  init_traceback_type();
  init_exception_types();
  init_file_types();
}

}  // namespace gp
