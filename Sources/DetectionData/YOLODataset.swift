import Foundation
import Support

/// Reads a YOLO-labelled dataset of raw files: label files below `labels/` (or the directory itself),
/// matched to raws by file stem.
///
/// A split is the label folder whose name starts with it (`labels/train/`, `labels/val2017/`), else the
/// stems listed in `{split}.txt` at the top level (one image path per line, as Ultralytics writes them).
enum YOLODataset {
    static func load(directory: String, split: String?, classNamesFile: String?) throws -> [AnnotationRecord] {
        let labelsRoot = FileManager.default.fileExists(atPath: directory + "/labels") ? directory + "/labels" : directory
        let names = try ClassNamesFile.read(try classNamesFile ?? ClassNamesFile.find(near: labelsRoot))
        var files = labelFiles(below: labelsRoot)
        if let split {
            let inFolder = files.filter { file in
                let parts = file.dropFirst(labelsRoot.count + 1).split(separator: "/")
                return parts.count > 1 && parts[0].hasPrefix(split)
            }
            if !inFolder.isEmpty {
                files = inFolder
            } else if let list = try? String(contentsOfFile: directory + "/\(split).txt", encoding: .utf8) {
                let stems = Set(list.split(whereSeparator: \.isNewline).map { URL(fileURLWithPath: String($0)).deletingPathExtension().lastPathComponent })
                files = files.filter { stems.contains(URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent) }
            } else {
                throw FileError(path: directory, "no labels/\(split)*/ folder and no \(split).txt list for split \(Untrusted.quote(split))")
            }
        }
        guard !files.isEmpty else { throw FileError(path: labelsRoot, "no YOLO label files (.txt)") }
        return try files.map { file in
            let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            return AnnotationRecord(id: stem, fileName: stem, width: 0, height: 0, objects: [], source: file,
                                    fractions: try YOLOAnnotations.parse(path: file, classCount: names.count), classNames: names)
        }
    }

    /// Label files up to three levels below `root`, sorted; class lists and split lists are not labels.
    static func labelFiles(below root: String) -> [String] {
        guard let enumerator = FileManager.default.enumerator(at: URL(fileURLWithPath: root), includingPropertiesForKeys: nil) else { return [] }
        var found: [String] = []
        for case let url as URL in enumerator {
            if enumerator.level > 3 { enumerator.skipDescendants(); continue }
            let stem = url.deletingPathExtension().lastPathComponent
            if url.pathExtension == "txt", !["classes", "train", "val", "test", "trainval"].contains(stem) { found.append(url.path) }
        }
        return found.sorted()
    }
}

/// Reads PASCALRAW (Omid-Zohoor et al., 2014) as it is shipped and re-shipped: VOC XML in `Annotations/` or
/// `annotations/` with split lists (`ImageSets/Main/{split}.txt`, `{split}.txt` or `trainval/{split}.txt`),
/// else the COCO split of RawAdaptationModule (`dng_instances_{split}.json`). Raws (NEF) are found by stem.
enum PASCALRAWDataset {
    static func load(directory: String, split: String?) throws -> [AnnotationRecord] {
        for folder in ["Annotations", "annotations"] {
            let path = directory + "/" + folder
            let xml = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".xml") }.sorted()
            guard !xml.isEmpty else { continue }
            var ids = xml.map { String($0.dropLast(4)) }
            if let split {
                let lists = ["ImageSets/Main/\(split).txt", "\(split).txt", "trainval/\(split).txt"].map { directory + "/" + $0 }
                guard let list = lists.lazy.compactMap({ try? String(contentsOfFile: $0, encoding: .utf8) }).first else {
                    throw FileError(path: directory, "no split list for \(Untrusted.quote(split)) (ImageSets/Main/\(split).txt, \(split).txt or trainval/\(split).txt)")
                }
                ids = list.split(whereSeparator: \.isNewline).compactMap { $0.split(separator: " ").first.map(String.init) }
            }
            return try ids.map { try VOCAnnotations.parse(path: path + "/\($0).xml", id: $0) }
        }
        guard !COCOAnnotations.annotationFiles(directory: directory).isEmpty else {
            throw FileError(path: directory, "no PASCALRAW annotations: neither Annotations/*.xml nor *instances_*.json")
        }
        return try COCOAnnotations.load(directory: directory, split: split)
    }
}
