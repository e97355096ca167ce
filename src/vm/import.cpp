// import.cpp — the import system: sys.modules, native modules, lib/ modules embedded
// in the binary, and .py files / packages found on sys.path.
//
// Invariants:
//  * sys.modules (sysmodule.h's sys_modules()) is the only cache. A module is placed
//    there before its body runs (so circular imports see the partial module) and
//    removed again if the body raises.
//  * Per-module import locks: while a thread executes module X, `g_initializing`
//    maps X to that thread; another thread importing X waits (with the GIL released)
//    until X is done, then takes it from sys.modules. The same thread re-importing X
//    (a circular import) gets the partially initialised module, as in CPython.
//  * Search order for a name: sys.modules, native (C++) modules, the package's
//    __path__ (or sys.path for top-level names), then the embedded lib/ table.
//  * Parents are imported before children, and a child is bound as an attribute of
//    its parent once loaded.
#include <sys/stat.h>

#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <unordered_map>

#include "compiler/ast.h"
#include "gil/gil.h"
#include "modules/sysmodule.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/list.h"
#include "objects/module.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "vm/embedded.h"
#include "vm/eval.h"

namespace gp {

namespace {

std::mutex g_imp_mu;
std::condition_variable g_imp_cv;
std::unordered_map<std::string, uint64_t>* g_initializing = nullptr;  // name -> thread ident

std::unordered_map<std::string, uint64_t>& initializing() {
  if (!g_initializing) g_initializing = new std::unordered_map<std::string, uint64_t>();
  return *g_initializing;
}

uint64_t my_ident() {
  ThreadState* ts = tstate();
  return ts ? ts->ident : 0;
}

// Take the import lock of `name`. Returns false when this thread already holds it.
bool import_lock(const std::string& name) {
  uint64_t me = my_ident();
  {
    std::lock_guard<std::mutex> lk(g_imp_mu);
    auto& m = initializing();
    auto it = m.find(name);
    if (it == m.end()) {
      m.emplace(name, me);
      return true;
    }
    if (it->second == me) return false;
  }
  GilRelease release;
  std::unique_lock<std::mutex> lk(g_imp_mu);
  g_imp_cv.wait(lk, [&] { return initializing().count(name) == 0; });
  initializing().emplace(name, me);
  return true;
}

void import_unlock(const std::string& name) {
  {
    std::lock_guard<std::mutex> lk(g_imp_mu);
    initializing().erase(name);
  }
  g_imp_cv.notify_all();
}

struct ImportLockGuard {
  std::string name;
  bool owned;
  explicit ImportLockGuard(const std::string& n) : name(n), owned(import_lock(n)) {}
  ~ImportLockGuard() {
    if (owned) import_unlock(name);
  }
};

Value modules_get(const std::string& name) {
  return dict_get_str(sys_modules(), str_new(name));
}

bool is_file(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool read_file(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

struct Found {
  std::string filename;  // as shown in __file__ and tracebacks
  std::string source;
  bool is_pkg = false;
  std::string pkg_dir;   // __path__[0] for packages
};

const EmbeddedModule* find_embedded(const std::string& name) {
  for (const EmbeddedModule* e = embedded_modules; e->name; e++)
    if (name == e->name) return e;
  return nullptr;
}

// Search the directories of `paths` (a list of str) for `leaf`.
bool find_in_paths(Value paths, const std::string& leaf, Found* out) {
  if (paths.is_null() || !is_list(paths)) return false;
  List* l = paths.as<List>();
  for (int64_t i = 0;; i++) {
    Value e = list_load(l, i);  // lock-free read rule (list.h): sys.path may change meanwhile
    if (!e) break;
    if (!is_str(e)) continue;
    std::string dir(as_str(e)->view());
    std::string prefix = dir.empty() ? std::string() : dir + "/";
    std::string pkg_init = prefix + leaf + "/__init__.py";
    if (is_file(pkg_init) && read_file(pkg_init, &out->source)) {
      out->filename = pkg_init;
      out->is_pkg = true;
      out->pkg_dir = prefix + leaf;
      return true;
    }
    std::string mod = prefix + leaf + ".py";
    if (is_file(mod) && read_file(mod, &out->source)) {
      out->filename = mod;
      out->is_pkg = false;
      return true;
    }
  }
  return false;
}

bool find_source(const std::string& fullname, Value parent_path, Found* out) {
  size_t dot = fullname.rfind('.');
  std::string leaf = dot == std::string::npos ? fullname : fullname.substr(dot + 1);
  Value paths = parent_path;
  if (dot == std::string::npos) paths = sys_get("path");
  if (find_in_paths(paths, leaf, out)) return true;
  if (const EmbeddedModule* e = find_embedded(fullname)) {
    std::string rel = fullname;
    for (char& c : rel)
      if (c == '.') c = '/';
    out->source.assign(e->source, e->size);
    out->is_pkg = e->is_package;
    if (e->is_package) {
      out->filename = "lib/" + rel + "/__init__.py";
      out->pkg_dir = "lib/" + rel;
    } else {
      out->filename = "lib/" + rel + ".py";
    }
    return true;
  }
  return false;
}

[[noreturn]] void raise_not_found(const std::string& name, const char* extra = nullptr) {
  Value e = exc_new(&exc_ModuleNotFoundError,
                    {vstr(str_new("No module named '" + name + "'" + (extra ? extra : "")))});
  try {
    setattr(e, GP_STR("name"), vstr(str_new(name)));
  } catch (PyThrow&) {
    take_exception();
  }
  throw_exc(e);
}

Value exec_source_module(const std::string& fullname, Found& found) {
  Module* m = module_new(fullname.c_str());
  Dict* d = m->dict;
  Str* filename = str_new(found.filename);
  dict_set_str(d, GP_STR("__file__"), vstr(filename));
  if (found.is_pkg) {
    dict_set_str(d, GP_STR("__package__"), vstr(str_new(fullname)));
    List* p = list_new(0);
    list_append(p, vstr(str_new(found.pkg_dir)));
    dict_set_str(d, GP_STR("__path__"), vlist(p));
  } else {
    size_t dot = fullname.rfind('.');
    dict_set_str(d, GP_STR("__package__"),
                 vstr(str_new(dot == std::string::npos ? std::string() : fullname.substr(0, dot))));
  }
  builtins_for(d);
  Str* key = str_new(fullname);
  dict_set_str(sys_modules(), key, vmodule(m));
  try {
    Code* code = compile_source(found.source, filename, ParseMode::Exec);
    run_code(code, d, d);
  } catch (PyThrow&) {
    Value e = take_exception();
    dict_del(sys_modules(), vstr(key));
    rethrow(e);
  }
  Value r = dict_get_str(sys_modules(), key);
  if (r.is_null())
    raise(&exc_ImportError, "Loaded module %s not found in sys.modules", fullname.c_str());
  return r;
}

Value import_absolute(const std::string& fullname);

Value load_module(const std::string& fullname, Value parent_mod) {
  Value parent_path = Value::null();
  if (!parent_mod.is_null()) {
    parent_path = getattr_opt(parent_mod, GP_STR("__path__"));
    if (current_exception()) take_exception();
    if (parent_path.is_null()) {
      size_t dot = fullname.rfind('.');
      std::string pn = fullname.substr(0, dot);
      raise_not_found(fullname, ("; '" + pn + "' is not a package").c_str());
    }
  }
  ImportLockGuard lock(fullname);
  Value m = modules_get(fullname);
  if (!m.is_null()) return m;
  if (!lock.owned) raise_not_found(fullname);
  if (ModuleInit init = find_native_module(fullname)) {
    Module* nm = init();
    if (!nm) raise(&exc_ImportError, "initialization of %s failed", fullname.c_str());
    Value v = modules_get(fullname);
    if (v.is_null()) {
      dict_set_str(sys_modules(), str_new(fullname), vmodule(nm));
      v = vmodule(nm);
    }
    return v;
  }
  Found found;
  if (!find_source(fullname, parent_path, &found)) raise_not_found(fullname);
  return exec_source_module(fullname, found);
}

Value import_absolute(const std::string& fullname) {
  Value m = modules_get(fullname);
  if (!m.is_null()) {
    if (is_none(m))
      raise(&exc_ModuleNotFoundError, "import of %s halted; None in sys.modules", fullname.c_str());
    // Being imported by another thread: wait for it to finish.
    bool busy_elsewhere = false;
    {
      std::lock_guard<std::mutex> lk(g_imp_mu);
      auto it = initializing().find(fullname);
      busy_elsewhere = it != initializing().end() && it->second != my_ident();
    }
    if (!busy_elsewhere) return m;
    { ImportLockGuard wait(fullname); }
    Value again = modules_get(fullname);
    return again.is_null() ? m : again;
  }
  size_t dot = fullname.rfind('.');
  Value parent = Value::null();
  if (dot != std::string::npos) {
    parent = import_absolute(fullname.substr(0, dot));
    m = modules_get(fullname);  // importing the parent may have imported us
    if (!m.is_null() && !is_none(m)) return m;
  }
  m = load_module(fullname, parent);
  if (!parent.is_null()) {
    try {
      setattr(parent, str_new(fullname.substr(dot + 1)), m);
    } catch (PyThrow&) {
      take_exception();
    }
  }
  return m;
}

std::string resolve_name(Str* name, Value globals, int level) {
  if (globals.is_null() || !is_dict(globals))
    raise(&exc_ImportError, "attempted relative import with no known parent package");
  Dict* g = globals.as<Dict>();
  Value package = dict_get_str(g, GP_STR("__package__"));
  std::string pkg;
  if (!package.is_null() && !is_none(package)) {
    if (!is_str(package)) raise(&exc_TypeError, "package must be a string");
    pkg = std::string(as_str(package)->view());
  } else {
    Value spec = dict_get_str(g, GP_STR("__spec__"));
    Value parent = Value::null();
    if (!spec.is_null() && !is_none(spec)) {
      parent = getattr_opt(spec, GP_STR("parent"));
      if (current_exception()) take_exception();
    }
    if (!parent.is_null() && is_str(parent)) {
      pkg = std::string(as_str(parent)->view());
    } else {
      Value mn = dict_get_str(g, GP_STR("__name__"));
      if (mn.is_null()) raise(&exc_KeyError, "'__name__' not in globals");
      if (!is_str(mn)) raise(&exc_TypeError, "__name__ must be a string");
      pkg = std::string(as_str(mn)->view());
      if (dict_get_str(g, GP_STR("__path__")).is_null()) {
        size_t d = pkg.rfind('.');
        pkg = d == std::string::npos ? std::string() : pkg.substr(0, d);
      }
    }
  }
  if (pkg.empty()) raise(&exc_ImportError, "attempted relative import with no known parent package");
  std::string base = pkg;
  for (int i = 1; i < level; i++) {
    size_t d = base.rfind('.');
    if (d == std::string::npos)
      raise(&exc_ImportError, "attempted relative import beyond top-level package");
    base = base.substr(0, d);
  }
  if (name->size == 0) return base;
  return base + "." + std::string(name->view());
}

void handle_fromlist(Value module, Value fromlist, bool recursive) {
  Value modname = getattr_opt(module, GP_STR("__name__"));
  if (current_exception()) take_exception();
  if (modname.is_null() || !is_str(modname)) return;
  Value it = iter(fromlist);
  for (Value x = next(it); !x.is_null(); x = next(it)) {
    if (!is_str(x)) {
      if (recursive)
        raise(&exc_TypeError, "Item in %s.__all__ must be str, not %s", as_str(modname)->data(),
              type_name_c(x));
      raise(&exc_TypeError, "Item in ``from list'' must be str, not %s", type_name_c(x));
    }
    if (as_str(x)->view() == "*") {
      if (recursive) continue;
      Value all = getattr_opt(module, GP_STR("__all__"));
      if (current_exception()) take_exception();
      if (!all.is_null()) handle_fromlist(module, all, true);
      continue;
    }
    if (hasattr(module, as_str(x))) continue;
    std::string sub = std::string(as_str(modname)->view()) + "." + std::string(as_str(x)->view());
    if (!modules_get(sub).is_null()) continue;
    Value path = getattr_opt(module, GP_STR("__path__"));
    if (current_exception()) take_exception();
    Found probe;
    if (!find_native_module(sub) && !find_source(sub, path, &probe)) continue;
    import_absolute(sub);
  }
}

}  // namespace

bool module_initializing(const std::string& name) {
  std::lock_guard<std::mutex> lk(g_imp_mu);
  return initializing().count(name) != 0;
}

Value import_module(Str* name, Value globals, Value fromlist, int level) {
  if (level < 0) raise(&exc_ValueError, "level must be >= 0");
  if (level == 0 && name->size == 0) raise(&exc_ValueError, "Empty module name");
  std::string absname = level > 0 ? resolve_name(name, globals, level) : std::string(name->view());
  Value mod = import_absolute(absname);
  bool has_fromlist = !fromlist.is_null() && !is_none(fromlist) && truthy(fromlist);
  if (!has_fromlist) {
    std::string_view n = name->view();
    if (level == 0) {
      size_t dot = n.find('.');
      if (dot == std::string_view::npos) return mod;
      Value top = modules_get(std::string(n.substr(0, dot)));
      return top.is_null() ? mod : top;
    }
    if (n.empty()) return mod;
    size_t dot = n.find('.');
    size_t cut = dot == std::string_view::npos ? 0 : n.size() - dot;
    Value top = modules_get(absname.substr(0, absname.size() - cut));
    return top.is_null() ? mod : top;
  }
  if (hasattr(mod, GP_STR("__path__"))) handle_fromlist(mod, fromlist, false);
  return mod;
}

Value import_simple(const char* name) {
  std::string n(name);
  return import_absolute(n);
}

}  // namespace gp
