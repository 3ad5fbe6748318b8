import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes output files so that a failure never leaves a partial file behind: everything is written
/// to a temporary name in the destination directory and renamed into place only when complete.
public enum AtomicOutput {
    /// Runs `body` with a temporary path beside `path`; renames it to `path` if `body` returns,
    /// removes it if `body` throws (a one-file ``OutputStaging``).
    public static func write<T>(to path: String, _ body: (String) throws -> T) throws -> T {
        let staging = OutputStaging()
        var result: T?
        try staging.stage(path) { result = try body($0) }
        try staging.commit()
        return result!
    }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try write(to: path) { temporary in
            let file = try BufferedFile(path: temporary)
            try bytes.withUnsafeBytes { try file.write($0) }
            try file.close()
        }
    }

    /// Creates `directory` (and parents) if missing; fails clearly if it is a file or not writable.
    public static func prepareDirectory(_ directory: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { throw FileError(path: directory, "output directory is a file") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw FileError(path: directory, "cannot create output directory")
        }
    }
}

/// A file opened for writing with a large buffer; every failure is a ``FileError`` naming `reportedPath`.
public final class BufferedFile {
    private var handle: UnsafeMutablePointer<FILE>?
    private let reportedPath: String

    /// Opens (creating or truncating) `path`; errors name `reportedPath` (the final name the user sees).
    public init(path: String, reportedPath: String? = nil) throws {
        self.reportedPath = reportedPath ?? path
        guard let handle = fopen(path, "wb") else {
            throw FileError(path: self.reportedPath, "cannot create file: \(String(cString: strerror(errno)))")
        }
        setvbuf(handle, nil, _IOFBF, 1 << 20)
        self.handle = handle
    }

    /// Appends raw bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let handle, bytes.count > 0 else { return }
        if fwrite(bytes.baseAddress, 1, bytes.count, handle) != bytes.count {
            throw FileError(path: reportedPath, "write failed: \(String(cString: strerror(errno)))")
        }
    }

    /// Appends the bytes of an array.
    public func write<T>(_ values: [T]) throws { try values.withUnsafeBytes { try write($0) } }

    /// Flushes and closes; the file is complete only if this returns.
    public func close() throws {
        guard let handle else { return }
        self.handle = nil
        let flushed = fflush(handle) == 0
        let closed = fclose(handle) == 0
        if !flushed || !closed {
            throw FileError(path: reportedPath, "write failed: \(String(cString: strerror(errno)))")
        }
    }

    deinit { if let handle { fclose(handle) } }
}

/// Several output files that appear together or not at all: each is written to a temporary path
/// beside its final name, and ``commit()`` renames them all; anything not committed is removed.
public final class OutputStaging {
    private var staged: [(temporary: String, final: String)] = []
    private var committed = false

    public init() {}

    /// A fresh temporary path in the directory of `finalPath` (the directory must exist).
    public func temporaryPath(for finalPath: String) throws -> String {
        let url = URL(fileURLWithPath: finalPath)
        var isDirectory: ObjCBool = false
        let directory = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FileError(path: finalPath, "output directory \(directory) does not exist")
        }
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).staged").path
        staged.append((temporary, finalPath))
        return temporary
    }

    /// Runs `body` with a temporary path for `finalPath`; errors naming the temporary name the final path.
    public func stage(_ finalPath: String, _ body: (String) throws -> Void) throws {
        let temporary = try temporaryPath(for: finalPath)
        do {
            try body(temporary)
        } catch let error as any FilePathError where error.path == temporary {
            throw error.naming(finalPath)
        }
    }

    /// Moves every staged file to its final name.
    public func commit() throws {
        for (temporary, final) in staged where rename(temporary, final) != 0 {
            throw FileError(path: final, "cannot rename into place: \(String(cString: strerror(errno)))")
        }
        committed = true
    }

    /// Removes staged files that were not committed.
    public func discard() {
        guard !committed else { return }
        for (temporary, _) in staged { unlink(temporary) }
        staged.removeAll()
    }

    deinit { discard() }
}
