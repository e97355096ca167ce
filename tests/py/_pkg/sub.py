def subfunc():
    return "subfunc from " + __name__
