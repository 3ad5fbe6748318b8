import DetectionData
import Foundation
import Support

/// How one process of a batch `unprocess` takes its part: a list of photos, a stable shard of them, skipping
/// photos already done, and a report per photo — what a job array or a Dask map needs.
///
/// A photo's outputs are `raw/ID.dng` then `Annotations/ID.xml`, each written atomically, the XML last: a photo
/// whose XML exists (and parses) beside its DNG is complete. Splits are drawn over the whole (listed) set before
/// sharding, so a photo's split does not depend on N. With a shard, the process writes its part of the index to
/// `shards/K-of-N.json`; the process that finds all N parts present (with the same options) assembles
/// `dataset.json` and the split lists, byte-identical to a single process's.
public struct UnprocessBatch: Sendable {
    /// Only photos at these paths (as the photo source lists them, standardized); nil = all.
    public var photos: Set<String>?
    public var shard: BatchSelection.Shard?
    /// Skip a photo whose DNG and XML are complete (its index entry is rebuilt from the XML and its draw).
    public var skipExisting = false
    /// Called once per photo: its path, status ("ok", "skipped" or "error"), outputs and error.
    public var report: (@Sendable (_ photo: String, _ status: String, _ outputs: [String], _ error: String?) -> Void)?

    public init() {}

    /// The photo's outputs under `root`, the XML last.
    public static func outputs(id: String, root: URL) -> [String] {
        [root.appendingPathComponent("raw/\(id).dng").path, root.appendingPathComponent("Annotations/\(id).xml").path]
    }

    /// The shard's part of the index: its photos' entries with their places in the whole list.
    struct Part: Codable, Equatable {
        var shard: String
        var options: UnprocessOptions
        var sources: [PhotoSourceDescription]
        var classes: [String]
        var photos: Int
        var sourceSkipped: [String: Int]
        var skipped: [String: Int]
        var entries: [Int: UnprocessedDatasetManifest.Image]
    }

    /// The index entry of a complete photo (its XML parses, its DNG is a regular file), else nil.
    static func existingEntry(_ record: PhotoRecord, split: String, options: UnprocessOptions, root: URL) -> UnprocessedDatasetManifest.Image? {
        let paths = outputs(id: record.id, root: root)
        guard BatchSelection.regularFileSize(paths[0]) != nil,
              let bytes = try? BoundedFile.read(paths[1], limit: AnnotationLimits.maximumFileBytes, what: "annotation file"),
              let xml = try? AnnotationParser.voc(Array(bytes), path: paths[1]) else { return nil }
        return .init(id: record.id, file: "raw/\(record.id).dng", photo: record.imagePath, split: split, width: xml.width, height: xml.height,
                     objects: xml.objects.count, draw: UnprocessedDataset.draw(id: record.id, options: options))
    }

    /// Writes the shard's part, then assembles the index if every part of N is there; returns the whole index
    /// when it was assembled, else nil.
    static func writePart(_ part: Part, shard: BatchSelection.Shard, root: URL) throws -> UnprocessedDatasetManifest? {
        let directory = root.appendingPathComponent("shards")
        try AtomicOutput.prepareDirectory(directory.path)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try AtomicOutput.write(Array(try encoder.encode(part)), to: directory.appendingPathComponent("\(shard.index)-of-\(shard.count).json").path)
        var parts: [Part] = []
        for k in 1...shard.count {
            let path = directory.appendingPathComponent("\(k)-of-\(shard.count).json").path
            guard let data = try? BoundedFile.read(path, limit: 1 << 30, what: "shard index"),
                  let other = try? JSONDecoder().decode(Part.self, from: data),
                  other.options == part.options, other.sources == part.sources, other.photos == part.photos, other.classes == part.classes
            else { return nil }
            parts.append(other)
        }
        var entries: [Int: UnprocessedDatasetManifest.Image] = [:]
        var skipped = part.sourceSkipped
        for other in parts {
            entries.merge(other.entries) { first, _ in first }
            for (reason, count) in other.skipped { skipped[reason, default: 0] += count }
        }
        let written = entries.sorted { $0.key < $1.key }.map(\.value)
        return try UnprocessedDataset.writeIndex(entries: written, options: part.options, sources: part.sources, classes: part.classes,
                                                 skipped: skipped, root: root)
    }
}
