// io.cpp — file objects for open(), the standard streams, StringIO/BytesIO, and the
// io module.
//
// Invariants:
//  * A file object (text or binary) wraps a Stream: fd, write buffer, read buffer and
//    a mutex. A text file and its .buffer share one Stream, so their output interleaves
//    in program order. Stream fields change only with the stream's mutex held.
//  * The mutex is taken with try_lock first; if another thread holds it (blocked in a
//    system call), the taker gives up the GIL while it waits. Every blocking system
//    call (read, write, lseek on pipes) runs inside GilRelease and touches no Python
//    object, only the Stream's own buffers.
//  * Pending output reaches the fd on flush: when the buffer fills, at '\n' for
//    line-buffered streams (terminals, stderr), on close, at exit (io_flush_all), and
//    when a Stream becomes garbage (GC finalizer: flush + close, no Python code).
//  * Text is UTF-8 (or ascii/latin-1 through str_decode/str_encode); reading with
//    newline=None translates "\r\n" and "\r" to "\n".
#include "modules/iomodule.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <new>
#include <unordered_set>

#include "core/args.h"
#include "gil/gil.h"
#include "modules/signals.h"
#include "modules/sysmodule.h"
#include "objects/bytes.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "objects/unicode.h"

namespace gp {

Type textio_type, bufferedreader_type, bufferedwriter_type, bufferedrandom_type;
Type stringio_type, bytesio_type;

namespace {

constexpr int64_t kBufSize = 8192;
Value g_unsupported;  // io.UnsupportedOperation

// ---- the stream ---------------------------------------------------------------------

struct Stream {
  std::mutex mu;
  int fd;
  bool readable, writable, seekable, closed, closefd, is_tty, registered;
  bool line_buffering;  // flush at '\n'
  bool write_through;   // no buffering at all (buffering=0)
  char* wbuf;
  int64_t wlen, wcap;
  char* rbuf;
  int64_t rpos, rlen, rcap;
};

std::mutex g_reg_mu;
std::unordered_set<Stream*>* g_open_writers;  // weak: malloc'd set, invisible to the GC

struct File : Object {
  Dict* dict;
  Stream* s;
  Value name;       // str, bytes or int
  Str* mode;
  Str* encoding;    // text only
  Str* errors;
  Value newline;    // None, '', '\n', '\r', '\r\n' (text only)
  Value buffer;     // text: the binary file over the same stream (made on demand)
  bool text;
  bool translate;   // newline=None on read: "\r\n"/"\r" -> "\n"
  bool universal;   // newline None or '': recognise all line endings
  bool utf8;        // encoding is utf-8 (fast paths)
  Str* wnl;         // newline to write for '\n' (null: no translation)
};

inline File* F(Value v) { return v.as<File>(); }

Value unsupported_type() {
  if (g_unsupported.is_null()) {
    Dict* ns = dict_new();
    dict_set_str(ns, GP_STR("__module__"), vstr(str_intern("io")));
    Value t = type_call_new(&type_type, str_intern("UnsupportedOperation"),
                            tuple_of({Value::from_obj(&exc_OSError), Value::from_obj(&exc_ValueError)}),
                            ns);
    static Value* root = static_cast<Value*>(GC_MALLOC_UNCOLLECTABLE(sizeof(Value)));
    *root = t;
    g_unsupported = t;
  }
  return g_unsupported;
}

[[noreturn]] void raise_unsupported(const char* msg) {
  throw_exc(call(unsupported_type(), {vstr(str_from_cstr(msg))}));
}

// Take the stream's mutex without blocking while holding the GIL.
class StreamLock {
  Stream* s_;
 public:
  explicit StreamLock(Stream* s) : s_(s) {
    if (!s_->mu.try_lock()) {
      GilRelease g;
      s_->mu.lock();
    }
  }
  ~StreamLock() { s_->mu.unlock(); }
};

// Write all of data to fd. Returns 0 or an errno.
int raw_write_all(int fd, const char* data, int64_t n, bool release_gil) {
  int64_t off = 0;
  while (off < n) {
    ssize_t w;
    int err;
    if (release_gil) {
      GilRelease g;
      w = ::write(fd, data + off, size_t(n - off));
      err = errno;
    } else {
      w = ::write(fd, data + off, size_t(n - off));
      err = errno;
    }
    if (w < 0) {
      if (err == EINTR) {
        if (release_gil) run_pending_signals();
        continue;
      }
      return err;
    }
    off += w;
  }
  return 0;
}

// Flush the write buffer (mutex held).
void flush_locked(Stream* s, bool release_gil = true) {
  if (s->wlen == 0) return;
  int64_t n = s->wlen;
  s->wlen = 0;
  int err = raw_write_all(s->fd, s->wbuf, n, release_gil);
  if (err) raise_oserror(err);
}

// Give back unread read-buffer bytes to the fd position (before writing or seeking).
void drop_read_buffer(Stream* s) {
  if (s->rpos < s->rlen && s->seekable) {
    ::lseek(s->fd, -(s->rlen - s->rpos), SEEK_CUR);
  }
  s->rpos = s->rlen = 0;
}

void stream_write(Stream* s, const char* data, int64_t n, bool has_newline) {
  if (s->rlen) drop_read_buffer(s);
  if (s->write_through) {
    int err = raw_write_all(s->fd, data, n, true);
    if (err) raise_oserror(err);
    return;
  }
  if (!s->wbuf) {
    s->wcap = kBufSize;
    s->wbuf = static_cast<char*>(gc_alloc_atomic(size_t(s->wcap)));
  }
  if (s->wlen + n > s->wcap) {
    flush_locked(s);
    if (n >= s->wcap) {
      int err = raw_write_all(s->fd, data, n, true);
      if (err) raise_oserror(err);
      return;
    }
  }
  memcpy(s->wbuf + s->wlen, data, size_t(n));
  s->wlen += n;
  if (s->line_buffering && has_newline) flush_locked(s);
}

Stream* g_stdout_stream = nullptr;  // flushed before blocking reads from fd 0
bool g_unbuffered = false;          // -u / PYTHONUNBUFFERED

// Read more bytes into the read buffer (mutex held). Returns false at EOF.
bool fill(Stream* s) {
  if (s->wlen) flush_locked(s);
  if (s->fd == 0 && g_stdout_stream && g_stdout_stream != s && !g_stdout_stream->closed &&
      g_stdout_stream->wlen) {
    StreamLock lk(g_stdout_stream);
    flush_locked(g_stdout_stream);
  }
  if (!s->rbuf) {
    s->rcap = 64 * 1024;
    s->rbuf = static_cast<char*>(gc_alloc_atomic(size_t(s->rcap)));
  }
  if (s->rpos >= s->rlen) s->rpos = s->rlen = 0;
  if (s->rlen == s->rcap) {
    if (s->rpos > 0) {
      memmove(s->rbuf, s->rbuf + s->rpos, size_t(s->rlen - s->rpos));
      s->rlen -= s->rpos;
      s->rpos = 0;
    } else {
      int64_t ncap = s->rcap * 2;
      char* nb = static_cast<char*>(gc_alloc_atomic(size_t(ncap)));
      memcpy(nb, s->rbuf, size_t(s->rlen));
      s->rbuf = nb;
      s->rcap = ncap;
    }
  }
  while (true) {
    ssize_t r;
    int err;
    {
      GilRelease g;
      r = ::read(s->fd, s->rbuf + s->rlen, size_t(s->rcap - s->rlen));
      err = errno;
    }
    if (r < 0) {
      if (err == EINTR) {
        run_pending_signals();
        continue;
      }
      raise_oserror(err);
    }
    s->rlen += r;
    return r > 0;
  }
}

void stream_close(Stream* s, bool release_gil) {
  if (s->closed) return;
  try {
    if (s->writable) flush_locked(s, release_gil);
  } catch (PyThrow&) {
    s->closed = true;
    if (s->closefd) ::close(s->fd);
    throw;
  }
  s->closed = true;
  if (s->closefd) ::close(s->fd);
}

void unregister(Stream* s) {
  if (!s->registered) return;
  std::lock_guard<std::mutex> g(g_reg_mu);
  if (g_open_writers) g_open_writers->erase(s);
  s->registered = false;
}

void stream_finalize(void* obj, void*) {
  Stream* s = static_cast<Stream*>(obj);
  unregister(s);
  if (s->closed) return;
  if (s->writable && s->wlen) raw_write_all(s->fd, s->wbuf, s->wlen, false);
  s->wlen = 0;
  s->closed = true;
  if (s->closefd) ::close(s->fd);
}

Stream* stream_new(int fd, bool readable, bool writable, bool closefd) {
  Stream* s = static_cast<Stream*>(gc_alloc(sizeof(Stream)));
  new (&s->mu) std::mutex();
  s->fd = fd;
  s->readable = readable;
  s->writable = writable;
  s->closefd = closefd;
  s->is_tty = isatty(fd);
  s->seekable = ::lseek(fd, 0, SEEK_CUR) >= 0;
  if (writable) {
    std::lock_guard<std::mutex> g(g_reg_mu);
    if (!g_open_writers) g_open_writers = new std::unordered_set<Stream*>();
    g_open_writers->insert(s);
    s->registered = true;
  }
  GC_register_finalizer_no_order(s, stream_finalize, nullptr, nullptr, nullptr);
  return s;
}

// ---- helpers ------------------------------------------------------------------------------

File* check_file(Value self, const char* what = nullptr) {
  File* f = F(self);
  if (f->s->closed) raise(&exc_ValueError, "I/O operation on closed file.");
  return f;
}
File* check_readable(Value self) {
  File* f = check_file(self);
  if (!f->s->readable) raise_unsupported(f->text ? "not readable" : "read");
  return f;
}
File* check_writable(Value self) {
  File* f = check_file(self);
  if (!f->s->writable) raise_unsupported(f->text ? "not writable" : "write");
  return f;
}

int64_t size_arg(Value v) {
  if (v.is_null() || is_none(v)) return -1;
  if (!is_int(v) && !type_of(v)->nb_index)
    raise(&exc_TypeError, "argument should be integer or None, not '%s'", type_name_c(v));
  return as_index(v);
}

Str* decode(File* f, std::string_view data) {
  if (f->utf8 && (!f->errors || f->errors->view() == "strict")) return str_from_utf8_checked(data);
  return str_decode(data, f->encoding->data(), f->errors ? f->errors->data() : "strict");
}

// Translate line endings of `data` (text read path).
void translate_newlines(std::string& data) {
  if (data.find('\r') == std::string::npos) return;
  std::string out;
  out.reserve(data.size());
  for (size_t i = 0; i < data.size(); i++) {
    char c = data[i];
    if (c == '\r') {
      out.push_back('\n');
      if (i + 1 < data.size() && data[i + 1] == '\n') i++;
    } else {
      out.push_back(c);
    }
  }
  data.swap(out);
}

// Read everything left (mutex held).
void read_all_locked(Stream* s, std::string& out) {
  if (s->rpos < s->rlen) out.append(s->rbuf + s->rpos, size_t(s->rlen - s->rpos));
  s->rpos = s->rlen = 0;
  while (fill(s)) {
    out.append(s->rbuf, size_t(s->rlen));
    s->rpos = s->rlen = 0;
  }
}

// One line of bytes; `limit` in bytes (binary) or code points (text), -1 = none.
// Text mode applies the newline policy. Returns false if nothing was read (EOF).
bool read_line_locked(File* f, int64_t limit, std::string& out) {
  Stream* s = f->s;
  bool text = f->text;
  bool universal = text && f->universal;
  int64_t chars = 0;
  while (true) {
    if (s->rpos >= s->rlen && !fill(s)) return !out.empty();
    const char* b = s->rbuf + s->rpos;
    int64_t n = s->rlen - s->rpos;
    if (limit < 0) {
      const char* nl = static_cast<const char*>(memchr(b, '\n', size_t(n)));
      int64_t upto = nl ? nl - b : n;
      const char* cr = universal ? static_cast<const char*>(memchr(b, '\r', size_t(upto))) : nullptr;
      if (cr) {
        int64_t i = cr - b;
        out.append(b, size_t(i));
        s->rpos += i + 1;
        bool crlf = false;
        if (s->rpos >= s->rlen) fill(s);
        if (s->rpos < s->rlen && s->rbuf[s->rpos] == '\n') {
          s->rpos++;
          crlf = true;
        }
        if (f->translate) out.push_back('\n');
        else out += crlf ? "\r\n" : "\r";
        return true;
      }
      if (nl) {
        out.append(b, size_t(upto + 1));
        s->rpos += upto + 1;
        return true;
      }
      out.append(b, size_t(n));
      s->rpos += n;
      continue;
    }
    // with a limit: byte by byte (rarely used)
    while (s->rpos < s->rlen) {
      if (chars >= limit) return true;
      unsigned char c = static_cast<unsigned char>(s->rbuf[s->rpos]);
      if (universal && c == '\r') {
        s->rpos++;
        bool crlf = false;
        if (s->rpos >= s->rlen) fill(s);
        if (s->rpos < s->rlen && s->rbuf[s->rpos] == '\n') {
          s->rpos++;
          crlf = true;
        }
        if (f->translate) out.push_back('\n');
        else out += crlf ? "\r\n" : "\r";
        return true;
      }
      if (text) {
        int len = utf8_seq_len(c);
        if (s->rpos + len > s->rlen) break;  // need more bytes for this character
        out.append(s->rbuf + s->rpos, size_t(len));
        s->rpos += len;
      } else {
        out.push_back(char(c));
        s->rpos++;
      }
      chars++;
      if (c == '\n') return true;
    }
    if (chars >= limit) return true;
    if (!fill(s)) {
      if (s->rpos < s->rlen) {  // truncated character at EOF: let the decoder complain
        out.append(s->rbuf + s->rpos, size_t(s->rlen - s->rpos));
        s->rpos = s->rlen;
      }
      return !out.empty();
    }
  }
}

// ---- methods --------------------------------------------------------------------------------

Value f_read(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("read", kwnames);
  check_nargs("read", nargs - 1, 0, 1);
  File* f = check_readable(args[0]);
  int64_t n = nargs > 1 ? size_arg(args[1]) : -1;
  Stream* s = f->s;
  std::string out;
  {
    StreamLock lk(s);
    if (n < 0) {
      read_all_locked(s, out);
    } else if (!f->text) {
      while (int64_t(out.size()) < n) {
        if (s->rpos >= s->rlen && !fill(s)) break;
        int64_t take = std::min<int64_t>(n - int64_t(out.size()), s->rlen - s->rpos);
        out.append(s->rbuf + s->rpos, size_t(take));
        s->rpos += take;
      }
    } else {
      int64_t chars = 0;
      while (chars < n) {
        if (s->rpos >= s->rlen && !fill(s)) break;
        unsigned char c = static_cast<unsigned char>(s->rbuf[s->rpos]);
        if (f->universal && c == '\r') {
          s->rpos++;
          bool crlf = false;
          if (s->rpos >= s->rlen) fill(s);
          if (s->rpos < s->rlen && s->rbuf[s->rpos] == '\n') {
            s->rpos++;
            crlf = true;
          }
          if (f->translate) out.push_back('\n');
          else out += crlf ? "\r\n" : "\r";
          chars++;
          continue;
        }
        int len = f->utf8 ? utf8_seq_len(c) : 1;
        if (s->rpos + len > s->rlen) {
          if (!fill(s) && s->rpos + len > s->rlen) {
            out.append(s->rbuf + s->rpos, size_t(s->rlen - s->rpos));
            s->rpos = s->rlen;
            break;
          }
          continue;
        }
        out.append(s->rbuf + s->rpos, size_t(len));
        s->rpos += len;
        chars++;
      }
    }
  }
  if (!f->text) return Value::from_obj(bytes_new(out));
  if (n < 0 && f->translate) translate_newlines(out);
  return vstr(decode(f, out));
}

Value f_readline(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"size", nullptr};
  Value a[1];
  parse_args("readline", args + 1, nargs - 1, kwnames, kw, 0, a);
  File* f = check_readable(args[0]);
  int64_t limit = a[0].is_null() ? -1 : (is_none(a[0]) && !f->text) ? -1 : as_index(a[0]);
  std::string out;
  {
    StreamLock lk(f->s);
    read_line_locked(f, limit, out);
  }
  if (!f->text) return Value::from_obj(bytes_new(out));
  return vstr(decode(f, out));
}

Value file_next(Value self) {
  File* f = check_readable(self);
  std::string out;
  {
    StreamLock lk(f->s);
    if (!read_line_locked(f, -1, out)) return Value::null();
  }
  if (!f->text) return Value::from_obj(bytes_new(out));
  return vstr(decode(f, out));
}

Value file_iter(Value self) {
  check_file(self);
  return self;
}

Value f_readlines(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("readlines", kwnames);
  check_nargs("readlines", nargs - 1, 0, 1);
  int64_t hint = nargs > 1 ? size_arg(args[1]) : -1;
  List* l = list_new(0);
  int64_t total = 0;
  while (true) {
    Value line = file_next(args[0]);
    if (line.is_null()) break;
    list_append(l, line);
    total += len(line);
    if (hint > 0 && total >= hint) break;
  }
  return vlist(l);
}

void write_text(File* f, Str* str) {
  std::string_view data = str->view();
  std::string tmp;
  if (f->wnl && data.find('\n') != std::string_view::npos) {
    tmp.reserve(data.size() + 16);
    for (char c : data) {
      if (c == '\n') tmp += f->wnl->view();
      else tmp.push_back(c);
    }
    data = tmp;
  }
  Value enc;
  if (!f->utf8) {
    enc = str_encode(vstr(str_new(data)).as<Str>(), f->encoding->data(),
                     f->errors ? f->errors->data() : "strict");
    data = enc.as<Bytes>()->view();
  }
  bool nl = f->s->line_buffering && memchr(data.data(), '\n', data.size()) != nullptr;
  StreamLock lk(f->s);
  stream_write(f->s, data.data(), int64_t(data.size()), nl);
}

Value f_write(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("write", kwnames);
  check_nargs("write", nargs - 1, 1, 1);
  File* f = check_writable(args[0]);
  Value v = args[1];
  if (f->text) {
    if (!is_str(v)) raise(&exc_TypeError, "write() argument must be str, not %s", type_name_c(v));
    write_text(f, as_str(v));
    return int_from_i64(as_str(v)->length);
  }
  std::string_view data;
  if (!bytes_like_view(v, &data))
    raise(&exc_TypeError, "a bytes-like object is required, not '%s'", type_name_c(v));
  StreamLock lk(f->s);
  stream_write(f->s, data.data(), int64_t(data.size()), false);
  return int_from_i64(int64_t(data.size()));
}

Value f_writelines(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("writelines", kwnames);
  check_nargs("writelines", nargs - 1, 1, 1);
  check_writable(args[0]);
  Value it = iter(args[1]);
  while (true) {
    Value line = next(it);
    if (line.is_null()) break;
    Value a[2] = {args[0], line};
    f_write(a, 2, nullptr);
  }
  return None();
}

Value f_flush(const Value* args, size_t nargs, Tuple* kwnames) {
  File* f = check_file(args[0]);
  StreamLock lk(f->s);
  flush_locked(f->s);
  return None();
}

Value f_close(const Value* args, size_t nargs, Tuple* kwnames) {
  File* f = F(args[0]);
  Stream* s = f->s;
  if (s->closed) return None();
  unregister(s);
  StreamLock lk(s);
  stream_close(s, true);
  return None();
}

Value f_closed(Value self) { return Bool(F(self)->s->closed); }
Value f_name(Value self) { return F(self)->name; }
Value f_mode(Value self) { return vstr(F(self)->mode); }
Value f_encoding(Value self) { return vstr(F(self)->encoding); }
Value f_errors(Value self) { return vstr(F(self)->errors ? F(self)->errors : str_intern("strict")); }
Value f_newlines(Value self) { return None(); }
Value f_line_buffering(Value self) { return Bool(F(self)->s->line_buffering); }

Value make_binary_view(File* t);
Value f_buffer(Value self) {
  File* f = F(self);
  if (f->buffer.is_null()) f->buffer = make_binary_view(f);
  return f->buffer;
}

Value f_fileno(const Value* args, size_t nargs, Tuple* kwnames) {
  File* f = check_file(args[0]);
  return Value::from_small(f->s->fd);
}
Value f_isatty(const Value* args, size_t nargs, Tuple* kwnames) {
  File* f = check_file(args[0]);
  return Bool(isatty(f->s->fd));
}
Value f_readable(const Value* args, size_t nargs, Tuple* kwnames) {
  return Bool(check_file(args[0])->s->readable);
}
Value f_writable(const Value* args, size_t nargs, Tuple* kwnames) {
  return Bool(check_file(args[0])->s->writable);
}
Value f_seekable(const Value* args, size_t nargs, Tuple* kwnames) {
  return Bool(check_file(args[0])->s->seekable);
}

Value f_seek(const Value* args, size_t nargs, Tuple* kwnames) {
  check_no_kwargs("seek", kwnames);
  check_nargs("seek", nargs - 1, 1, 2);
  File* f = check_file(args[0]);
  if (is_float(args[1])) raise(&exc_TypeError, "an integer is required");
  int64_t off = as_index(args[1]);
  int64_t whence = nargs > 2 ? as_index(args[2]) : 0;
  Stream* s = f->s;
  if (whence < 0 || whence > 2) {
    if (f->text) raise(&exc_ValueError, "invalid whence (%lld, should be 0, 1 or 2)", (long long)whence);
    raise(&exc_ValueError, "whence value %lld unsupported", (long long)whence);
  }
  if (f->text && whence == 1 && off != 0) raise_unsupported("can't do nonzero cur-relative seeks");
  if (f->text && whence == 2 && off != 0) raise_unsupported("can't do nonzero end-relative seeks");
  if (f->text && whence == 0 && off < 0) raise(&exc_ValueError, "negative seek position %lld", (long long)off);
  if (!s->seekable) raise_unsupported("underlying stream is not seekable");
  StreamLock lk(s);
  flush_locked(s);
  if (whence == 1) off -= s->rlen - s->rpos;
  s->rpos = s->rlen = 0;
  off_t r = ::lseek(s->fd, off_t(off), int(whence));
  if (r < 0) raise_oserror(errno);
  return int_from_i64(int64_t(r));
}

Value f_tell(const Value* args, size_t nargs, Tuple* kwnames) {
  File* f = check_file(args[0]);
  Stream* s = f->s;
  if (!s->seekable) raise_unsupported("underlying stream is not seekable");
  StreamLock lk(s);
  off_t r = ::lseek(s->fd, 0, SEEK_CUR);
  if (r < 0) raise_oserror(errno);
  return int_from_i64(int64_t(r) - (s->rlen - s->rpos) + s->wlen);
}

Value f_truncate(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("truncate", nargs - 1, 0, 1);
  File* f = check_writable(args[0]);
  Stream* s = f->s;
  StreamLock lk(s);
  flush_locked(s);
  drop_read_buffer(s);
  off_t pos = (nargs > 1 && !is_none(args[1])) ? off_t(as_index(args[1])) : ::lseek(s->fd, 0, SEEK_CUR);
  if (::ftruncate(s->fd, pos) < 0) raise_oserror(errno);
  return int_from_i64(int64_t(pos));
}

Value f_enter(const Value* args, size_t nargs, Tuple* kwnames) {
  check_file(args[0]);
  return args[0];
}
Value f_exit(const Value* args, size_t nargs, Tuple* kwnames) {
  f_close(args, 1, nullptr);
  return None();
}

Value f_repr(Value self) {
  File* f = F(self);
  std::string s = "<_io.";
  s += type_of(self)->name_str ? std::string(type_of(self)->name_str->view()) : "TextIOWrapper";
  if (!f->name.is_null()) {
    s += " name=";
    s += repr(f->name)->view();
  }
  if (f->text) {
    s += " mode=";
    s += repr(vstr(f->mode))->view();
    s += " encoding=";
    s += repr(vstr(f->encoding))->view();
  }
  s += ">";
  return vstr(str_new(s));
}

File* file_alloc(Type* t) {
  File* f = gc_new_obj<File>(t, size_t(t->basic_size > int64_t(sizeof(File)) ? t->basic_size : sizeof(File)));
  f->name = None();
  f->newline = None();
  return f;
}

Value make_binary_view(File* t) {
  Stream* s = t->s;
  Type* ty = s->readable && s->writable ? &bufferedrandom_type
             : s->writable             ? &bufferedwriter_type
                                       : &bufferedreader_type;
  File* b = file_alloc(ty);
  b->s = s;
  b->name = t->name;
  std::string m = s->readable && s->writable ? "rb+" : s->writable ? "wb" : "rb";
  b->mode = str_new(m);
  b->text = false;
  return Value::from_obj(b);
}

// ---- open() --------------------------------------------------------------------------------

bool encoding_is_utf8(std::string_view e) {
  std::string l;
  for (char c : e) l.push_back(char(tolower(static_cast<unsigned char>(c))));
  return l == "utf-8" || l == "utf8" || l == "utf_8" || l == "u8";
}

bool encoding_known(std::string_view e) {
  std::string l;
  for (char c : e) l.push_back(c == '_' ? '-' : char(tolower(static_cast<unsigned char>(c))));
  return l == "utf-8" || l == "utf8" || l == "u8" || l == "ascii" || l == "us-ascii" ||
         l == "latin-1" || l == "latin1" || l == "iso-8859-1" || l == "iso8859-1" || l == "l1";
}

void setup_text(File* f, Value encoding, Value errors, Value newline) {
  f->text = true;
  if (encoding.is_null() || is_none(encoding)) {
    f->encoding = str_intern("UTF-8");
  } else {
    if (!is_str(encoding))
      raise(&exc_TypeError, "open() argument 'encoding' must be str or None, not %s", type_name_c(encoding));
    if (!encoding_known(as_str(encoding)->view()))
      raise(&exc_LookupError, "unknown encoding: %s", as_str(encoding)->data());
    f->encoding = as_str(encoding);
  }
  f->utf8 = encoding_is_utf8(f->encoding->view());
  if (!errors.is_null() && !is_none(errors)) {
    if (!is_str(errors))
      raise(&exc_TypeError, "open() argument 'errors' must be str or None, not %s", type_name_c(errors));
    f->errors = as_str(errors);
  }
  f->newline = newline.is_null() ? None() : newline;
  if (is_none(f->newline)) {
    f->universal = true;
    f->translate = true;
  } else {
    if (!is_str(f->newline))
      raise(&exc_TypeError, "open() argument 'newline' must be str or None, not %s", type_name_c(f->newline));
    std::string_view nl = as_str(f->newline)->view();
    if (nl != "" && nl != "\n" && nl != "\r" && nl != "\r\n")
      raise(&exc_ValueError, "illegal newline value: %s", repr(f->newline)->data());
    f->universal = nl.empty();
    f->translate = false;
    if (nl == "\r" || nl == "\r\n") f->wnl = as_str(f->newline);
  }
}

Value fspath(Value file) {
  if (is_str(file) || is_bytes(file) || is_int(file)) return file;
  Value r = call_dunder_opt(file, GP_STR("__fspath__"), {});
  if (r.is_null())
    raise(&exc_TypeError, "expected str, bytes or os.PathLike object, not %s", type_name_c(file));
  if (!is_str(r) && !is_bytes(r))
    raise(&exc_TypeError, "expected %s.__fspath__() to return str or bytes, not %s",
          type_name_c(file), type_name_c(r));
  return r;
}

}  // namespace

