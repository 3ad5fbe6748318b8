import Foundation

/// Files with given extensions below a folder (up to three levels), found by file stem or by path relative
/// to the folder; when two share a stem, the one whose path sorts first wins. Raw datasets and photo
/// sources both look their files up through it.
public struct FileIndex: Sendable {
    /// Extensions of raw formats LibRaw reads (lower case).
    public static let rawExtensions: Set<String> = [
        "dng", "nef", "nrw", "cr2", "cr3", "crw", "arw", "srf", "sr2", "raf", "orf", "rw2", "pef", "ptx", "srw",
        "3fr", "fff", "iiq", "erf", "kdc", "dcr", "mrw", "mos", "x3f", "raw", "rwl",
    ]

    /// Extensions of mosaics stored as images, indexed only when a raw format describes them.
    public static let mosaicImageExtensions: Set<String> = ["png", "tif", "tiff"]

    /// (stem, path) of every indexed file, one per stem, sorted by stem.
    public private(set) var entries: [(stem: String, path: String)] = []
    private var byStem: [String: String] = [:]
    private var byRelative: [String: String] = [:]

    /// Indexes the files of `directory` whose extension (lower-cased) is one of `extensions`, except those whose
    /// stem is in `excluding`.
    public init(directory: String, extensions: Set<String>, excluding stems: Set<String> = []) {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return }
        var found: [String] = []
        for case let url as URL in enumerator {
            if enumerator.level > 3 { enumerator.skipDescendants(); continue }
            if extensions.contains(url.pathExtension.lowercased()), !stems.contains(url.deletingPathExtension().lastPathComponent) {
                found.append(url.path)
            }
        }
        for path in found.sorted() {
            let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            if byStem[stem] == nil {
                byStem[stem] = path
                entries.append((stem, path))
            }
            byRelative[String(path.dropFirst(root.path.count + 1))] = path
        }
        entries.sort { $0.stem < $1.stem }
    }

    /// The raw files of a dataset (with `includeMosaicImages`, PNG and TIFF mosaics too).
    public static func raws(in directory: String, includeMosaicImages: Bool = false) -> FileIndex {
        FileIndex(directory: directory, extensions: includeMosaicImages ? rawExtensions.union(mosaicImageExtensions) : rawExtensions)
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// The file with this stem.
    public func path(forStem stem: String) -> String? { byStem[stem] }

    /// The file at this path relative to the folder.
    public func path(relative: String) -> String? { byRelative[relative] }

    /// The file for an id or an annotation's file name ("2014_000001.png" finds "2014_000001.nef").
    public func path(for name: String) -> String? {
        byStem[URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent] ?? byStem[name]
    }
}
