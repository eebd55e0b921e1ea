print("stag: not yet")
