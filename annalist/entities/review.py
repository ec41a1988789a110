def review_report(c):
    raise NotImplementedError
def review_yaml(c):
    raise NotImplementedError
