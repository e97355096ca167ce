class C:
    pass
C().nothing
