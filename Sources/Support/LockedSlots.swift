import Foundation

/// Slots filled by concurrent workers (one slot per index), guarded by a lock: how parallel file jobs
/// (several raw files at once) collect their results in input order.
public final class LockedSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    public init(count: Int) { slots = Array(repeating: nil, count: count) }

    public subscript(index: Int) -> T? {
        get { lock.lock(); defer { lock.unlock() }; return slots[index] }
        set { lock.lock(); slots[index] = newValue; lock.unlock() }
    }

    public var count: Int { slots.count }
}
