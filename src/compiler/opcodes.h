// opcodes.h — the bytecode: the one contract between compiler/ and vm/.
//
// Invariants:
//  * An instruction is one uint32_t: opcode in the low 8 bits, argument in the high
//    24 bits (make_instr/instr_op/instr_arg). No EXTENDED_ARG: the compiler rejects
//    code objects needing arguments >= 2**24 (SystemError "code too large").
//  * Jump arguments are absolute instruction indexes. Backward jumps use
//    JUMP_BACKWARD (the only jump that polls the eval breaker).
//  * Every opcode's stack effect is fixed by the table below (or a formula of its
//    arg), so the compiler can compute Code::stacksize exactly.
//  * Exception handling is table-driven as in CPython 3.11 (no block stack at run
//    time): Code::exc_table maps instruction ranges to a handler and a stack depth.
//    When an exception is raised at index i, the VM finds the innermost entry with
//    start <= i < end, pops the value stack down to `depth`, pushes the exception
//    object, and jumps to `handler`. With no entry, the frame is unwound (a traceback
//    entry is added) and the exception propagates to the caller.
//  * Superinstructions (the last group below) are made only by the compiler's final
//    pass, fuse_superinstructions: the first instruction of a common pair is rewritten
//    to the fused opcode and the second stays where it was, unchanged (as in CPython
//    3.11). The fused opcode does both and steps over the second, so jumps to the
//    second instruction, the exception table and the line table need no change, and
//    an error in the second half is reported at the second instruction's index.
//    base_op() maps a fused opcode back to its first half (dis shows that).
//  * Semantics follow CPython 3.11's `dis` documentation where names match; the
//    differences are spelled out per opcode.
//
// Notation: stack effects as "before -- after", top of stack on the right.
#pragma once
#include <cstdint>

