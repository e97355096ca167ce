s = "\U0011ffff"
