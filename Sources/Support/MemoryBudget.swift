import Foundation

/// Refuses work whose estimated memory exceeds a limit, with a message that says what and how to shrink it,
/// instead of an allocation abort or the kernel's OOM killer midway.
public enum MemoryBudget {
    /// Three quarters of the machine's physical memory.
    public static var defaultLimit: Int { Int(ProcessInfo.processInfo.physicalMemory / 4 * 3) }

    /// Throws a ``FileError`` naming `path` when `bytes` (nil: beyond any count) exceeds `limit`.
    public static func check(_ bytes: Int?, limit: Int, path: String, what: String, advice: String) throws {
        guard let bytes, bytes <= limit else {
            let needed = bytes.map { String(format: "%.1f GiB", Double($0) / 1_073_741_824) } ?? "more memory than can be counted"
            throw FileError(path: path, "\(what) needs about \(needed), more than the limit of \(String(format: "%.1f", Double(limit) / 1_073_741_824)) GiB; \(advice)")
        }
    }
}
