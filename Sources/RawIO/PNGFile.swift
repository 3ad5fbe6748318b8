import CPNG
import Foundation
import Support
#if canImport(Glibc)
import Glibc
#endif

/// The layout of a PNG's samples once decoded, from its header.
public struct PNGHeader: Sendable, Equatable {
    /// Image size, pixels.
    public var width: Int
    public var height: Int
    /// Samples per pixel after expansion: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA (a palette expands to RGB,
    /// or RGBA when it has transparency).
    public var channels: Int
    /// Bits per sample after expansion: 8 or 16 (1, 2 and 4-bit gray expand to 8).
    public var bitDepth: Int
    /// Whether the file stores a palette (indexed colour) rather than samples.
    public var isPalette: Bool
}

/// A decoded PNG: its header and every sample.
///
/// Layout: `samples[(row * width + column) * channels + channel]`, row 0 at the top; values in
/// 0 ..< 2^bitDepth (8-bit samples are widened to UInt16 unchanged, not rescaled).
public struct PNGImage: Sendable {
    public var header: PNGHeader
    public var samples: [UInt16]

    public var width: Int { header.width }
    public var height: Int { header.height }
    public var channels: Int { header.channels }
    public var bitDepth: Int { header.bitDepth }
}

/// PNG decoding through libpng, with libpng's errors returned as ``RawIOError``s (libpng never exits or
/// aborts the process: its errors longjmp back into `Sources/CPNG/shim.h`).
///
/// Every decode takes a pixel limit that is checked against the header's size before a pixel buffer is
/// allocated, so a crafted header is a clear error instead of a huge allocation.
public enum PNGFile {
    /// The most pixels a decode accepts by default (100 Mpx).
    public static let defaultMaxPixels = 100_000_000

    /// The eight bytes every PNG starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Whether `prefix` (a file's first bytes) starts with the PNG signature.
    public static func isPNG(_ prefix: [UInt8]) -> Bool { prefix.starts(with: signature) }

    /// The header of the PNG file at `path` (its pixel data are not read).
    public static func header(path: String) throws -> PNGHeader {
        try checkRegularFile(path)
        var info = rq_png_info()
        var message = [CChar](repeating: 0, count: 256)
        let status = rq_png_read_file(path, 1, UInt64.max, &info, nil, &message, message.count)
        try check(status, info: info, message: message, path: path, maxPixels: Int.max)
        return header(info)
    }

    /// Decodes the PNG file at `path`; more than `maxPixels` pixels is an error.
    public static func decode(path: String, maxPixels: Int = defaultMaxPixels) throws -> PNGImage {
        try checkRegularFile(path)
        return try withDecoded(name: path, maxPixels: maxPixels, read: { info, pixels, message in
            rq_png_read_file(path, 0, UInt64(max(maxPixels, 0)), info, pixels, message, 256)
        }) { header, bytes in PNGImage(header: header, samples: samples(bytes, header: header)) }
    }

    /// Decodes a PNG held in memory; `name` labels errors.
    public static func decode(data: [UInt8], name: String, maxPixels: Int = defaultMaxPixels) throws -> PNGImage {
        try data.withUnsafeBufferPointer { buffer in
            try withDecoded(name: name, maxPixels: maxPixels, read: { info, pixels, message in
                rq_png_read_memory(buffer.baseAddress, buffer.count, 0, UInt64(max(maxPixels, 0)), info, pixels, message, 256)
            }) { header, bytes in PNGImage(header: header, samples: samples(bytes, header: header)) }
        }
    }

    /// Decodes the PNG file at `path` to 8-bit RGB: alpha dropped, gray copied to R, G and B, 16-bit
    /// samples reduced to 8 bits (rounded: v · 255 / 65535). More than `maxPixels` pixels is an error.
    public static func decodeRGB8(path: String, maxPixels: Int = defaultMaxPixels) throws -> RGBImage {
        try checkRegularFile(path)
        return try withDecoded(name: path, maxPixels: maxPixels, read: { info, pixels, message in
            rq_png_read_file(path, 0, UInt64(max(maxPixels, 0)), info, pixels, message, 256)
        }) { header, bytes in
            let pixels = header.width * header.height, channels = header.channels
            var out = [UInt8](repeating: 0, count: pixels * 3)
            out.withUnsafeMutableBufferPointer { dst in
                func sample(_ i: Int) -> UInt8 {
                    header.bitDepth == 8 ? bytes[i]
                        : UInt8((UInt32(bytes.load(fromByteOffset: 2 * i, as: UInt16.self)) * 255 + 32767) / 65535)
                }
                for p in 0..<pixels {
                    let base = p * channels
                    if channels < 3 {
                        let gray = sample(base)
                        dst[3 * p] = gray; dst[3 * p + 1] = gray; dst[3 * p + 2] = gray
                    } else {
                        dst[3 * p] = sample(base); dst[3 * p + 1] = sample(base + 1); dst[3 * p + 2] = sample(base + 2)
                    }
                }
            }
            return RGBImage(width: header.width, height: header.height, pixels: out)
        }
    }

    /// Runs `read` (the shim), turns its status into an error, and hands the decoded bytes to `body`; frees them.
    private static func withDecoded<T>(name: String, maxPixels: Int,
                                       read: (UnsafeMutablePointer<rq_png_info>, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>,
                                              UnsafeMutablePointer<CChar>) -> Int32,
                                       _ body: (PNGHeader, UnsafeRawBufferPointer) throws -> T) throws -> T {
        var info = rq_png_info()
        var message = [CChar](repeating: 0, count: 256)
        var pixels: UnsafeMutablePointer<UInt8>? = nil
        let status = message.withUnsafeMutableBufferPointer { read(&info, &pixels, $0.baseAddress!) }
        defer { free(pixels) }
        try check(status, info: info, message: message, path: name, maxPixels: maxPixels)
        let header = header(info)
        guard let pixels else { throw RawIOError(.corruptData, path: name, "cannot decode PNG: no pixel data") }
        let count = header.width * header.height * header.channels * header.bitDepth / 8
        return try body(header, UnsafeRawBufferPointer(start: pixels, count: count))
    }

    private static func check(_ status: Int32, info: rq_png_info, message: [CChar], path: String, maxPixels: Int) throws {
        switch status {
        case 0: return
        case -2: throw RawIOError(.tooLarge, path: path, "PNG of \(info.width)×\(info.height) pixels is over the limit of \(maxPixels) pixels")
        default: throw RawIOError(.corruptData, path: path, "cannot decode PNG: \(cString(message))")
        }
    }

    private static func header(_ info: rq_png_info) -> PNGHeader {
        PNGHeader(width: Int(info.width), height: Int(info.height), channels: Int(info.channels), bitDepth: Int(info.bit_depth),
                  isPalette: info.color_type == 3)  // PNG_COLOR_TYPE_PALETTE
    }

    /// The decoded bytes as UInt16 samples (8-bit widened, 16-bit already native-endian).
    private static func samples(_ bytes: UnsafeRawBufferPointer, header: PNGHeader) -> [UInt16] {
        if header.bitDepth == 8 { return bytes.map(UInt16.init) }
        return Array(bytes.bindMemory(to: UInt16.self))
    }

    /// Throws unless `path` is an existing regular file.
    private static func checkRegularFile(_ path: String) throws {
        var status = stat()
        guard stat(path, &status) == 0 else { throw RawIOError(.fileNotFound, path: path, "no such file") }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw RawIOError(.isDirectory, path: path, "not a regular file") }
    }
}
