// registry.cpp — the table of native (C++) modules, and the small errno module.
// Invariant: every init function listed here is idempotent (returns the same module
// on every call), so the import system may call it whenever sys.modules misses.
#include <cerrno>
#include <cstring>

#include "modules/builtins.h"
#include "modules/iomodule.h"
#include "modules/sysmodule.h"
#include "objects/dict.h"
#include "objects/int.h"
#include "objects/module.h"
#include "objects/str.h"

namespace gp {

Module* init_module_time();
Module* init_module_math();
Module* init_module_gc();
Module* init_module__random();
Module* init_module__thread();

namespace {

Module* init_module_errno() {
  static Module* m = nullptr;
  if (m) return m;
  m = module_new("errno");
  Dict* codes = dict_new();
  struct {
    const char* name;
    int code;
  } tab[] = {
#define E(x) {#x, x}
      E(EPERM),   E(ENOENT),  E(ESRCH),        E(EINTR),       E(EIO),          E(ENXIO),
      E(E2BIG),   E(ENOEXEC), E(EBADF),        E(ECHILD),      E(EAGAIN),       E(ENOMEM),
      E(EACCES),  E(EFAULT),  E(EBUSY),        E(EEXIST),      E(EXDEV),        E(ENODEV),
      E(ENOTDIR), E(EISDIR),  E(EINVAL),       E(ENFILE),      E(EMFILE),       E(ENOTTY),
      E(EFBIG),   E(ENOSPC),  E(ESPIPE),       E(EROFS),       E(EMLINK),       E(EPIPE),
      E(EDOM),    E(ERANGE),  E(EDEADLK),      E(ENAMETOOLONG), E(ENOSYS),      E(ENOTEMPTY),
      E(ELOOP),   E(EWOULDBLOCK), E(ETIMEDOUT), E(ECONNREFUSED), E(ECONNRESET), E(ECONNABORTED),
      E(EINPROGRESS), E(EALREADY), E(ESHUTDOWN), E(ENOTSUP),   E(EOPNOTSUPP),   E(EADDRINUSE),
#undef E
  };
  for (auto& e : tab) {
    module_add(m, e.name, Value::from_small(e.code));
    if (dict_get(codes, Value::from_small(e.code)).is_null())
      dict_set(codes, Value::from_small(e.code), vstr(str_intern(e.name)));
  }
  module_add(m, "errorcode", vdict(codes));
  return m;
}

struct Entry {
  const char* name;
  ModuleInit init;
};
const Entry kModules[] = {
    {"builtins", init_module_builtins},
    {"sys", init_module_sys},
    {"time", init_module_time},
    {"math", init_module_math},
    {"gc", init_module_gc},
    {"_random", init_module__random},
    {"io", init_module_io},
    {"_io", init_module_io},
    {"errno", init_module_errno},
    {"_thread", init_module__thread},
};

}  // namespace

ModuleInit find_native_module(std::string_view name) {
  for (const Entry& e : kModules)
    if (name == e.name) return e.init;
  return nullptr;
}

}  // namespace gp
