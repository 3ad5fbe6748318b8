import Bayer
import Foundation

/// Checks that a decoded raw holds real pixel data and came from a real raw header — what LibRaw alone
/// accepts silently: a header whose pixel data were stripped (LibRaw returns zeros), strips that end early
/// (the last rows read as zeros), and headerless files LibRaw "identifies" by their size alone.
enum RawContentChecks {
    /// The fewest bits per raw pixel any raw encoding stores (lossy DNG stays well above 1 bit): a file
    /// smaller than pixels · this / 8 cannot hold the pixel data its header claims.
    static let minimumBitsPerPixel = 1.0 / 8

    /// Signatures at the start of the raw formats LibRaw reads by their header (TIFF-based formats — DNG,
    /// NEF, CR2, ARW, PEF, SRW, ORF, RW2, KDC, … — CRW, CR3, RAF, X3F, MRW and other makers' own).
    static let signatures: [(offset: Int, bytes: [UInt8])] = [
        (0, Array("II*\u{0}".utf8)), (0, Array("MM\u{0}*".utf8)),       // TIFF (DNG, NEF, CR2, ARW, PEF, SRW, KDC, 3FR, ERF, MOS, …)
        (0, Array("IIRO".utf8)), (0, Array("IIRS".utf8)), (0, Array("MMOR".utf8)),  // Olympus ORF
        (0, Array("IIU\u{0}".utf8)),                                     // Panasonic RW2
        (6, Array("HEAPCCDR".utf8)),                                     // Canon CRW
        (4, Array("ftypcrx ".utf8)),                                     // Canon CR3
        (0, Array("FUJIFILM".utf8)), (0, Array("FOVb".utf8)), (0, [0, 0x4D, 0x52, 0x4D]),  // Fuji RAF, Sigma X3F, Minolta MRW
        (0, Array("IIII".utf8)), (0, Array("NOKIARAW".utf8)), (0, Array("ARRI".utf8)), (0, Array("RIFF".utf8)),
        (0, Array("qktk".utf8)), (0, Array("ARECOYK".utf8)), (0, Array("PWAD".utf8)), (0, Array("BR".utf8)),
        (0, Array("XPDS".utf8)), (0, Array("CI".utf8)), (0, Array("DSC-Image".utf8)), (0, Array("PKTS".utf8)),
        (0, Array("RED1".utf8)), (0, Array("RED2".utf8)), (0, [0xFF, 0xD8, 0xFF]),
    ]

    /// Whether `prefix` (a file's first bytes) starts like a raw format LibRaw reads by its header.
    static func hasRecognisedHeader(_ prefix: [UInt8]) -> Bool {
        signatures.contains { offset, bytes in prefix.count >= offset + bytes.count && Array(prefix[offset..<(offset + bytes.count)]) == bytes }
    }

    /// The first 32 bytes of the file at `path` (fewer for a shorter file).
    static func prefix(path: String) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { return [] }
        defer { try? handle.close() }
        return [UInt8]((try? handle.read(upToCount: 32)) ?? Data())
    }

    /// Throws when the file is too small for the raw area its header claims.
    static func checkDataSize(fileBytes: Int, rawWidth: Int, rawHeight: Int, path: String) throws {
        let pixels = Double(rawWidth) * Double(rawHeight)
        let needed = pixels * minimumBitsPerPixel / 8
        guard Double(fileBytes) >= needed else {
            throw RawIOError(.corruptData, path: path, "no pixel data: the file's \(fileBytes) bytes cannot hold the \(rawWidth)×\(rawHeight) raw "
                             + "its header claims (at least \(Int(needed.rounded(.up))) bytes); a header whose pixel data were stripped")
        }
    }

    /// Throws when the visible mosaic is blank: every pixel the same value, or the last rows all zero (pixel
    /// data that end early read as zeros) while the black level is above zero.
    static func checkNotBlank(_ image: BayerImage, path: String) throws {
        let pixels = image.pixels
        guard let first = pixels.first else { return }
        if !pixels.contains(where: { $0 != first }) {
            throw RawIOError(.corruptData, path: path, "no pixel data: every visible pixel is \(first) (blank: missing or stripped data); "
                             + "pass --allow-blank to accept it")
        }
        guard image.blackLevels.min()! > 0 else { return }
        var zeroRows = 0
        for row in stride(from: image.height - 1, through: 0, by: -1) {
            let start = row * image.width
            guard !pixels[start..<(start + image.width)].contains(where: { $0 != 0 }) else { break }
            zeroRows += 1
        }
        if zeroRows >= max(16, image.height / 16) {
            throw RawIOError(.corruptData, path: path, "the last \(zeroRows) of \(image.height) rows are all zero (below the black level): "
                             + "the pixel data end early; pass --allow-blank to accept it")
        }
    }
}
