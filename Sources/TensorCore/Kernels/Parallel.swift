import Dispatch

/// Splits index ranges over ``TensorRuntime/threads`` workers.
enum Parallel {
    /// Below this many element operations in total, a loop runs serially:
    /// waking a worker costs more than the work (measured ~20 µs per hand-off).
    static let serialThreshold = 32_768

    /// Calls `body(range)` on disjoint chunks covering `0..<count`, concurrently
    /// when more than one thread is configured and the total work
    /// (`count · workPerItem`, in element operations) is worth it. `body` must
    /// only write to locations owned by its chunk.
    static func forChunks(_ count: Int, threads: Int = TensorRuntime.threads, minChunk: Int = 1,
                          workPerItem: Int = Int.max / (1 << 32), _ body: (Range<Int>) -> Void) {
        let worthIt = count.multipliedReportingOverflow(by: workPerItem).overflow || count * workPerItem >= serialThreshold
        let workers = worthIt ? min(threads, max(1, count / max(minChunk, 1))) : 1
        if workers <= 1 || count <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        withoutActuallyEscaping(body) { body in
            let box = UncheckedBox(body)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let lo = count * w / workers, hi = count * (w + 1) / workers
                if lo < hi { box.value(lo..<hi) }
            }
        }
    }
}

/// Carries a non-Sendable value into concurrent work that the caller
/// guarantees to be race-free (disjoint writes).
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
