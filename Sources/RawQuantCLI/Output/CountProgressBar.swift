import Foundation

/// A progress bar for a count of items on stderr: redrawn in place on a terminal, a line per tenth otherwise.
final class CountProgressBar: @unchecked Sendable {
    private let label: String
    private let interactive = isatty(STDERR_FILENO) != 0
    private let start = Date()
    private var lastTenth = -1
    private let lock = NSLock()

    init(label: String) { self.label = label }

    func update(_ done: Int, _ total: Int) {
        lock.lock()
        defer { lock.unlock() }
        let fraction = Double(done) / Double(max(total, 1))
        let filled = Int(fraction * 24)
        let elapsed = Date().timeIntervalSince(start)
        let rate = Double(done) / max(elapsed, 1e-6)
        let eta = Int(Double(total - done) / max(rate, 1e-6))
        let line = String(format: "%@ [%@] %d/%d %.1f/s ETA %02d:%02d", label,
                          String(repeating: "=", count: filled) + String(repeating: " ", count: 24 - filled), done, total, rate, eta / 60, eta % 60)
        if interactive {
            FileHandle.standardError.write(Data(("\r" + line).utf8))
        } else if Int(fraction * 10) != lastTenth {
            lastTenth = Int(fraction * 10)
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    func finish() { if interactive { FileHandle.standardError.write(Data("\n".utf8)) } }
}
