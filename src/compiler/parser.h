// parser.h — the front end's public entry points beyond ast.h's parse().
//
// Invariants: parse() (declared in ast.h) is the only way source becomes an AST;
// ast_dump() is a pure function of the tree, used by tests as the CPython oracle.
#pragma once
#include <string>

#include "compiler/ast.h"

namespace gp {

// CPython's ast.dump(tree) (annotate_fields=True, include_attributes=False), e.g.
// "Module(body=[Expr(value=Constant(value=1))], type_ignores=[])". Constant reprs
// come from repr(). With include_attributes, positions are added as ast.dump does.
std::string ast_dump(ast::Module* mod, bool include_attributes = false);

}  // namespace gp
