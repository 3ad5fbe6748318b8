import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes output files so that a failure never leaves a partial file behind: everything is written to a
/// staged temporary name in the destination directory, synced and renamed into place only when complete.
///
/// The one mechanism every writer uses (``OutputStaging`` for several files that belong together):
/// - a staged file is `.NAME.XXXXXXXX.staged` beside `NAME`, created exclusively and held under an
///   advisory lock (`flock`) for as long as its writer lives;
/// - staged files of this tool that no live writer holds (a killed run's) are removed the next time the
///   tool stages into that directory — only those: the name pattern and a free lock both have to match;
/// - a commit syncs each file, renames all of them while holding a lock on the directory (so two runs
///   writing the same outputs cannot leave a mixed set), then syncs the directory;
/// - an output path that exists and is not a regular file (a directory, device node, FIFO or symbolic
///   link) is refused, never replaced.
public enum AtomicOutput {
    /// Runs `body` with a temporary path beside `path`; renames it to `path` if `body` returns,
    /// removes it if `body` throws (a one-file ``OutputStaging``). Inside another staging's `body`, for
    /// that staging's own temporary path, `body` writes the path directly (no second staging).
    public static func write<T>(to path: String, _ body: (String) throws -> T) throws -> T {
        if OutputStaging.isActiveTemporary(path) { return try body(path) }
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

    /// Writes `bytes` to `path` atomically, or to standard output when `path` is `-`.
    public static func writeOrStream(_ bytes: [UInt8], to path: String) throws {
        guard path == "-" else { return try write(bytes, to: path) }
        do {
            try FileHandle.standardOutput.write(contentsOf: Data(bytes))
        } catch {
            throw FileError(path: "-", "cannot write to standard output: \(error.localizedDescription)")
        }
    }

    /// Creates `directory` (and parents) if missing; fails clearly if it is a file or not writable.
    public static func prepareDirectory(_ directory: String) throws {
        guard directory != "-" else { throw FileError(path: "-", "an output directory is needed here, not standard output") }
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

    /// Refuses to write any of `outputs` when it is one of `inputs` (the same file, by device and inode,
    /// whatever the spelling of the path): writing would destroy the data it is made from.
    public static func refuseOverwriting(inputs: [String], outputs: [String]) throws {
        func identity(_ path: String) -> (dev_t, ino_t)? {
            var status = stat()
            return stat(path, &status) == 0 ? (status.st_dev, status.st_ino) : nil
        }
        let sources = inputs.compactMap(identity)
        for output in outputs {
            guard let id = identity(output) else { continue }
            if sources.contains(where: { $0 == id }) {
                throw FileError(path: output, "is also an input; refusing to overwrite it (choose another output path)")
            }
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

/// Several output files that appear together or not at all: each is written to a staged temporary path
/// beside its final name, and ``commit()`` renames them all; anything not committed is removed.
public final class OutputStaging {
    private var staged: [(temporary: String, final: String, descriptor: Int32)] = []
    private var committed = false

    /// Staged paths of this process that are being written, so a nested atomic write writes them directly.
    private static let active = LockedSet()
    /// Directories whose stale staged files this process has already removed.
    private static let cleaned = LockedSet()

    public init() {}

    /// Whether `path` is a staged temporary of a live staging in this process.
    static func isActiveTemporary(_ path: String) -> Bool { active.contains(path) }

    /// A fresh staged path in the directory of `finalPath` (the directory must exist), created and locked.
    public func temporaryPath(for finalPath: String) throws -> String {
        guard finalPath != "-" else { throw FileError(path: "-", "this output cannot go to standard output; give a file path") }
        let url = URL(fileURLWithPath: finalPath)
        var isDirectory: ObjCBool = false
        let directory = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FileError(path: finalPath, "output directory \(directory) does not exist")
        }
        var status = stat()
        if lstat(finalPath, &status) == 0, (status.st_mode & S_IFMT) != S_IFREG {
            throw FileError(path: finalPath, "exists and is not a regular file (a directory, device, FIFO or link); refusing to replace it")
        }
        OutputStaging.removeStaleTemporaries(in: directory)
        for _ in 0..<8 {
            let temporary = url.deletingLastPathComponent()
                .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString.prefix(8)).staged").path
            let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor < 0 {
                if errno == EEXIST { continue }
                throw FileError(path: finalPath, "cannot create file: \(String(cString: strerror(errno)))")
            }
            _ = flock(descriptor, LOCK_EX)
            // A cleaner may have taken the file between open and flock: keep it only if it is still ours.
            var opened = stat(), named = stat()
            guard fstat(descriptor, &opened) == 0, lstat(temporary, &named) == 0, opened.st_ino == named.st_ino, opened.st_dev == named.st_dev else {
                close(descriptor)
                continue
            }
            staged.append((temporary, finalPath, descriptor))
            OutputStaging.active.insert(temporary)
            return temporary
        }
        throw FileError(path: finalPath, "cannot create a staged file beside it")
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

    /// Commits the staged files as a set with a manifest: `manifest` (a JSON file listing each output's name
    /// and size) is removed first, the outputs are renamed, and the new manifest is renamed last — so a set
    /// whose manifest exists and matches is complete, whatever moment a run was killed at.
    public func commit(manifest: String) throws {
        struct Manifest: Encodable {
            struct File: Encodable { var name: String; var bytes: Int }
            var files: [File]
        }
        var files: [Manifest.File] = []
        for file in staged {
            var status = stat()
            guard fstat(file.descriptor, &status) == 0 else { throw FileError(path: file.final, "cannot read the staged file's size") }
            files.append(.init(name: URL(fileURLWithPath: file.final).lastPathComponent, bytes: Int(status.st_size)))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let bytes = Array(try encoder.encode(Manifest(files: files))) + [10]
        try stage(manifest) { temporary in
            let file = try BufferedFile(path: temporary, reportedPath: manifest)
            try file.write(bytes)
            try file.close()
        }
        var status = stat()
        if lstat(manifest, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFREG else {
                throw FileError(path: manifest, "exists and is not a regular file (a directory, device, FIFO or link); refusing to replace it")
            }
            unlink(manifest)
        }
        try commit()
    }

    /// Syncs every staged file, moves them all to their final names under the directory's lock, and syncs
    /// the directories.
    public func commit() throws {
        for file in staged where fsync(file.descriptor) != 0 {
            throw FileError(path: file.final, "cannot sync to disk: \(String(cString: strerror(errno)))")
        }
        let directories = Array(Set(staged.map { URL(fileURLWithPath: $0.final).deletingLastPathComponent().path })).sorted()
        let locks = directories.map { open($0, O_RDONLY | O_CLOEXEC) }
        defer { for fd in locks where fd >= 0 { close(fd) } }
        for fd in locks where fd >= 0 { _ = flock(fd, LOCK_EX) }
        // Every target is checked before the first rename, so a refusal leaves the old set whole.
        for file in staged {
            var status = stat()
            if lstat(file.final, &status) == 0, (status.st_mode & S_IFMT) != S_IFREG {
                throw FileError(path: file.final, "exists and is not a regular file (a directory, device, FIFO or link); refusing to replace it")
            }
        }
        for file in staged {
            guard rename(file.temporary, file.final) == 0 else {
                throw FileError(path: file.final, "cannot rename into place: \(String(cString: strerror(errno)))")
            }
            OutputStaging.active.remove(file.temporary)
        }
        for fd in locks where fd >= 0 { _ = fsync(fd) }
        committed = true
        for file in staged { close(file.descriptor) }
        staged.removeAll()
    }

    /// Removes staged files that were not committed.
    public func discard() {
        guard !committed else { return }
        for file in staged {
            unlink(file.temporary)
            close(file.descriptor)
            OutputStaging.active.remove(file.temporary)
        }
        staged.removeAll()
    }

    deinit { discard() }

    /// Whether `name` is a staged file of this tool: `.NAME.XXXXXXXX.staged` with 8 hexadecimal digits.
    static func isStagedName(_ name: String) -> Bool {
        guard name.hasPrefix("."), name.hasSuffix(".staged") else { return false }
        let parts = name.dropLast(".staged".count).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 3, let tag = parts.last, tag.count == 8 else { return false }
        return tag.allSatisfy { $0.isHexDigit }
    }

    /// Removes this tool's staged files in `directory` that no live writer holds (once per directory and process).
    static func removeStaleTemporaries(in directory: String) {
        guard cleaned.insertIfAbsent(directory) else { return }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where isStagedName(name) {
            let path = (directory as NSString).appendingPathComponent(name)
            var status = stat()
            guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
            let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else { continue }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { unlink(path) }
            close(fd)
        }
    }
}

/// A set of strings shared by threads.
final class LockedSet: @unchecked Sendable {
    private var values: Set<String> = []
    private let lock = NSLock()

    func contains(_ value: String) -> Bool { lock.lock(); defer { lock.unlock() }; return values.contains(value) }
    func insert(_ value: String) { lock.lock(); values.insert(value); lock.unlock() }
    func remove(_ value: String) { lock.lock(); values.remove(value); lock.unlock() }
    /// Inserts `value`; false when it was there already.
    func insertIfAbsent(_ value: String) -> Bool { lock.lock(); defer { lock.unlock() }; return values.insert(value).inserted }
}
