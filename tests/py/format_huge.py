# Widths and precisions far past any machine's memory: MemoryError or ValueError as
# CPython raises them, never an abort (a 4-byte fill once made std::string throw
# length_error, uncaught), never a silently clamped result. Found by fuzz_run.
def attempt(label, f):
    try:
        r = f()
        print(label, "ok", len(r), r[:12], r[-12:])
    except (MemoryError, ValueError, OverflowError) as e:
        print(label, type(e).__name__, e)

big = 2**62
attempt("str fill 4 bytes", lambda: format("\u20ac", "\u20ac<%d" % big))
attempt("int fill 4 bytes", lambda: format(1, "\u20ac<%d" % big))
attempt("float fill", lambda: format(1.5, "\u20ac^%d" % big))
attempt("int width", lambda: format(1, "%d" % big))
attempt("fstring width", lambda: f"{1:{big}}")
attempt("width sys.maxsize", lambda: format("a", "9223372036854775807"))
attempt("width past sys.maxsize", lambda: format("a", "9223372036854775808"))
attempt("precision past INT_MAX f", lambda: format(1.5, ".2147483648f"))
attempt("precision past INT_MAX e", lambda: format(1.5, ".2147483648e"))
attempt("precision past INT_MAX g", lambda: format(1.5, ".2147483648"))
attempt("precision 200000", lambda: format(1.5, ".200000f"))
attempt("alt g keeps 1000 digits", lambda: format(1.5, "#.1000g"))
attempt("alt g exp", lambda: format(1.5e300, "#.900g"))
attempt("alt g tiny", lambda: format(1.5e-300, "#.800g"))
attempt("bytes center", lambda: b"a".center(big))
attempt("bytearray ljust", lambda: bytearray(b"a").ljust(big))
attempt("str ljust", lambda: "a".ljust(big))
attempt("percent width", lambda: "%*d" % (big, 1))
attempt("percent width digits", lambda: ("%" + str(big) + "d") % 1)
attempt("percent width past maxsize", lambda: "%9223372036854775808d" % 1)
attempt("percent precision past INT_MAX", lambda: "%.2147483648f" % 1.5)
attempt("percent precision 100000", lambda: "%.100000f" % 1.5)
attempt("bytes(n)", lambda: bytes(big))
