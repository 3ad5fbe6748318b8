import Foundation
import Support

/// Reads COCO-style `instances_*.json` annotations (how most raw-detection code ships PASCALRAW).
///
/// `bbox` is COCO's continuous [x, y, width, height]; crowd annotations (`iscrowd` = 1) become
/// difficult objects (ignored by the evaluators). Image ids may be numbers (COCO) or strings (the
/// PASCALRAW split of RawAdaptationModule names its images "2014_000001").
enum COCOAnnotations {
    private struct File: Decodable {
        struct Image: Decodable {
            var id: COCOImageID
            var file_name: String
            var width: Int?
            var height: Int?
        }
        struct Annotation: Decodable {
            var image_id: COCOImageID
            var category_id: Int
            var bbox: [Double]
            var iscrowd: Int?
        }
        struct Category: Decodable {
            var id: Int
            var name: String
        }
        var images: [Image]
        var annotations: [Annotation]
        var categories: [Category]
    }

    /// `*instances_*.json` files (COCO's `instances_val2017.json`, the PASCALRAW split's
    /// `dng_instances_test.json`) at the top level or in `annotations/` / `Annotations/`.
    static func annotationFiles(directory: String) -> [String] {
        ["", "/annotations", "/Annotations"].flatMap { sub -> [String] in
            let folder = directory + sub
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            return names.filter { $0.contains("instances_") && $0.hasSuffix(".json") }.sorted().map { folder + "/" + $0 }
        }
    }

    static func load(directory: String, split: String?) throws -> [AnnotationRecord] {
        let files = annotationFiles(directory: directory)
        let chosen = split.map { s in files.filter { URL(fileURLWithPath: $0).lastPathComponent.contains("instances_\(s)") } } ?? files
        guard !chosen.isEmpty else {
            throw FileError(path: directory, "no instances_\(split ?? "*").json annotation file")
        }
        return try chosen.flatMap(parse)
    }

    /// The largest annotation file read, bytes.
    static let maximumFileSize = 256 << 20

    static func parse(path: String) throws -> [AnnotationRecord] {
        try parse(bytes: try BoundedFile.read(path, limit: maximumFileSize, what: "COCO annotation file"), path: path)
    }

    /// Parses one COCO JSON document (`path` names it in errors).
    static func parse(bytes: Data, path: String) throws -> [AnnotationRecord] {
        do {
            try StrictJSON.validate(Array(bytes))
        } catch {
            throw FileError(path: path, "malformed COCO annotation JSON: \(error)")
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: bytes)
        } catch {
            throw FileError(path: path, "malformed COCO annotation JSON (images, annotations and categories with their fields are required)")
        }
        for image in file.images {
            guard !image.file_name.isEmpty, image.file_name.utf8.count <= 4096 else {
                throw FileError(path: path, "image \(image.id): file_name \(Untrusted.quote(image.file_name)) is empty or longer than 4096 bytes")
            }
            for side in [image.width, image.height] {
                if let side, !(0...AnnotationLimits.maximumSide).contains(side) {
                    throw FileError(path: path, "image \(image.id): width and height must be in 0...\(AnnotationLimits.maximumSide), got \(side)")
                }
            }
        }
        guard file.annotations.count <= AnnotationLimits.maximumObjects * max(1, file.images.count) else {
            throw FileError(path: path, "\(file.annotations.count) annotations for \(file.images.count) images")
        }
        let names = Dictionary(file.categories.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var objects: [COCOImageID: [GroundTruthObject]] = [:]
        for annotation in file.annotations {
            guard let name = names[annotation.category_id] else {
                throw FileError(path: path, "annotation refers to unknown category id \(annotation.category_id)")
            }
            guard annotation.bbox.count == 4, annotation.bbox.allSatisfy({ $0.isFinite && abs($0) <= AnnotationLimits.maximumCoordinate }) else {
                throw FileError(path: path, "bbox must be 4 finite numbers [x, y, w, h] within ±\(Int(AnnotationLimits.maximumCoordinate))")
            }
            objects[annotation.image_id, default: []].append(
                GroundTruthObject(className: name, box: BoundingBox(cocoXYWH: annotation.bbox), difficult: annotation.iscrowd == 1))
        }
        return file.images.sorted { $0.id < $1.id }.map { image in
            AnnotationRecord(id: URL(fileURLWithPath: image.file_name).deletingPathExtension().lastPathComponent,
                             fileName: image.file_name, width: image.width ?? 0, height: image.height ?? 0,
                             objects: objects[image.id] ?? [], source: path)
        }
    }
}

/// A COCO image id: a number in COCO itself, a string in some derived sets.
enum COCOImageID: Decodable, Hashable, Comparable, CustomStringConvertible {
    case number(Int)
    case text(String)

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let n = try? container.decode(Int.self) {
            self = .number(n)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    var description: String {
        switch self {
        case .number(let n): String(n)
        case .text(let s): Untrusted.quote(s)
        }
    }
}
