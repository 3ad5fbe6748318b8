import Bayer
import Foundation
import Support

/// Reads headerless mosaics: files that hold nothing but `width · height` samples, row-major, row 0
/// first, each sample 2 bytes (`u16`) or 3 bytes (`u24`) in the byte order a ``RawFormat`` names.
///
/// The file must have exactly `width · height · bytes per sample` bytes; any other size is an error that
/// names the expected count (a wrong description would otherwise read as a plausible but wrong image).
/// Sizes are checked against ``RawDecodeOptions/maxRawMemoryMB`` before anything is read.
enum HeaderlessRaw {
    /// Decodes the headerless file at `path` as `format` describes it.
    static func decode(path: String, format: RawFormat, options: RawDecodeOptions) throws -> BayerImage {
        let expected = try checkSize(path: path, format: format, options: options)
        let bytes: Data
        do {
            bytes = try BoundedFile.read(path, limit: expected, what: "headerless raw")
        } catch let error as FileError {
            throw RawIOError(.unreadable, path: path, error.message)
        }
        guard bytes.count == expected else {
            throw RawIOError(.corruptData, path: path, "the file changed while it was read (\(bytes.count) of \(expected) bytes)")
        }
        return try bytes.withUnsafeBytes { try decode(UnsafeRawBufferPointer($0), name: path, format: format, options: options) }
    }

    /// Decodes headerless samples held in memory; `name` labels errors.
    static func decode(_ bytes: UnsafeRawBufferPointer, name: String, format: RawFormat, options: RawDecodeOptions) throws -> BayerImage {
        let expected = try MosaicLimits.check(format: format, path: name, options: options)
        guard bytes.count == expected else { throw sizeError(name, actual: bytes.count, expected: expected, format: format) }
        let count = format.width * format.height, white = UInt32(format.white)
        var pixels = [UInt16](repeating: 0, count: count)
        pixels.withUnsafeMutableBufferPointer { out in
            switch (format.sampleSize, format.byteOrder) {
            case (.u16, .little):
                for i in 0..<count { out[i] = UInt16(min(UInt32(bytes[2 * i]) | UInt32(bytes[2 * i + 1]) << 8, white)) }
            case (.u16, .big):
                for i in 0..<count { out[i] = UInt16(min(UInt32(bytes[2 * i]) << 8 | UInt32(bytes[2 * i + 1]), white)) }
            case (.u24, .little):
                for i in 0..<count {
                    let v = UInt32(bytes[3 * i]) | UInt32(bytes[3 * i + 1]) << 8 | UInt32(bytes[3 * i + 2]) << 16
                    out[i] = UInt16(min(v, white))
                }
            case (.u24, .big):
                for i in 0..<count {
                    let v = UInt32(bytes[3 * i]) << 16 | UInt32(bytes[3 * i + 1]) << 8 | UInt32(bytes[3 * i + 2])
                    out[i] = UInt16(min(v, white))
                }
            }
        }
        return try MosaicLimits.image(pixels: pixels, format: format, path: name, options: options)
    }

    /// The size of a headerless file of `format`: checks the file's size and the memory cap, reads nothing.
    static func visibleSize(path: String, format: RawFormat, options: RawDecodeOptions) throws -> (width: Int, height: Int) {
        _ = try checkSize(path: path, format: format, options: options)
        return (format.width, format.height)
    }

    /// Checks the memory cap and that the file at `path` has the size `format` gives; returns that size.
    private static func checkSize(path: String, format: RawFormat, options: RawDecodeOptions) throws -> Int {
        let expected = try MosaicLimits.check(format: format, path: path, options: options)
        let actual = try MosaicLimits.fileSize(path)
        guard actual == expected else { throw sizeError(path, actual: actual, expected: expected, format: format) }
        return expected
    }

    private static func sizeError(_ path: String, actual: Int, expected: Int, format: RawFormat) -> RawIOError {
        RawIOError(.corruptData, path: path, "a headerless \(format.width)x\(format.height) mosaic of \(format.sampleSize.rawValue) samples "
                   + "is \(expected) bytes (\(format.width) × \(format.height) × \(format.sampleSize.bytes)), but the file has \(actual) bytes: "
                   + "check the raw format \(format)")
    }
}

/// The checks every mosaic described by a ``RawFormat`` passes: the memory cap before anything is allocated,
/// and the blank-data check after decoding.
enum MosaicLimits {
    /// Throws when `format`'s mosaic would take more than ``RawDecodeOptions/maxRawMemoryMB`` (2 bytes a pixel);
    /// returns its headerless byte count.
    static func check(format: RawFormat, path: String, options: RawDecodeOptions) throws -> Int {
        let limit = CheckedSize.product(max(options.maxRawMemoryMB, 0), 1 << 20) ?? Int.max
        guard let bytes = format.headerlessByteCount, let held = CheckedSize.product([format.width, format.height, 2]), held <= limit else {
            throw RawIOError(.tooLarge, path: path, "a \(format.width)x\(format.height) mosaic is over the \(options.maxRawMemoryMB) MiB limit")
        }
        return bytes
    }

    /// The most pixels a mosaic may have under the memory cap.
    static func maxPixels(_ options: RawDecodeOptions) -> Int { (CheckedSize.product(max(options.maxRawMemoryMB, 0), 1 << 20) ?? Int.max) / 2 }

    /// The size of the regular file at `path`, bytes; errors name a missing, non-regular or empty file.
    static func fileSize(_ path: String) throws -> Int {
        var status = stat()
        guard stat(path, &status) == 0 else { throw RawIOError(.fileNotFound, path: path, "no such file") }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw RawIOError(.isDirectory, path: path, "is a directory, not a raw file") }
        guard (status.st_mode & S_IFMT) == S_IFREG else { throw RawIOError(.unreadable, path: path, "not a regular file") }
        guard status.st_size > 0 else { throw RawIOError(.emptyFile, path: path, "file is empty") }
        return Int(status.st_size)
    }

    /// The mosaic of `pixels` (already clipped to white) with `format`'s CFA and levels; refuses blank data
    /// unless ``RawDecodeOptions/allowBlank``. Make and model are empty and every capture fact unknown.
    static func image(pixels: [UInt16], format: RawFormat, path: String, options: RawDecodeOptions) throws -> BayerImage {
        let image = BayerImage(width: format.width, height: format.height, pixels: pixels, cfa: format.cfa,
                               blackLevels: [Int](repeating: format.black, count: 4), whiteLevel: format.white)
        if !options.allowBlank { try RawContentChecks.checkNotBlank(image, path: path) }
        return image
    }
}
