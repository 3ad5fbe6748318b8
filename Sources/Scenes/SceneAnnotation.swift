import DetectionData

/// A labelled object in a scene, in VOC conventions.
public struct AnnotatedObject: Codable, Sendable, Equatable {
    public var name: String
    /// Box of the object's visible pixels (VOC convention, whole pixels: 1-based, inclusive), mosaic coordinates.
    public var box: BoundingBox
    /// The object extends beyond the image border.
    public var truncated: Bool
    /// Something covers part of the object.
    public var occluded: Bool
    /// Mostly hidden: VOC evaluation ignores difficult objects.
    public var difficult: Bool

    public init(name: String, box: BoundingBox, truncated: Bool = false, occluded: Bool = false, difficult: Bool = false) {
        self.name = name
        self.box = box
        self.truncated = truncated
        self.occluded = occluded
        self.difficult = difficult
    }
}

/// The annotation of one image: what a VOC XML file holds.
public struct SceneAnnotation: Codable, Sendable, Equatable {
    public var filename: String
    public var width: Int
    public var height: Int
    public var objects: [AnnotatedObject]

    public init(filename: String, width: Int, height: Int, objects: [AnnotatedObject]) {
        self.filename = filename
        self.width = width
        self.height = height
        self.objects = objects
    }

    /// The VOC XML text (`<annotation>` with `<size>` and one `<object>` per object; ``VOCAnnotationFile``).
    public func vocXML(folder: String = "raw", database: String = "RawQuant synthetic raw scenes") -> String {
        VOCAnnotationFile(filename: filename, width: width, height: height, objects: objects.map {
            VOCAnnotationFile.Object(name: $0.name, box: $0.box, truncated: $0.truncated, occluded: $0.occluded, difficult: $0.difficult)
        }).text(folder: folder, database: database)
    }
}
