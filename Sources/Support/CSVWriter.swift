import Foundation

/// Writes tables as CSV (RFC 4180 quoting), the inverse of ``CSVTable/parse(_:path:)``.
///
/// A field that holds a comma, a double quote, a carriage return or a line feed, or that starts or ends
/// with a space, is written in double quotes with each quote doubled; other fields are written as they
/// are, so plain numeric tables are byte-for-byte what they were. Numbers are written with up to 17
/// significant digits (Swift's shortest round-trip form), so they read back exactly.
public enum CSVWriter {
    /// One field, quoted where the format needs it.
    public static func field(_ text: String) -> String {
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || text.first == " " || text.last == " "
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The whole table: a header row, then one line per row, each line ending in LF.
    public static func text(columns: [String], rows: [[String]]) -> String {
        var lines = [columns.map(field).joined(separator: ",")]
        lines.reserveCapacity(rows.count + 1)
        for row in rows { lines.append(row.map(field).joined(separator: ",")) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A numeric table.
    public static func text(columns: [String], numbers rows: [[Double]]) -> String {
        text(columns: columns, rows: rows.map { $0.map { "\($0)" } })
    }

    /// Writes `text` atomically (a staged file in the target folder, then a rename).
    public static func write(_ text: String, to path: String) throws {
        try AtomicOutput.write(Array(text.utf8), to: path)
    }
}
