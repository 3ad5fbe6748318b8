/// Checks that a TIFF-based raw's image data lie inside the file: every strip and tile that the IFD chain
/// and its SubIFDs point to (StripOffsets/StripByteCounts, TileOffsets/TileByteCounts) must end within the
/// file. LibRaw reads a DNG whose strips point past the end as garbage pixels without an error.
///
/// Only the main IFD chain and SubIFDs (tag 330) are walked — at most 64 IFDs of at most 4096 entries and
/// 1,000,000 strips — never maker notes; a layout this reader does not understand is left to LibRaw.
enum TIFFExtents {
    /// The first strip or tile that runs past the end of the file, as a message; nil when all fit or the
    /// bytes are not a TIFF this reader walks.
    /// `bytes`: the file's first part (at least its IFDs); `fileSize`: the whole file's size.
    static func firstOutOfBounds(_ bytes: [UInt8], fileSize: Int) -> String? {
        guard bytes.count >= 8 else { return nil }
        let little: Bool
        switch (bytes[0], bytes[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return nil
        }
        func u16(_ o: Int) -> Int? {
            guard o >= 0, o + 2 <= bytes.count else { return nil }
            return little ? Int(bytes[o]) | Int(bytes[o + 1]) << 8 : Int(bytes[o]) << 8 | Int(bytes[o + 1])
        }
        func u32(_ o: Int) -> Int? {
            guard o >= 0, o + 4 <= bytes.count else { return nil }
            let b = (0..<4).map { Int(bytes[o + $0]) }
            return little ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24 : b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]
        }
        guard u16(2) == 42, let first = u32(4) else { return nil }
        /// The values of a SHORT or LONG array entry at `entry` (count values, inline when they fit in 4 bytes).
        func values(_ entry: Int) -> [Int]? {
            guard let type = u16(entry + 2), let count = u32(entry + 4), count <= 1_000_000 else { return nil }
            let size = type == 3 ? 2 : type == 4 || type == 13 ? 4 : 0
            guard size > 0 else { return nil }
            let start = count * size <= 4 ? entry + 8 : u32(entry + 8)
            guard let start, start + count * size <= bytes.count else { return nil }
            return (0..<count).compactMap { size == 2 ? u16(start + 2 * $0) : u32(start + 4 * $0) }
        }
        // Breadth-first over at most 64 distinct, in-bounds IFD offsets (a head index, no removeFirst).
        var queue: [Int] = [], seen: Set<Int> = []
        func enqueue(_ offset: Int) {
            guard queue.count < 64, offset > 0, offset + 2 <= bytes.count, !seen.contains(offset) else { return }
            seen.insert(offset)
            queue.append(offset)
        }
        enqueue(first)
        var head = 0
        while head < queue.count {
            let ifd = queue[head]
            head += 1
            guard let n = u16(ifd), n <= 4096, ifd + 2 + 12 * n + 4 <= bytes.count else { continue }
            var offsets: [Int]?, counts: [Int]?, what = "strip"
            for k in 0..<n {
                let entry = ifd + 2 + 12 * k
                switch u16(entry) {
                case 273: offsets = values(entry)
                case 279: counts = values(entry)
                case 324: offsets = values(entry); what = "tile"
                case 325: counts = values(entry)
                case 330: for offset in (values(entry) ?? []).prefix(64) { enqueue(offset) }
                default: break
                }
            }
            if let offsets, let counts, offsets.count == counts.count {
                for (i, (o, c)) in zip(offsets, counts).enumerated() where o + c > fileSize {
                    return "\(what) \(i + 1) of \(offsets.count) (bytes \(o)..<\(o + c)) runs past the end of the \(fileSize)-byte file"
                }
            }
            if let next = u32(ifd + 2 + 12 * n) { enqueue(next) }
        }
        return nil
    }
}
