// main.cpp — the gilpy command line: scripts, -c, -m, stdin, the interactive prompt.
//
// Invariants:
//  * Start-up order: collector, lock policy, main ThreadState holding the lock, builtin
//    types, sys, signal handlers; only then is any Python code compiled or run.
//  * Every way out of the program goes through finish(): threading._shutdown() for
//    non-daemon threads, then atexit callbacks (if atexit was imported), then flushing sys.stdout/sys.stderr and every open file, then
//    exit with CPython's status (0, 1 for an uncaught exception, SystemExit's code, 2
//    for usage errors, death by SIGINT after an uncaught KeyboardInterrupt).
#include "gc/gcapi.h"
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/ast.h"
#include "compiler/compiler.h"
#include "core/runtime.h"
#include "core/threadstate.h"
#include "embed/startup.h"
#include "gil/gil.h"
#include "gil/stats.h"
#include "modules/builtins.h"
#include "modules/iomodule.h"
#include "modules/signals.h"
#include "modules/sysmodule.h"
#include "objects/dict.h"
#include "objects/exceptions.h"
#include "objects/function.h"
#include "objects/int.h"
#include "objects/list.h"
#include "objects/module.h"
#include "objects/str.h"
#include "vm/embedded.h"

using namespace gp;

namespace {

std::string g_prog = "gilpy";
ThreadState* g_main_ts = nullptr;

void usage(FILE* out) {
  fprintf(out,
          "usage: %s [option] ... [-c cmd | -m mod | file | -] [arg] ...\n"
          "Options:\n"
          "-c cmd : program passed in as string (terminates option list)\n"
          "-m mod : run library module as a script (terminates option list)\n"
          "-h     : print this help message and exit (also -? or --help)\n"
          "-V     : print the Python version number and exit (also --version)\n"
          "-X gil=POLICY, --gil=POLICY : lock policy: ticks, switch, fair or none\n"
          "                 (also the GILPY_GIL environment variable)\n"
          "%s"
          "--dis  : print the bytecode of the program instead of running it\n"
          "file   : program read from script file\n"
          "-      : program read from stdin (default; interactive mode if a tty)\n"
          "arg ...: arguments passed to program in sys.argv[1:]\n",
          g_prog.c_str(), gil_obs_usage());
}

// Threads, buffers, exit status. Never returns.
[[noreturn]] void finish(int status) {
  ThreadState* ts = g_main_ts;
  try {
    Value th = dict_get_str(sys_modules(), str_intern("threading"));
    if (!th.is_null()) {
      Value sd = getattr_opt(th, str_intern("_shutdown"));
      if (!sd.is_null()) call(sd, {});
    }
  } catch (PyThrow&) {
    Value e = take_exception();
    print_exception(e);
  }
  // Then atexit's callbacks (CPython's order), only if the program imported atexit
  // (multiprocessing registers its join of non-daemon children there).
  try {
    Value ae = dict_get_str(sys_modules(), str_intern("atexit"));
    if (!ae.is_null() && !is_none(ae)) {
      Value run = getattr_opt(ae, str_intern("_run_exitfuncs"));
      if (!run.is_null()) call(run, {});
    }
  } catch (PyThrow&) {
    print_exception(take_exception());
  }
  gil_set_finalizing(ts);
  flush_std_streams();
  io_flush_all();
  fflush(stdout);
  fflush(stderr);
  exit(status);
}

// Status for an uncaught exception (printing it first, as CPython does).
[[noreturn]] void die_with(Value e) {
  if (is_exception(e) && exc_matches(e, Value::from_obj(&exc_SystemExit))) {
    Value code = system_exit_code(e);
    if (is_none(code)) finish(0);
    if (is_int(code)) {
      int64_t v;
      if (!int_to_i64(code, &v)) v = -1;
      finish(int(v & 0xff));
    }
    // anything else: print str(code) to stderr, status 1
    std::string msg;
    try {
      msg = std::string(str(code)->view());
    } catch (PyThrow&) {
      take_exception();
    }
    msg += "\n";
    Value err = sys_get("stderr");
    try {
      if (!err.is_null() && !is_none(err)) {
        file_write(err, msg);
        file_flush(err, true);
      } else {
        fputs(msg.c_str(), stderr);
      }
    } catch (PyThrow&) {
      take_exception();
      fputs(msg.c_str(), stderr);
    }
    finish(1);
  }
  print_exception(e);
  if (is_exception(e) && exc_matches(e, Value::from_obj(&exc_KeyboardInterrupt))) {
    gil_set_finalizing(g_main_ts);
    flush_std_streams();
    io_flush_all();
    signal(SIGINT, SIG_DFL);
    ::raise(SIGINT);
    finish(130);
  }
  finish(1);
}

Module* make_main_module(Value file) {
  Module* m = module_new("__main__");
  dict_set_str(m->dict, str_intern("__builtins__"), vmodule(init_module_builtins()));
  if (!file.is_null()) dict_set_str(m->dict, str_intern("__file__"), file);
  dict_set_str(m->dict, str_intern("__cached__"), None());
  dict_set_str(sys_modules(), str_intern("__main__"), vmodule(m));
  return m;
}

// Compile and run `source` as __main__ (or print its disassembly).
[[noreturn]] void run_main(const std::string& source, Str* filename, Value file, bool dis) {
  try {
    Module* m = make_main_module(file);
    Code* code = compile_source(source, filename, ParseMode::Exec);
    if (dis) {
      std::string text = disassemble(code);
      file_write(sys_get("stdout"), text);
      finish(0);
    }
    run_code(code, m->dict, m->dict);
  } catch (PyThrow&) {
    die_with(take_exception());
  }
  finish(0);
}

bool read_file(const std::string& path, std::string* out, int* err) {
  FILE* f = fopen(path.c_str(), "rb");
  if (!f) {
    *err = errno;
    return false;
  }
  std::string data;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) data.append(buf, n);
  fclose(f);
  *out = std::move(data);
  return true;
}

