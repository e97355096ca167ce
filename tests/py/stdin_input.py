# input() and sys.stdin
import sys
name = input("name? ")
print("hello", name)
rest = sys.stdin.readline()
print("next line:", rest.strip())
print("remaining:", [l.strip() for l in sys.stdin])
try:
    input()
except EOFError as e:
    print("EOFError:", e)
