import Foundation
import Support

/// A feature benchmark table on disk: the Markdown (`TABLE.md`) and its cells as JSON beside it
/// (`TABLE.json`), which `features table --update` reads back to replace only the methods run anew.
public enum FeatureTable {
    /// The JSON path beside a table's Markdown path (same name, `.json`).
    public static func cellsPath(forTable path: String) -> String { (path as NSString).deletingPathExtension + ".json" }

    /// The cells of an earlier run of the table at `path`.
    public static func readCells(forTable path: String) throws -> [FeatureBenchmark.Cell] {
        try readCells(forTable: path, as: FeatureBenchmark.Cell.self)
    }

    /// The cells of an earlier `--protocol paper` run of the table at `path` (to resume it).
    public static func readPaperCells(forTable path: String) throws -> [PaperProtocol.Cell] {
        try readCells(forTable: path, as: PaperProtocol.Cell.self)
    }

    /// The cells of the JSON beside `path`, decoded as `Cell` (at most 256 MiB).
    static func readCells<Cell: Decodable>(forTable path: String, as: Cell.Type) throws -> [Cell] {
        let json = cellsPath(forTable: path)
        let data = try BoundedFile.read(json, limit: 256 << 20, what: "table cells")
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let cells = try? decoder.decode([Cell].self, from: data) else {
            throw FileError(path: json, "cannot read the table's cells (not the JSON of this kind of table)")
        }
        return cells
    }

    /// The Markdown: a header line naming the table, the command and its time, then the cells' table.
    /// `updated`: the other methods' cells were kept from an earlier run.
    /// `rowsPerSecond`: how many rows a device produces per second; the Markdown then ends with the bytes per second it
    /// sends at each width (F·N·rate/8; 32-bit floats for comparison).
    public static func markdown(_ cells: [FeatureBenchmark.Cell], dataset: TabularDataset, path: String, bits: [Int],
                                command: String, seconds: Double, updated: Bool, rowsPerSecond: Double? = nil) -> String {
        var text = "Table `\(path)` (\(dataset.count) rows, \(dataset.featureNames.count) features, \(dataset.task.rawValue)); "
            + "command: `\(command)`; \(String(format: "%.0f", seconds)) s on \(ProcessInfo.processInfo.activeProcessorCount) cores"
            + (updated ? " (cells of the other methods kept from the table's earlier run).\n\n" : ".\n\n")
            + FeatureBenchmark.markdown(cells, task: dataset.task, bits: bits)
        if let rate = rowsPerSecond {
            let f = Double(dataset.featureNames.count)
            text += "\nBytes per second a device sends at \(rate) rows per second (\(dataset.featureNames.count) features): "
                + bits.map { String(format: "%d bits %.2f", $0, f * Double($0) * rate / 8) }.joined(separator: ", ")
                + String(format: "; 32-bit floats %.2f.\n", f * 32 * rate / 8)
        }
        return text
    }

    /// Writes the Markdown to `path` and the cells to ``cellsPath(forTable:)``, each atomically.
    public static func write<Cells: Encodable>(markdown: String, cells: Cells, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let json = String(decoding: try encoder.encode(cells), as: UTF8.self) + "\n"
        try CSVWriter.write(markdown, to: path)
        try CSVWriter.write(json, to: cellsPath(forTable: path))
    }
}
