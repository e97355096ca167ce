// exceptions.h — extras of the exceptions part beyond core/error.h.
// Invariants: the accessors below read the BaseException layout (core/error.h)
// without Python-level dispatch; they never allocate unless they say so.
#pragma once
#include <string>
#include <string_view>

#include "core/runtime.h"

namespace gp {

// Re-raise an exception object exactly as it is: no __context__ chaining (what RERAISE
// and C++ code that caught and re-throws want). throw_exc chains like `raise`.
[[noreturn]] void rethrow(Value exc);

// OSError (mapped to its errno subclass: FileNotFoundError, ...) from an errno value,
// with strerror(err) as the message, and the filename(s) when given (null = none).
[[noreturn]] void raise_oserror(int err, Value filename = Value::null(),
                                Value filename2 = Value::null());
Value oserror_new(int err, Value filename = Value::null());

// StopIteration(value) raised cheaply (generators' return value).
[[noreturn]] void raise_stop_iteration(Value value);
// StopIteration.value of an instance (None when absent).
Value stop_iteration_value(Value exc);
// SystemExit.code of an instance.
Value system_exit_code(Value exc);

// The exception line(s) of print_exception for one exception, without traceback:
// "ValueError: msg\n" (SyntaxError: the File/text/caret lines too).
std::string format_exception_only(Value exc);
// The whole report print_exception writes (traceback, chain, exception line).
std::string format_exception(Value exc);

// Wording of CPython's raise of an instance that is not an exception.
[[noreturn]] void raise_not_exception();

}  // namespace gp
