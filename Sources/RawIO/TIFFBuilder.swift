/// Builds a little-endian TIFF header and one IFD whose entries are sorted by tag; values longer
/// than 4 bytes go to a data area placed right after the IFD.
struct TIFFBuilder {
    enum FieldType: UInt16 {
        case byte = 1, ascii = 2, short = 3, long = 4, rational = 5, srational = 10
    }

    private struct Entry {
        var tag: UInt16
        var type: FieldType
        var count: Int
        var bytes: [UInt8]
        /// A sub-IFD stored in the data area; the entry's value is its offset (a LONG).
        var subIFD: TIFFBuilder?
    }

    private var entries: [Entry] = []

    var isEmpty: Bool { entries.isEmpty }

    /// A sub-IFD (e.g. the EXIF IFD, tag 34665) whose offset this entry records.
    mutating func subIFD(_ tag: UInt16, _ ifd: TIFFBuilder) {
        entries.removeAll { $0.tag == tag }
        entries.append(Entry(tag: tag, type: .long, count: 1, bytes: [], subIFD: ifd))
    }

    mutating func bytes(_ tag: UInt16, _ values: [UInt8]) { add(tag, .byte, values.count, values) }
    mutating func ascii(_ tag: UInt16, _ text: String) {
        let bytes = Array(text.utf8) + [0]
        add(tag, .ascii, bytes.count, bytes)
    }
    mutating func shorts(_ tag: UInt16, _ values: [UInt16]) { add(tag, .short, values.count, values.flatMap(le16)) }
    mutating func longs(_ tag: UInt16, _ values: [UInt32]) { add(tag, .long, values.count, values.flatMap(le32)) }
    /// Unsigned rationals, each value approximated as n/d with d = 10 000 (or smaller for large values).
    mutating func rationals(_ tag: UInt16, _ values: [Double]) {
        add(tag, .rational, values.count, values.flatMap { v -> [UInt8] in
            let (n, d) = TIFFBuilder.rational(max(v, 0))
            return le32(UInt32(n)) + le32(UInt32(d))
        })
    }
    /// Signed rationals with denominator 10 000.
    mutating func signedRationals(_ tag: UInt16, _ values: [Double]) {
        add(tag, .srational, values.count, values.flatMap { v -> [UInt8] in
            let n = Int32(clamping: Int((v * 10_000).rounded()))
            return le32(UInt32(bitPattern: n)) + le32(10_000)
        })
    }

    private static func rational(_ value: Double) -> (UInt64, UInt64) {
        var denominator: UInt64 = 10_000
        while denominator > 1, value * Double(denominator) > Double(UInt32.max) { denominator /= 10 }
        return (UInt64(min((value * Double(denominator)).rounded(), Double(UInt32.max))), denominator)
    }

    private mutating func add(_ tag: UInt16, _ type: FieldType, _ count: Int, _ bytes: [UInt8]) {
        entries.removeAll { $0.tag == tag }
        entries.append(Entry(tag: tag, type: type, count: count, bytes: bytes))
    }

    /// Size of header + IFD + data area, i.e. the offset where image data may start.
    var encodedSize: Int { 8 + ifdSize }

    /// Bytes of this IFD with its data area (and sub-IFDs).
    private var ifdSize: Int {
        2 + entries.count * 12 + 4 + entries.reduce(0) { total, entry in
            total + (entry.subIFD?.ifdSize ?? (entry.bytes.count > 4 ? (entry.bytes.count + 1) & ~1 : 0))
        }
    }

    /// The header, IFD0 (no next IFD) and its data area.
    func encoded() -> [UInt8] { [0x49, 0x49, 42, 0] + le32(8) + encodedIFD(at: 8) }

    /// This IFD placed at file offset `offset`, followed by its data area; all offsets absolute.
    private func encodedIFD(at offset: Int) -> [UInt8] {
        let sorted = entries.sorted { $0.tag < $1.tag }
        var out: [UInt8] = []
        var dataOffset = offset + 2 + sorted.count * 12 + 4
        var data: [UInt8] = []
        out += le16(UInt16(sorted.count))
        for entry in sorted {
            out += le16(entry.tag) + le16(entry.type.rawValue) + le32(UInt32(entry.count))
            if let sub = entry.subIFD {
                out += le32(UInt32(dataOffset))
                let bytes = sub.encodedIFD(at: dataOffset)
                data += bytes
                dataOffset += bytes.count
            } else if entry.bytes.count <= 4 {
                out += entry.bytes + [UInt8](repeating: 0, count: 4 - entry.bytes.count)
            } else {
                out += le32(UInt32(dataOffset))
                data += entry.bytes
                if entry.bytes.count % 2 == 1 { data.append(0) }
                dataOffset += (entry.bytes.count + 1) & ~1
            }
        }
        out += le32(0)
        return out + data
    }
}

@inline(__always) func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8)] }
@inline(__always) func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24)] }
