import Foundation
import Support

/// Reads uncompressed grayscale TIFF images: the first IFD, one sample per pixel of 8 or 16 bits
/// (unsigned integers), BlackIsZero (or CFA) photometric, stored in strips, either byte order.
///
/// Only what is needed is read: the IFD and its strip tables first (``init(path:)``), then the strips
/// straight into the sample buffer (``samples()``). Every count and offset is checked against the file's
/// size, so a crafted IFD is an error, not a huge allocation or a read past the end.
struct GrayTIFF {
    let path: String
    let width: Int
    let height: Int
    /// 8 or 16.
    let bitsPerSample: Int
    let littleEndian: Bool
    /// Each strip's file offset and the rows it holds, top to bottom.
    let strips: [(offset: Int, rows: Int)]
    let fileSize: Int

    /// Whether `prefix` (a file's first bytes) starts like a TIFF.
    static func isTIFF(_ prefix: [UInt8]) -> Bool {
        prefix.starts(with: [0x49, 0x49, 0x2A, 0]) || prefix.starts(with: [0x4D, 0x4D, 0, 0x2A])
    }

    /// Parses the header and first IFD of the TIFF at `path`.
    init(path: String) throws {
        self.path = path
        fileSize = try MosaicLimits.fileSize(path)
        guard let handle = FileHandle(forReadingAtPath: path) else { throw RawIOError(.unreadable, path: path, "permission denied") }
        defer { try? handle.close() }
        func fail(_ problem: String) -> RawIOError { RawIOError(.unsupportedFormat, path: path, "not a TIFF mosaic RawQuant reads: \(problem)") }
        let size = fileSize
        func read(_ offset: Int, _ count: Int) throws -> [UInt8] {
            guard offset >= 0, count >= 0, let end = CheckedSize.sum(offset, count), end <= size else {
                throw RawIOError(.corruptData, path: path, "TIFF structure points past the end of the \(size)-byte file (bytes \(offset)..<\(offset + count))")
            }
            try handle.seek(toOffset: UInt64(offset))
            let bytes = [UInt8](try handle.read(upToCount: count) ?? Data())
            guard bytes.count == count else { throw RawIOError(.corruptData, path: path, "TIFF cut short at byte \(offset + bytes.count)") }
            return bytes
        }
        let header = try read(0, 8)
        guard GrayTIFF.isTIFF(header) else { throw fail("no TIFF signature") }
        let little = header[0] == 0x49
        littleEndian = little
        func u16(_ b: [UInt8], _ o: Int) -> Int { little ? Int(b[o]) | Int(b[o + 1]) << 8 : Int(b[o]) << 8 | Int(b[o + 1]) }
        func u32(_ b: [UInt8], _ o: Int) -> Int {
            little ? Int(b[o]) | Int(b[o + 1]) << 8 | Int(b[o + 2]) << 16 | Int(b[o + 3]) << 24
                : Int(b[o]) << 24 | Int(b[o + 1]) << 16 | Int(b[o + 2]) << 8 | Int(b[o + 3])
        }
        let ifd = u32(header, 4)
        let count = u16(try read(ifd, 2), 0)
        guard (1...4096).contains(count) else { throw fail("IFD with \(count) entries") }
        let entries = try read(ifd + 2, 12 * count)
        var fields: [Int: [Int]] = [:]
        for k in 0..<count {
            let e = 12 * k, tag = u16(entries, e), type = u16(entries, e + 2), n = u32(entries, e + 4)
            guard [256, 257, 258, 259, 262, 273, 277, 278, 279, 322, 339].contains(tag) else { continue }
            let width = type == 3 ? 2 : (type == 4 ? 4 : 0)
            guard width > 0, (1...1_000_000).contains(n) else { throw fail("tag \(tag) of type \(type) with \(n) values") }
            let bytes = n * width <= 4 ? Array(entries[(e + 8)..<(e + 12)]) : try read(u32(entries, e + 8), n * width)
            fields[tag] = (0..<n).map { width == 2 ? u16(bytes, 2 * $0) : u32(bytes, 4 * $0) }
        }
        func one(_ tag: Int, default value: Int? = nil, _ name: String) throws -> Int {
            if let values = fields[tag] { return values[0] }
            guard let value else { throw fail("no \(name) (tag \(tag))") }
            return value
        }
        width = try one(256, "ImageWidth")
        height = try one(257, "ImageLength")
        bitsPerSample = try one(258, default: 1, "BitsPerSample")
        let samplesPerPixel = try one(277, default: 1, "SamplesPerPixel")
        guard samplesPerPixel == 1 else { throw fail("\(samplesPerPixel) samples per pixel (a mosaic has 1: grayscale)") }
        guard bitsPerSample == 8 || bitsPerSample == 16 else { throw fail("\(bitsPerSample) bits per sample (8 or 16 are read)") }
        let compression = try one(259, default: 1, "Compression")
        guard compression == 1 else { throw fail("compression \(compression) (only uncompressed, 1, is read)") }
        let photometric = try one(262, default: 1, "PhotometricInterpretation")
        guard photometric == 1 || photometric == 32803 else { throw fail("photometric interpretation \(photometric) (BlackIsZero, 1, is read)") }
        guard try one(339, default: 1, "SampleFormat") == 1 else { throw fail("samples are not unsigned integers") }
        guard fields[322] == nil else { throw fail("tiled (only strips are read)") }
        guard (1...RawFormat.maximumSide).contains(width), (1...RawFormat.maximumSide).contains(height) else {
            throw fail("image size \(width)×\(height)")
        }
        let rowsPerStrip = min(max(try one(278, default: height, "RowsPerStrip"), 1), height)
        guard let offsets = fields[273], let byteCounts = fields[279] else { throw fail("no StripOffsets or StripByteCounts") }
        let stripCount = (height + rowsPerStrip - 1) / rowsPerStrip
        guard offsets.count == stripCount, byteCounts.count == stripCount else {
            throw fail("\(offsets.count) strip offsets and \(byteCounts.count) byte counts for \(stripCount) strips")
        }
        var strips: [(offset: Int, rows: Int)] = []
        let rowBytes = width * bitsPerSample / 8
        for s in 0..<stripCount {
            let rows = min(rowsPerStrip, height - s * rowsPerStrip), needed = rows * rowBytes
            guard byteCounts[s] >= needed, offsets[s] + needed <= fileSize else {
                throw RawIOError(.corruptData, path: path, "no pixel data for strip \(s + 1) of \(stripCount): it needs bytes "
                                 + "\(offsets[s])..<\(offsets[s] + needed) of the \(fileSize)-byte file")
            }
            strips.append((offsets[s], rows))
        }
        self.strips = strips
    }

