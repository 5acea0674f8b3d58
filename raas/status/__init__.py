"""`raas status`: one view of the running system, read from the broker (issue 14).

`report` holds what a status is and the rules on it (pure, unit-tested); `probe` asks the broker.
"""
