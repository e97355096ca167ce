// args.cpp — argument parsing for native functions (core/args.h), with the wording of
// CPython 3.11's Argument Clinic (_PyArg_UnpackKeywords) and _PyArg_CheckPositional.
//
// Invariants: `out` receives exactly one value per parameter (null = not given); no
// argument is ever consumed twice; errors are raised before anything is stored by
// the caller, so a failed parse has no side effects.
#include "core/args.h"

#include <cstring>
#include <string_view>

#include "objects/str.h"
#include "objects/tuple.h"

namespace gp {

void parse_args(const char* fname, const Value* args, size_t nargs, Tuple* kwnames,
                const char* const* names, size_t required, Value* out) {
  size_t n = 0, maxpos = SIZE_MAX, posonly = 0;
  for (; names[n]; n++) {
    if (names[n][0] == '$' && maxpos == SIZE_MAX) maxpos = n;
    if (names[n][0] == 0 && posonly == n) posonly = n + 1;
  }
  if (maxpos == SIZE_MAX) maxpos = n;
  size_t nkw = kwnames ? size_t(kwnames->size) : 0;
  for (size_t i = 0; i < n; i++) out[i] = Value::null();
  size_t minpos = required < maxpos ? required : maxpos;

  if (nargs + nkw > n)
    raise(&exc_TypeError, "%s() takes at most %zu %sargument%s (%zu given)", fname, n,
          nargs == 0 ? "keyword " : "", n == 1 ? "" : "s", nargs + nkw);
  if (nargs > maxpos) {
    if (maxpos == 0) raise(&exc_TypeError, "%s() takes no positional arguments", fname);
    raise(&exc_TypeError, "%s() takes %s %zu positional argument%s (%zu given)", fname,
          minpos < maxpos ? "at most" : "exactly", maxpos, maxpos == 1 ? "" : "s", nargs);
  }
  size_t minposonly = required < posonly ? required : posonly;
  if (nargs < minposonly)
    raise(&exc_TypeError, "%s() takes %s %zu positional argument%s (%zu given)", fname,
          minposonly < maxpos ? "at least" : "exactly", minposonly,
          minposonly == 1 ? "" : "s", nargs);
  for (size_t i = 0; i < nargs; i++) out[i] = args[i];

  // match keywords to parameters; remember the first one that matches nothing
  long bad = -1;
  for (size_t j = 0; j < nkw; j++) {
    std::string_view k = (*kwnames)[int64_t(j)].as<Str>()->view();
    size_t i = posonly;
    for (; i < n; i++) {
      const char* pn = names[i][0] == '$' ? names[i] + 1 : names[i];
      if (k == pn) break;
    }
    if (i == n || i < nargs) {
      if (i < n && bad < 0) bad = long(j);
      else if (bad < 0) bad = long(j);
      continue;
    }
    out[i] = args[nargs + j];
  }
  for (size_t i = nargs; i < required && i < n; i++) {
    if (out[i]) continue;
    const char* pn = names[i][0] == '$' ? names[i] + 1 : names[i];
    if (i < posonly)
      raise(&exc_TypeError, "%s() takes %s %zu positional argument%s (%zu given)", fname,
            minposonly < maxpos ? "at least" : "exactly", minposonly,
            minposonly == 1 ? "" : "s", nargs);
    if (i < maxpos)
      raise(&exc_TypeError, "%s() missing required argument '%s' (pos %zu)", fname, pn, i + 1);
    raise(&exc_TypeError, "%s() missing required keyword-only argument '%s'", fname, pn);
  }
  if (bad >= 0) {
    std::string_view k = (*kwnames)[bad].as<Str>()->view();
    for (size_t i = posonly; i < nargs; i++) {
      const char* pn = names[i][0] == '$' ? names[i] + 1 : names[i];
      if (k == pn)
        raise(&exc_TypeError, "argument for %s() given by name ('%s') and position (%zu)",
              fname, pn, i + 1);
    }
    raise(&exc_TypeError, "'%s' is an invalid keyword argument for %s()", std::string(k).c_str(),
          fname);
  }
}

void check_no_kwargs(const char* fname, Tuple* kwnames) {
  if (kwnames && kwnames->size > 0)
    raise(&exc_TypeError, "%s() takes no keyword arguments", fname);
}

void check_nargs(const char* fname, size_t nargs, size_t min, size_t max) {
  if (nargs < min)
    raise(&exc_TypeError, "%s expected %s%zu argument%s, got %zu", fname,
          min == max ? "" : "at least ", min, min == 1 ? "" : "s", nargs);
  if (nargs > max) {
    if (max == 0) raise(&exc_TypeError, "%s() takes no arguments (%zu given)", fname, nargs);
    raise(&exc_TypeError, "%s expected %s%zu argument%s, got %zu", fname,
          min == max ? "" : "at most ", max, max == 1 ? "" : "s", nargs);
  }
}

}  // namespace gp
