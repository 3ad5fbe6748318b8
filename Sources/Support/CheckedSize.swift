/// Size arithmetic on counts read from files: every product and sum is checked, so a crafted dimension
/// yields nil (and the reader's clear error) instead of an overflow trap or a huge allocation.
public enum CheckedSize {
    /// a · b, nil on overflow or when either is negative.
    @inlinable public static func product(_ a: Int, _ b: Int) -> Int? {
        guard a >= 0, b >= 0 else { return nil }
        let (p, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : p
    }

    /// The product of `dimensions` (1 for none), nil on overflow or a negative dimension.
    @inlinable public static func product(_ dimensions: [Int]) -> Int? {
        var result = 1
        for d in dimensions {
            guard let p = product(result, d) else { return nil }
            result = p
        }
        return result
    }

    /// a + b, nil on overflow or when either is negative.
    @inlinable public static func sum(_ a: Int, _ b: Int) -> Int? {
        guard a >= 0, b >= 0 else { return nil }
        let (s, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : s
    }

    /// The Int nearest a finite Double in Int's range (rounded toward zero), nil for NaN, ±∞ or out of range.
    @inlinable public static func int(_ value: Double) -> Int? {
        guard value.isFinite, let i = Int(exactly: value.rounded(.towardZero)) else { return nil }
        return i
    }
}
