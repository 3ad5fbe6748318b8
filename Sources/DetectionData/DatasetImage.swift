
/// One annotated raw image of a detection dataset.
public struct DatasetImage: Sendable, Equatable {
    /// The image id (file stem, e.g. "2014_000001").
    public var id: String
    /// Path of the raw file.
    public var rawPath: String
    /// Visible size of the raw mosaic, pixels.
    public var width: Int
    public var height: Int
    /// Objects with boxes in mosaic pixel coordinates (VOC convention, rescaled from the annotation's size).
    public var objects: [GroundTruthObject]
}

import RawIO

/// A loaded split of a dataset.
public struct LoadedDataset: Sendable {
    public var images: [DatasetImage]
    /// Class names, in label order.
    public var classes: [String]
    public var format: DatasetFormat
    /// Items skipped under ``InvalidItemPolicy/skip``, by reason ("box outside the image" → count).
    public var skipped: [String: Int]
    /// How its raw files are decoded (what ``DatasetLoadOptions/decode`` gave).
    public var decode = RawDecodeOptions()
}

/// Annotation formats the loader reads.
public enum DatasetFormat: String, Sendable, CaseIterable {
    /// `Annotations/*.xml` + `ImageSets/Main/{split}.txt` (PASCAL VOC, PASCALRAW).
    case voc
    /// `instances_{split}*.json` (COCO), at the top level or under `annotations/`.
    case coco
    /// `labels/**.txt` (YOLO fractions of the raw's size) with a class-names file; splits from `labels/{split}*/`
    /// folders or `{split}.txt` lists.
    case yolo
    /// PASCALRAW as its users have it: NEF files with VOC XML (boxes in the XML's 600×400 `<size>`) and split
    /// lists, or the RAM COCO split `dng_instances_{split}.json` (602×400 frame, `.npy` names, string ids).
    /// Boxes are rescaled to each raw's visible area.
    case pascalraw
}

/// What to do with an invalid item (box outside the image, unknown class, missing raw file).
public enum InvalidItemPolicy: String, Sendable {
    /// Stop with an error naming the file.
    case fail
    /// Leave the item out and count it in ``LoadedDataset/skipped``.
    case skip
}

/// Limits on what an annotation file may claim, so a crafted file is an error instead of a trap or a
/// huge allocation.
public enum AnnotationLimits {
    /// The largest image side an annotation may state, pixels.
    public static let maximumSide = 1 << 20
    /// The largest magnitude of a box coordinate, pixels.
    public static let maximumCoordinate = Double(1 << 24)
    /// The most objects one image may have.
    public static let maximumObjects = 100_000
    /// The largest annotation file read, bytes.
    public static let maximumFileBytes = XMLTree.maximumSize
}