Value io_open(const Value* args, size_t nargs, Tuple* kwnames) {
  static const char* const kw[] = {"file", "mode", "buffering", "encoding", "errors",
                                   "newline", "closefd", "opener", nullptr};
  Value a[8];
  parse_args("open", args, nargs, kwnames, kw, 1, a);
  Value file = a[0];
  if (is_type(file, &bool_type)) {
    // CPython warns and uses the bool as an fd; keep it an int
  }
  std::string mode = "r";
  if (!a[1].is_null()) {
    if (!is_str(a[1]))
      raise(&exc_TypeError, "open() argument 'mode' must be str, not %s", type_name_c(a[1]));
    mode = std::string(as_str(a[1])->view());
  }
  int64_t buffering = -1;
  if (!a[2].is_null()) {
    if (is_float(a[2])) raise(&exc_TypeError, "'float' object cannot be interpreted as an integer");
    buffering = as_index(a[2]);
  }
  Value encoding = a[3], errors = a[4], newline = a[5];
  bool closefd = a[6].is_null() ? true : truthy(a[6]);
  if (!a[7].is_null() && !is_none(a[7])) raise(&exc_ValueError, "opener is not supported");

  bool creating = false, reading = false, writing = false, appending = false, updating = false,
       textm = false, binary = false;
  std::string seen;
  for (char c : mode) {
    if (std::string_view("axrwb+t").find(c) == std::string_view::npos ||
        seen.find(c) != std::string::npos)
      raise(&exc_ValueError, "invalid mode: '%s'", mode.c_str());
    seen.push_back(c);
    switch (c) {
      case 'x': creating = true; break;
      case 'r': reading = true; break;
      case 'w': writing = true; break;
      case 'a': appending = true; break;
      case '+': updating = true; break;
      case 't': textm = true; break;
      case 'b': binary = true; break;
    }
  }
  if (textm && binary) raise(&exc_ValueError, "can't have text and binary mode at once");
  if (int(creating) + int(reading) + int(writing) + int(appending) > 1)
    raise(&exc_ValueError, "must have exactly one of create/read/write/append mode");
  if (!(creating || reading || writing || appending))
    raise(&exc_ValueError, "Must have exactly one of create/read/write/append mode");
  if (binary && !encoding.is_null() && !is_none(encoding))
    raise(&exc_ValueError, "binary mode doesn't take an encoding argument");
  if (binary && !errors.is_null() && !is_none(errors))
    raise(&exc_ValueError, "binary mode doesn't take an errors argument");
  if (binary && !newline.is_null() && !is_none(newline))
    raise(&exc_ValueError, "binary mode doesn't take a newline argument");
  if (!binary && buffering == 0) raise(&exc_ValueError, "can't have unbuffered text I/O");

  file = fspath(file);
  int fd;
  bool readable = reading || updating, writable = writing || appending || creating || updating;
  if (is_int(file)) {
    int64_t v = as_index(file);
    if (v < 0) raise(&exc_ValueError, "negative file descriptor");
    fd = int(v);
    struct stat st;
    if (fstat(fd, &st) < 0) raise_oserror(errno);
  } else {
    if (!closefd) raise(&exc_ValueError, "Cannot use closefd=False with file name");
    std::string path;
    if (is_str(file)) path = std::string(as_str(file)->view());
    else path = std::string(file.as<Bytes>()->view());
    if (path.find('\0') != std::string::npos) raise(&exc_ValueError, "embedded null byte");
    int flags = O_CLOEXEC;
    if (readable && writable) flags |= O_RDWR;
    else if (readable) flags |= O_RDONLY;
    else flags |= O_WRONLY;
    if (writing) flags |= O_CREAT | O_TRUNC;
    if (appending) flags |= O_CREAT | O_APPEND;
    if (creating) flags |= O_CREAT | O_EXCL;
    // data written through file objects nobody closed must be visible to this open
    io_flush_all();
    int err = 0;
    {
      GilRelease g;
      do {
        fd = ::open(path.c_str(), flags, 0666);
      } while (fd < 0 && errno == EINTR);
      err = errno;
    }
    if (fd < 0) raise_oserror(err, file);
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
      ::close(fd);
      raise_oserror(EISDIR, file);
    }
    if (appending) ::lseek(fd, 0, SEEK_END);
  }
  Stream* s = stream_new(fd, readable, writable, closefd);
  if (buffering == 0) s->write_through = true;
  File* f;
  if (binary) {
    Type* t = readable && writable ? &bufferedrandom_type
              : writable           ? &bufferedwriter_type
                                   : &bufferedreader_type;
    f = file_alloc(t);
    std::string m = creating ? "xb" : reading ? "rb" : writing ? "wb" : "ab";
    if (updating) m += "+";
    f->mode = str_new(m);
    f->text = false;
  } else {
    f = file_alloc(&textio_type);
    f->mode = str_new(mode);
    setup_text(f, encoding, errors, newline);
    if (buffering == 1 || (buffering < 0 && s->is_tty)) s->line_buffering = true;
  }
  f->s = s;
  f->name = file;
  return Value::from_obj(f);
}

