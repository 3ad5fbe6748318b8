"""The error every reader raises for a file it refuses."""


class RawQuantFormatError(ValueError):
    """A file that is not what it claims to be: the message says what is wrong (the caller names the file)."""


def read_file(path, decode):
    """`decode(bytes)` of the file at `path`; a refusal is re-raised with the path in front of its message."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        return decode(data)
    except RawQuantFormatError as error:
        raise RawQuantFormatError(f"{path}: {error}") from None
