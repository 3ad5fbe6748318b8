import Dispatch
import Foundation
import Support
import RawIO
import DetectionData

/// What `dataset.json` records: the generator's parameters and every image's facts.
public struct SyntheticDatasetManifest: Codable, Sendable, Equatable {
    public struct Image: Codable, Sendable, Equatable {
        public var id: String
        /// Path of the raw file relative to the dataset directory.
        public var file: String
        public var split: String
        public var exposure: Double
        public var cfa: String
        public var objects: Int
        public var lightSources: Bool
    }

    public var generator = "RawQuant synthetic raw scenes"
    public var formatVersion = 1
    public var seed: UInt64
    public var count: Int
    public var configuration: SceneConfiguration
    public var classes: [String]
    public var splits: [String: Int]
    public var images: [Image]
}

/// Writes a synthetic dataset in the VOC / PASCALRAW layout:
///
///     DIR/raw/scene_000000.dng              the mosaics (DNG, readable by any raw tool)
///     DIR/Annotations/scene_000000.xml      VOC XML, boxes in mosaic pixels (1-based, inclusive)
///     DIR/ImageSets/Main/{train,val,test,trainval}.txt
///     DIR/dataset.json                      generator parameters and per-image exposure, CFA, split
///
/// The same seed and configuration give the same bytes, whatever the number of threads.
public enum SyntheticDataset {
    /// The id of image `index` ("scene_000042").
    public static func imageID(_ index: Int) -> String { "scene_" + String(format: "%06d", index) }

    /// The split of every image: a seeded shuffle, then train / val / test by the configured fractions.
    public static func splits(count: Int, seed: UInt64, configuration: SceneConfiguration) -> [String] {
        DatasetLayout.seededSplits(count: count, seed: seed, trainFraction: configuration.trainFraction, valFraction: configuration.valFraction)
    }

    /// Generates and writes `count` scenes into `directory` (created if missing). With `splits`, only the
    /// images of those splits are written and listed (the same images, bytes and splits as in the whole set:
    /// e.g. a set's test split alone, to evaluate on it).
    @discardableResult
    public static func write(count: Int, seed: UInt64, configuration: SceneConfiguration, to directory: String,
                             splits only: Set<String>? = nil,
                             concurrency: Int = ProcessInfo.processInfo.activeProcessorCount) throws -> SyntheticDatasetManifest {
        guard count > 0 else { throw RawIOError(.invalidArgument, path: directory, "count must be at least 1") }
        guard configuration.width >= 22, configuration.height >= 22, configuration.width % 2 == 0, configuration.height % 2 == 0 else {
            throw RawIOError(.invalidArgument, path: directory, "image size must be even and at least 22×22, got \(configuration.width)×\(configuration.height)")
        }
        let root = URL(fileURLWithPath: directory)
        for sub in ["raw", "Annotations", "ImageSets/Main"] {
            try AtomicOutput.prepareDirectory(root.appendingPathComponent(sub).path)
        }
        let generator = SceneGenerator(configuration: configuration)
        let splitOf = splits(count: count, seed: seed, configuration: configuration)
        let chosen = (0..<count).filter { only?.contains(splitOf[$0]) ?? true }
        let images = LockedSlots<SyntheticDatasetManifest.Image>(count: count)
        let failures = LockedSlots<Error>(count: count)
        let workers = max(1, min(concurrency, chosen.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: chosen.count, by: workers).map({ chosen[$0] }) {
                do {
                    let scene = generator.scene(seed: seed, index: index)
                    let id = imageID(index)
                    let file = "raw/\(id).dng"
                    try DNGWriter.write(scene.image, to: root.appendingPathComponent(file).path)
                    let annotation = SceneAnnotation(filename: "\(id).dng", width: scene.image.width, height: scene.image.height,
                                                     objects: scene.objects)
                    try AtomicOutput.write(Array(annotation.vocXML().utf8), to: root.appendingPathComponent("Annotations/\(id).xml").path)
                    images[index] = .init(id: id, file: file, split: splitOf[index], exposure: scene.exposure,
                                          cfa: scene.image.cfa.name, objects: scene.objects.count, lightSources: scene.hasLightSources)
                } catch {
                    failures[index] = error
                }
            }
        }
        if let error = chosen.lazy.compactMap({ failures[$0] }).first { throw error }
        let counts = try DatasetLayout.writeSplitLists(ids: chosen.map { (imageID($0), splitOf[$0]) }, root: root)
        let manifest = SyntheticDatasetManifest(
            seed: seed, count: count, configuration: configuration, classes: SceneObjectClass.allCases.map(\.rawValue),
            splits: counts,
            images: chosen.map { images[$0]! })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicOutput.write(Array(try encoder.encode(manifest)) + [10], to: root.appendingPathComponent("dataset.json").path)
        return manifest
    }
}