void io_set_unbuffered(bool on) { g_unbuffered = on; }

Value io_make_stdio(int fd) {
  Stream* s = stream_new(fd, fd == 0, fd != 0, false);
  s->line_buffering = fd == 2 || (fd == 1 && (s->is_tty || g_unbuffered));
  if (fd == 1) g_stdout_stream = s;
  File* f = file_alloc(&textio_type);
  f->s = s;
  f->name = vstr(str_intern(fd == 0 ? "<stdin>" : fd == 1 ? "<stdout>" : "<stderr>"));
  f->mode = str_intern(fd == 0 ? "r" : "w");
  setup_text(f, vstr(str_intern("utf-8")), fd == 2 ? vstr(str_intern("backslashreplace")) : Value::null(),
             Value::null());
  if (fd == 2) {
    f->errors = str_intern("backslashreplace");  // UTF-8 output never fails for valid str
  }
  return Value::from_obj(f);
}

void file_write(Value f, std::string_view utf8) {
  if (is_type(f, &textio_type) && !F(f)->s->closed && F(f)->s->writable && F(f)->utf8 && !F(f)->wnl) {
    File* fo = F(f);
    bool nl = fo->s->line_buffering && memchr(utf8.data(), '\n', utf8.size()) != nullptr;
    StreamLock lk(fo->s);
    stream_write(fo->s, utf8.data(), int64_t(utf8.size()), nl);
    return;
  }
  file_write_str(f, str_new(utf8));
}

