import Foundation

/// Reads a whole file that must not exceed a size limit: the size is checked before anything is read, so
/// a huge (or endless) file is a clear error instead of unbounded memory.
public enum BoundedFile {
    /// The file's bytes; a `FileError` naming `path` when it is missing, not a regular file, unreadable or
    /// larger than `limit` bytes. `what` names the kind of file in messages ("annotation file").
    public static func read(_ path: String, limit: Int, what: String = "file") throws -> Data {
        var status = stat()
        guard stat(path, &status) == 0 else { throw FileError(path: Untrusted.path(path), "\(what) missing or unreadable") }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw FileError(path: Untrusted.path(path), "\(what) is not a regular file") }
        guard Int(status.st_size) <= limit else {
            throw FileError(path: Untrusted.path(path), "\(what) of \(status.st_size) bytes is larger than the limit of \(limit)")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw FileError(path: Untrusted.path(path), "\(what) missing or unreadable") }
        defer { try? handle.close() }
        // Read at most limit + 1 bytes: a file that grew past the limit since stat is refused too.
        let data = (try? handle.read(upToCount: limit + 1)) ?? Data()
        guard data.count <= limit else { throw FileError(path: Untrusted.path(path), "\(what) is larger than the limit of \(limit) bytes") }
        return data
    }

    /// Standard input, read to its end; an error when it is longer than `limit` bytes.
    public static func readStandardInput(limit: Int) throws -> Data {
        let data = (try? FileHandle.standardInput.read(upToCount: limit + 1)) ?? Data()
        guard data.count <= limit else { throw FileError(path: "-", "standard input is larger than the limit of \(limit) bytes") }
        return data
    }
}
