import DetectionData
import Foundation
import Support

/// Annotation formats of labelled photographs.
public enum PhotoAnnotationFormat: String, Codable, Sendable, CaseIterable {
    /// COCO `instances_*.json`: one file, or a directory holding them (also in `annotations/`).
    case coco
    /// YOLO label files (`CLASS CX CY W H` in fractions), a directory searched recursively; class names
    /// from a names file.
    case yolo
    /// PASCAL VOC XML files, a directory.
    case voc
}

/// One labelled photograph: where it is, its source split, its boxes.
public struct PhotoRecord: Sendable {
    /// The image id: the photo's file stem.
    public var id: String
    public var imagePath: String
    /// The split the source puts it in ("train2017"), nil where the source has none.
    public var sourceSplit: String?
    /// The annotation file, for messages.
    public var annotationPath: String?
    var boxes: Boxes

    /// A photo with boxes in the pixels of a `width` × `height` image (0 = the photo's own size).
    public init(id: String, imagePath: String, sourceSplit: String? = nil, annotationPath: String? = nil,
                objects: [GroundTruthObject] = [], width: Int = 0, height: Int = 0) {
        self.init(id: id, imagePath: imagePath, sourceSplit: sourceSplit, annotationPath: annotationPath,
                  boxes: .pixels(objects, width: width, height: height))
    }

    init(id: String, imagePath: String, sourceSplit: String?, annotationPath: String?, boxes: Boxes) {
        self.id = id
        self.imagePath = imagePath
        self.sourceSplit = sourceSplit
        self.annotationPath = annotationPath
        self.boxes = boxes
    }

    enum Boxes: Sendable {
        /// Boxes in the pixels of an image of the given size (0 = the photo's own).
        case pixels([GroundTruthObject], width: Int, height: Int)
        /// YOLO labels: fractions of the photo's size; class names by index.
        case fractions([YOLOAnnotations.Label], names: [String])
    }

    /// The boxes in the pixels of the decoded photo (`width` × `height`), VOC convention. Boxes of a
    /// different annotated size are scaled by the ratio of the sizes (same aspect ratio within 10 %).
    public func objects(width: Int, height: Int) throws -> [GroundTruthObject] {
        switch boxes {
        case .fractions(let labels, let names):
            return labels.map { GroundTruthObject(className: names[$0.classIndex], box: $0.box(imageWidth: width, imageHeight: height)) }
        case .pixels(let objects, let w, let h):
            let aw = w > 0 ? w : width, ah = h > 0 ? h : height
            let sx = Double(width) / Double(aw), sy = Double(height) / Double(ah)
            guard max(sx / sy, sy / sx) <= 1.1 else {
                throw FileError(path: annotationPath ?? imagePath,
                                "image \(Untrusted.quote(id)): annotated size \(aw)×\(ah) does not match the photo's \(width)×\(height)")
            }
            return try objects.map { object in
                let b = object.box
                guard b.xmin <= b.xmax, b.ymin <= b.ymax, b.xmax >= 0.5, b.ymax >= 0.5,
                      b.xmin <= Double(aw) + 0.5, b.ymin <= Double(ah) + 0.5 else {
                    throw FileError(path: annotationPath ?? imagePath,
                                    "image \(Untrusted.quote(id)): box (\(b.xmin), \(b.ymin), \(b.xmax), \(b.ymax)) outside the \(aw)×\(ah) image")
                }
                var o = object
                o.box = b.scaled(x: sx, y: sy)
                return o
            }
        }
    }
}

/// The labelled photographs of a source: images found below a folder, matched by file stem to their
/// annotations.
public struct PhotoSource: Sendable {
    public init(records: [PhotoRecord], classes: [String], skipped: [String: Int] = [:]) {
        self.records = records
        self.classes = classes
        self.skipped = skipped
    }

