// args.h — parsing the arguments of native functions (vectorcall convention).
//
// Usage:
//   static const char* const kw[] = {"sep", "maxsplit", nullptr};
//   Value a[2];   // receives values (null when not given)
//   parse_args("split", args + 1, nargs - 1, kwnames, kw, 0, a);
// `required` leading parameters must be given; positional args fill parameters in
// order; keywords match by name. Errors raise TypeError with CPython's wording
// ("split() takes at most 2 arguments (3 given)", "... got an unexpected keyword
// argument 'x'", "... missing required argument 'sep' (pos 1)").
// Names starting with '$' are keyword-only ('$' stripped); a name that is "" is
// positional-only.
#pragma once
#include "core/runtime.h"

namespace gp {

void parse_args(const char* fname, const Value* args, size_t nargs, Tuple* kwnames,
                const char* const* names, size_t required, Value* out);

// Quick checks for functions that take only positional arguments.
void check_no_kwargs(const char* fname, Tuple* kwnames);
void check_nargs(const char* fname, size_t nargs, size_t min, size_t max);

}  // namespace gp