std::string abspath(const std::string& p) {
  if (!p.empty() && p[0] == '/') return p;
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return p;
  std::string r = cwd;
  std::string rel = p;
  while (rel.rfind("./", 0) == 0) rel = rel.substr(2);
  return r + "/" + rel;
}

std::string dirname_of(const std::string& p) {
  size_t s = p.rfind('/');
  if (s == std::string::npos) return "";
  if (s == 0) return "/";
  return p.substr(0, s);
}

std::string cwd_str() {
  char cwd[PATH_MAX];
  if (!getcwd(cwd, sizeof cwd)) return "";
  return cwd;
}

// ---- interactive prompt --------------------------------------------------------------

bool incomplete_error(Value e) {
  if (!is_exception(e) || !exc_matches(e, Value::from_obj(&exc_SyntaxError))) return false;
  Value msg = getattr_opt(e, str_intern("msg"));
  if (msg.is_null() || !is_str(msg)) return false;
  std::string_view m = as_str(msg)->view();
  return m.find("was never closed") != std::string_view::npos ||
         m.find("unexpected EOF") != std::string_view::npos ||
         m.find("incomplete input") != std::string_view::npos ||
         m.find("expected an indented block") != std::string_view::npos ||
         m.find("unterminated triple-quoted") != std::string_view::npos;
}

[[noreturn]] void repl() {
  Module* m = make_main_module(Value::null());
  fprintf(stderr, "Python 3.11.0 (gilpy) on linux\nType \"help\", \"copyright\", \"credits\" or \"license\" for more information.\n");
  std::string buffer;
  bool block = false;
  while (true) {
    Value line;
    try {
      Value out = sys_get("stdout");
      file_write(out, buffer.empty() ? ">>> " : "... ");
      file_flush(out, true);
      line = file_readline(sys_get("stdin"));
    } catch (PyThrow&) {
      Value e = take_exception();
      if (exc_matches(e, Value::from_obj(&exc_KeyboardInterrupt))) {
        file_write(sys_get("stderr"), "\nKeyboardInterrupt\n");
        buffer.clear();
        block = false;
        continue;
      }
      die_with(e);
    }
    if (line.is_null()) {
      file_write(sys_get("stdout"), "\n");
      finish(0);
    }
    std::string l(as_str(line)->view());
    if (!l.empty() && l.back() == '\n') l.pop_back();
    std::string stripped = l;
    while (!stripped.empty() && (stripped.back() == ' ' || stripped.back() == '\t')) stripped.pop_back();
    if (buffer.empty() && stripped.find_first_not_of(" \t") == std::string::npos) continue;
    bool blank = stripped.find_first_not_of(" \t") == std::string::npos;
    buffer += l;
    buffer += "\n";
    if (buffer.size() == l.size() + 1 && !stripped.empty() &&
        (stripped.back() == ':' || stripped.back() == '\\'))
      block = true;
    if (block && !blank) continue;
    Code* code = nullptr;
    try {
      code = compile_source(buffer, str_intern("<stdin>"), ParseMode::Single);
    } catch (PyThrow&) {
      Value e = take_exception();
      if (!blank && incomplete_error(e)) continue;
      print_exception(e);
      buffer.clear();
      block = false;
      continue;
    }
    buffer.clear();
    block = false;
    try {
      run_code(code, m->dict, m->dict);
    } catch (PyThrow&) {
      Value e = take_exception();
      if (exc_matches(e, Value::from_obj(&exc_SystemExit))) die_with(e);
      print_exception(e);
    }
    flush_std_streams();
  }
}

