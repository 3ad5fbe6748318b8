import CJPEG
import Support
#if canImport(Glibc)
import Glibc
#endif

/// JPEG encoding and decoding through libjpeg, with libjpeg's errors returned as ``RawIOError``s.
public enum JPEGFile {
    /// Writes an RGB JPEG atomically to `path`; `fillRow(row, buffer)` fills `3 × width` bytes of each row.
    public static func write(to path: String, width: Int, height: Int, quality: Int = 90,
                             fillRow: (Int, UnsafeMutableBufferPointer<UInt8>) throws -> Void) throws {
        guard width > 0, height > 0, width <= 65500, height <= 65500 else {
            throw RawIOError(.invalidArgument, path: path, "JPEG size \(width)×\(height) outside 1...65500")
        }
        try AtomicOutput.write(to: path) { temporary in
            var message = [CChar](repeating: 0, count: 256)
            guard let writer = rq_jpeg_writer_open(temporary, Int32(width), Int32(height), Int32(min(max(quality, 1), 100)),
                                                   &message, message.count) else {
                throw RawIOError(.writeFailed, path: path, "cannot write JPEG: \(cString(message))")
            }
            var row = [UInt8](repeating: 0, count: width * 3)
            for r in 0..<height {
                do {
                    try row.withUnsafeMutableBufferPointer { try fillRow(r, $0) }
                } catch {
                    rq_jpeg_writer_abort(writer)
                    throw error
                }
                if rq_jpeg_writer_write_row(writer, row, &message, message.count) != 0 {
                    rq_jpeg_writer_abort(writer)
                    throw RawIOError(.writeFailed, path: path, "cannot write JPEG: \(cString(message))")
                }
            }
            if rq_jpeg_writer_finish(writer, &message, message.count) != 0 {
                throw RawIOError(.writeFailed, path: path, "cannot write JPEG: \(cString(message))")
            }
        }
    }

    /// The most pixels ``decode(path:maxPixels:)`` accepts by default (100 Mpx, 300 MB of RGB).
    public static let defaultMaxPixels = 100_000_000

    /// Decodes a JPEG file to RGB; an image of more than `maxPixels` pixels is refused from its header,
    /// before its pixels are allocated.
    public static func decode(path: String, maxPixels: Int = defaultMaxPixels) throws -> RGBImage {
        var message = [CChar](repeating: 0, count: 256)
        var width: Int32 = 0, height: Int32 = 0, tooLarge: Int32 = 0
        guard let pixels = rq_jpeg_decode_rgb(path, UInt64(max(maxPixels, 0)), &width, &height, &tooLarge, &message, message.count) else {
            if tooLarge != 0 {
                throw RawIOError(.tooLarge, path: path, "JPEG of \(width)×\(height) pixels is over the limit of \(maxPixels) pixels")
            }
            throw RawIOError(.corruptData, path: path, "cannot decode JPEG: \(cString(message))")
        }
        defer { free(pixels) }
        let count = Int(width) * Int(height) * 3
        return RGBImage(width: Int(width), height: Int(height), pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }
}

/// The text of a NUL-terminated C buffer.
func cString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
