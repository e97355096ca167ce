# chained exceptions: the last line of stderr is the final exception
try:
    1 / 0
except ZeroDivisionError as e:
    raise ValueError("bad value") from e