void file_write_str(Value f, Str* s) {
  if (is_type(f, &textio_type)) {
    File* fo = check_writable(f);
    write_text(fo, s);
    return;
  }
  call_method(f, GP_STR("write"), {vstr(s)});
}

void file_flush(Value f, bool quiet) {
  try {
    if (is_type(f, &textio_type) || is_type(f, &bufferedwriter_type) ||
        is_type(f, &bufferedrandom_type)) {
      File* fo = F(f);
      if (fo->s->closed) return;
      StreamLock lk(fo->s);
      flush_locked(fo->s);
      return;
    }
    Value m = getattr_opt(f, GP_STR("flush"));
    if (!m.is_null()) call(m, {});
  } catch (PyThrow&) {
    if (!quiet) throw;
    take_exception();
  }
}

void flush_std_streams() {
  for (const char* n : {"stdout", "stderr"}) {
    Value v = sys_get(n);
    if (!v.is_null() && !is_none(v)) file_flush(v, true);
  }
}

void io_flush_all() {
  std::vector<Stream*> list;
  {
    std::lock_guard<std::mutex> g(g_reg_mu);
    if (!g_open_writers) return;
    list.assign(g_open_writers->begin(), g_open_writers->end());
  }
  // The vector is malloc'd: the GC does not see these pointers, but each stream stays
  // registered (hence alive: unregistering happens in its finalizer or close) while
  // the world runs under the lock. Collections cannot finalize them mid-loop because
  // flushing does not allocate.
  for (Stream* s : list) {
    if (s->closed || s->wlen == 0) continue;
    if (!s->mu.try_lock()) continue;  // busy in another thread: it is flushing anyway
    int64_t n = s->wlen;
    s->wlen = 0;
    raw_write_all(s->fd, s->wbuf, n, false);
    s->mu.unlock();
  }
}

