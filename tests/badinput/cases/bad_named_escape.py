s = "abc\N{NO SUCH NAME}"
