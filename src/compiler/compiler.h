// compiler.h — AST to code objects (compile_ast / compile_source are declared in
// compiler/ast.h), plus the disassembler and the opcode stack-effect table.
//
// Invariants:
//  * Every Code the compiler returns is complete and immutable: absolute jump targets,
//    exact stacksize, non-overlapping exception-table entries in instruction order,
//    one source line per instruction.
//  * stack_effect() is the single source of truth for stack depths; the VM may use it
//    in debug assertions.
#pragma once
#include <string>
#include <string_view>

#include "compiler/ast.h"
#include "objects/code.h"

namespace gp {

// Net stack effect of one instruction; `jump` selects the effect when the jump is
// taken (for jumps, FOR_ITER and the JUMP_IF_*_OR_POP family).
int stack_effect(Opcode op, uint32_t arg, bool jump);

// Like compile_ast, but with the source text at hand (for SyntaxError.text).
Code* compile_ast_with_source(ast::Module* mod, Str* filename, ParseMode mode,
                              std::string_view source);

// Human-readable listing in the spirit of CPython's `dis`, recursive into nested code
// objects (used by `gilpy --dis`). [compiler: src/compiler/dis.cpp]
std::string disassemble(Code* co);

}  // namespace gp
