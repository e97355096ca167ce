// test_strings.cpp — unit tests of the text layer (str, bytes, formatting, unicode).
// Invariant: runs against the real runtime (init_types), one thread, no Python source.
#include <gtest/gtest.h>

#include "core/runtime.h"
#include "core/threadstate.h"
#include "objects/bytes.h"
#include "objects/formatspec.h"
#include "objects/list.h"
#include "objects/str.h"
#include "objects/tuple.h"
#include "objects/unicode.h"

using namespace gp;

namespace {
struct Runtime : ::testing::Environment {
  void SetUp() override {
    GC_INIT();
    if (!tstate()) tstate_new();
    init_types();
  }
};
const auto* env = ::testing::AddGlobalTestEnvironment(new Runtime);

Str* S(const char* s) { return str_from_cstr(s); }
std::string V(Value v) { return std::string(v.as<Str>()->view()); }
std::string V(Str* s) { return std::string(s->view()); }
Value M(const char* self, const char* name, std::initializer_list<Value> args) {
  return call_method(vstr(S(self)), str_intern(name), args);
}
// Runs f, returns "Type: message" of the exception it raises ("" if none).
template <class F>
std::string err(F f) {
  try {
    f();
  } catch (PyThrow&) {
    Value e = take_exception();
    return type_name(e) + ": " + std::string(str(e)->view());
  }
  return "";
}
}  // namespace

TEST(Unicode, Utf8Validate) {
  Utf8Error e;
  int64_t n;
  EXPECT_TRUE(utf8_validate("a\xc3\xa9\xe2\x82\xac", 6, &e, &n));
  EXPECT_EQ(n, 3);
  EXPECT_FALSE(utf8_validate("\xff", 1, &e, &n));
  EXPECT_STREQ(e.reason, "invalid start byte");
  EXPECT_FALSE(utf8_validate("\xe9\x80", 2, &e, &n));
  EXPECT_STREQ(e.reason, "unexpected end of data");
  EXPECT_EQ(e.end, 2u);
  EXPECT_FALSE(utf8_validate("\xed\xa0\x80", 3, &e, &n));  // surrogate
  EXPECT_STREQ(e.reason, "invalid continuation byte");
}

TEST(Unicode, Properties) {
  EXPECT_TRUE(uni_isalpha(0xE9));
  EXPECT_TRUE(uni_isupper(0x391));
  EXPECT_TRUE(uni_isspace(0x3000));
  EXPECT_FALSE(uni_isprintable(0xA0));
  EXPECT_EQ(uni_decimal_value(0x663), 3);
  uint32_t o[3];
  EXPECT_EQ(uni_to_upper_full(0xDF, o), 2);  // ß -> SS
  EXPECT_EQ(o[0], uint32_t('S'));
  EXPECT_EQ(uni_to_lower(0x416), 0x436u);  // Ж -> ж
}

TEST(Str, Basics) {
  Str* s = S("h\xc3\xa9llo");
  EXPECT_EQ(s->length, 5);
  EXPECT_FALSE(s->ascii);
  EXPECT_EQ(str_cp_offset(s, 2), 3);
  EXPECT_EQ(str_hash(s), str_hash(S("h\xc3\xa9llo")));
  EXPECT_NE(str_hash(s), -1);
  EXPECT_EQ(str_intern("abc"), str_intern(S("abc")));
  EXPECT_EQ(V(str_concat(S("ab"), S("cd"))), "abcd");
  EXPECT_EQ(V(getitem(vstr(s), Value::from_small(-1))), "o");
  EXPECT_EQ(V(getitem(vstr(s), Value::from_small(1))), "\xc3\xa9");
  EXPECT_EQ(err([&] { getitem(vstr(s), Value::from_small(5)); }),
            "IndexError: string index out of range");
}

TEST(Str, Repr) {
  EXPECT_EQ(V(str_repr(S("it's"))), "\"it's\"");
  EXPECT_EQ(V(str_repr(S("a'\""))), "'a\\'\"'");
  EXPECT_EQ(V(str_repr(S("\n\x01\xc3\xa9"))), "'\\n\\x01\xc3\xa9'");
  EXPECT_EQ(V(str_ascii_of(S("\xc3\xa9\xe2\x82\xac"))), "'\\xe9\\u20ac'");
}

TEST(Str, Methods) {
  EXPECT_EQ(V(M("  a b  ", "strip", {})), "a b");
  EXPECT_EQ(V(M("Hello", "lower", {})), "hello");
  EXPECT_EQ(V(M("stra\xc3\x9f" "e", "upper", {})), "STRASSE");
  EXPECT_EQ(V(M("\xce\x9f\xce\x94\xce\x9f\xce\xa3", "lower", {})), "\xce\xbf\xce\xb4\xce\xbf\xcf\x82");
  EXPECT_EQ(V(M("a,b,,c", "replace", {vstr(S(",")), vstr(S("--"))})), "a--b----c");
  List* l = M(" a  b c ", "split", {}).as<List>();
  ASSERT_EQ(l->size, 3);
  EXPECT_EQ(V(l->items[2]), "c");
  l = M("a,b,c", "rsplit", {vstr(S(",")), Value::from_small(1)}).as<List>();
  ASSERT_EQ(l->size, 2);
  EXPECT_EQ(V(l->items[0]), "a,b");
  EXPECT_EQ(M("hello", "find", {vstr(S("l"))}).small(), 2);
  EXPECT_EQ(M("hello", "rfind", {vstr(S("l"))}).small(), 3);
  EXPECT_EQ(M("h\xc3\xa9llo", "find", {vstr(S("o"))}).small(), 4);
  EXPECT_EQ(M("aaaa", "count", {vstr(S("aa"))}).small(), 2);
  EXPECT_EQ(V(M("ab", "center", {Value::from_small(5), vstr(S("*"))})), "**ab*");
  EXPECT_EQ(V(M("-42", "zfill", {Value::from_small(6)})), "-00042");
  EXPECT_EQ(V(M("hello world", "title", {})), "Hello World");
  EXPECT_EQ(V(str_join(S(", "), vtuple(tuple_of({vstr(S("a")), vstr(S("b"))})))), "a, b");
  EXPECT_EQ(err([] { M("a", "split", {vstr(S(""))}); }), "ValueError: empty separator");
}

