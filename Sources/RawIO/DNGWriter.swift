import Support
import Bayer
/// What a CFA DNG written by ``DNGWriter`` records besides its samples.
public struct DNGDescription: Sendable {
    /// Stored image size in pixels (including any masked margins).
    public var width: Int
    public var height: Int
    /// Visible (active) area inside the stored image: top, left, bottom, right. Nil = everything.
    public var activeArea: (top: Int, left: Int, bottom: Int, right: Int)?
    /// The 2×2 pattern at the active area's origin (DNG aligns CFAPattern and BlackLevel with it).
    public var cfa: CFAPattern
    /// Black level per 2×2 position of the active area, in linearised units.
    public var blackLevels: [Int]
    /// Saturation in linearised units.
    public var whiteLevel: Int
    /// Sample → linear value table (DNG `LinearizationTable`); nil when samples are already linear.
    public var linearizationTable: [UInt16]?
    /// Bits per stored sample: 16, or 8 when every sample is below 256 (codes of a ≤ 8-bit sensor through a
    /// linearization table: half the bytes).
    public var bitsPerSample = 16
    public var metadata: RawMetadata

    public init(width: Int, height: Int, activeArea: (top: Int, left: Int, bottom: Int, right: Int)? = nil,
                cfa: CFAPattern, blackLevels: [Int], whiteLevel: Int, linearizationTable: [UInt16]? = nil,
                metadata: RawMetadata = RawMetadata()) {
        self.width = width
        self.height = height
        self.activeArea = activeArea
        self.cfa = cfa
        self.blackLevels = blackLevels
        self.whiteLevel = whiteLevel
        self.linearizationTable = linearizationTable
        self.metadata = metadata
    }
}

/// Writes uncompressed 16- or 8-bit CFA DNG files (DNG 1.4) that LibRaw, rawpy, darktable and the DNG SDK open.
///
/// Samples are stored one strip, row-major, little-endian UInt16 (or one byte each with
/// ``DNGDescription/bitsPerSample`` 8). With a `LinearizationTable` a reader maps each sample through the table
/// before applying black and white levels.
public enum DNGWriter {
    /// Writes `image` (its visible area as the whole DNG) atomically to `path`.
    public static func write(_ image: BayerImage, to path: String) throws {
        let description = DNGDescription(width: image.width, height: image.height, cfa: image.cfa,
                                         blackLevels: image.blackLevels, whiteLevel: image.whiteLevel,
                                         metadata: image.metadata)
        try write(description, to: path) { row, out in
            image.pixels.withUnsafeBufferPointer { src in
                for c in 0..<image.width { out[c] = src[row * image.width + c] }
            }
        }
    }

    /// Writes a DNG atomically to `path`; `fillRow(row, buffer)` supplies each stored row's `width` samples.
    public static func write(_ d: DNGDescription, to path: String,
                             fillRow: (Int, UnsafeMutableBufferPointer<UInt16>) throws -> Void) throws {
        try validate(d, path: path)
        var tiff = header(d)
        let imageBytes = d.width * d.height * d.bitsPerSample / 8
        // Offsets are known only once the IFD is complete: size the IFD with placeholders first.
        tiff.longs(273, [0])
        tiff.longs(279, [UInt32(imageBytes)])
        tiff.longs(273, [UInt32(tiff.encodedSize)])
        let head = tiff.encoded()
        try AtomicOutput.write(to: path) { temporary in
            let file = try BufferedFile(path: temporary, reportedPath: path)
            try file.write(head)
            var row = [UInt16](repeating: 0, count: d.width)
            var bytes = [UInt8](repeating: 0, count: d.bitsPerSample == 8 ? d.width : 0)
            for r in 0..<d.height {
                try row.withUnsafeMutableBufferPointer { try fillRow(r, $0) }
                if d.bitsPerSample == 8 {
                    for i in 0..<d.width {
                        guard row[i] < 256 else { throw RawIOError(.invalidArgument, path: path, "sample \(row[i]) at row \(r) does not fit 8 bits") }
                        bytes[i] = UInt8(row[i])
                    }
                    try file.write(bytes)
                } else {
                    for i in 0..<d.width { row[i] = row[i].littleEndian }
                    try file.write(row)
                }
            }
            try file.close()
        }
    }

