/// Writes the VOC XML annotation of one image: `<annotation>` with `<size>` and one `<object>` per box.
public struct VOCAnnotationFile: Codable, Sendable, Equatable {
    /// One object: VOC box in whole pixels (1-based, inclusive) and its flags.
    public struct Object: Codable, Sendable, Equatable {
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

    public var filename: String
    public var width: Int
    public var height: Int
    public var objects: [Object]

    public init(filename: String, width: Int, height: Int, objects: [Object]) {
        self.filename = filename
        self.width = width
        self.height = height
        self.objects = objects
    }

    /// An annotation of ground-truth objects (not truncated or occluded; difficult as given).
    public init(filename: String, width: Int, height: Int, groundTruth objects: [GroundTruthObject]) {
        self.init(filename: filename, width: width, height: height,
                  objects: objects.map { Object(name: $0.className, box: $0.box, difficult: $0.difficult) })
    }

    /// The XML text; box coordinates are written as integers (truncated).
    public func text(folder: String = "raw", database: String) -> String {
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