    public var records: [PhotoRecord]
    /// The source's class names (YOLO: the names file's order; else the sorted names used).
    public var classes: [String]
    /// Annotated images left out, by reason (no photo file, unreadable label file).
    public var skipped: [String: Int]

    /// Photo extensions read (lower case).
    public static let imageExtensions: Set<String> = ["jpg", "jpeg", "png"]

    /// Reads the annotations at `annotations` and matches them to photos below `images`.
    /// - Parameters:
    ///   - classNames: the YOLO names file (list or data YAML); nil = a `classes.txt`, `*.names` or
    ///     `data.yaml`/`config.yaml`/`dataset.yaml` in the annotation folder or up to two folders above.
    ///   - skipInvalid: count and skip a malformed per-image annotation instead of failing.
    public static func load(images: String, annotations: String, format: PhotoAnnotationFormat, classNames: String? = nil,
                            skipInvalid: Bool = false) throws -> PhotoSource {
        let photos = FileIndex(directory: images, extensions: imageExtensions)
        guard !photos.isEmpty else { throw FileError(path: images, "no photos (.jpg, .jpeg, .png) in this folder or below") }
        var skipped: [String: Int] = [:]
        var records: [PhotoRecord] = []
        var classes: [String]
        switch format {
        case .coco:
            let files = try cocoFiles(annotations)
            var seen = Set<String>()
            for file in files {
                let split = splitName(ofCOCOFile: file)
                for image in try AnnotationParser.coco(path: file) {
                    guard let path = photos.path(relative: image.fileName) ?? photos.path(forStem: image.id) else {
                        skipped["no photo file", default: 0] += 1
                        continue
                    }
                    guard seen.insert(image.id).inserted else { skipped["duplicate image id", default: 0] += 1; continue }
                    records.append(PhotoRecord(id: image.id, imagePath: path, sourceSplit: split, annotationPath: file,
                                               boxes: .pixels(image.objects, width: image.width, height: image.height)))
                }
            }
            classes = Array(Set(records.flatMap { r -> [String] in
                if case .pixels(let objects, _, _) = r.boxes { return objects.map(\.className) }
                return []
            })).sorted()
        case .yolo:
            let namesFile = try classNames ?? ClassNamesFile.find(near: annotations)
            classes = try ClassNamesFile.read(namesFile)
            let labels = FileIndex(directory: annotations, extensions: ["txt"], excluding: ["classes", "obj"])
            for (stem, path) in photos.entries {
                let labelPath = labels.path(forStem: stem)
                let split = (labelPath.flatMap(splitName(ofFolderOf:))) ?? splitName(ofFolderOf: path)
                var found: [YOLOAnnotations.Label] = []
                if let labelPath {
                    do {
                        found = try YOLOAnnotations.parse(path: labelPath, classCount: classes.count)
                    } catch {
                        guard skipInvalid else { throw error }
                        skipped["malformed label file", default: 0] += 1
                        continue
                    }
                }
                records.append(PhotoRecord(id: stem, imagePath: path, sourceSplit: split, annotationPath: labelPath,
                                           boxes: .fractions(found, names: classes)))
            }
        case .voc:
            let xml = FileIndex(directory: annotations, extensions: ["xml"])
            guard !xml.isEmpty else { throw FileError(path: annotations, "no VOC annotation files (.xml) in this folder or below") }
            for (stem, file) in xml.entries {
                let image: AnnotationParser.Image
                do {
                    image = try AnnotationParser.voc(path: file)
                } catch {
                    guard skipInvalid else { throw error }
                    skipped["malformed annotation file", default: 0] += 1
                    continue
                }
                guard let path = photos.path(forStem: URL(fileURLWithPath: image.fileName).deletingPathExtension().lastPathComponent)
                        ?? photos.path(forStem: stem) else {
                    skipped["no photo file", default: 0] += 1
                    continue
                }
                records.append(PhotoRecord(id: stem, imagePath: path, sourceSplit: splitName(ofFolderOf: path), annotationPath: file,
                                           boxes: .pixels(image.objects, width: image.width, height: image.height)))
            }
            classes = Array(Set(records.flatMap { r -> [String] in
                if case .pixels(let objects, _, _) = r.boxes { return objects.map(\.className) }
                return []
            })).sorted()
        }
        guard !records.isEmpty else { throw FileError(path: annotations, "no annotated photo found below \(Untrusted.path(images))") }
        records.sort { $0.id < $1.id }
        return PhotoSource(records: records, classes: classes, skipped: skipped)
    }