    /// Every sample, row-major, row 0 first (8-bit samples widened unchanged).
    func samples() throws -> [UInt16] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw RawIOError(.unreadable, path: path, "permission denied") }
        defer { try? handle.close() }
        var out = [UInt16](repeating: 0, count: width * height)
        let bytesPerSample = bitsPerSample / 8
        var row = 0
        for strip in strips {
            let count = strip.rows * width * bytesPerSample
            try handle.seek(toOffset: UInt64(strip.offset))
            let data = try handle.read(upToCount: count) ?? Data()
            guard data.count == count else { throw RawIOError(.corruptData, path: path, "TIFF cut short while reading a strip at byte \(strip.offset)") }
            data.withUnsafeBytes { b in
                out.withUnsafeMutableBufferPointer { dst in
                    let base = row * width, n = strip.rows * width
                    if bytesPerSample == 1 {
                        for i in 0..<n { dst[base + i] = UInt16(b[i]) }
                    } else if littleEndian {
                        for i in 0..<n { dst[base + i] = UInt16(b[2 * i]) | UInt16(b[2 * i + 1]) << 8 }
                    } else {
                        for i in 0..<n { dst[base + i] = UInt16(b[2 * i]) << 8 | UInt16(b[2 * i + 1]) }
                    }
                }
            }
            row += strip.rows
        }
        return out
    }
}
