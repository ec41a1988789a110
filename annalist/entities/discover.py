def discover(*a):
    raise NotImplementedError
