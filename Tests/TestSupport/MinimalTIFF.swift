/// Builds grayscale TIFF files byte by byte for tests: header, one IFD, the samples in strips.
public enum MinimalTIFF {
    /// An uncompressed one-sample-per-pixel TIFF of `bitsPerSample` 8 or 16, row-major `samples`,
    /// `rowsPerStrip` rows a strip, in little- or big-endian byte order; `extra` adds (tag, SHORT value) entries.
    public static func encodeGray(width: Int, height: Int, bitsPerSample: Int, samples: [UInt16], bigEndian: Bool = false,
                                  rowsPerStrip: Int? = nil, extra: [(UInt16, UInt16)] = []) -> [UInt8] {
        precondition(samples.count == width * height, "MinimalTIFF: sample count")
        let rps = rowsPerStrip ?? height
        let strips = (height + rps - 1) / rps
        let rowBytes = width * bitsPerSample / 8
        func u16(_ v: Int) -> [UInt8] { bigEndian ? [UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: Int) -> [UInt8] { bigEndian ? [UInt8(v >> 24 & 0xFF)] + [UInt8(v >> 16 & 0xFF)] + u16(v & 0xFFFF) : u16(v & 0xFFFF) + u16(v >> 16) }
        var entries: [(tag: Int, type: Int, count: Int, value: [UInt8])] = [
            (256, 4, 1, u32(width)), (257, 4, 1, u32(height)), (258, 3, 1, u16(bitsPerSample) + [0, 0]), (259, 3, 1, u16(1) + [0, 0]),
            (262, 3, 1, u16(1) + [0, 0]), (277, 3, 1, u16(1) + [0, 0]), (278, 4, 1, u32(rps)),
        ]
        for (tag, value) in extra { entries.removeAll { $0.tag == Int(tag) }; entries.append((Int(tag), 3, 1, u16(Int(value)) + [0, 0])) }
        // Layout: header (8), IFD, strip offset and count arrays, then the strips.
        let entryCount = entries.count + 2
        let ifdSize = 2 + 12 * entryCount + 4
        let arrays = 8 + ifdSize
        let data = arrays + 8 * strips
        var offsets: [Int] = [], counts: [Int] = []
        for s in 0..<strips {
            let rows = min(rps, height - s * rps)
            offsets.append(data + s * rps * rowBytes)
            counts.append(rows * rowBytes)
        }
        entries.append((273, 4, strips, strips == 1 ? u32(offsets[0]) : u32(arrays)))
        entries.append((279, 4, strips, strips == 1 ? u32(counts[0]) : u32(arrays + 4 * strips)))
        entries.sort { $0.tag < $1.tag }
        var out: [UInt8] = bigEndian ? [0x4D, 0x4D, 0, 42] : [0x49, 0x49, 42, 0]
        out += u32(8)
        out += u16(entryCount)
        for e in entries { out += u16(e.tag) + u16(e.type) + u32(e.count) + e.value }
        out += u32(0)
        for o in offsets { out += u32(o) }
        for c in counts { out += u32(c) }
        for sample in samples { out += bitsPerSample == 8 ? [UInt8(sample)] : u16(Int(sample)) }
        return out
    }
}
