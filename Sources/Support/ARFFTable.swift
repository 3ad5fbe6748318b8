import Foundation

/// An ARFF file (Weka's attribute-relation format, e.g. WISDM's transformed features) read as a ``CSVTable``.
///
/// Format: `%` comment lines; `@relation NAME`; one `@attribute NAME TYPE` per column (NAME bare or in single or
/// double quotes; TYPE `numeric`, `real`, `integer`, `string`, `date …`, a nominal `{a, b, c}`, or — as some
/// published files have it — nothing); `@data`, then one comma-separated row per line, values optionally quoted,
/// `?` a missing value (read as an empty field, which ``CSVTable/number(row:column:)`` reports as missing).
/// Keywords are case-insensitive. Sparse rows (`{index value, …}`) are refused. Errors name the file and line.
public enum ARFFTable {
    /// One attribute: its name and its declared type as written (lowercased keyword or the nominal list).
    public struct Attribute: Sendable, Equatable {
        public var name: String
        public var type: String
    }

    /// Reads an ARFF file; `path` `-` reads standard input.
    public static func read(path: String) throws -> (table: CSVTable, attributes: [Attribute]) {
        let data = path == "-" ? try BoundedFile.readStandardInput(limit: CSVTable.maximumFileSize)
            : try BoundedFile.read(path, limit: CSVTable.maximumFileSize, what: "ARFF table")
        if let nul = data.firstIndex(of: 0) { throw FileError(path: path, "NUL byte at offset \(nul): not a text table") }
        guard UTF8Validation.isValid(data), let text = String(data: data, encoding: .utf8) else { throw FileError(path: path, "not UTF-8 text") }
        return try parse(text, path: path)
    }

    /// Parses ARFF text (`path` only names it in errors).
    public static func parse(_ text: String, path: String) throws -> (table: CSVTable, attributes: [Attribute]) {
        var attributes: [Attribute] = []
        var rows: [[String]] = [], lines: [Int] = []
        var inData = false, lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let line = (rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine).trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("%") { continue }
            if !inData {
                let lower = line.lowercased()
                if lower.hasPrefix("@relation") { continue }
                if lower.hasPrefix("@data") {
                    guard !attributes.isEmpty else { throw FileError(path: path, line: lineNumber, "@data before any @attribute") }
                    inData = true
                    continue
                }
                guard lower.hasPrefix("@attribute") else {
                    throw FileError(path: path, line: lineNumber, "expected @relation, @attribute or @data, found \(Untrusted.quote(String(line.prefix(40))))")
                }
                attributes.append(try attribute(line.dropFirst("@attribute".count), path: path, line: lineNumber))
                guard attributes.count <= CSVTable.maximumColumns else {
                    throw FileError(path: path, line: lineNumber, "more than \(CSVTable.maximumColumns) attributes")
                }
                if let duplicate = attributes.dropLast().first(where: { $0.name == attributes.last!.name }) {
                    throw FileError(path: path, line: lineNumber, column: Untrusted.escape(duplicate.name), "attribute declared twice")
                }
                continue
            }
            if line.hasPrefix("{") { throw FileError(path: path, line: lineNumber, "sparse ARFF rows are not supported") }
            let values = try CSVTable.splitFields(Substring(line), path: path, line: lineNumber, quoting: .arff).map { $0 == "?" ? "" : $0 }
            guard values.count == attributes.count else {
                throw FileError(path: path, line: lineNumber, "has \(values.count) values, there are \(attributes.count) attributes")
            }
            rows.append(values)
            lines.append(lineNumber)
        }
        guard !attributes.isEmpty else { throw FileError(path: path, "no @attribute lines: not an ARFF file") }
        guard inData else { throw FileError(path: path, "no @data section") }
        guard !rows.isEmpty else { throw FileError(path: path, "no data rows after @data") }
        return (CSVTable(path: path, columns: attributes.map(\.name), rows: rows, lines: lines), attributes)
    }

    /// `NAME TYPE` after the keyword.
    private static func attribute(_ rest: Substring, path: String, line: Int) throws -> Attribute {
        let text = rest.drop { $0 == " " || $0 == "\t" }
        guard let first = text.first else { throw FileError(path: path, line: line, "@attribute without a name") }
        let name: String, remainder: Substring
        if first == "'" || first == "\"" {
            guard let close = text.dropFirst().firstIndex(of: first) else { throw FileError(path: path, line: line, "an attribute name's quote is not closed") }
            name = String(text[text.index(after: text.startIndex)..<close])
            remainder = text[text.index(after: close)...]
        } else {
            let end = text.firstIndex { $0 == " " || $0 == "\t" } ?? text.endIndex
            name = String(text[..<end])
            remainder = text[end...]
        }
        guard !name.isEmpty else { throw FileError(path: path, line: line, "an attribute name is empty") }
        let type = remainder.trimmingCharacters(in: .whitespaces)
        return Attribute(name: name, type: type.hasPrefix("{") ? type : type.lowercased())
    }
}
