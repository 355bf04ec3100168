"""Errors that stop one file from being audited; messages are shown to users as they are."""


class InputError(Exception):
    """The file cannot be read as a report. The message is Simplified Chinese and names the file."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}：{problem}")
