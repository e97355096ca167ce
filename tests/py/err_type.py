x = [1, 2, 3]
x.append(1, 2)
