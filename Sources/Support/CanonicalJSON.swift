import Foundation

/// JSON with sorted keys and no extra whitespace: the same value always gives the same bytes (Swift's
/// dictionaries, and so an encoder's unsorted key order, change from one process to the next). Used for
/// every JSON a file embeds — checkpoint metadata, experiment results, model info — so outputs are
/// deterministic.
public enum CanonicalJSON {
    /// The value's canonical JSON bytes.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(value)
    }

    /// The value's canonical JSON as a string.
    public static func string<T: Encodable>(_ value: T) throws -> String { String(decoding: try encode(value), as: UTF8.self) }
}
