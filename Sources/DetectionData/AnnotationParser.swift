import Foundation

/// One annotation file's bytes parsed as the dataset loader parses them (VOC XML or COCO JSON), without
/// the raw files: for tools that check annotations, and for the fuzzing harness.
public enum AnnotationParser {
    /// An image's annotation: its id, the file name it names, the size its boxes refer to (0 = unknown)
    /// and its objects (VOC boxes, 1-based inclusive, in that size's pixels).
    public struct Image: Sendable, Equatable {
        public var id: String
        public var fileName: String
        public var width: Int
        public var height: Int
        public var objects: [GroundTruthObject]
    }

    /// A VOC XML annotation.
    public static func voc(_ bytes: [UInt8], path: String) throws -> Image {
        image(try VOCAnnotations.parse(bytes: bytes, path: path, id: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent))
    }

    /// A COCO `instances_*.json` file's images.
    public static func coco(_ bytes: [UInt8], path: String) throws -> [Image] {
        try COCOAnnotations.parse(bytes: Data(bytes), path: path).map(image)
    }

    private static func image(_ r: AnnotationRecord) -> Image {
        Image(id: r.id, fileName: r.fileName, width: r.width, height: r.height, objects: r.objects)
    }
}

extension AnnotationParser {
    /// The COCO annotation files of a dataset: `instances_*.json` at the top level of `directory` or in its
    /// `annotations/` / `Annotations/` folder, sorted.
    public static func cocoFiles(directory: String) -> [String] { COCOAnnotations.annotationFiles(directory: directory) }

    /// The COCO annotation file at `path` (read with the loader's size limit).
    public static func coco(path: String) throws -> [Image] { try COCOAnnotations.parse(path: path).map(image) }

    /// The VOC annotation file at `path`.
    public static func voc(path: String) throws -> Image {
        image(try VOCAnnotations.parse(path: path, id: URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent))
    }
}