Value file_readline(Value f) {
  if (is_type(f, &textio_type)) {
    Value a[1] = {f};
    Value r = f_readline(a, 1, nullptr);
    if (as_str(r)->size == 0) return Value::null();
    return r;
  }
  Value r = call_method(f, GP_STR("readline"), {});
  if (!is_str(r)) raise(&exc_TypeError, "object.readline() returned non-string");
  if (as_str(r)->size == 0) return Value::null();
  return r;
}

// ---- StringIO / BytesIO -------------------------------------------------------------------

namespace {

struct MemIO : Object {
  Dict* dict;
  char* buf;       // atomic GC buffer
  int64_t len, cap;
  int64_t pos;     // byte offset
  bool closed;
  bool text;
};
inline MemIO* M(Value v) { return v.as<MemIO>(); }

MemIO* mem_check(Value self) {
  MemIO* m = M(self);
  if (m->closed) raise(&exc_ValueError, "I/O operation on closed file.");
  return m;
}

void mem_reserve(MemIO* m, int64_t need) {
  if (need <= m->cap) return;
  int64_t nc = m->cap ? m->cap : 64;
  while (nc < need) nc *= 2;
  char* nb = static_cast<char*>(gc_alloc_atomic(size_t(nc)));
  if (m->len) memcpy(nb, m->buf, size_t(m->len));
  m->buf = nb;
  m->cap = nc;
}

void mem_write_bytes(MemIO* m, std::string_view d) {
  int64_t end = m->pos + int64_t(d.size());
  mem_reserve(m, end);
  if (m->pos > m->len) memset(m->buf + m->len, 0, size_t(m->pos - m->len));
  if (!d.empty()) memcpy(m->buf + m->pos, d.data(), d.size());  // BytesIO(b''): buf may be null
  m->pos = end;
  if (end > m->len) m->len = end;
}

Value mem_value(MemIO* m, int64_t from, int64_t to) {
  std::string_view v(m->buf ? m->buf + from : "", size_t(to - from));
  if (m->text) return vstr(str_new(v));
  return Value::from_obj(bytes_new(v));
}

Value memio_new_slot(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  MemIO* m = gc_new_obj<MemIO>(t, size_t(t->basic_size > int64_t(sizeof(MemIO)) ? t->basic_size : sizeof(MemIO)));
  m->text = issubclass(t, &stringio_type);
  return Value::from_obj(m);
}

void memio_init(Value self, const Value* args, size_t nargs, Tuple* kwnames) {
  MemIO* m = M(self);
  static const char* const kws[] = {"initial_value", "newline", nullptr};
  static const char* const kwb[] = {"initial_bytes", nullptr};
  Value a[2];
  parse_args(m->text ? "StringIO" : "BytesIO", args, nargs, kwnames, m->text ? kws : kwb, 0, a);
  m->len = m->pos = 0;
  if (!a[0].is_null() && !is_none(a[0])) {
    if (m->text) {
      if (!is_str(a[0]))
        raise(&exc_TypeError, "initial_value must be str or None, not %s", type_name_c(a[0]));
      mem_write_bytes(m, as_str(a[0])->view());
    } else {
      std::string_view d;
      if (!bytes_like_view(a[0], &d))
        raise(&exc_TypeError, "a bytes-like object is required, not '%s'", type_name_c(a[0]));
      mem_write_bytes(m, d);
    }
    m->pos = 0;
  }
}

Value mio_write(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("write", nargs - 1, 1, 1);
  MemIO* m = mem_check(args[0]);
  Value v = args[1];
  if (m->text) {
    if (!is_str(v)) raise(&exc_TypeError, "string argument expected, got '%s'", type_name_c(v));
    mem_write_bytes(m, as_str(v)->view());
    return int_from_i64(as_str(v)->length);
  }
  std::string_view d;
  if (!bytes_like_view(v, &d))
    raise(&exc_TypeError, "a bytes-like object is required, not '%s'", type_name_c(v));
  mem_write_bytes(m, d);
  return int_from_i64(int64_t(d.size()));
}

Value mio_writelines(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("writelines", nargs - 1, 1, 1);
  Value it = iter(args[1]);
  while (true) {
    Value line = next(it);
    if (line.is_null()) break;
    Value a[2] = {args[0], line};
    mio_write(a, 2, nullptr);
  }
  return None();
}

Value mio_getvalue(const Value* args, size_t nargs, Tuple* kwnames) {
  MemIO* m = mem_check(args[0]);
  return mem_value(m, 0, m->len);
}

// advance n characters (text) or bytes from byte offset p, bounded by len
int64_t mem_advance(MemIO* m, int64_t p, int64_t n) {
  if (!m->text) return std::min(m->len, p + n);
  while (n > 0 && p < m->len) {
    p += utf8_seq_len(static_cast<unsigned char>(m->buf[p]));
    n--;
  }
  return std::min(p, m->len);
}

Value mio_read(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("read", nargs - 1, 0, 1);
  MemIO* m = mem_check(args[0]);
  int64_t n = nargs > 1 ? size_arg(args[1]) : -1;
  int64_t start = std::min(m->pos, m->len);
  int64_t end = n < 0 ? m->len : mem_advance(m, start, n);
  m->pos = std::max(m->pos, end);
  return mem_value(m, start, end);
}

Value mio_readline_impl(MemIO* m, int64_t limit) {
  int64_t start = std::min(m->pos, m->len);
  int64_t end = start;
  const char* nl = m->len > start ? static_cast<const char*>(memchr(m->buf + start, '\n', size_t(m->len - start))) : nullptr;
  end = nl ? (nl - m->buf) + 1 : m->len;
  if (limit >= 0) end = std::min(end, mem_advance(m, start, limit));
  m->pos = std::max(m->pos, end);
  return mem_value(m, start, end);
}

Value mio_readline(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("readline", nargs - 1, 0, 1);
  MemIO* m = mem_check(args[0]);
  return mio_readline_impl(m, nargs > 1 ? size_arg(args[1]) : -1);
}

Value mio_next(Value self) {
  MemIO* m = mem_check(self);
  if (m->pos >= m->len) return Value::null();
  return mio_readline_impl(m, -1);
}
Value mio_iter(Value self) {
  mem_check(self);
  return self;
}

Value mio_readlines(const Value* args, size_t nargs, Tuple* kwnames) {
  mem_check(args[0]);
  List* l = list_new(0);
  while (true) {
    Value v = mio_next(args[0]);
    if (v.is_null()) break;
    list_append(l, v);
  }
  return vlist(l);
}

Value mio_tell(const Value* args, size_t nargs, Tuple* kwnames) {
  MemIO* m = mem_check(args[0]);
  if (!m->text) return int_from_i64(m->pos);
  int64_t p = std::min(m->pos, m->len);
  return int_from_i64(utf8_count(m->buf ? m->buf : "", size_t(p)) + (m->pos - p));
}

Value mio_seek(const Value* args, size_t nargs, Tuple* kwnames) {
  check_nargs("seek", nargs - 1, 1, 2);
  MemIO* m = mem_check(args[0]);
  int64_t off = as_index(args[1]);
  int64_t whence = nargs > 2 ? as_index(args[2]) : 0;
  if (whence < 0 || whence > 2)
    raise(&exc_ValueError, "invalid whence (%lld, should be 0, 1 or 2)", (long long)whence);
  if (m->text) {
    if (whence == 0 && off < 0) raise(&exc_ValueError, "Negative seek position %lld", (long long)off);
    if (whence != 0 && off != 0) raise(&exc_OSError, "Can't do nonzero cur-relative seeks");
    if (whence == 0) m->pos = mem_advance(m, 0, off) + std::max<int64_t>(0, off - utf8_count(m->buf ? m->buf : "", size_t(m->len)));
    else if (whence == 2) m->pos = m->len;
    Value a[1] = {args[0]};
    return mio_tell(a, 1, nullptr);
  }
  int64_t base = whence == 0 ? 0 : whence == 1 ? m->pos : m->len;
  int64_t np = base + off;
  if (whence == 0 && off < 0) raise(&exc_ValueError, "negative seek value %lld", (long long)off);
  if (np < 0) np = 0;
  m->pos = np;
  return int_from_i64(np);
}

Value mio_truncate(const Value* args, size_t nargs, Tuple* kwnames) {
  MemIO* m = mem_check(args[0]);
  int64_t size = (nargs > 1 && !is_none(args[1])) ? as_index(args[1]) : -1;
  int64_t nb = size < 0 ? std::min(m->pos, m->len) : (m->text ? mem_advance(m, 0, size) : std::min(size, m->len));
  if (size < -1 || (nargs > 1 && !is_none(args[1]) && size < 0))
    raise(&exc_ValueError, "Negative size value %lld", (long long)size);
  if (nb < m->len) m->len = nb;
  return int_from_i64(size < 0 ? (m->text ? utf8_count(m->buf ? m->buf : "", size_t(nb)) : nb) : size);
}

Value mio_close(const Value* args, size_t nargs, Tuple* kwnames) {
  M(args[0])->closed = true;
  return None();
}
Value mio_closed(Value self) { return Bool(M(self)->closed); }
Value mio_true(const Value* args, size_t nargs, Tuple* kwnames) {
  mem_check(args[0]);
  return True();
}
Value mio_false(const Value* args, size_t nargs, Tuple* kwnames) {
  mem_check(args[0]);
  return False();
}
Value mio_flush(const Value* args, size_t nargs, Tuple* kwnames) {
  mem_check(args[0]);
  return None();
}
Value mio_fileno(const Value* args, size_t nargs, Tuple* kwnames) { raise_unsupported("fileno"); }
Value mio_enter(const Value* args, size_t nargs, Tuple* kwnames) {
  mem_check(args[0]);
  return args[0];
}
Value mio_exit(const Value* args, size_t nargs, Tuple* kwnames) {
  M(args[0])->closed = true;
  return None();
}
Value mio_getbuffer(const Value* args, size_t nargs, Tuple* kwnames) {
  MemIO* m = mem_check(args[0]);
  return bytearray_new(std::string_view(m->buf ? m->buf : "", size_t(m->len)));
}

void init_base(Type* t, const char* name, int64_t size, int64_t dict_off) {
  t->type = &type_type;
  t->name = name;
  t->name_str = str_intern(name);
  t->qualname = t->name_str;
  t->module = str_intern("_io");
  t->base = &object_type;
  t->bases = tuple_of({Value::from_obj(&object_type)});
  t->basic_size = size;
  t->dict_offset = dict_off;
  t->flags = TF_BASETYPE;
  t->getattr = generic_getattr;
  t->setattr = generic_setattr;
}

void add_file_methods(Type* t, bool text) {
  type_add_method(t, "read", f_read);
  type_add_method(t, "readline", f_readline);
  type_add_method(t, "readlines", f_readlines);
  type_add_method(t, "write", f_write);
  type_add_method(t, "writelines", f_writelines);
  type_add_method(t, "flush", f_flush);
  type_add_method(t, "close", f_close);
  type_add_method(t, "fileno", f_fileno);
  type_add_method(t, "isatty", f_isatty);
  type_add_method(t, "readable", f_readable);
  type_add_method(t, "writable", f_writable);
  type_add_method(t, "seekable", f_seekable);
  type_add_method(t, "seek", f_seek);
  type_add_method(t, "tell", f_tell);
  type_add_method(t, "truncate", f_truncate);
  type_add_method(t, "__enter__", f_enter);
  type_add_method(t, "__exit__", f_exit);
  type_add_getset(t, "closed", f_closed);
  type_add_getset(t, "name", f_name);
  type_add_getset(t, "mode", f_mode);
  if (text) {
    type_add_getset(t, "encoding", f_encoding);
    type_add_getset(t, "errors", f_errors);
    type_add_getset(t, "newlines", f_newlines);
    type_add_getset(t, "line_buffering", f_line_buffering);
    type_add_getset(t, "buffer", f_buffer);
  }
}

Value no_new(Type* t, const Value* args, size_t nargs, Tuple* kwnames) {
  raise(&exc_TypeError, "cannot create '_io.%s' instances directly; use open()", t->name);
}

}  // namespace

