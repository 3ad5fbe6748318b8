import Foundation

/// A multivariate time-series file in the sktime / UEA `.ts` format (e.g. the BasicMotions smart-watch IMU set).
///
/// Format: `#` comment lines; a header of `@key value` lines (keys case-insensitive: `@problemName`, `@timeStamps`,
/// `@missing`, `@univariate`, `@dimensions`, `@equalLength`, `@seriesLength`, `@classLabel true L1 L2 …` or
/// `@classLabel false`, `@targetLabel true|false`); `@data`, then one case per line: the dimensions' series separated
/// by `:`, each a comma-separated list of numbers (`?` = missing, where `@missing true`), then the class label (or
/// the regression target) as the last `:` field when the header declares one.
///
/// Layout: ``series`` is cases × dimensions × time steps. Within a case every dimension has the same length; cases
/// may differ only when `@equalLength false`. Time-stamped series (`@timeStamps true`) are refused. Errors name the
/// file, the line and the dimension (column `dimension K`, 1-based).
public struct TimeSeriesFile: Sendable, Equatable {
    public var problemName: String?
    /// Channels per case (sensor axes).
    public var dimensions: Int
    /// The declared class labels, in their declared order (empty without `@classLabel true`).
    public var classLabels: [String]
    /// Whether the last field is a numeric regression target (`@targetLabel true`).
    public var hasNumericTarget: Bool
    /// Values, cases × dimensions × time steps; NaN where a value is missing.
    public var series: [[[Double]]]
    /// Each case's label (class name, or the target as written); empty without one.
    public var labels: [String]
    /// Each case's 1-based line in the file.
    public var lines: [Int]
    public var path: String

    /// Most dimensions a file may declare or hold.
    public static let maximumDimensions = 100_000

    /// Cases.
    public var count: Int { series.count }

    /// Time steps of case `i`.
    public func length(case i: Int) -> Int { series[i].first?.count ?? 0 }

    /// The one series length of every case, or nil when they differ (or the file has none).
    public var equalLength: Int? {
        guard let first = series.first.map({ $0[0].count }) else { return nil }
        return series.allSatisfy { $0[0].count == first } ? first : nil
    }

    /// Reads a `.ts` file; `path` `-` reads standard input.
    public static func read(path: String) throws -> TimeSeriesFile {
        let data = path == "-" ? try BoundedFile.readStandardInput(limit: CSVTable.maximumFileSize)
            : try BoundedFile.read(path, limit: CSVTable.maximumFileSize, what: ".ts time-series file")
        if let nul = data.firstIndex(of: 0) { throw FileError(path: path, "NUL byte at offset \(nul): not a .ts text file") }
        guard UTF8Validation.isValid(data), let text = String(data: data, encoding: .utf8) else { throw FileError(path: path, "not UTF-8 text") }
        return try parse(text, path: path)
    }

