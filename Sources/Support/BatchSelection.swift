import Foundation

/// Which inputs one process of a batch run takes: a file list (`--files-from`) and a stable shard of it
/// (`--shard K/N`), so a scheduler's N workers (a Slurm job array, a Kubernetes Indexed Job, Dask tasks) split
/// one list without talking to each other.
public enum BatchSelection {
    /// The most bytes a file list may hold (64 MiB: about a million paths).
    public static let listLimit = 64 << 20

    /// The paths of a file list, one per line (`-` = standard input); blank lines are skipped and a trailing
    /// carriage return is dropped, nothing else is interpreted. Errors name the list and the line.
    public static func readList(_ path: String) throws -> [String] {
        let data = path == "-" ? try BoundedFile.readStandardInput(limit: listLimit) : try BoundedFile.read(path, limit: listLimit, what: "file list")
        return try parseList(Array(data), path: path)
    }

    /// The paths of a file list's bytes (`path` names it in errors).
    public static func parseList(_ bytes: [UInt8], path: String) throws -> [String] {
        guard bytes.count <= listLimit else { throw FileError(path: path, "the file list is over \(listLimit >> 20) MiB") }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw FileError(path: path, "the file list is not UTF-8 text") }
        var paths: [String] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            guard !line.contains("\0") else { throw FileError(path: path, line: index + 1, "a path holds a NUL byte") }
            paths.append(String(line))
        }
        return paths
    }

    /// Shard K of N (1 ≤ K ≤ N): the inputs whose path hashes to K − 1 modulo N (64-bit FNV-1a of the path's
    /// UTF-8 bytes) — the same partition on every machine and run, whatever the list's order.
    public struct Shard: Sendable, Equatable, CustomStringConvertible {
        public let index: Int
        public let count: Int

        public init(index: Int, count: Int) throws {
            guard count >= 1, count <= 1_000_000, (1...count).contains(index) else {
                throw FileError(path: "--shard", "a shard is K/N with 1 ≤ K ≤ N ≤ 1000000, got \(index)/\(count)")
            }
            self.index = index
            self.count = count
        }

        /// Parses "K/N".
        public init(parsing text: String) throws {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]) else {
                throw FileError(path: "--shard", "a shard is K/N (e.g. 3/8), got \(Untrusted.quote(text))")
            }
            try self.init(index: k, count: n)
        }

        public var description: String { "\(index)/\(count)" }

        /// Whether `path` belongs to this shard.
        public func contains(_ path: String) -> Bool {
            Int(BatchSelection.fnv1a(path) % UInt64(count)) == index - 1
        }
    }

    /// 64-bit FNV-1a of the UTF-8 bytes.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    /// The size of the regular file at `path` (not following a symbolic link), nil when there is none: what decides
    /// whether an output a batch run wrote is there.
    public static func regularFileSize(_ path: String) -> Int? {
        var status = stat()
        guard lstat(path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    /// The names of the files a manifest (``OutputStaging/commit(manifest:)``) lists when its output set is
    /// complete — the manifest parses, and every file it lists exists beside it as a regular file of the listed
    /// size — else nil (missing, partial or foreign).
    public static func completeOutputs(manifest path: String) -> Set<String>? {
        struct Manifest: Decodable {
            struct File: Decodable { var name: String; var bytes: Int }
            var files: [File]
        }
        guard let data = try? BoundedFile.read(path, limit: 1 << 20, what: "manifest"),
              let manifest = try? JSONDecoder().decode(Manifest.self, from: data), !manifest.files.isEmpty else { return nil }
        let directory = (path as NSString).deletingLastPathComponent
        let complete = manifest.files.allSatisfy { file in
            guard !file.name.contains("/"), file.name != "..", file.name != "." else { return false }
            return regularFileSize((directory as NSString).appendingPathComponent(file.name)) == file.bytes
        }
        return complete ? Set(manifest.files.map(\.name)) : nil
    }
}
