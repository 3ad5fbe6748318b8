/// An error about one file: names the file and, where it applies, the line (1-based) and the column.
///
/// The description is `path: message`, or `path:line column "name": message` when those are known. The
/// one error type of every reader and job that is not about raw decoding (``RawIOError`` keeps a kind
/// for LibRaw's failures): datasets, tables, checkpoints, simulate's per-file failures.
public struct FileError: FilePathError, CustomStringConvertible, Sendable, Equatable {
    public let path: String
    public let line: Int?
    public let column: String?
    public let message: String

    public init(path: String, line: Int? = nil, column: String? = nil, _ message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    public init(path: String, message: String) { self.init(path: path, message) }

    public var description: String {
        var place = path
        if let line { place += ":\(line)" }
        if let column { place += " column \"\(column)\"" }
        return "\(place): \(message)"
    }
}

/// An error that names a file, and can name another: how a failure while writing a staged temporary
/// is reported under the final name the user asked for (``OutputStaging/stage(_:_:)``).
public protocol FilePathError: Error {
    var path: String { get }
    /// The same error about `path`.
    func naming(_ path: String) -> any Error
}

extension FileError {
    public func naming(_ path: String) -> any Error { FileError(path: path, line: line, column: column, message) }
}
