// opcodes.cpp — the opcode name table (dis output, debugging, error messages).
// Invariant: opcode_names[op] is the name of Opcode `op` for every op < OP_COUNT_,
// generated from the one GP_OPCODES list so the two can never disagree.
#include <cstddef>

#include "compiler/opcodes.h"

namespace gp {

const char* const opcode_names[] = {
#define GP_OP_NAME(name, has_arg) #name,
    GP_OPCODES(GP_OP_NAME)
#undef GP_OP_NAME
    nullptr};

static_assert(sizeof(opcode_names) / sizeof(opcode_names[0]) == std::size_t(OP_COUNT_) + 1,
              "one name per opcode");

}  // namespace gp
