exec!x)
print
