// symtable.h — the symbol table: which scope each name of each block resolves to.
//
// Invariants:
//  * One Scope per module, class body, function, lambda and comprehension/genexp,
//    built in one pass over the AST before code generation (as CPython's symtable.c).
//  * Every identifier key is an interned Str* (pointer identity = content identity);
//    private names (__x inside a class) are stored mangled (_C__x).
//  * Scopes are GC objects and their maps use gc_allocator, so the Str* keys stay
//    reachable from the table itself for as long as the table lives.
//  * The resolution of every name follows CPython 3.11's analyze_block: LOCAL,
//    GLOBAL_EXPLICIT, GLOBAL_IMPLICIT, FREE, CELL; class bodies never own cells except
//    the implicit __class__ cell (needs_class_closure).
#pragma once
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "compiler/ast.h"
#include "objects/str.h"

namespace gp::symtable {

enum SymFlag : uint32_t {
  DEF_GLOBAL = 1u << 0,       // `global` statement
  DEF_LOCAL = 1u << 1,        // assignment in this block
  DEF_PARAM = 1u << 2,        // formal parameter
  DEF_NONLOCAL = 1u << 3,     // `nonlocal` statement
  USE = 1u << 4,              // name is read
  DEF_FREE_CLASS = 1u << 6,   // free in a nested block, but bound in this class body
  DEF_IMPORT = 1u << 7,       // bound by import
  DEF_ANNOT = 1u << 8,        // annotated
  DEF_COMP_ITER = 1u << 9,    // comprehension iteration variable
  DEF_BOUND = DEF_LOCAL | DEF_PARAM | DEF_IMPORT,
};

enum class Resolution : uint8_t { None = 0, Local, GlobalExplicit, GlobalImplicit, Free, Cell };

enum class BlockKind : uint8_t { Module, Function, Class };
enum class CompKind : uint8_t { None, List, Set, Dict, Gen };

struct PtrHash {
  size_t operator()(const void* p) const { return std::hash<const void*>()(p); }
};
template <class V>
using StrMap = std::unordered_map<Str*, V, PtrHash, std::equal_to<Str*>,
                                  gc_allocator<std::pair<Str* const, V>>>;

struct Scope : public gc {
  BlockKind kind = BlockKind::Module;
  CompKind comp = CompKind::None;   // comprehension kind (kind == Function)
  bool is_lambda = false;
  Str* name = nullptr;              // function / class name, "<lambda>", "<listcomp>"...
  Scope* parent = nullptr;
  GcVector<Scope*> children;
  StrMap<uint32_t> flags;           // SymFlag bits per (mangled) name
  GcVector<Str*> order;             // names in first-seen order
  StrMap<Resolution> res;           // filled by the analysis
  StrMap<const ast::Node*> directives;  // where global/nonlocal (or walrus) declared a name
  bool is_generator = false;
  bool nested = false;              // inside a function (CO_NESTED)
  bool has_free = false;            // some name resolves to Free here
  bool child_free = false;
  bool needs_class_closure = false; // class body owns the implicit __class__ cell
  int comp_iter_expr = 0;           // > 0 while visiting a comprehension's outermost iterable
  bool comp_iter_target = false;    // visiting a comprehension target
  int line = 0, col = 0, end_line = 0, end_col = 0;

  bool is_function_like() const { return kind == BlockKind::Function; }
  uint32_t flags_of(Str* name) const {
    auto it = flags.find(name);
    return it == flags.end() ? 0 : it->second;
  }
  Resolution resolve(Str* name) const {
    auto it = res.find(name);
    return it == res.end() ? Resolution::None : it->second;
  }
};

// Bounds the recursive AST walks (this symbol table and the code generator) as CPython
// 3.11's symtable does: at most 3 x sys.getrecursionlimit() levels, and never into the
// thread's C stack reserve. Past either, RecursionError "maximum recursion depth exceeded
// during compilation" instead of a stack overflow (a 1e6-term sum parses without
// recursion but its BinOp tree is 1e6 deep).
struct WalkDepth {
  int* d;
  explicit WalkDepth(int* depth);
  ~WalkDepth() { --*d; }
  WalkDepth(const WalkDepth&) = delete;
  WalkDepth& operator=(const WalkDepth&) = delete;
};

struct SymTable : public gc {
  Scope* top = nullptr;
  std::unordered_map<const void*, Scope*, PtrHash, std::equal_to<const void*>,
                     gc_allocator<std::pair<const void* const, Scope*>>>
      by_node;                      // FunctionDef/ClassDef/Lambda/comprehension node -> scope
  Scope* lookup(const void* node) const {
    auto it = by_node.find(node);
    return it == by_node.end() ? nullptr : it->second;
  }
};

// Where the source text comes from, for SyntaxError details.
struct SourceInfo {
  Str* filename = nullptr;
  std::string_view source;          // may be empty: then the registered source is used
};

// SyntaxError at a node's range (col/end_col are the AST's 0-based byte offsets).
[[noreturn]] void syntax_error_at(const SourceInfo& src, const std::string& msg, int line,
                                  int col, int end_line, int end_col);
[[noreturn]] inline void syntax_error_at(const SourceInfo& src, const std::string& msg,
                                         const ast::Node* n) {
  syntax_error_at(src, msg, n->line, n->col, n->end_line, n->end_col);
}

// Python's private-name mangling: __x in class C becomes _C__x (the name itself if unchanged).
Str* mangle(Str* private_name, Str* name);
Str* intern(Str* s);

// Build and analyse the table for a module; raises SyntaxError on scoping errors.
SymTable* build(ast::Module* mod, const SourceInfo& src, ParseMode mode);

}  // namespace gp::symtable
