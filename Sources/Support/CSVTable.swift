import Foundation

/// A CSV table as text fields: a header row of column names, then rows with as many fields.
///
/// Format: comma-separated, one record per line (LF or CRLF), fields optionally in double quotes
/// (a doubled quote inside a quoted field is a literal quote; quoted fields do not span lines). Blank
/// lines are skipped. Every row must have exactly as many fields as the header. Without a header row
/// (`header: false`) the columns are named by their 1-based index, "1", "2", …, and every line is a row.
public struct CSVTable: Sendable {
    public var path: String
    public var columns: [String]
    /// Fields row by row, `rows[r][c]`.
    public var rows: [[String]]
    /// The file line of each row (for error messages).
    public var lines: [Int]

    /// Reads and checks the file's structure (not yet its values).
    /// `path` `-` reads standard input.
    public static func read(path: String, header: Bool = true) throws -> CSVTable {
        let data = path == "-" ? try BoundedFile.readStandardInput(limit: maximumFileSize) : try BoundedFile.read(path, limit: maximumFileSize, what: "table")
        if let nul = data.firstIndex(of: 0) { throw FileError(path: path, "NUL byte at offset \(nul): not a text table") }
        guard UTF8Validation.isValid(data), let text = String(data: data, encoding: .utf8) else { throw FileError(path: path, "not UTF-8 text") }
        return try parse(text, path: path, header: header)
    }

    /// The largest table read, bytes.
    public static let maximumFileSize = 2 << 30
    /// The most columns a table may have.
    public static let maximumColumns = 100_000

    /// Parses CSV text (`path` only names it in errors).
    public static func parse(_ text: String, path: String, header hasHeader: Bool = true) throws -> CSVTable {
        var columns: [String]?
        var rows: [[String]] = []
        var lines: [Int] = []
        var lineNumber = 0
        // "\r\n" is one Character in Swift: split on either.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = try splitFields(line, path: path, line: lineNumber)
            if columns == nil && !hasHeader {
                guard fields.count <= maximumColumns else {
                    throw FileError(path: path, line: lineNumber, "\(fields.count) columns; at most \(maximumColumns)")
                }
                columns = (1...fields.count).map(String.init)
            }
            if let header = columns {
                guard fields.count == header.count else {
                    throw FileError(path: path, line: lineNumber, "has \(fields.count) fields, the header has \(header.count)")
                }
                rows.append(fields)
                lines.append(lineNumber)
            } else {
                let names = fields.map { $0.trimmingCharacters(in: .whitespaces) }
                if let empty = names.firstIndex(of: "") {
                    throw FileError(path: path, line: lineNumber, "header field \(empty + 1) is empty")
                }
                guard names.count <= maximumColumns else {
                    throw FileError(path: path, line: lineNumber, "\(names.count) columns; at most \(maximumColumns)")
                }
                var seen: Set<String> = []
                if let duplicate = names.first(where: { !seen.insert($0).inserted }) {
                    throw FileError(path: path, line: lineNumber, column: Untrusted.escape(duplicate), "appears twice in the header")
                }
                columns = names
            }
        }
        guard let columns else { throw FileError(path: path, hasHeader ? "empty file: no header row" : "empty file: no rows") }
        guard !rows.isEmpty else { throw FileError(path: path, "no data rows after the header") }
        return CSVTable(path: path, columns: columns, rows: rows, lines: lines)
    }

    /// How a format quotes its comma-separated fields.
    enum Quoting {
        /// CSV: double quotes, a doubled quote inside is a literal quote.
        case csv
        /// ARFF: single or double quotes, a backslash inside escapes the next character.
        case arff
    }

    /// The comma-separated fields of one line: unquoted fields trimmed of spaces, a quoted one (opening where the
    /// field starts) kept as it is.
    static func splitFields(_ line: Substring, path: String, line number: Int, quoting: Quoting = .csv) throws -> [String] {
        var fields: [String] = []
        var field = ""
        var quote: Character? = nil, wasQuoted = false, escaped = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let c = pending ?? iterator.next() {
            pending = nil
            if let q = quote {
                if escaped {
                    field.append(c)
                    escaped = false
                } else if quoting == .arff && c == "\\" {
                    escaped = true
                } else if c == q {
                    quote = nil
                    // CSV: a doubled quote is a literal one.
                    if quoting == .csv, let next = iterator.next() {
                        if next == q { field.append(q); quote = q } else { pending = next }
                    }
                } else {
                    field.append(c)
                }
            } else if c == "," {
                fields.append(wasQuoted ? field : field.trimmingCharacters(in: .whitespaces))
                field = ""
                wasQuoted = false
            } else if (c == "\"" || (quoting == .arff && c == "'")) && field.trimmingCharacters(in: .whitespaces).isEmpty {
                quote = c
                wasQuoted = true
                field = ""
            } else {
                field.append(c)
            }
        }
        if quote != nil { throw FileError(path: path, line: number, "a quoted field is not closed") }
        fields.append(wasQuoted ? field : field.trimmingCharacters(in: .whitespaces))
        return fields
    }

    /// The index of column `name`, or an error naming the columns there are.
    public func columnIndex(_ name: String) throws -> Int {
        guard let index = columns.firstIndex(of: name) else {
            throw FileError(path: path, column: Untrusted.escape(name), "no such column; columns are \(Untrusted.escape(columns.joined(separator: ", "), limit: 200))")
        }
        return index
    }

    /// The numeric value of row `r`, column `c`: an error names the line and column of a missing or
    /// non-numeric (or non-finite) value.
    public func number(row r: Int, column c: Int) throws -> Double {
        let field = rows[r][c]
        let column = Untrusted.escape(columns[c])
        guard !field.isEmpty else { throw FileError(path: path, line: lines[r], column: column, "missing value") }
        guard let value = Double(field) else {
            throw FileError(path: path, line: lines[r], column: column, "\(Untrusted.quote(field)) is not a number")
        }
        guard value.isFinite else { throw FileError(path: path, line: lines[r], column: column, "\(Untrusted.quote(field)) is not a finite number") }
        return value
    }
}