// ---- -m -------------------------------------------------------------------------------

bool find_module_source(const std::string& name, std::string* path, std::string* source) {
  std::string rel = name;
  for (char& c : rel)
    if (c == '.') c = '/';
  Value paths = sys_get("path");
  if (!paths.is_null() && is_list(paths)) {
    List* l = paths.as<List>();
    for (int64_t i = 0;; i++) {
      Value e = list_load(l, i);  // lock-free read rule (list.h)
      if (!e) break;
      if (!is_str(e)) continue;
      std::string dir(as_str(e)->view());
      std::string prefix = dir.empty() ? "" : dir + "/";
      int err;
      for (const std::string& cand : {prefix + rel + ".py", prefix + rel + "/__main__.py"}) {
        if (read_file(cand, source, &err)) {
          *path = abspath(cand);
          return true;
        }
      }
    }
  }
  for (const EmbeddedModule* e = embedded_modules; e->name; e++) {
    if (name == e->name && !e->is_package) {
      source->assign(e->source, e->size);
      *path = "lib/" + rel + ".py";
      return true;
    }
    if (name + ".__main__" == e->name) {  // lib/pkg/__main__.py (a module entry)
      source->assign(e->source, e->size);
      *path = "lib/" + rel + "/__main__.py";
      return true;
    }
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 0 && argv[0]) g_prog = argv[0];
  std::string gil_opt;
  if (const char* env = getenv("GILPY_GIL")) gil_opt = env;
  if (const char* ub = getenv("PYTHONUNBUFFERED"); ub && *ub) io_set_unbuffered(true);
  bool dis = false;
  std::string cmd, modname, script;
  enum { SCRIPT, COMMAND, MODULE, STDIN } kind = STDIN;
  int i = 1;
  for (; i < argc; i++) {
    std::string a = argv[i];
    if (a == "-c") {
      if (i + 1 >= argc) {
        fprintf(stderr, "Argument expected for the -c option\n");
        usage(stderr);
        return 2;
      }
      cmd = argv[++i];
      kind = COMMAND;
      i++;
      break;
    }
    if (a.rfind("-c", 0) == 0 && a.size() > 2 && a[1] == 'c') {
      cmd = a.substr(2);
      kind = COMMAND;
      i++;
      break;
    }
    if (a == "-m") {
      if (i + 1 >= argc) {
        fprintf(stderr, "Argument expected for the -m option\n");
        usage(stderr);
        return 2;
      }
      modname = argv[++i];
      kind = MODULE;
      i++;
      break;
    }
    if (a == "-X") {
      if (i + 1 >= argc) {
        fprintf(stderr, "Argument expected for the -X option\n");
        return 2;
      }
      std::string x = argv[++i];
      if (x.rfind("gil=", 0) == 0) gil_opt = x.substr(4);
      continue;
    }
    if (a.rfind("-Xgil=", 0) == 0) {
      gil_opt = a.substr(6);
      continue;
    }
    if (a.rfind("--gil=", 0) == 0) {
      gil_opt = a.substr(6);
      continue;
    }
    if (a == "--gil") {
      if (i + 1 >= argc) {
        fprintf(stderr, "Argument expected for the --gil option\n");
        return 2;
      }
      gil_opt = argv[++i];
      continue;
    }
    if (int r = gil_obs_option(argv[i])) {  // --gil-stats, --gil-trace=, --gil-timeline=
      if (r < 0) return 2;
      continue;
    }
    if (a == "--dis") {
      dis = true;
      continue;
    }
    if (a == "-V" || a == "--version") {
      printf("Python 3.11.0 (gilpy)\n");
      return 0;
    }
    if (a == "-h" || a == "--help" || a == "-?") {
      usage(stdout);
      return 0;
    }
    if (a == "-") {
      kind = STDIN;
      i++;
      break;
    }
    if (a == "-u") {
      io_set_unbuffered(true);
      continue;
    }
    if (a == "-B" || a == "-E" || a == "-s" || a == "-S" || a == "-I" ||
        a == "-O" || a == "-OO" || a == "-q" || a == "-b" || a == "-bb" || a == "-d" ||
        a == "-v" || a == "-P") {
      continue;  // accepted for compatibility; no effect
    }
    if (a.size() > 1 && a[0] == '-') {
      fprintf(stderr, "Unknown option: %s\n", a.c_str());
      usage(stderr);
      return 2;
    }
    script = a;
    kind = SCRIPT;
    i++;
    break;
  }

  if (!runtime_boot(gil_opt)) {  // embed/startup.h, shared with the embedding API
    fprintf(stderr, "%s: unknown GIL policy '%s' (expected ticks, switch, fair or none)\n",
            g_prog.c_str(), gil_opt.c_str());
    return 2;
  }
  if (int rc = gil_obs_start(g_prog.c_str()); rc >= 0) return rc;  // --gil-timeline-from
  ThreadState* ts = runtime_attach_main();
  g_main_ts = ts;

  // sys.argv as CPython builds it
  std::vector<std::string> pargs;
  std::string script_dir;
  switch (kind) {
    case COMMAND:
      pargs.push_back("-c");
      break;
    case MODULE:
      pargs.push_back(modname);  // replaced by the module's path once found
      script_dir = cwd_str();
      break;
    case SCRIPT: {
      pargs.push_back(script);
      std::string abs = abspath(script);
      char real[PATH_MAX];
      if (realpath(abs.c_str(), real)) script_dir = dirname_of(real);
      else script_dir = dirname_of(abs);
      break;
    }
    case STDIN:
      pargs.push_back(i - 1 < argc && i > 1 && std::string(argv[i - 1]) == "-" ? "-" : "");
      break;
  }
  for (; i < argc; i++) pargs.push_back(argv[i]);
  std::vector<char*> pargv;
  for (auto& s : pargs) pargv.push_back(s.data());

  try {
    runtime_init_python(int(pargv.size()), pargv.data(), script_dir);
    List* orig = list_new(0);
    for (int k = 0; k < argc; k++) list_append(orig, vstr(str_new(argv[k])));
    sys_set("orig_argv", vlist(orig));
  } catch (PyThrow&) {
    Value e = take_exception();
    print_exception(e);
    return 1;
  }
  install_signal_handlers(ts);

  switch (kind) {
    case COMMAND:
      run_main(cmd, str_intern("<string>"), Value::null(), dis);
    case SCRIPT: {
      std::string source;
      int err = 0;
      std::string abs = abspath(script);
      if (!read_file(script, &source, &err)) {
        fprintf(stderr, "%s: can't open file '%s': [Errno %d] %s\n", g_prog.c_str(), abs.c_str(),
                err, strerror(err));
        return 2;
      }
      Str* fname = str_new(abs);
      run_main(source, fname, vstr(fname), dis);
    }
    case MODULE: {
      std::string path, source;
      bool found = false;
      try {
        found = find_module_source(modname, &path, &source);
      } catch (PyThrow&) {
        take_exception();
      }
      if (!found) {
        fprintf(stderr, "%s: No module named %s\n", g_prog.c_str(), modname.c_str());
        return 1;
      }
      Value argvl = sys_get("argv");
      if (!argvl.is_null() && is_list(argvl) && argvl.as<List>()->size > 0)
        argvl.as<List>()->items[0] = vstr(str_new(path));
      Str* fname = str_new(path);
      run_main(source, fname, vstr(fname), dis);
    }
    case STDIN:
      if (isatty(0) && !dis) repl();
      {
        std::string source;
        char buf[65536];
        while (true) {
          ssize_t n = read(0, buf, sizeof buf);
          if (n < 0 && errno == EINTR) continue;
          if (n <= 0) break;
          source.append(buf, size_t(n));
        }
        run_main(source, str_intern("<stdin>"), vstr(str_intern("<stdin>")), dis);
      }
  }
  finish(0);
}
