// formatspec.h — the format-spec mini-language, shared by str, int and float __format__.
#pragma once
#include <string>
#include <string_view>

#include "core/runtime.h"

namespace gp {

struct FormatSpec {
  uint32_t fill = ' ';    // code point
  char align = 0;         // '<', '>', '^', '=' or 0 (default for the type)
  char sign = 0;          // '+', '-', ' ' or 0
  bool alt = false;       // '#'
  bool zero = false;      // '0' before width
  int64_t width = -1;
  char grouping = 0;      // ',' or '_' or 0
  int64_t precision = -1;
  char type = 0;          // presentation type or 0
};

// [strings: src/objects/format.cpp] ValueError "Invalid format specifier" as CPython.
// A '0' before the width with no explicit fill sets zero=true and fill='0' but leaves
// align 0: apply_padding then uses '=' when default_align is '>' (numbers), else
// default_align (strings), as CPython 3.10+ does. The 3.11 'z' flag is accepted.
FormatSpec parse_format_spec(std::string_view spec);
// Same, naming the type in the error for trailing junk, as CPython words it:
// "Invalid format specifier 'xx' for object of type 'int'". Prefer this one.
// *no_neg_zero (if given) receives whether 'z' was present.
FormatSpec parse_format_spec(std::string_view spec, const char* type_name,
                             bool* no_neg_zero = nullptr);
// Alignment actually used by apply_padding for this spec.
char effective_align(const FormatSpec& spec, char default_align);
// Pad `body` (UTF-8, `body_len` code points) to spec.width using fill/align; for '='
// alignment, `sign_prefix_len` bytes at the start of body stay in front of the padding.
std::string apply_padding(const FormatSpec& spec, std::string_view body, int64_t body_len,
                          char default_align, size_t sign_prefix_len = 0);

}  // namespace gp
