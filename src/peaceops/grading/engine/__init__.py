"""Our grading engine: run each submission in a sandbox, judge its answers outside.

``execute.SandboxExecute`` takes the place of nbgrader's ``Execute`` in nbgrader's own
autograde, so the gradebook, the autograded notebooks, formgrader and feedback are
nbgrader's; ``judge`` decides a test cell on plain data.
"""