void init_file_types() {
  Type* ft[] = {&textio_type, &bufferedreader_type, &bufferedwriter_type, &bufferedrandom_type};
  const char* names[] = {"TextIOWrapper", "BufferedReader", "BufferedWriter", "BufferedRandom"};
  for (int i = 0; i < 4; i++) {
    Type* t = ft[i];
    init_base(t, names[i], sizeof(File), offsetof(File, dict));
    t->repr = f_repr;
    t->iter = file_iter;
    t->iternext = file_next;
    t->tp_new = no_new;
    type_ready(t);
    add_file_methods(t, i == 0);
  }
  Type* mt[] = {&stringio_type, &bytesio_type};
  const char* mnames[] = {"StringIO", "BytesIO"};
  for (int i = 0; i < 2; i++) {
    Type* t = mt[i];
    init_base(t, mnames[i], sizeof(MemIO), offsetof(MemIO, dict));
    t->tp_new = memio_new_slot;
    t->tp_init = memio_init;
    t->iter = mio_iter;
    t->iternext = mio_next;
    type_ready(t);
    type_add_method(t, "write", mio_write);
    type_add_method(t, "writelines", mio_writelines);
    type_add_method(t, "getvalue", mio_getvalue);
    type_add_method(t, "read", mio_read);
    type_add_method(t, "readline", mio_readline);
    type_add_method(t, "readlines", mio_readlines);
    type_add_method(t, "tell", mio_tell);
    type_add_method(t, "seek", mio_seek);
    type_add_method(t, "truncate", mio_truncate);
    type_add_method(t, "close", mio_close);
    type_add_method(t, "readable", mio_true);
    type_add_method(t, "writable", mio_true);
    type_add_method(t, "seekable", mio_true);
    type_add_method(t, "isatty", mio_false);
    type_add_method(t, "flush", mio_flush);
    type_add_method(t, "fileno", mio_fileno);
    type_add_method(t, "__enter__", mio_enter);
    type_add_method(t, "__exit__", mio_exit);
    if (i == 1) type_add_method(t, "getbuffer", mio_getbuffer);
    type_add_getset(t, "closed", mio_closed);
  }
}

Module* init_module_io() {
  static Module* m = nullptr;
  if (m) return m;
  m = module_new("io");
  module_add(m, "open", make_builtin_function("open", io_open));
  module_add(m, "TextIOWrapper", Value::from_obj(&textio_type));
  module_add(m, "BufferedReader", Value::from_obj(&bufferedreader_type));
  module_add(m, "BufferedWriter", Value::from_obj(&bufferedwriter_type));
  module_add(m, "BufferedRandom", Value::from_obj(&bufferedrandom_type));
  module_add(m, "StringIO", Value::from_obj(&stringio_type));
  module_add(m, "BytesIO", Value::from_obj(&bytesio_type));
  module_add(m, "UnsupportedOperation", unsupported_type());
  module_add(m, "SEEK_SET", Value::from_small(0));
  module_add(m, "SEEK_CUR", Value::from_small(1));
  module_add(m, "SEEK_END", Value::from_small(2));
  module_add(m, "DEFAULT_BUFFER_SIZE", Value::from_small(kBufSize));
  return m;
}

}  // namespace gp
