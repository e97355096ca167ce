// test_containers.cpp — unit tests of tuple, list, dict, set, range, slice and the
// builtin iterators, through the C++ API and the abstract protocol.
// Invariant: runs against the real runtime (init_types), one thread, no Python source;
// every expected string was produced by CPython 3.11.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "core/runtime.h"
#include "core/threadstate.h"
#include "objects/dict.h"
#include "objects/float.h"
#include "objects/iterobject.h"
#include "objects/list.h"
#include "objects/range.h"
#include "objects/set.h"
#include "objects/slice.h"
#include "objects/str.h"
#include "objects/tuple.h"

using namespace gp;

namespace {
struct ContainersRuntime : ::testing::Environment {
  void SetUp() override {
    static bool done = false;
    if (done) return;
    done = true;
    GC_INIT();
    if (!tstate()) tstate_new();
    init_types();
  }
};
const auto* env = ::testing::AddGlobalTestEnvironment(new ContainersRuntime);

Value I(int64_t v) { return Value::from_small(v); }
Value S(const char* s) { return vstr(str_from_cstr(s)); }
Value L(std::initializer_list<Value> v) { return vlist(list_from(v.begin(), int64_t(v.size()))); }
Value T(std::initializer_list<Value> v) { return vtuple(tuple_of(v)); }
std::string R(Value v) { return std::string(repr(v)->view()); }
Value M(Value self, const char* name, std::initializer_list<Value> args) {
  return call_method(self, str_intern(name), args);
}
Value C(Type* t, std::initializer_list<Value> args) { return call(Value::from_obj(t), args); }
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

TEST(Tuple, ReprHashCompare) {
  EXPECT_EQ(R(T({I(1)})), "(1,)");
  EXPECT_EQ(R(T({})), "()");
  EXPECT_EQ(hash(T({I(1), I(2), I(3)})), 529344067295497451);
  EXPECT_EQ(hash(T({})), 5740354900026072187);
  EXPECT_TRUE(compare_bool(T({I(1), I(2)}), T({I(1), I(3)}), CmpOp::Lt));
  EXPECT_EQ(R(getitem(T({I(1), I(2), I(3), I(4)}), slice_new(None(), None(), I(-1)))), "(4, 3, 2, 1)");
  EXPECT_EQ(err([] { getitem(T({I(1)}), I(5)); }), "IndexError: tuple index out of range");
  EXPECT_EQ(err([] { binary_op(T({I(1)}), L({}), BinOp::Add); }),
            "TypeError: can only concatenate tuple (not \"list\") to tuple");
  EXPECT_EQ(R(binary_op(T({I(1), I(2)}), I(2), BinOp::Mul)), "(1, 2, 1, 2)");
}

TEST(List, MethodsAndSlices) {
  Value l = L({I(1), I(2), I(3)});
  M(l, "append", {I(4)});
  M(l, "insert", {I(0), I(0)});
  EXPECT_EQ(R(l), "[0, 1, 2, 3, 4]");
  EXPECT_EQ(R(M(l, "pop", {})), "4");
  EXPECT_EQ(err([&] { M(l, "remove", {I(9)}); }), "ValueError: list.remove(x): x not in list");
  EXPECT_EQ(err([&] { M(l, "index", {I(9)}); }), "ValueError: 9 is not in list");
  EXPECT_EQ(err([] { M(L({}), "pop", {}); }), "IndexError: pop from empty list");
  setitem(l, slice_new(I(1), I(3), None()), L({S("a"), S("b"), S("c")}));
  EXPECT_EQ(R(l), "[0, 'a', 'b', 'c', 3]");
  delitem(l, slice_new(None(), None(), I(2)));
  EXPECT_EQ(R(l), "['a', 'c']");
  EXPECT_EQ(err([&] { setitem(l, slice_new(None(), None(), I(2)), L({I(1), I(2)})); }),
            "ValueError: attempt to assign sequence of size 2 to extended slice of size 1");
  Value self_ref = L({});
  M(self_ref, "append", {self_ref});
  EXPECT_EQ(R(self_ref), "[[...]]");
}

TEST(List, SortIsStableAndMatchesStdStableSort) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 40; trial++) {
    int n = int(rng() % 3000);
    List* l = list_new(0);
    std::vector<int64_t> ref;
    for (int i = 0; i < n; i++) {
      int64_t v = trial % 2 ? int64_t(rng() % 100) : i % 97;
      ref.push_back(v);
      list_append(l, I(v));
    }
    list_sort(l, Value::null(), false);
    std::stable_sort(ref.begin(), ref.end());
    for (int i = 0; i < n; i++) ASSERT_EQ(l->items[i].small(), ref[i]);
  }
  Value mixed = L({I(3), S("a"), I(1)});
  EXPECT_EQ(err([&] { list_sort(mixed.as<List>(), Value::null(), false); }),
            "TypeError: '<' not supported between instances of 'str' and 'int'");
  Value strs = L({S("b"), S("ab"), S("a")});
  list_sort(strs.as<List>(), Value::null(), true);
  EXPECT_EQ(R(strs), "['b', 'ab', 'a']");
}

