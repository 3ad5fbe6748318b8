import Foundation
import RawIO
import Support

/// Decodes a photograph to 8-bit sRGB, by its content: JPEG (libjpeg) or PNG (libpng).
public enum PhotoDecoder {
    /// The largest photo decoded, pixels.
    public static let maximumPixels = 100_000_000

    /// The photo at `path` as 8-bit RGB (grey expanded, alpha dropped).
    public static func decode(path: String) throws -> RGBImage {
        let head = [UInt8]((FileHandle(forReadingAtPath: path).flatMap { try? $0.read(upToCount: 8) }) ?? Data())
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return try JPEGFile.decode(path: path, maxPixels: maximumPixels) }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return try PNGFile.decodeRGB8(path: path, maxPixels: maximumPixels) }
        guard FileManager.default.isReadableFile(atPath: path) else { throw FileError(path: path, "photo missing or unreadable") }
        throw FileError(path: path, "not a JPEG or PNG photo")
    }
}
