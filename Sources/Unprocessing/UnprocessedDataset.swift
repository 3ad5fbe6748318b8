import Bayer
import DetectionData
import Dispatch
import Foundation
import RawIO
import Support

/// How photos are unprocessed into a dataset.
public struct UnprocessOptions: Codable, Sendable, Equatable {
    /// The CFA of the mosaics.
    public enum CFA: Codable, Sendable, Equatable {
        /// Each camera's own pattern.
        case camera
        case fixed(String)
        /// Each image draws one of the four.
        case mixed
    }

    /// Cameras to draw from (each image takes one, uniformly).
    public var cameras: [CameraProfile]
    public var cfa: CFA = .camera
    /// Scene exposure scale, drawn log-uniformly in [low, high] (1 = the photo's own exposure).
    public var exposureRange: ClosedRange<Double> = 0.05...1
    /// ISO, drawn log-uniformly; sets the noise (``PoissonGaussianNoise``).
    public var isoRange: ClosedRange<Double> = 100...3200
    /// White-balance gains are the camera's as-shot ones times a factor drawn log-uniformly in
    /// [1/(1 + j), 1 + j], independently for red and blue.
    public var whiteBalanceJitter: Double = 0.1
    /// Shot and read noise on (off: the noiseless mosaic, for round trips).
    public var noise = true
    /// Photo scale before unprocessing (mosaic sides rounded to even).
    public var scale: Double = 1
    /// Every image in this split (nil: the source's splits, else seeded fractions).
    public var split: String?
    /// Keep only these classes' boxes, in this label order (nil: all).
    public var classes: [String]?
    /// The part of the source's training images that becomes `val` when the source has no validation split of its own.
    public var validationFraction: Double = 0.1
    /// train / val / test fractions when the source has no splits.
    public var splitFractions: [Double] = [0.7, 0.1, 0.2]
    /// Count and skip unreadable photos and malformed annotations instead of failing.
    public var skipInvalid = false
    public var seed: UInt64 = 1

    public init(cameras: [CameraProfile]) { self.cameras = cameras }
}

/// What `dataset.json` records: every parameter and each image's draw.
public struct UnprocessedDatasetManifest: Codable, Sendable, Equatable {
    public struct Image: Codable, Sendable, Equatable {
        public var id: String
        /// The raw file, relative to the dataset folder.
        public var file: String
        /// The photo it was made from, as given.
        public var photo: String
        public var split: String
        /// Mosaic size, pixels.
        public var width: Int
        public var height: Int
        public var objects: Int
        public var draw: UnprocessDraw
    }

    public var generator = "RawQuant unprocessed photographs"
    public var formatVersion = 1
    public var options: UnprocessOptions
    /// Where the photos and their annotations came from.
    public var sources: [PhotoSourceDescription]
    public var classes: [String]
    public var splits: [String: Int]
    public var skipped: [String: Int]
    public var entries: [Image]
}

/// Writes labelled photographs, unprocessed through camera models, in the `synth` layout:
///
///     DIR/raw/ID.dng                  mosaics with the camera's matrices (any raw tool opens them)
///     DIR/Annotations/ID.xml          VOC XML, boxes in mosaic pixels
///     DIR/ImageSets/Main/{train,val,test,trainval}.txt
///     DIR/dataset.json                every parameter and each image's draw (``UnprocessedDatasetManifest``)
///
/// Each photo's draw and noise come from streams keyed by the seed and the photo's id, so the bytes do not
/// depend on the thread count, and a photo gets the same raw whatever other photos the source holds.
public enum UnprocessedDataset {
    /// Reports progress: images done, images in all.
    public typealias Progress = @Sendable (Int, Int) -> Void

    /// The smallest mosaic side (DNG readers refuse smaller).
    public static let minimumSide = 22

    /// The draw of the photo with id `id`.
    public static func draw(id: String, options: UnprocessOptions) -> UnprocessDraw {
        var random = SeededRandom.stream(seed: options.seed, index: stableHash(id))
        let cameraIndex = options.cameras.count > 1 ? random.nextInt(below: options.cameras.count) : 0
        let camera = options.cameras[cameraIndex]
        let cfa: String
        switch options.cfa {
        case .camera: cfa = camera.cfa
        case .fixed(let name): cfa = name
        case .mixed: cfa = CFAPattern.all[random.nextInt(below: 4)].name
        }
        let exposure = random.logUniform(options.exposureRange.lowerBound, options.exposureRange.upperBound.nextUp)
        let iso = random.logUniform(options.isoRange.lowerBound, options.isoRange.upperBound.nextUp)
        let j = 1 + options.whiteBalanceJitter
        let gains = camera.gains
        let red = gains[0] * random.logUniform(1 / j, j.nextUp), blue = gains[2] * random.logUniform(1 / j, j.nextUp)
        let noise = options.noise ? PoissonGaussianNoise(profile: camera.noise, iso: iso) : .none
        return UnprocessDraw(camera: cameraIndex, cfa: cfa, exposure: exposure, iso: iso, whiteBalanceGains: [red, 1, blue], noise: noise)
    }

