// tokenizer.h — Python 3.11 tokens over UTF-8 source (the parser's input).
//
// Invariants:
//  * The tokenizer runs once over normalised source (valid UTF-8, '\n' line ends, a
//    final '\n'; see normalize_source) and fills `toks` up to ENDMARKER or up to the
//    first error, where it stops with an ERRORTOKEN. Errors are recorded, not raised:
//    CPython's tokenizer is lazy, so which error wins (parser's or tokenizer's) depends
//    on how far the parser got; the parser decides with the recorded error.
//  * Token positions are CPython's: 1-based lines, 0-based UTF-8 byte columns, and
//    [start, end) byte offsets into the source. STRING tokens span their prefix and
//    quotes; their contents are decoded by the parser (strings.cpp).
//  * `level` on a token is the bracket depth after the token, as CPython's.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace gp::front {

enum class Tok : uint8_t {
  ENDMARKER, NAME, NUMBER, STRING, NEWLINE, INDENT, DEDENT, ERRORTOKEN,
  // operators
  LPAR, RPAR, LSQB, RSQB, LBRACE, RBRACE, COLON, COMMA, SEMI, PLUS, MINUS, STAR, SLASH,
  VBAR, AMPER, LESS, GREATER, EQUAL, DOT, PERCENT, EQEQUAL, NOTEQUAL, LESSEQUAL,
  GREATEREQUAL, TILDE, CIRCUMFLEX, LEFTSHIFT, RIGHTSHIFT, DOUBLESTAR, PLUSEQUAL,
  MINEQUAL, STAREQUAL, SLASHEQUAL, PERCENTEQUAL, AMPEREQUAL, VBAREQUAL, CIRCUMFLEXEQUAL,
  LEFTSHIFTEQUAL, RIGHTSHIFTEQUAL, DOUBLESTAREQUAL, DOUBLESLASH, DOUBLESLASHEQUAL, AT,
  ATEQUAL, RARROW, ELLIPSIS, COLONEQUAL, BADOP /* '$', '?', '!' ...: matches nothing */,
  // keywords (hard keywords of 3.11)
  KW_FALSE, KW_NONE, KW_TRUE, KW_AND, KW_AS, KW_ASSERT, KW_ASYNC, KW_AWAIT, KW_BREAK,
  KW_CLASS, KW_CONTINUE, KW_DEF, KW_DEL, KW_ELIF, KW_ELSE, KW_EXCEPT, KW_FINALLY, KW_FOR,
  KW_FROM, KW_GLOBAL, KW_IF, KW_IMPORT, KW_IN, KW_IS, KW_LAMBDA, KW_NONLOCAL, KW_NOT,
  KW_OR, KW_PASS, KW_RAISE, KW_RETURN, KW_TRY, KW_WHILE, KW_WITH, KW_YIELD,
};

inline bool is_keyword(Tok t) { return t >= Tok::KW_FALSE; }

struct Token {
  Tok type;
  int16_t level;          // bracket depth after this token
  int32_t line, col;      // start (1-based line, byte column)
  int32_t end_line, end_col;
  uint32_t start, end;    // byte offsets into the source
};

// A SyntaxError waiting to be raised (positions as the exception carries them:
// 1-based character offsets; end_offset may be 0 or -1 as CPython leaves them).
struct SyntaxErr {
  Type* type = nullptr;   // nullptr: no error
  std::string msg;
  int lineno = 0, offset = 0;
  std::string text;
  int end_lineno = 0, end_offset = 0;
  bool no_location = false;  // raise without filename/line (file decode errors)
};

enum class TokErr : uint8_t {
  NONE,
  HARD,       // raised through syntaxerror() in CPython: wins over parser errors
  EOF_ERR,    // unexpected EOF (E_EOF): in brackets -> "'(' was never closed"
  OTHER_SOFT  // indentation, tab/space, line continuation: only when the parser gets here
};

class Tokenizer {
 public:
  // src: normalised source. line0/col0: position of src[0] in the real file (f-string
  // expressions); level0: initial bracket depth (1 for f-string expressions).
  Tokenizer(std::string_view src, int line0 = 1, int col0 = 0, int level0 = 0);
  void run();

  std::string_view src;
  std::vector<Token> toks;
  TokErr err_kind = TokErr::NONE;
  SyntaxErr err;          // set for every error kind; EOF_ERR keeps the paren info below
  int eof_paren_line = 0; // EOF_ERR inside brackets: the innermost open bracket's line
  SyntaxErr eof_paren_err;

  std::string_view token_text(const Token& t) const { return src.substr(t.start, t.end - t.start); }
  // The text of (real) line `line` without its '\n' ("" if out of range).
  std::string_view line_text(int line) const;
  int first_line() const { return line0_; }
  int first_col() const { return col0_; }
  int last_line() const { return line0_ + int(line_starts_.size()) - 1; }
  // Character (code point) count of the first `nbytes` bytes of `line` (CPython's
  // byte_offset_to_character_offset).
  int chars_in_line(int line, int nbytes) const;

 private:
  int line0_, col0_, level0_;
  std::vector<uint32_t> line_starts_;  // byte offset of each line's first char
  size_t pos_ = 0;
  int line_ = 1;                 // current line (real numbering)
  size_t line_start_ = 0;        // byte offset of the current line's start
  int level_ = 0;
  char paren_stack_[256];
  int paren_line_[256];
  int paren_col_[256];
  std::vector<int> indstack_{0}, altindstack_{0};
  bool atbol_ = true;
  bool cont_line_ = false;
  bool blankline_ = false;

  int col_of(size_t off) const;   // real column (bytes) of offset off on the current line
  void push(Tok t, size_t start, size_t end, int sline, int scol);
  bool hard_error(size_t cur, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
  bool hard_error_range(int col_offset, int end_col_offset, const char* fmt, ...)
      __attribute__((format(printf, 4, 5)));
  void soft_error(TokErr kind, Type* type, const char* msg, int lineno, int offset, int end_offset,
                  bool text_nl);
  bool lex_number(size_t start);
  bool lex_string(size_t start, size_t quote_pos);
  bool lex_name(size_t start);
  bool verify_end_of_number(size_t& cur, const char* kind);
  bool decimal_tail(size_t& cur);
  bool check_identifier(size_t start, size_t end);
  void new_line(size_t next_line_start);
};

// Source preparation shared with parse(): strips a UTF-8 BOM, checks UTF-8, turns
// "\r\n" and "\r" into "\n" and ends the text with '\n'. On invalid UTF-8 fills `err`
// (CPython's message for <string> or for files) and returns false.
bool normalize_source(std::string_view in, std::string* out, bool is_file, std::string_view filename,
                      SyntaxErr* err);

// Unicode helpers used by the tokenizer and the string decoder.
bool decode_utf8_at(std::string_view s, size_t i, uint32_t* cp, size_t* len);
void append_utf8(std::string& out, uint32_t cp);
bool unicode_is_printable(uint32_t cp);
bool unicode_is_id_start(uint32_t cp);     // approximation of XID_Start for cp >= 128
bool unicode_is_id_continue(uint32_t cp);  // approximation of XID_Continue for cp >= 128

}  // namespace gp::front
