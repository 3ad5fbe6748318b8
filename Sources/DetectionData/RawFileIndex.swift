import Foundation

/// Finds raw files by image id (file stem) below a dataset directory.
struct RawFileIndex {
    /// Extensions of raw formats LibRaw reads (lower case).
    static let rawExtensions: Set<String> = [
        "dng", "nef", "nrw", "cr2", "cr3", "crw", "arw", "srf", "sr2", "raf", "orf", "rw2", "pef", "ptx", "srw",
        "3fr", "fff", "iiq", "erf", "kdc", "dcr", "mrw", "mos", "x3f", "raw", "rwl",
    ]

    /// Extensions of mosaics stored as images, indexed only when a raw format describes them.
    static let imageExtensions: Set<String> = ["png", "tif", "tiff"]

    private var byStem: [String: String] = [:]

    /// Indexes raw files in `directory` and its subdirectories up to two levels down (with `includeImages`,
    /// PNG and TIFF mosaics too); when two files share a stem, the one whose path sorts first wins.
    init(directory: String, includeImages: Bool = false) {
        let extensions = includeImages ? RawFileIndex.rawExtensions.union(RawFileIndex.imageExtensions) : RawFileIndex.rawExtensions
        let root = URL(fileURLWithPath: directory)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return }
        var found: [String] = []
        for case let url as URL in enumerator {
            if enumerator.level > 3 { enumerator.skipDescendants(); continue }
            if extensions.contains(url.pathExtension.lowercased()) { found.append(url.path) }
        }
        for path in found.sorted() {
            let stem = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
            if byStem[stem] == nil { byStem[stem] = path }
        }
    }

    /// The raw file for an id or an annotation's file name ("2014_000001.png" finds "2014_000001.nef").
    func path(for name: String) -> String? {
        byStem[URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent] ?? byStem[name]
    }
}
