# Comprehensions and builtins over them: list/dict/set comprehensions, nested loops,
# conditionals, zip/enumerate/map/filter, any/all, sum over generator expressions.
total = 0
for rep in range(250):
    n = 3000 + rep
    squares = [i * i for i in range(n)]
    evens = {i: s for i, s in enumerate(squares) if s % 2 == 0}
    mods = {s % 1013 for s in squares}
    pairs = [(a, b) for a in range(60) for b in range(a, 60) if (a + b) % 7 == 0]
    mapped = list(map(lambda x: x + 1, filter(lambda x: x % 3, squares)))
    zipped = [a * b for a, b in zip(squares, reversed(squares))]
    total += len(evens) + len(mods) + len(pairs) + sum(mapped) % 100003
    total += sum(x for x in zipped if x > 1000) % 99991
    total += any(x == 4 for x in squares) + all(x >= 0 for x in squares)
    matrix = [[(i * j) % 10 for j in range(50)] for i in range(50)]
    total += sum(sum(row) for row in matrix)
    transposed = [list(col) for col in zip(*matrix)]
    total += transposed[3][4]
print(total)
