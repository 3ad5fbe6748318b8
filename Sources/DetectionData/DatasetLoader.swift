import Foundation
import RawIO
import Support

/// Options for ``DatasetLoader``.
public struct DatasetLoadOptions: Sendable {
    /// The class list (label order); nil = the sorted names found in the annotations.
    public var classes: [String]?
    /// Format; nil = detect (`Annotations/` → VOC, else `instances_*.json` → COCO, else `labels/` → YOLO).
    public var format: DatasetFormat?
    public var onInvalid: InvalidItemPolicy = .fail
    /// YOLO: the class-names file; nil = one found near `labels/` (``ClassNamesFile/find(near:)``).
    public var classNamesFile: String?
    /// How the raw files are decoded (a ``RawDecodeOptions/rawFormat`` for headerless or PNG/TIFF mosaics);
    /// kept in the ``LoadedDataset`` for everything that decodes its images later.
    public var decode = RawDecodeOptions()

    public init(classes: [String]? = nil, format: DatasetFormat? = nil, onInvalid: InvalidItemPolicy = .fail,
                classNamesFile: String? = nil, decode: RawDecodeOptions = RawDecodeOptions()) {
        self.classes = classes
        self.format = format
        self.onInvalid = onInvalid
        self.classNamesFile = classNamesFile
        self.decode = decode
    }
}

/// Loads detection datasets of raw files: VOC / PASCALRAW XML, COCO JSON or YOLO label annotations.
///
/// Boxes end up in mosaic pixels (VOC convention): when an annotation's image size differs from the raw
/// file's visible area (PASCALRAW's boxes refer to 600×400 renderings), boxes are scaled by the ratio of
/// the two sizes. Raw files are found by file stem anywhere up to two levels below the directory.
public enum DatasetLoader {
    /// Loads `split` ("train", "val", "test", …; nil = every annotated image) of the dataset at `directory`.
    public static func load(directory: String, split: String?, options: DatasetLoadOptions = DatasetLoadOptions()) throws -> LoadedDataset {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw FileError(path: directory, "not a dataset directory")
        }
        let format = try options.format ?? detectFormat(directory)
        var skipped: [String: Int] = [:]
        let records: [AnnotationRecord]
        switch format {
        case .voc: records = try VOCAnnotations.load(directory: directory, split: split)
        case .coco: records = try COCOAnnotations.load(directory: directory, split: split)
        case .yolo: records = try YOLODataset.load(directory: directory, split: split, classNamesFile: options.classNamesFile)
        case .pascalraw: records = try PASCALRAWDataset.load(directory: directory, split: split)
        }
        // Default labels: a YOLO names file's order, else the sorted names the annotations use.
        let classes = options.classes ?? (records.first { $0.fractions != nil }?.classNames
            ?? Array(Set(records.flatMap { $0.objects.map(\.className) })).sorted())
        let known = Set(classes)
        guard known.count == classes.count, !classes.contains(""), classes.count <= 1000 else {
            throw FileError(path: directory, "the class list must hold at most 1000 distinct non-empty names, got \(Untrusted.escape(classes.joined(separator: ","), limit: 200))")
        }
        let index = FileIndex.raws(in: directory, includeMosaicImages: options.decode.rawFormat != nil)
        var images: [DatasetImage] = []
        for record in records {
            func invalid(_ reason: String, _ detail: String) throws {
                if options.onInvalid == .fail { throw FileError(path: record.source, detail) }
                skipped[reason, default: 0] += 1
            }
            guard let rawPath = index.path(for: record.fileName) ?? index.path(for: record.id) else {
                try invalid("missing raw file", "no raw file for image \(Untrusted.quote(record.id)) (\(Untrusted.quote(record.fileName))) below \(directory)")
                continue
            }
            let size: (width: Int, height: Int)
            do {
                size = try RawDecoder.visibleSize(path: rawPath, options: options.decode)
            } catch let error as RawIOError {
                try invalid("unreadable raw file", error.description)
                continue
            }
            var record = record
            if let labels = record.fractions {  // YOLO: fractions of the raw's own size
                record.objects = labels.map { GroundTruthObject(className: record.classNames[$0.classIndex], box: $0.box(imageWidth: size.width, imageHeight: size.height)) }
                (record.width, record.height) = (size.width, size.height)
            }
            let annotatedWidth = record.width > 0 ? record.width : size.width
            let annotatedHeight = record.height > 0 ? record.height : size.height
            let sx = Double(size.width) / Double(annotatedWidth), sy = Double(size.height) / Double(annotatedHeight)
            // The annotation's size must describe this raw: the same aspect ratio within 10 % (renderings
            // such as PASCALRAW's 600×400 are scaled, not cropped).
            guard max(sx / sy, sy / sx) <= 1.1 else {
                try invalid("size does not match the raw",
                            "annotated size \(annotatedWidth)×\(annotatedHeight) does not match the raw's \(size.width)×\(size.height) (aspect ratio)")
                continue
            }
            guard record.objects.count <= AnnotationLimits.maximumObjects else {
                try invalid("too many objects", "\(record.objects.count) objects in one image (at most \(AnnotationLimits.maximumObjects))")
                continue
            }
            var objects: [GroundTruthObject] = []
            for object in record.objects {
                guard known.contains(object.className) else {
                    try invalid("unknown class", "unknown class \(Untrusted.quote(object.className)) (classes: \(Untrusted.escape(classes.joined(separator: ", "), limit: 200)); skipping invalid items leaves such boxes out)")
                    continue
                }
                let b = object.box
                guard b.xmin >= 0.5, b.ymin >= 0.5, b.xmin <= b.xmax, b.ymin <= b.ymax,
                      b.xmax <= Double(annotatedWidth) + 0.5, b.ymax <= Double(annotatedHeight) + 0.5 else {
                    try invalid("box outside the image",
                                "box (\(b.xmin), \(b.ymin), \(b.xmax), \(b.ymax)) outside the \(annotatedWidth)×\(annotatedHeight) image")
                    continue
                }
                objects.append(GroundTruthObject(className: object.className, box: b.scaled(x: sx, y: sy), difficult: object.difficult))
            }
            images.append(DatasetImage(id: record.id, rawPath: rawPath, width: size.width, height: size.height, objects: objects))
        }
        return LoadedDataset(images: images, classes: classes, format: format, skipped: skipped, decode: options.decode)
    }

    static func detectFormat(_ directory: String) throws -> DatasetFormat {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory + "/Annotations", isDirectory: &isDirectory), isDirectory.boolValue {
            return .voc
        }
        if !COCOAnnotations.annotationFiles(directory: directory).isEmpty { return .coco }
        if FileManager.default.fileExists(atPath: directory + "/labels", isDirectory: &isDirectory), isDirectory.boolValue { return .yolo }
        throw FileError(path: directory, "no Annotations/ directory (VOC), no instances_*.json (COCO) and no labels/ directory (YOLO)")
    }
}

/// One image's annotation as read from a file, before raw lookup and rescaling.
struct AnnotationRecord {
    var id: String
    var fileName: String
    /// The image size the boxes refer to (0 = unknown: use the raw's).
    var width: Int
    var height: Int
    var objects: [GroundTruthObject]
    /// The annotation file, for error messages.
    var source: String
    /// YOLO labels (fractions of the raw's size), resolved to `objects` once the raw's size is known.
    var fractions: [YOLOAnnotations.Label]? = nil
    /// YOLO class names by index.
    var classNames: [String] = []
}
