# -*- coding: latin-1 -*-
s = "é"
print(len(s))
