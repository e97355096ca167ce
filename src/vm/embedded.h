// embedded.h — Python modules from lib/, compiled into the binary (tools/embed_lib.py).
#pragma once
#include <cstddef>

namespace gp {

struct EmbeddedModule {
  const char* name;    // dotted module name
  bool is_package;     // lib/<name>/__init__.py
  const char* source;  // UTF-8, NUL-terminated
  size_t size;
};

extern const EmbeddedModule embedded_modules[];  // ends with a {nullptr} entry

}  // namespace gp