namespace gp {

// X(name, has_arg)
#define GP_OPCODES(X)                                                                       \
  X(NOP, 0)                                                                                 \
  X(POP_TOP, 0)           /* x -- */                                                        \
  X(COPY, 1)              /* a_n .. a_1 -- a_n .. a_1 a_n   (COPY 1 = dup top) */           \
  X(SWAP, 1)              /* swap TOS with the n-th item (SWAP 2 = rot two) */               \
  X(LOAD_CONST, 1)        /* -- consts[arg] */                                               \
  X(LOAD_FAST, 1)         /* -- locals[arg]; UnboundLocalError if null */                    \
  X(STORE_FAST, 1)        /* v -- */                                                         \
  X(DELETE_FAST, 1)                                                                         \
  X(LOAD_DEREF, 1)        /* -- cells[arg].ref; cells = cellvars then freevars. NameError/   \
                             UnboundLocalError ("cannot access free variable ...") if null */ \
  X(STORE_DEREF, 1)                                                                         \
  X(DELETE_DEREF, 1)                                                                        \
  X(LOAD_CLOSURE, 1)      /* -- the Cell object cells[arg] itself */                         \
  X(LOAD_CLASSDEREF, 1)   /* class body: locals-dict[freevars name] if present else cell */  \
  X(LOAD_GLOBAL, 1)       /* -- globals[names[arg]] or builtins[...]; NameError */           \
  X(STORE_GLOBAL, 1)                                                                        \
  X(DELETE_GLOBAL, 1)                                                                       \
  X(LOAD_NAME, 1)         /* module/class body: locals dict, then globals, then builtins */  \
  X(STORE_NAME, 1)                                                                          \
  X(DELETE_NAME, 1)                                                                         \
  X(LOAD_ATTR, 1)         /* o -- o.names[arg] */                                            \
  X(STORE_ATTR, 1)        /* v o -- ; o.names[arg] = v */                                    \
  X(DELETE_ATTR, 1)       /* o -- */                                                         \
  X(LOAD_METHOD, 1)       /* o -- meth self  (unbound function found on the type)           \
                             or  o -- NULL attr (anything else) */                           \
  X(CALL_METHOD, 1)       /* meth self a1..an -- result  or NULL f a1..an -- f(a1..an) */    \
  X(CALL_METHOD_KW, 1)    /* like CALL_METHOD; TOS is a tuple of keyword names for the last  \
                             len(kwnames) of the arg args; n counts them */                  \
  X(CALL_FUNCTION, 1)     /* f a1..an -- result */                                           \
  X(CALL_FUNCTION_KW, 1)  /* f a1..an kwnames -- result (n counts positional+keyword) */     \
  X(CALL_FUNCTION_EX, 1)  /* f args_tuple [kwargs_dict if arg&1] -- result */                \
  X(BINARY_SUBSCR, 0)     /* o k -- o[k] */                                                  \
  X(STORE_SUBSCR, 0)      /* v o k -- ; o[k] = v */                                          \
  X(DELETE_SUBSCR, 0)     /* o k -- */                                                       \
  X(BINARY_OP, 1)         /* a b -- a op b; arg = BinOp, or BinOp + INPLACE_BASE for op= */  \
  X(UNARY_NEGATIVE, 0)                                                                      \
  X(UNARY_POSITIVE, 0)                                                                      \
  X(UNARY_NOT, 0)                                                                           \
  X(UNARY_INVERT, 0)                                                                        \
  X(COMPARE_OP, 1)        /* a b -- a cmp b; arg = CmpOp */                                  \
  X(IS_OP, 1)             /* a b -- (a is b) ^ arg */                                        \
  X(CONTAINS_OP, 1)       /* a b -- (a in b) ^ arg */                                        \
  X(JUMP_FORWARD, 1)      /* pc = arg (arg > pc) */                                          \
  X(JUMP_BACKWARD, 1)     /* pc = arg (arg <= pc); polls the eval breaker */                 \
  X(POP_JUMP_IF_FALSE, 1) /* v -- ; jump if not truthy(v) */                                 \
  X(POP_JUMP_IF_TRUE, 1)                                                                    \
  X(POP_JUMP_IF_NONE, 1)                                                                    \
  X(POP_JUMP_IF_NOT_NONE, 1)                                                                \
  X(JUMP_IF_FALSE_OR_POP, 1) /* v -- v (jump) or v -- (fall through) */                      \
  X(JUMP_IF_TRUE_OR_POP, 1)                                                                 \
  X(GET_ITER, 0)          /* o -- iter(o) */                                                 \
  X(FOR_ITER, 1)          /* it -- it next   or, when exhausted, it -- and jump to arg */    \
  X(BUILD_TUPLE, 1)       /* a1..an -- (a1..an) */                                           \
  X(BUILD_LIST, 1)                                                                          \
  X(BUILD_SET, 1)                                                                           \
  X(BUILD_MAP, 1)         /* k1 v1 .. kn vn -- {..} */                                       \
  X(BUILD_STRING, 1)      /* s1..sn -- s1+..+sn  (all str) */                                \
  X(BUILD_SLICE, 1)       /* start stop [step if arg==3] -- slice */                         \
  X(LIST_APPEND, 1)       /* list at stack[-arg-1] after popping v: v -- ; list.append(v) */ \
  X(SET_ADD, 1)                                                                             \
  X(MAP_ADD, 1)           /* k v -- ; dict at stack[-arg-2] before popping */                \
  X(LIST_EXTEND, 1)       /* it -- ; stack[-arg] (after pop) .extend(it) */                  \
  X(SET_UPDATE, 1)                                                                          \
  X(DICT_UPDATE, 1)       /* m -- ; dict.update(m), for {**m} */                             \
  X(DICT_MERGE, 1)        /* m -- ; like DICT_UPDATE, TypeError on duplicate key (f(**m)) */ \
  X(LIST_TO_TUPLE, 0)                                                                       \
  X(UNPACK_SEQUENCE, 1)   /* seq -- x_n .. x_1 (x_1 on top); ValueError as CPython */       \
  X(UNPACK_EX, 1)         /* seq -- ...; arg = before | (after << 8), starred gets a list */ \
  X(FORMAT_VALUE, 1)      /* v [spec if arg&4] -- str; arg&3: 0 none, 1 !s, 2 !r, 3 !a */    \
  X(MAKE_FUNCTION, 1)     /* [defaults if arg&1] [kwdefaults if arg&2] [closure if arg&8]    \
                             code -- function; qualname comes from code */                   \
  X(RETURN_VALUE, 0)                                                                        \
  X(YIELD_VALUE, 0)       /* v -- sent   (generator suspends; resumes with sent value) */   \
  X(GET_YIELD_FROM_ITER, 0) /* o -- iter(o) (generators pass through) */                     \
  X(YIELD_FROM, 0)        /* it v -- result: send v into it; while it yields, the frame     \
                             yields the same value and re-executes YIELD_FROM on resume     \
                             with the sent value; on StopIteration pops both, pushes value */ \
  X(RAISE_VARARGS, 1)     /* 0: re-raise exc_info; 1: exc --; 2: exc cause -- */             \
  X(PUSH_EXC_INFO, 0)     /* exc -- prev_exc_info exc ; tstate->exc_info = exc */            \
  X(POP_EXCEPT, 0)        /* prev_exc_info -- ; tstate->exc_info = prev (null ok) */         \
  X(CHECK_EXC_MATCH, 0)   /* exc type -- exc bool  (TypeError if type isn't a class/tuple) */\
  X(RERAISE, 0)           /* exc -- ; raise exc again without touching its traceback */      \
  X(BEFORE_WITH, 0)       /* mgr -- exit_bound enter_result */                               \
  X(WITH_EXCEPT_START, 0) /* exit_bound prev_exc_info exc -- exit_bound prev_exc_info exc r  \
                             r = exit_bound(type(exc), exc, exc.__traceback__) */            \
  X(LOAD_BUILD_CLASS, 0)                                                                    \
  X(IMPORT_NAME, 1)       /* level fromlist -- module */                                     \
  X(IMPORT_FROM, 1)       /* module -- module attr (ImportError "cannot import name") */     \
  X(IMPORT_STAR, 0)       /* module -- ; copies public names into locals dict */             \
  X(LOAD_ASSERTION_ERROR, 0)                                                                \
  X(PRINT_EXPR, 0)        /* v -- ; interactive mode: repr to stdout unless None, sets _ */  \
  X(SETUP_ANNOTATIONS, 0) /* creates __annotations__ in the locals dict if missing */        \
  X(GEN_START, 0)         /* first instruction of a generator body: pops the None sent */   \
  X(LOAD_LOCALS, 0)       /* -- the frame's locals dict (class bodies return it) */     \
  /* Superinstructions (never emitted by code generation; see fuse_superinstructions): */  \
  /* each stands for itself followed by the next instruction, whose arg it reads. */       \
  X(LOAD_FAST__LOAD_FAST, 1)                                                                \
  X(LOAD_FAST__LOAD_CONST, 1)                                                               \
  X(LOAD_CONST__LOAD_FAST, 1)                                                               \
  X(STORE_FAST__LOAD_FAST, 1)                                                               \
  X(STORE_FAST__STORE_FAST, 1)                                                              \
  X(COMPARE_OP__POP_JUMP_IF_FALSE, 1)                                                       \
  X(COMPARE_OP__POP_JUMP_IF_TRUE, 1)

enum Opcode : uint8_t {
#define GP_OP_ENUM(name, has_arg) OP_##name,
  GP_OPCODES(GP_OP_ENUM)
#undef GP_OP_ENUM
  OP_COUNT_
};

extern const char* const opcode_names[];   // defined in compiler/opcodes.cpp

constexpr uint32_t INPLACE_BASE = 16;      // BINARY_OP arg for `a op= b` is BinOp + 16

inline constexpr uint32_t make_instr(Opcode op, uint32_t arg = 0) { return uint32_t(op) | (arg << 8); }
inline constexpr Opcode instr_op(uint32_t ins) { return Opcode(ins & 0xff); }
inline constexpr uint32_t instr_arg(uint32_t ins) { return ins >> 8; }

// The first half of a superinstruction; any other opcode is its own base.
inline constexpr Opcode base_op(Opcode op) {
  switch (op) {
    case OP_LOAD_FAST__LOAD_FAST: case OP_LOAD_FAST__LOAD_CONST: return OP_LOAD_FAST;
    case OP_LOAD_CONST__LOAD_FAST: return OP_LOAD_CONST;
    case OP_STORE_FAST__LOAD_FAST: case OP_STORE_FAST__STORE_FAST: return OP_STORE_FAST;
    case OP_COMPARE_OP__POP_JUMP_IF_FALSE: case OP_COMPARE_OP__POP_JUMP_IF_TRUE: return OP_COMPARE_OP;
    default: return op;
  }
}

// Rewrites the first instruction of each common pair in instrs[0..n) into its fused
// opcode (the second is left as it is). Run once, on a finished code object.
void fuse_superinstructions(uint32_t* instrs, int n);

}  // namespace gp