    private static func validate(_ d: DNGDescription, path: String) throws {
        func fail(_ message: String) -> RawIOError { RawIOError(.invalidArgument, path: path, message) }
        guard d.width >= 22, d.height >= 22 else { throw fail("DNG must be at least 22×22 pixels (readers reject smaller), got \(d.width)×\(d.height)") }
        guard d.width <= 65535, d.height <= 65535, d.width * d.height * 2 < Int(UInt32.max) - 65536 else {
            throw fail("image \(d.width)×\(d.height) too large for a single-strip DNG")
        }
        guard d.blackLevels.count == 4, d.whiteLevel > 0, d.whiteLevel <= 65535 else {
            throw fail("need 4 black levels and a white level in 1...65535")
        }
        guard d.bitsPerSample == 8 || d.bitsPerSample == 16 else { throw fail("bits per sample must be 8 or 16, got \(d.bitsPerSample)") }
        if let table = d.linearizationTable, table.isEmpty || table.count > 65536 {
            throw fail("linearization table must have 1...65536 entries")
        }
        if let a = d.activeArea, !(0 <= a.top && a.top < a.bottom && a.bottom <= d.height && 0 <= a.left && a.left < a.right && a.right <= d.width) {
            throw fail("active area \(a) outside the \(d.width)×\(d.height) image")
        }
    }

    private static func header(_ d: DNGDescription) -> TIFFBuilder {
        var t = TIFFBuilder()
        let m = d.metadata
        t.longs(254, [0])                                   // NewSubFileType: main image
        t.longs(256, [UInt32(d.width)])
        t.longs(257, [UInt32(d.height)])
        t.shorts(258, [UInt16(d.bitsPerSample)])            // BitsPerSample
        t.shorts(259, [1])                                  // Compression: none
        t.shorts(262, [32803])                              // PhotometricInterpretation: CFA
        t.ascii(271, m.make.isEmpty ? "RawQuant" : m.make)
        t.ascii(272, m.model.isEmpty ? "Simulated sensor" : m.model)
        t.shorts(274, [1])                                  // Orientation
        t.shorts(277, [1])                                  // SamplesPerPixel
        t.longs(278, [UInt32(d.height)])                    // RowsPerStrip
        t.shorts(284, [1])                                  // PlanarConfiguration
        t.ascii(305, "RawQuant")                            // Software
        t.shorts(33421, [2, 2])                             // CFARepeatPatternDim
        t.bytes(33422, d.cfa.colors.map { UInt8($0.rawValue) })  // CFAPattern (0 R, 1 G, 2 B)
        // Capture facts go both into IFD0 (TIFF/EP) and the EXIF IFD, where most readers look.
        var exif = TIFFBuilder()
        if let e = m.exposureTime { t.rationals(33434, [e]); exif.rationals(33434, [e]) }
        if let f = m.aperture { t.rationals(33437, [f]); exif.rationals(33437, [f]) }
        if let iso = m.isoSpeed { exif.shorts(34855, [UInt16(clamping: Int(iso.rounded()))]) }
        if let focal = m.focalLength { t.rationals(37386, [focal]); exif.rationals(37386, [focal]) }
        if !exif.isEmpty { t.subIFD(34665, exif) }
        t.bytes(50706, [1, 4, 0, 0])                        // DNGVersion
        t.bytes(50707, [1, 1, 0, 0])                        // DNGBackwardVersion
        t.ascii(50708, [m.make, m.model].filter { !$0.isEmpty }.joined(separator: " ").isEmpty
                ? "RawQuant simulated sensor" : [m.make, m.model].filter { !$0.isEmpty }.joined(separator: " "))
        t.bytes(50710, [0, 1, 2])                           // CFAPlaneColor
        t.shorts(50711, [1])                                // CFALayout: rectangular
        if let table = d.linearizationTable { t.shorts(50712, table) }
        t.shorts(50713, [2, 2])                             // BlackLevelRepeatDim
        t.longs(50714, d.blackLevels.map { UInt32(max(0, $0)) })
        t.longs(50717, [UInt32(d.whiteLevel)])
        if let matrix = m.colorMatrix, matrix.count == 9 {
            t.signedRationals(50721, matrix)                // ColorMatrix1: XYZ → camera
            t.shorts(50778, [21])                           // CalibrationIlluminant1: D65
        }
        if let wb = m.whiteBalance, wb.count >= 3, wb[0] > 0, wb[1] > 0, wb[2] > 0 {
            t.rationals(50728, [wb[1] / wb[0], 1, wb[1] / wb[2]])  // AsShotNeutral
        }
        if let a = d.activeArea { t.longs(50829, [a.top, a.left, a.bottom, a.right].map { UInt32($0) }) }
        return t
    }
}
