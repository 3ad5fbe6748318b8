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

    /// The VOC XML text (`<annotation>` with `<size>` and one `<object>` per object).
    public func vocXML(folder: String = "raw", database: String = "RawQuant synthetic raw scenes") -> String {
        var lines = [
            "<annotation>",
            "  <folder>\(escape(folder))</folder>",
            "  <filename>\(escape(filename))</filename>",
            "  <source><database>\(escape(database))</database></source>",
            "  <size><width>\(width)</width><height>\(height)</height><depth>1</depth></size>",
            "  <segmented>0</segmented>",
        ]
        for o in objects {
            lines += [
                "  <object>",
                "    <name>\(escape(o.name))</name>",
                "    <pose>Unspecified</pose>",
                "    <truncated>\(o.truncated ? 1 : 0)</truncated>",
                "    <occluded>\(o.occluded ? 1 : 0)</occluded>",
                "    <difficult>\(o.difficult ? 1 : 0)</difficult>",
                "    <bndbox><xmin>\(Int(o.box.xmin))</xmin><ymin>\(Int(o.box.ymin))</ymin><xmax>\(Int(o.box.xmax))</xmax><ymax>\(Int(o.box.ymax))</ymax></bndbox>",
                "  </object>",
            ]
        }
        lines.append("</annotation>")
        return lines.joined(separator: "\n") + "\n"
    }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
