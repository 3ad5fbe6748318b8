import Support

/// An error reading or writing a raw, DNG or JPEG file; its description names the file and the problem.
public struct RawIOError: FilePathError, CustomStringConvertible, Equatable, Sendable {
    /// What went wrong, as a category tests and callers can match on.
    public enum Kind: String, Sendable {
        case fileNotFound, isDirectory, emptyFile, unreadable
        case unsupportedFormat, notBayer, tooLarge, corruptData
        case invalidArgument, writeFailed
    }

    public let kind: Kind
    /// The path of the file concerned.
    public let path: String
    /// A one-line, human-readable explanation.
    public let message: String

    public init(_ kind: Kind, path: String, _ message: String) {
        self.kind = kind
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

extension RawIOError {
    public func naming(_ path: String) -> any Error { RawIOError(kind, path: path, message) }
}