    /// Several sources as one: records of the later sources whose id an earlier one has (the same COCO image in
    /// two sets) are left out and counted as "duplicate image id"; classes are the union, in first-seen order.
    public static func merged(_ sources: [PhotoSource]) -> PhotoSource {
        guard sources.count > 1 else { return sources.first ?? PhotoSource(records: [], classes: []) }
        var seen = Set<String>(), records: [PhotoRecord] = [], classes: [String] = [], skipped: [String: Int] = [:]
        for source in sources {
            for record in source.records {
                if seen.insert(record.id).inserted { records.append(record) } else { skipped["duplicate image id", default: 0] += 1 }
            }
            for name in source.classes where !classes.contains(name) { classes.append(name) }
            skipped.merge(source.skipped, uniquingKeysWith: +)
        }
        records.sort { $0.id < $1.id }
        return PhotoSource(records: records, classes: classes, skipped: skipped)
    }

    /// The COCO files at `path`: the file itself, or the `instances_*.json` (else any `*.json`) in the folder.
    static func cocoFiles(_ path: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw FileError(path: path, "no such file or folder") }
        guard isDirectory.boolValue else { return [path] }
        let files = AnnotationParser.cocoFiles(directory: path)
        if !files.isEmpty { return files }
        let any = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        guard !any.isEmpty else { throw FileError(path: path, "no COCO annotation file (instances_*.json or *.json) in this folder") }
        return any.map { path + "/" + $0 }
    }

    /// "instances_train2017.json" → "train2017"; nil when the name says no split.
    static func splitName(ofCOCOFile path: String) -> String? {
        var stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        if stem.hasPrefix("instances_") { stem.removeFirst("instances_".count) }
        return SourceSplit(sourceName: stem) == nil ? nil : stem
    }

    /// The name of the folder holding `path` when it names a split ("labels/val2017/x.txt" → "val2017").
    static func splitName(ofFolderOf path: String) -> String? {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().lastPathComponent
        return SourceSplit(sourceName: folder) == nil ? nil : folder
    }

}

/// What a source's split name means: train, val or test ("train2017", "val2017", "valid", "test-dev").
enum SourceSplit: String {
    case train, val, test

    init?(sourceName name: String) {
        let n = name.lowercased()
        if n.contains("train") { self = .train } else if n.contains("val") { self = .val } else if n.contains("test") { self = .test } else { return nil }
    }
}

extension PhotoSource {
    /// The format of annotations at `path`: a `.json` file or a folder with JSON files → COCO; a folder
    /// (searched three levels deep) with `.xml` files → VOC; with `.txt` label files → YOLO.
    public static func detectFormat(_ path: String) throws -> PhotoAnnotationFormat {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw FileError(path: path, "no such file or folder") }
        if !isDirectory.boolValue {
            if path.lowercased().hasSuffix(".json") { return .coco }
            throw FileError(path: path, "annotations must be a COCO .json file or a folder of YOLO .txt or VOC .xml files")
        }
        if (try? cocoFiles(path)) != nil { return .coco }
        if !FileIndex(directory: path, extensions: ["xml"]).isEmpty { return .voc }
        if !FileIndex(directory: path, extensions: ["txt"], excluding: ["classes"]).isEmpty { return .yolo }
        throw FileError(path: path, "no COCO .json, VOC .xml or YOLO .txt annotations in this folder: pass --format")
    }
}