TEST(Dict, Basics) {
  Dict* d = dict_new();
  dict_set(d, S("a"), I(1));
  dict_set(d, I(2), S("b"));
  EXPECT_EQ(R(vdict(d)), "{'a': 1, 2: 'b'}");
  EXPECT_EQ(err([&] { getitem(vdict(d), S("zz")); }), "KeyError: 'zz'");
  for (int i = 0; i < 1000; i++) dict_set(d, I(i * 3), I(i));
  for (int i = 0; i < 1000; i += 2) dict_del(d, I(i * 3));
  for (int i = 0; i < 1000; i++) EXPECT_EQ(bool(dict_get(d, I(i * 3))), i % 2 == 1);
  EXPECT_EQ(dict_size(d), 502);
  EXPECT_EQ(R(M(vdict(d), "popitem", {})), "(2997, 999)");
  EXPECT_EQ(R(dict_get_str(d, str_intern("a"))), "1");
  dict_clear(d);
  EXPECT_EQ(err([&] { M(vdict(d), "popitem", {}); }), "KeyError: 'popitem(): dictionary is empty'");
  EXPECT_EQ(err([] { C(&dict_type, {L({T({I(1), I(2), I(3)})})}); }),
            "ValueError: dictionary update sequence element #0 has length 3; 2 is required");
  Value dd = C(&dict_type, {L({T({I(1), I(2)}), T({S("x"), S("y")})})});
  EXPECT_EQ(R(M(dd, "keys", {})), "dict_keys([1, 'x'])");
  EXPECT_EQ(R(M(dd, "items", {})), "dict_items([(1, 2), ('x', 'y')])");
  Value it = iter(dd);
  next(it);
  dict_set(dd.as<Dict>(), I(50), I(1));
  EXPECT_EQ(err([&] { next(it); }), "RuntimeError: dictionary changed size during iteration");
}

TEST(Set, OrderOpsHash) {
  Value s = set_from_iterable(&set_type, L({I(5), I(3), I(1), I(3), I(100), I(8)}));
  EXPECT_EQ(R(s), "{1, 3, 100, 5, 8}");
  EXPECT_EQ(R(set_new(&set_type)), "set()");
  EXPECT_EQ(R(set_from_iterable(&frozenset_type, L({I(1)}))), "frozenset({1})");
  Value a = set_from_iterable(&set_type, L({I(1), I(2), I(3)}));
  Value b = set_from_iterable(&set_type, L({I(2), I(3), I(4)}));
  EXPECT_EQ(R(binary_op(a, b, BinOp::Or)), "{1, 2, 3, 4}");
  EXPECT_EQ(R(binary_op(a, b, BinOp::And)), "{2, 3}");
  EXPECT_EQ(R(binary_op(a, b, BinOp::Xor)), "{1, 4}");
  EXPECT_EQ(hash(set_from_iterable(&frozenset_type, L({I(1), I(2), I(3)}))), -272375401224217160);
  EXPECT_EQ(err([] { M(set_new(&set_type), "pop", {}); }), "KeyError: 'pop from an empty set'");
}

TEST(Range, Basics) {
  Value r = C(&range_type, {I(0), I(10), I(3)});
  EXPECT_EQ(R(r), "range(0, 10, 3)");
  EXPECT_EQ(len(r), 4);
  EXPECT_TRUE(contains(r, I(9)));
  EXPECT_FALSE(contains(r, I(8)));
  EXPECT_EQ(R(getitem(r, slice_new(None(), None(), I(-1)))), "range(9, -3, -3)");
  EXPECT_EQ(err([] { C(&range_type, {I(0), I(1), I(0)}); }), "ValueError: range() arg 3 must not be zero");
  EXPECT_EQ(R(vlist(list_from_iterable(r))), "[0, 3, 6, 9]");
}

TEST(Slice, Indices) {
  int64_t a, b, c, n;
  slice_indices(slice_new(None(), None(), I(-1)), 5, &a, &b, &c, &n);
  EXPECT_EQ(a, 4);
  EXPECT_EQ(b, -1);
  EXPECT_EQ(c, -1);
  EXPECT_EQ(n, 5);
  EXPECT_EQ(R(slice_new(I(1), I(2), None())), "slice(1, 2, None)");
}

TEST(Iterators, Builtins) {
  EXPECT_EQ(R(vlist(list_from_iterable(C(&enumerate_type, {L({S("a"), S("b")}), I(5)})))),
            "[(5, 'a'), (6, 'b')]");
  EXPECT_EQ(R(vlist(list_from_iterable(C(&zip_type, {L({I(1), I(2), I(3)}), T({S("a"), S("b")})})))),
            "[(1, 'a'), (2, 'b')]");
  EXPECT_EQ(R(vlist(list_from_iterable(C(&reversed_type, {T({I(1), I(2), I(3)})})))), "[3, 2, 1]");
  EXPECT_EQ(err([] { C(&reversed_type, {I(1)}); }), "TypeError: 'int' object is not reversible");
  EXPECT_EQ(R(vlist(list_from_iterable(C(&filter_type, {None(), L({I(0), I(1), S(""), S("x")})})))),
            "[1, 'x']");
}
