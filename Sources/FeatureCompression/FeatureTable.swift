import Foundation
import Support

/// A feature benchmark table on disk: the Markdown (`TABLE.md`) and its cells as JSON beside it
/// (`TABLE.json`), which `features table --update` reads back to replace only the methods run anew.
public enum FeatureTable {
    /// The JSON path beside a table's Markdown path (same name, `.json`).
    public static func cellsPath(forTable path: String) -> String { (path as NSString).deletingPathExtension + ".json" }

    /// The cells of an earlier run of the table at `path`.
    public static func readCells(forTable path: String) throws -> [FeatureBenchmark.Cell] {
        let json = cellsPath(forTable: path)
        guard let data = FileManager.default.contents(atPath: json),
              let cells = try? JSONDecoder().decode([FeatureBenchmark.Cell].self, from: data) else {
            throw FileError(path: json, "cannot read the table's cells to update")
        }
        return cells
    }

    /// The Markdown: a header line naming the table, the command and its time, then the cells' table.
    /// `updated`: the other methods' cells were kept from an earlier run.
    public static func markdown(_ cells: [FeatureBenchmark.Cell], dataset: TabularDataset, path: String, bits: [Int],
                                command: String, seconds: Double, updated: Bool) -> String {
        "Table `\(path)` (\(dataset.count) rows, \(dataset.featureNames.count) features, \(dataset.task.rawValue)); "
            + "command: `\(command)`; \(String(format: "%.0f", seconds)) s on \(ProcessInfo.processInfo.activeProcessorCount) cores"
            + (updated ? " (cells of the other methods kept from the table's earlier run).\n\n" : ".\n\n")
            + FeatureBenchmark.markdown(cells, task: dataset.task, bits: bits)
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
