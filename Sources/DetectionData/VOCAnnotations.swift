import Foundation
import Support

/// Reads VOC XML annotations and split lists.
enum VOCAnnotations {
    static func load(directory: String, split: String?) throws -> [AnnotationRecord] {
        let annotations = directory + "/Annotations"
        let ids: [String]
        if let split {
            let list = directory + "/ImageSets/Main/\(split).txt"
            guard let text = try? String(contentsOfFile: list, encoding: .utf8) else {
                throw FileError(path: list, "split list not found or unreadable")
            }
            // VOC lists hold one id per line (class lists add a flag after it).
            ids = text.split(whereSeparator: \.isNewline).compactMap { $0.split(separator: " ").first.map(String.init) }
        } else {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: annotations)) ?? []
            ids = files.filter { $0.hasSuffix(".xml") }.map { String($0.dropLast(4)) }.sorted()
        }
        return try ids.map { try parse(path: annotations + "/\($0).xml", id: $0) }
    }

    /// Parses one VOC XML file.
    static func parse(path: String, id: String) throws -> AnnotationRecord {
        try parse(bytes: Array(try BoundedFile.read(path, limit: XMLTree.maximumSize, what: "annotation file")), path: path, id: id)
    }

    /// Parses one VOC XML document (`path` names it in errors).
    static func parse(bytes: [UInt8], path: String, id: String) throws -> AnnotationRecord {
        let root: XMLTree
        do {
            root = try XMLTree.parse(bytes)
        } catch {
            throw FileError(path: path, "malformed XML: \(error)")
        }
        guard root.name == "annotation" else {
            throw FileError(path: path, "not a VOC annotation (root element is <\(Untrusted.escape(root.name))>, not <annotation>)")
        }
        func number(_ element: XMLTree, _ name: String) throws -> Double {
            guard let value = element.value(name).flatMap(Double.init), value.isFinite, abs(value) <= AnnotationLimits.maximumCoordinate else {
                throw FileError(path: path, "<\(name)> missing, not a number or beyond ±\(Int(AnnotationLimits.maximumCoordinate))")
            }
            return value
        }
        func side(_ element: XMLTree, _ name: String) throws -> Int {
            let value = try number(element, name)
            guard let side = CheckedSize.int(value), Double(side) == value, (0...AnnotationLimits.maximumSide).contains(side) else {
                throw FileError(path: path, "<\(name)> \(value) is not a whole number of pixels in 0...\(AnnotationLimits.maximumSide)")
            }
            return side
        }
        let size = root.child("size")
        let width = try size.map { try side($0, "width") } ?? 0
        let height = try size.map { try side($0, "height") } ?? 0
        var objects: [GroundTruthObject] = []
        for object in root.children("object") {
            guard let name = object.value("name"), !name.isEmpty else { throw FileError(path: path, "<object> without <name>") }
            guard let box = object.child("bndbox") else { throw FileError(path: path, "<object> \(Untrusted.quote(name)) without <bndbox>") }
            objects.append(GroundTruthObject(
                className: name,
                box: BoundingBox(xmin: try number(box, "xmin"), ymin: try number(box, "ymin"), xmax: try number(box, "xmax"), ymax: try number(box, "ymax")),
                difficult: object.value("difficult").flatMap(Int.init) == 1))
        }
        return AnnotationRecord(id: id, fileName: root.value("filename") ?? id, width: width, height: height,
                                objects: objects, source: path)
    }
}
