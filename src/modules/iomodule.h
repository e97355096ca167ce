// iomodule.h — file objects (modules/io.cpp) as seen from C++.
// Invariants: a file object owns its fd and its buffers; writes go into the buffer and
// reach the fd on flush (line-buffered objects flush at '\n'); every blocking system
// call runs inside a GilRelease. sys.stdout/stderr/stdin are ordinary file objects.
#pragma once
#include <string_view>

#include "core/runtime.h"
#include "objects/module.h"

namespace gp {

extern Type textio_type, bufferedreader_type, bufferedwriter_type, bufferedrandom_type;
extern Type stringio_type;

// open(file, mode, buffering, encoding, errors, newline, closefd) as the builtin.
Value io_open(const Value* args, size_t nargs, Tuple* kwnames);
// -u / PYTHONUNBUFFERED: stdout flushes at every newline even when not a terminal.
// Call before the standard streams are made (sys_init).
void io_set_unbuffered(bool on);
// The standard streams (fd 0, 1, 2) as text files.
Value io_make_stdio(int fd);
// Write text to a file-like object: fast path for our files, else f.write(s).
void file_write_str(Value f, Str* s);
void file_write(Value f, std::string_view utf8);
// f.flush() if f has it (errors are swallowed when `quiet`).
void file_flush(Value f, bool quiet = false);
// Flush sys.stdout and sys.stderr (at exit, before reading stdin).
void flush_std_streams();
// Flush every open writable file (before exit; before opening a file for reading, so
// data written through an unreferenced file object is visible as it is in CPython).
void io_flush_all();
// Read one line from a text stream (input()); null at EOF.
Value file_readline(Value f);
Module* init_module_io();

}  // namespace gp
