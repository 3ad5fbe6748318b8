"""The error every reader raises for a file it refuses."""


class RawQuantFormatError(ValueError):
    """A file that is not what it claims to be: the message says what is wrong (the caller names the file)."""
