import Foundation
import Support

/// Reads YOLO (darknet / Ultralytics) label files: one object per line,
/// `CLASS CX CY W H` with the box centre and size as fractions of the image's width and height.
public enum YOLOAnnotations {
    /// One label line: a class index and a box in fractions of the image.
    public struct Label: Sendable, Equatable {
        public var classIndex: Int
        public var centerX: Double
        public var centerY: Double
        public var width: Double
        public var height: Double

        /// The box in the pixels of a `width` × `height` image, VOC convention (1-based, inclusive,
        /// continuous): xmin = (cx − w/2)·W + 1, xmax = (cx + w/2)·W, clipped to the image.
        public func box(imageWidth: Int, imageHeight: Int) -> BoundingBox {
            let w = Double(imageWidth), h = Double(imageHeight)
            return BoundingBox(xmin: max(0, (centerX - width / 2) * w) + 1, ymin: max(0, (centerY - height / 2) * h) + 1,
                               xmax: min(w, (centerX + width / 2) * w), ymax: min(h, (centerY + height / 2) * h))
        }
    }

    /// The largest label file read, bytes.
    public static let maximumFileSize = 16 << 20

    /// Parses a label file's bytes (`path` names it in errors). Blank lines are skipped; a line with
    /// extra numbers (segment polygons, confidences) is refused, as is a class index outside
    /// 0..<`classCount` or a coordinate outside [0, 1] (a tolerance of 10⁻³ is clipped).
    public static func parse(_ bytes: [UInt8], path: String, classCount: Int) throws -> [Label] {
        guard UTF8Validation.isValid(bytes) else { throw FileError(path: path, "YOLO label file is not UTF-8 text") }
        var labels: [Label] = []
        for (number, line) in String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard !fields.isEmpty else { continue }
            func fail(_ message: String) -> FileError { FileError(path: path, "line \(number + 1): \(message)") }
            guard fields.count == 5 else { throw fail("expected CLASS CX CY W H, got \(fields.count) fields") }
            guard let index = Int(fields[0]), (0..<classCount).contains(index) else {
                throw fail("class \(Untrusted.quote(String(fields[0]))) is not an index in 0..<\(classCount)")
            }
            let values = fields.dropFirst().map { Double($0) }
            guard values.allSatisfy({ $0 != nil && $0!.isFinite && $0! >= -1e-3 && $0! <= 1 + 1e-3 }) else {
                throw fail("box values must be numbers in [0, 1]")
            }
            let v = values.map { min(max($0!, 0), 1) }
            guard v[2] > 0, v[3] > 0 else { throw fail("box width and height must be positive") }
            labels.append(Label(classIndex: index, centerX: v[0], centerY: v[1], width: v[2], height: v[3]))
            guard labels.count <= AnnotationLimits.maximumObjects else { throw fail("more than \(AnnotationLimits.maximumObjects) objects") }
        }
        return labels
    }

    /// Parses the label file at `path`.
    public static func parse(path: String, classCount: Int) throws -> [Label] {
        try parse(Array(try BoundedFile.read(path, limit: maximumFileSize, what: "YOLO label file")), path: path, classCount: classCount)
    }
}

/// Reads the class names of a YOLO dataset, in label order.
///
/// Accepts a plain list (`classes.txt`, `*.names`: one name per line) or a YOLO data YAML's `names:`
/// entry, as a block of `INDEX: name` lines or `- name` items, or an inline `[a, b, 'c d']` list.
public enum ClassNamesFile {
    /// The largest class-names file read, bytes.
    public static let maximumFileSize = 1 << 20

    /// A names file in `folder` (or beside the file `folder`) or up to two folders above it: `classes.txt`,
    /// `data.yaml`, `dataset.yaml`, `config.yaml` or a `*.names`, the nearest first.
    public static func find(near folder: String) throws -> String {
        var url = URL(fileURLWithPath: folder)
        if !((try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory ?? false) { url.deleteLastPathComponent() }
        for _ in 0..<3 {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
            for candidate in ["classes.txt", "data.yaml", "dataset.yaml", "config.yaml"] where names.contains(candidate) {
                return url.appendingPathComponent(candidate).path
            }
            if let list = names.first(where: { $0.hasSuffix(".names") }) { return url.appendingPathComponent(list).path }
            url.deleteLastPathComponent()
        }
        throw FileError(path: folder, "no class-names file (classes.txt, *.names, data.yaml) found near the labels: pass --class-names FILE")
    }

    /// Parses the file at `path`.
    public static func read(_ path: String) throws -> [String] {
        let bytes = Array(try BoundedFile.read(path, limit: maximumFileSize, what: "class-names file"))
        return try parse(bytes, path: path, yaml: path.lowercased().hasSuffix(".yaml") || path.lowercased().hasSuffix(".yml"))
    }

    /// Parses class names from `bytes`: a YAML `names:` entry when `yaml`, else one name per line.
    public static func parse(_ bytes: [UInt8], path: String, yaml: Bool) throws -> [String] {
        guard UTF8Validation.isValid(bytes) else { throw FileError(path: path, "class-names file is not UTF-8 text") }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
        let names = yaml ? try yamlNames(lines, path: path) : lines.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw FileError(path: path, "no class names found") }
        guard Set(names).count == names.count, names.count <= 1000 else {
            throw FileError(path: path, "class names must be at most 1000 distinct names")
        }
        return names
    }

    private static func yamlNames(_ lines: [String], path: String) throws -> [String] {
        guard let start = lines.firstIndex(where: { $0.hasPrefix("names:") }) else {
            throw FileError(path: path, "no top-level `names:` entry")
        }
        let inline = lines[start].dropFirst("names:".count).trimmingCharacters(in: .whitespaces)
        if inline.hasPrefix("[") {
            guard inline.hasSuffix("]") else { throw FileError(path: path, "names: an inline list must end on its line with ]") }
            return inline.dropFirst().dropLast().split(separator: ",").map { unquote(String($0)) }
        }
        var indexed: [Int: String] = [:], listed: [String] = []
        for line in lines[(start + 1)...] {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            guard line.first == " " || line.first == "\t" else { break }  // the block ends at the next top-level key
            if trimmed.hasPrefix("- ") {
                listed.append(unquote(String(trimmed.dropFirst(2))))
            } else if let colon = trimmed.firstIndex(of: ":"), let index = Int(trimmed[..<colon]), (0..<1000).contains(index) {
                guard indexed[index] == nil else { throw FileError(path: path, "names: index \(index) given twice") }
                indexed[index] = unquote(String(trimmed[trimmed.index(after: colon)...]))
            } else {
                throw FileError(path: path, "names: cannot read \(Untrusted.quote(trimmed))")
            }
        }
        if !listed.isEmpty { return listed }
        guard indexed.keys.sorted() == Array(0..<indexed.count) else {
            throw FileError(path: path, "names: indices must run 0, 1, 2, … without gaps")
        }
        return (0..<indexed.count).map { indexed[$0]! }
    }

    private static func unquote(_ text: String) -> String {
        var t = text.trimmingCharacters(in: .whitespaces)
        if let hash = t.range(of: " #") { t = String(t[..<hash.lowerBound]).trimmingCharacters(in: .whitespaces) }
        if t.count >= 2, let first = t.first, first == t.last, first == "'" || first == "\"" { t = String(t.dropFirst().dropLast()) }
        return t
    }
}
