// error.h — raising and catching Python exceptions from C++.
//
// Invariants:
//  * A Python exception propagates through C++ as `throw PyThrow{}`. The exception
//    object is stored first in tstate()->curexc, which the GC scans; the C++
//    exception object (malloc'd by the C++ runtime, invisible to the GC) holds no
//    pointer. Catch PyThrow, then take the object with take_exception().
//  * Never `catch (...)` around code that may throw PyThrow without re-throwing or
//    clearing curexc: a swallowed exception must also be cleared.
//  * Exception objects carry their traceback, __cause__, __context__ and
//    __suppress_context__ as CPython's do. Builtin exception types are the static
//    Type objects named exc_<Name> below, made ready by init_types().
#pragma once
#include <cstdarg>
#include <initializer_list>
#include <string_view>

#include "core/object.h"

namespace gp {

struct PyThrow {};

// CPython 3.11's builtin hierarchy: X(Name, Base)
#define GP_EXCEPTION_TYPES(X)                                    \
  X(BaseException, object)                                       \
  X(SystemExit, BaseException)                                   \
  X(KeyboardInterrupt, BaseException)                            \
  X(GeneratorExit, BaseException)                                \
  X(Exception, BaseException)                                    \
  X(StopIteration, Exception)                                    \
  X(StopAsyncIteration, Exception)                               \
  X(ArithmeticError, Exception)                                  \
  X(FloatingPointError, ArithmeticError)                         \
  X(OverflowError, ArithmeticError)                              \
  X(ZeroDivisionError, ArithmeticError)                          \
  X(AssertionError, Exception)                                   \
  X(AttributeError, Exception)                                   \
  X(BufferError, Exception)                                      \
  X(EOFError, Exception)                                         \
  X(ImportError, Exception)                                      \
  X(ModuleNotFoundError, ImportError)                            \
  X(LookupError, Exception)                                      \
  X(IndexError, LookupError)                                     \
  X(KeyError, LookupError)                                       \
  X(MemoryError, Exception)                                      \
  X(NameError, Exception)                                        \
  X(UnboundLocalError, NameError)                                \
  X(OSError, Exception)                                          \
  X(BlockingIOError, OSError)                                    \
  X(ChildProcessError, OSError)                                  \
  X(ConnectionError, OSError)                                    \
  X(BrokenPipeError, ConnectionError)                            \
  X(ConnectionAbortedError, ConnectionError)                     \
  X(ConnectionRefusedError, ConnectionError)                     \
  X(ConnectionResetError, ConnectionError)                       \
  X(FileExistsError, OSError)                                    \
  X(FileNotFoundError, OSError)                                  \
  X(InterruptedError, OSError)                                   \
  X(IsADirectoryError, OSError)                                  \
  X(NotADirectoryError, OSError)                                 \
  X(PermissionError, OSError)                                    \
  X(ProcessLookupError, OSError)                                 \
  X(TimeoutError, OSError)                                       \
  X(ReferenceError, Exception)                                   \
  X(RuntimeError, Exception)                                     \
  X(NotImplementedError, RuntimeError)                           \
  X(RecursionError, RuntimeError)                                \
  X(SyntaxError, Exception)                                      \
  X(IndentationError, SyntaxError)                               \
  X(TabError, IndentationError)                                  \
  X(SystemError, Exception)                                      \
  X(TypeError, Exception)                                        \
  X(ValueError, Exception)                                       \
  X(UnicodeError, ValueError)                                    \
  X(UnicodeDecodeError, UnicodeError)                            \
  X(UnicodeEncodeError, UnicodeError)                            \
  X(Warning, Exception)                                          \
  X(DeprecationWarning, Warning)                                 \
  X(RuntimeWarning, Warning)                                     \
  X(UserWarning, Warning)

#define GP_DECLARE_EXC(name, base) extern Type exc_##name;
GP_EXCEPTION_TYPES(GP_DECLARE_EXC)
#undef GP_DECLARE_EXC

// Layout of every exception instance (user subclasses add nothing: the dict is here).
struct BaseException : Object {
  Dict* dict;            // __dict__ (dict_offset = 8)
  Tuple* args;           // .args
  Value traceback;       // __traceback__: a Traceback object or None (vm/traceback.h)
  Value cause;           // __cause__ or None
  Value context;         // __context__ or None
  bool suppress_context; // __suppress_context__
  Value extra[4];        // type-specific: SystemExit.code, StopIteration.value,
                         // OSError errno/strerror/filename, SyntaxError details
};

// [exceptions owner: src/objects/exceptions.cpp]
[[noreturn]] void throw_exc(Value exc);   // exc: an instance, or a class to instantiate
[[noreturn]] void raise(Type* t, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
[[noreturn]] void raise_msg(Type* t, Str* msg);
[[noreturn]] void raise_no_memory();
Value exc_new(Type* t, std::initializer_list<Value> args);  // t(*args)
Value take_exception();                  // curexc, then clears it
Value current_exception();               // curexc without clearing (null if none)
bool exc_matches(Value exc, Value cls_or_tuple);  // except-clause matching
// SyntaxError (or IndentationError/TabError) with its details set as CPython's:
// msg, filename, lineno, offset (1-based column), text (the source line), end_lineno,
// end_offset. str(e) is "msg (filename, line N)".
[[noreturn]] void raise_syntax_error(Type* t, std::string_view msg, Str* filename, int lineno,
                                     int offset, std::string_view text, int end_lineno,
                                     int end_offset);
// Print `exc` with its chain and traceback in CPython's format to sys.stderr.
void print_exception(Value exc);

}  // namespace gp