TEST(Format, Spec) {
  FormatSpec f = parse_format_spec("*^10.3", "str");
  EXPECT_EQ(f.fill, uint32_t('*'));
  EXPECT_EQ(f.align, '^');
  EXPECT_EQ(f.width, 10);
  EXPECT_EQ(f.precision, 3);
  EXPECT_EQ(apply_padding(f, "abc", 3, '<'), "***abc****");
  EXPECT_EQ(V(str_format_spec(S("abc"), S(">5"))), "  abc");
  EXPECT_EQ(err([] { str_format_spec(S("a"), S("d")); }),
            "ValueError: Unknown format code 'd' for object of type 'str'");
  EXPECT_EQ(err([] { str_format_spec(S("a"), S("+")); }),
            "ValueError: Sign not allowed in string format specifier");
}

TEST(Format, Method) {
  Value args[] = {vstr(S("x")), Value::from_small(42)};
  EXPECT_EQ(V(str_format_method(S("{}-{}"), args, 2, nullptr)), "x-42");
  EXPECT_EQ(V(str_format_method(S("{1}{0!r:>5}{{}}"), args, 2, nullptr)), "42  'x'{}");
  EXPECT_EQ(err([&] { str_format_method(S("{}{1}"), args, 2, nullptr); }),
            "ValueError: cannot switch from automatic field numbering to manual field specification");
  EXPECT_EQ(err([&] { str_format_method(S("{5}"), args, 2, nullptr); }),
            "IndexError: Replacement index 5 out of range for positional args tuple");
  EXPECT_EQ(err([&] { str_format_method(S("a}"), args, 2, nullptr); }),
            "ValueError: Single '}' encountered in format string");
}

TEST(Format, Percent) {
  Value t = vtuple(tuple_of({vstr(S("k")), Value::from_small(7)}));
  EXPECT_EQ(V(str_format_percent(S("%s=%d"), t)), "k=7");
  EXPECT_EQ(V(str_format_percent(S("%05d|%-4x|%#o"), vtuple(tuple_of({Value::from_small(-3), Value::from_small(255), Value::from_small(8)})))),
            "-0003|ff  |0o10");
  EXPECT_EQ(err([] { str_format_percent(S("%s"), vtuple(tuple_of({Value::from_small(1), Value::from_small(2)}))); }),
            "TypeError: not all arguments converted during string formatting");
  EXPECT_EQ(err([] { str_format_percent(S("%s %s"), Value::from_small(1)); }),
            "TypeError: not enough arguments for format string");
  EXPECT_EQ(err([] { str_format_percent(S("%d"), vstr(S("x"))); }),
            "TypeError: %d format: a real number is required, not str");
  EXPECT_EQ(err([] { str_format_percent(S("%y"), Value::from_small(1)); }),
            "ValueError: unsupported format character 'y' (0x79) at index 1");
}

TEST(Codecs, EncodeDecode) {
  EXPECT_EQ(V(str_decode("caf\xc3\xa9", "utf-8", "strict")), "caf\xc3\xa9");
  EXPECT_EQ(V(str_decode("\xe9", "latin-1", "strict")), "\xc3\xa9");
  EXPECT_EQ(V(str_decode("a\xff", "utf-8", "replace")), "a\xef\xbf\xbd");
  EXPECT_EQ(err([] { str_decode("\xff", "utf-8", "strict"); }),
            "UnicodeDecodeError: 'utf-8' codec can't decode byte 0xff in position 0: invalid start byte");
  EXPECT_EQ(err([] { str_encode(S("\xc3\xa9"), "ascii", "strict"); }),
            "UnicodeEncodeError: 'ascii' codec can't encode character '\\xe9' in position 0: ordinal not in range(128)");
  EXPECT_EQ(str_encode(S("\xc3\xa9"), "latin-1", "strict").as<Bytes>()->view(), "\xe9");
}

TEST(Bytes, Basics) {
  EXPECT_EQ(V(bytes_repr(std::string_view("a'\x00\xff", 4))), "b\"a'\\x00\\xff\"");
  Value b = Value::from_obj(bytes_new("abc"));
  EXPECT_EQ(getitem(b, Value::from_small(1)).small(), 'b');
  Value ba = bytearray_new("xy");
  call_method(ba, str_intern("append"), {Value::from_small('z')});
  std::string_view v;
  ASSERT_TRUE(bytes_like_view(ba, &v));
  EXPECT_EQ(v, "xyz");
  EXPECT_EQ(V(repr(ba)), "bytearray(b'xyz')");
}