    /// The split of every record (same order).
    public static func splits(of records: [PhotoRecord], options: UnprocessOptions) -> [String] {
        if let split = options.split { return records.map { _ in split } }
        let sources = records.map { $0.sourceSplit.flatMap { SourceSplit(sourceName: $0) } }
        var result = [String](repeating: "train", count: records.count)
        if sources.contains(where: { $0 != nil }) {
            let hasTest = sources.contains(.test), hasVal = sources.contains(.val)
            var train: [Int] = []
            for (i, s) in sources.enumerated() {
                switch s ?? .train {
                case .train: train.append(i)
                case .val: result[i] = hasTest ? "val" : "test"
                case .test: result[i] = "test"
                }
            }
            if !(hasTest && hasVal) {  // the source has no validation split: a seeded part of train
                train = DatasetLayout.seededOrder(train, seed: options.seed)
                for i in train.prefix(Int((Double(train.count) * options.validationFraction).rounded())) { result[i] = "val" }
            }
            return result
        }
        let f = options.splitFractions
        return DatasetLayout.seededSplits(count: records.count, seed: options.seed, trainFraction: f[0], valFraction: f[1])
    }

    /// Unprocesses `source` into `directory` (created if missing). With `batch` (``UnprocessBatch``): only the
    /// listed photos, only a shard of them, skipping complete ones, reporting each; a shard returns the whole
    /// index when it was the one to assemble it, else its own part's.
    @discardableResult
    public static func write(source: PhotoSource, described sources: [PhotoSourceDescription],
                             options: UnprocessOptions, to directory: String,
                             concurrency: Int = ProcessInfo.processInfo.activeProcessorCount,
                             batch: UnprocessBatch = UnprocessBatch(),
                             progress: Progress? = nil) throws -> UnprocessedDatasetManifest {
        guard !options.cameras.isEmpty else { throw UnprocessError("no camera to unprocess with") }
        let root = URL(fileURLWithPath: directory)
        for sub in ["raw", "Annotations", "ImageSets/Main"] {
            try AtomicOutput.prepareDirectory(root.appendingPathComponent(sub).path)
        }
        let listed = batch.photos.map { photos in source.records.filter { photos.contains(($0.imagePath as NSString).standardizingPath) } } ?? source.records
        let allSplits = splits(of: listed, options: options)
        let mine = listed.indices.filter { batch.shard?.contains(listed[$0].imagePath) ?? true }
        let records = mine.map { listed[$0] }, splitOf = mine.map { allSplits[$0] }
        let keep = options.classes.map(Set.init)
        let entries = LockedSlots<UnprocessedDatasetManifest.Image>(count: records.count)
        let failures = LockedSlots<Error>(count: records.count)
        let skipReasons = LockedSlots<String>(count: records.count)
        let done = ProgressCounter()
        let workers = max(1, min(concurrency, records.count))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for index in stride(from: worker, to: records.count, by: workers) {
                let record = records[index]
                let outputs = UnprocessBatch.outputs(id: record.id, root: root)
                if batch.skipExisting, let entry = UnprocessBatch.existingEntry(record, split: splitOf[index], options: options, root: root) {
                    entries[index] = entry
                    batch.report?(record.imagePath, "skipped", outputs, nil)
                } else {
                    do {
                        entries[index] = try unprocess(record, split: splitOf[index], keep: keep, options: options, root: root)
                        batch.report?(record.imagePath, "ok", outputs, nil)
                    } catch {
                        if options.skipInvalid { skipReasons[index] = "unreadable photo or annotation" } else { failures[index] = error }
                        batch.report?(record.imagePath, "error", [], "\(error)")
                    }
                }
                if let progress {
                    done.increment { progress($0, records.count) }
                }
            }
        }
        if let error = records.indices.lazy.compactMap({ failures[$0] }).first { throw error }
        var skipped: [String: Int] = [:]
        for i in records.indices { if let reason = skipReasons[i] { skipped[reason, default: 0] += 1 } }
        let classes = options.classes ?? source.classes
        if let shard = batch.shard {
            var part = UnprocessBatch.Part(shard: shard.description, options: options, sources: sources, classes: classes, photos: listed.count,
                                           sourceSkipped: source.skipped, skipped: skipped, entries: [:])
            for (i, place) in mine.enumerated() { if let entry = entries[i] { part.entries[place] = entry } }
            if let whole = try UnprocessBatch.writePart(part, shard: shard, root: root) { return whole }
            let counts = Dictionary(grouping: part.entries.values, by: \.split).mapValues(\.count)
            return UnprocessedDatasetManifest(options: options, sources: sources, classes: classes, splits: counts,
                                              skipped: skipped, entries: part.entries.sorted { $0.key < $1.key }.map(\.value))
        }
        for (reason, count) in source.skipped { skipped[reason, default: 0] += count }
        return try writeIndex(entries: records.indices.compactMap { entries[$0] }, options: options, sources: sources, classes: classes,
                              skipped: skipped, root: root)
    }

    /// Writes the split lists and `dataset.json` of `entries` (in the source's order).
    static func writeIndex(entries written: [UnprocessedDatasetManifest.Image], options: UnprocessOptions, sources: [PhotoSourceDescription],
                           classes: [String], skipped: [String: Int], root: URL) throws -> UnprocessedDatasetManifest {
        let counts = try DatasetLayout.writeSplitLists(ids: written.map { ($0.id, $0.split) }, root: root)
        let manifest = UnprocessedDatasetManifest(options: options, sources: sources, classes: classes, splits: counts,
                                                  skipped: skipped, entries: written)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicOutput.write(Array(try encoder.encode(manifest)) + [10], to: root.appendingPathComponent("dataset.json").path)
        return manifest
    }

    /// One photo: decode, boxes, scale and even crop, mosaic, DNG and XML.
    static func unprocess(_ record: PhotoRecord, split: String, keep: Set<String>?, options: UnprocessOptions,
                          root: URL) throws -> UnprocessedDatasetManifest.Image {
        var photo = try PhotoDecoder.decode(path: record.imagePath)
        var objects = try record.objects(width: photo.width, height: photo.height)
        if let keep { objects = objects.filter { keep.contains($0.className) } }
        let size = PhotoGeometry.scaledSize(width: photo.width, height: photo.height, scale: options.scale)
        if size.width != photo.width || size.height != photo.height {
            let sx = Double(size.width) / Double(photo.width), sy = Double(size.height) / Double(photo.height)
            photo = PhotoGeometry.resized(photo, width: size.width, height: size.height)
            objects = objects.map { var o = $0; o.box = o.box.scaled(x: sx, y: sy); return o }
        }
        photo = PhotoGeometry.evenCropped(photo)
        guard photo.width >= minimumSide, photo.height >= minimumSide else {
            throw FileError(path: record.imagePath, "photo of \(photo.width)×\(photo.height) pixels is smaller than the \(minimumSide)×\(minimumSide) a mosaic needs")
        }
        let boxes = objects.compactMap { vocBox($0, width: photo.width, height: photo.height) }
        let draw = draw(id: record.id, options: options)
        var noise = SeededRandom.stream(seed: options.seed ^ 0x6E6F_6973_6500_0000, index: stableHash(record.id))
        let mosaic = try Unprocessor.mosaic(photo, camera: options.cameras[draw.camera], draw: draw, random: &noise)
        let file = "raw/\(record.id).dng"
        try DNGWriter.write(mosaic, to: root.appendingPathComponent(file).path)
        let xml = VOCAnnotationFile(filename: "\(record.id).dng", width: photo.width, height: photo.height, groundTruth: boxes)
        try AtomicOutput.write(Array(xml.text(database: "RawQuant unprocessed photographs").utf8),
                               to: root.appendingPathComponent("Annotations/\(record.id).xml").path)
        return .init(id: record.id, file: file, photo: record.imagePath, split: split, width: photo.width, height: photo.height,
                     objects: boxes.count, draw: draw)
    }

    /// A box in whole mosaic pixels (rounded, clipped to the frame); nil when nothing of it is left.
    static func vocBox(_ object: GroundTruthObject, width: Int, height: Int) -> GroundTruthObject? {
        let b = object.box
        let box = BoundingBox(xmin: max(1, b.xmin.rounded()), ymin: max(1, b.ymin.rounded()),
                              xmax: min(Double(width), b.xmax.rounded()), ymax: min(Double(height), b.ymax.rounded()))
        guard box.xmin <= box.xmax, box.ymin <= box.ymax else { return nil }
        var o = object
        o.box = box
        return o
    }

    /// FNV-1a (64-bit) of the id's UTF-8 bytes: the same on every platform.
    static func stableHash(_ id: String) -> UInt64 {
        id.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01B3 }
    }
}

/// A count of finished items shared by workers; reports each new count under its lock, in order.
final class ProgressCounter: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()

    func increment(_ report: (Int) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        report(count)
    }
}

/// One source of labelled photos as given: the photo folder, the annotations and their format.
public struct PhotoSourceDescription: Codable, Sendable, Equatable {
    public var images: String
    public var annotations: String
    public var format: PhotoAnnotationFormat

    public init(images: String, annotations: String, format: PhotoAnnotationFormat) {
        self.images = images
        self.annotations = annotations
        self.format = format
    }
}