    /// Parses `.ts` text (`path` only names it in errors).
    public static func parse(_ text: String, path: String) throws -> TimeSeriesFile {
        var header = Header()
        var file = TimeSeriesFile(problemName: nil, dimensions: 0, classLabels: [], hasNumericTarget: false, series: [], labels: [],
                                  lines: [], path: path)
        var inData = false, lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            lineNumber += 1
            let line = (rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine).trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if !inData {
                guard line.hasPrefix("@") else {
                    throw FileError(path: path, line: lineNumber, "expected an @ header line or @data, found \(Untrusted.quote(String(line.prefix(40))))")
                }
                if line.lowercased() == "@data" {
                    try header.finish(into: &file, path: path, line: lineNumber)
                    inData = true
                } else {
                    try header.read(Substring(line.dropFirst()), path: path, line: lineNumber)
                }
                continue
            }
            try file.appendCase(Substring(line), header: header, line: lineNumber)
        }
        guard inData else { throw FileError(path: path, "no @data line: not a .ts file") }
        guard !file.series.isEmpty else { throw FileError(path: path, "no cases after @data") }
        return file
    }

    /// The header's declarations.
    private struct Header {
        var problemName: String?
        var missing = false, equalLength: Bool?, univariate: Bool?
        var dimensions: Int?, seriesLength: Int?
        var classLabels: [String]?, targetLabel = false

        mutating func read(_ text: Substring, path: String, line: Int) throws {
            let parts = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard !parts.isEmpty else { throw FileError(path: path, line: line, "an @ line without a key") }
            let key = parts[0].lowercased(), values = Array(parts.dropFirst())
            func flag() throws -> Bool {
                guard values.count == 1, let v = Bool(values[0].lowercased()) else {
                    throw FileError(path: path, line: line, "@\(parts[0]) takes true or false")
                }
                return v
            }
            func count() throws -> Int {
                guard values.count == 1, let v = Int(values[0]), v >= 1, v <= TimeSeriesFile.maximumDimensions else {
                    throw FileError(path: path, line: line, "@\(parts[0]) takes a whole number in 1...\(TimeSeriesFile.maximumDimensions)")
                }
                return v
            }
            switch key {
            case "problemname": problemName = values.joined(separator: " ")
            case "timestamps":
                if try flag() { throw FileError(path: path, line: line, "time-stamped series (@timeStamps true) are not supported") }
            case "missing": missing = try flag()
            case "univariate": univariate = try flag()
            case "equallength": equalLength = try flag()
            case "dimensions": dimensions = try count()
            case "serieslength": seriesLength = try count()
            case "classlabel":
                guard let first = values.first, let declared = Bool(first.lowercased()) else {
                    throw FileError(path: path, line: line, "@classLabel takes true (then the labels) or false")
                }
                if declared {
                    let labels = Array(values.dropFirst())
                    guard !labels.isEmpty else { throw FileError(path: path, line: line, "@classLabel true lists no labels") }
                    guard Set(labels).count == labels.count else { throw FileError(path: path, line: line, "@classLabel lists a label twice") }
                    classLabels = labels
                } else {
                    classLabels = nil
                }
            case "targetlabel": targetLabel = try flag()
            default: break  // Other keys (e.g. @dimension names of newer files) do not change the data.
            }
        }

        func finish(into file: inout TimeSeriesFile, path: String, line: Int) throws {
            if classLabels != nil && targetLabel { throw FileError(path: path, line: line, "both @classLabel true and @targetLabel true") }
            if univariate == true, let d = dimensions, d != 1 { throw FileError(path: path, line: line, "@univariate true with @dimensions \(d)") }
            file.problemName = problemName
            file.dimensions = dimensions ?? (univariate == true ? 1 : 0)
            file.classLabels = classLabels ?? []
            file.hasNumericTarget = targetLabel
        }

        var hasLabel: Bool { classLabels != nil || targetLabel }
    }

    /// One `@data` line.
    private mutating func appendCase(_ line: Substring, header: Header, line lineNumber: Int) throws {
        var fields = line.split(separator: ":", omittingEmptySubsequences: false)
        var label = ""
        if header.hasLabel {
            guard fields.count >= 2 else { throw FileError(path: path, line: lineNumber, "has no label field after the series") }
            label = fields.removeLast().trimmingCharacters(in: .whitespaces)
            if header.targetLabel {
                guard let v = Double(label), v.isFinite else {
                    throw FileError(path: path, line: lineNumber, "target \(Untrusted.quote(String(label.prefix(40)))) is not a finite number")
                }
            } else if !classLabels.contains(label) {
                throw FileError(path: path, line: lineNumber, "label \(Untrusted.quote(String(label.prefix(40)))) is not one of @classLabel's")
            }
        }
        if dimensions == 0 {
            guard fields.count <= Self.maximumDimensions else { throw FileError(path: path, line: lineNumber, "more than \(Self.maximumDimensions) dimensions") }
            dimensions = fields.count
        }
        guard fields.count == dimensions else {
            throw FileError(path: path, line: lineNumber, "has \(fields.count) dimensions, the file declares \(dimensions)")
        }
        var values: [[Double]] = []
        values.reserveCapacity(dimensions)
        for (k, field) in fields.enumerated() {
            let column = "dimension \(k + 1)"
            var series: [Double] = []
            for (i, token) in field.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
                let t = token.trimmingCharacters(in: .whitespaces)
                if t == "?" || t.lowercased() == "nan" {
                    guard header.missing else {
                        throw FileError(path: path, line: lineNumber, column: column, "value \(i + 1) is missing but the header has no @missing true")
                    }
                    series.append(.nan)
                } else if let v = Double(t), v.isFinite {
                    series.append(v)
                } else {
                    throw FileError(path: path, line: lineNumber, column: column, "value \(i + 1), \(Untrusted.quote(String(t.prefix(40)))), is not a finite number")
                }
            }
            if let first = values.first, first.count != series.count {
                throw FileError(path: path, line: lineNumber, column: column, "has \(series.count) values, dimension 1 has \(first.count)")
            }
            values.append(series)
        }
        if let length = header.seriesLength, header.equalLength != false, values[0].count != length {
            throw FileError(path: path, line: lineNumber, "has \(values[0].count) time steps, @seriesLength says \(length)")
        }
        if header.equalLength == true, let first = series.first, first[0].count != values[0].count {
            throw FileError(path: path, line: lineNumber, "has \(values[0].count) time steps, the first case \(first[0].count) (@equalLength true)")
        }
        series.append(values)
        labels.append(label)
        lines.append(lineNumber)
    }
}
