b = b"\u1234 \xZZ"
