import CLibRaw
import Foundation
import Bayer

/// Options for decoding raw files.
public struct RawDecodeOptions: Sendable {
    /// The most memory the raw buffer may take, MiB.
    public var maxRawMemoryMB: Int = 1024
    /// Accept visible data that are blank (every pixel equal) or end in rows of zeros (refused by default:
    /// such files have their pixel data stripped or truncated).
    public var allowBlank = false
    /// Accept files without a raw header that LibRaw identifies by their size alone (refused by default:
    /// a headerless dump of another layout would be read as a wrong camera without a word).
    public var allowSizeIdentified = false
    /// Run LibRaw once in a child process first, so that a crash inside LibRaw on a malformed file (LibRaw
    /// 0.20 has such bugs) becomes an error instead of ending this process. Costs one more open and unpack.
    public var isolateLibRaw = true
    /// The description of files that do not describe themselves: when set, every file is read as a mosaic
    /// of this format — a grayscale PNG or TIFF (by its signature) or else a headerless dump — and LibRaw
    /// is not used. Nil (the default): files are camera raws LibRaw reads.
    public var rawFormat: RawFormat?

    public init(maxRawMemoryMB: Int = 1024, allowBlank: Bool = false, allowSizeIdentified: Bool = false, isolateLibRaw: Bool = true,
                rawFormat: RawFormat? = nil) {
        self.maxRawMemoryMB = maxRawMemoryMB
        self.allowBlank = allowBlank
        self.allowSizeIdentified = allowSizeIdentified
        self.isolateLibRaw = isolateLibRaw
        self.rawFormat = rawFormat
    }
}

/// Decodes Bayer raw files (DNG, CR2, NEF, ARW, … — whatever LibRaw reads) into ``BayerImage``s; with
/// ``RawDecodeOptions/rawFormat``, headerless dumps and grayscale PNG/TIFF mosaics instead
/// (``HeaderlessRaw``, ``MosaicImageFile``).
///
/// Thread-safe: every call uses its own LibRaw instance (of the re-entrant `libraw_r`), so several
/// files may be decoded at once from different threads. LibRaw's data-error callback is turned into
/// a thrown ``RawIOError`` even where `libraw_unpack` reports success, and nothing is printed.
public enum RawDecoder {
    /// Decodes the file at `path`.
    public static func decode(path: String, options: RawDecodeOptions = RawDecodeOptions()) throws -> BayerImage {
        let size = try checkReadableFile(path)
        let prefix = RawContentChecks.prefix(path: path)
        if let format = options.rawFormat {
            if let kind = MosaicImageFile.kind(prefix) { return try MosaicImageFile.decode(path: path, kind: kind, format: format, options: options) }
            return try HeaderlessRaw.decode(path: path, format: format, options: options)
        }
        try refuseUndescribedImage(path: path, prefix: prefix)
        try checkTIFFExtents(path: path, size: size, prefix: prefix)
        if options.isolateLibRaw { try probe(path: path, options: options) { rq_probe_in_child(path, nil, 0, $0) } }
        return try withLibRaw(path: path, options: options, source: (prefix, size)) { handle in
            libraw_open_file(handle, path)
        }!
    }

    /// Refuses a PNG given without a raw format: LibRaw cannot read it, and only the user knows its CFA and levels.
    private static func refuseUndescribedImage(path: String, prefix: [UInt8]) throws {
        if PNGFile.isPNG(prefix) {
            throw RawIOError(.unsupportedFormat, path: path, "a PNG mosaic needs --raw-format for its CFA, bits, black and white "
                             + "(e.g. --raw-format WIDTHxHEIGHT,BITS,GRBG,BLACK,WHITE)")
        }
    }

    /// Runs `child` (LibRaw in a child process, given the memory cap) and refuses the file when LibRaw crashed.
    private static func probe(path: String, options: RawDecodeOptions, _ child: (UInt32) -> Int32) throws {
        let signal = child(UInt32(clamping: options.maxRawMemoryMB))
        guard signal <= 0 else {
            throw RawIOError(.corruptData, path: path, "LibRaw crashes on this file (signal \(signal) in a test run): malformed data it cannot handle")
        }
    }

    /// Refuses a TIFF-based raw whose strips or tiles run past the end of the file (see ``TIFFExtents``);
    /// reads the file's first 4 MiB at most (the IFDs of raw files sit near the start; an IFD beyond is skipped).
    private static func checkTIFFExtents(path: String, size: Int, prefix: [UInt8]) throws {
        guard prefix.starts(with: [0x49, 0x49, 0x2A, 0]) || prefix.starts(with: [0x4D, 0x4D, 0, 0x2A]),
              let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        // Strip ends are compared with the file's size, not with the part read.
        let bytes = [UInt8]((try? handle.read(upToCount: 4 << 20)) ?? Data())
        if let problem = TIFFExtents.firstOutOfBounds(bytes, fileSize: size) {
            throw RawIOError(.corruptData, path: path, "no pixel data where the file says: \(problem)")
        }
    }

    /// Whether the file at `path` starts with a raw header LibRaw reads (else LibRaw could only identify it
    /// by its size, which ``decode(path:options:)`` refuses unless ``RawDecodeOptions/allowSizeIdentified``).
    public static func hasRecognisedHeader(path: String) -> Bool { RawContentChecks.hasRecognisedHeader(RawContentChecks.prefix(path: path)) }

    /// Runs only LibRaw's open and unpack (with the same checks as ``decode(path:options:)``) and
    /// copies nothing out: the baseline for benchmarks.
    public static func unpackOnly(path: String, options: RawDecodeOptions = RawDecodeOptions()) throws {
        let size = try checkReadableFile(path)
        _ = try withLibRaw(path: path, options: options, convert: false, source: (RawContentChecks.prefix(path: path), size)) { handle in
            libraw_open_file(handle, path)
        }
    }

    /// The visible size of a raw file from its header alone (no pixel data is read).
    public static func visibleSize(path: String, options: RawDecodeOptions = RawDecodeOptions()) throws -> (width: Int, height: Int) {
        _ = try checkReadableFile(path)
        let prefix = RawContentChecks.prefix(path: path)
        if let format = options.rawFormat {
            if let kind = MosaicImageFile.kind(prefix) { return try MosaicImageFile.visibleSize(path: path, kind: kind, format: format, options: options) }
            return try HeaderlessRaw.visibleSize(path: path, format: format, options: options)
        }
        try refuseUndescribedImage(path: path, prefix: prefix)
        return try withOpenedLibRaw(path: path, options: options, open: { libraw_open_file($0, path) }) { handle, _ in
            (Int(rq_width(handle)), Int(rq_height(handle)))
        }
    }

    /// Decodes a raw file held in memory; `name` labels errors.
    /// With ``RawDecodeOptions/rawFormat`` the bytes are a headerless mosaic (PNG and TIFF mosaics are read from files only).
    public static func decode(data: [UInt8], name: String, options: RawDecodeOptions = RawDecodeOptions()) throws -> BayerImage {
        guard !data.isEmpty else { throw RawIOError(.emptyFile, path: name, "file is empty") }
        if let format = options.rawFormat {
            return try data.withUnsafeBytes { try HeaderlessRaw.decode($0, name: name, format: format, options: options) }
        }
        try refuseUndescribedImage(path: name, prefix: Array(data.prefix(8)))
        if let problem = TIFFExtents.firstOutOfBounds(data, fileSize: data.count) {
            throw RawIOError(.corruptData, path: name, "no pixel data where the file says: \(problem)")
        }
        if options.isolateLibRaw {
            try data.withUnsafeBytes { bytes in
                try probe(path: name, options: options) { rq_probe_in_child(nil, bytes.baseAddress, bytes.count, $0) }
            }
        }
        var buffer = data  // LibRaw does not copy the buffer: keep it alive and mutable for the call.
        return try buffer.withUnsafeMutableBytes { bytes in
            try withLibRaw(path: name, options: options, source: (Array(data.prefix(32)), data.count)) { handle in
                libraw_open_buffer(handle, bytes.baseAddress, bytes.count)
            }!
        }
    }

    /// Creates a LibRaw instance with error callbacks and the memory cap, runs `open`, and hands the opened
    /// instance and its error counts to `body`; always closes LibRaw.
    private static func withOpenedLibRaw<T>(path: String, options: RawDecodeOptions, open: (UnsafeMutablePointer<libraw_data_t>) -> Int32,
                                            _ body: (UnsafeMutablePointer<libraw_data_t>, UnsafeMutablePointer<rq_error_counts>) throws -> T) throws -> T {
        guard let handle = libraw_init(0) else { throw RawIOError(.unreadable, path: path, "LibRaw could not be initialised") }
        defer { libraw_close(handle) }
        let counts = UnsafeMutablePointer<rq_error_counts>.allocate(capacity: 1)
        counts.initialize(to: rq_error_counts())
        defer { counts.deallocate() }
        rq_install_error_handlers(handle, counts)
        rq_set_max_raw_memory_mb(handle, UInt32(clamping: options.maxRawMemoryMB))
        let openStatus = open(handle)
        if openStatus != LIBRAW_SUCCESS.rawValue { throw openError(openStatus, path: path, handle: handle, options: options) }
        return try body(handle, counts)
    }

    /// Opens LibRaw, runs `open`, unpacks and converts to a ``BayerImage``.
    /// `source`: the file's first bytes and its size, for the content checks (``RawContentChecks``).
    private static func withLibRaw(path: String, options: RawDecodeOptions, convert: Bool = true, source: (prefix: [UInt8], size: Int),
                                   open: (UnsafeMutablePointer<libraw_data_t>) -> Int32) throws -> BayerImage? {
        try withOpenedLibRaw(path: path, options: options, open: open) { handle, counts in
            try checkClaimedSize(handle, path: path, options: options)
            try RawContentChecks.checkDataSize(fileBytes: source.size, rawWidth: Int(rq_raw_width(handle)), rawHeight: Int(rq_raw_height(handle)),
                                               path: path)
            guard let image = try unpack(handle, counts: counts, path: path, options: options, convert: convert) else { return nil }
            if !options.allowSizeIdentified && !RawContentChecks.hasRecognisedHeader(source.prefix) {
                let camera = "\(image.metadata.make) \(image.metadata.model)".trimmingCharacters(in: .whitespaces)
                throw RawIOError(.unsupportedFormat, path: path, "no raw header: LibRaw could only guess from the file size that it is a "
                                 + "\(camera.isEmpty ? "known camera" : camera) \(image.width)×\(image.height) raw; pass --allow-headerless to accept the guess")
            }
            if !options.allowBlank { try RawContentChecks.checkNotBlank(image, path: path) }
            return image
        }
    }

    /// Unpacks an opened file, turning LibRaw's reported and callback errors into ``RawIOError``s.
    private static func unpack(_ handle: UnsafeMutablePointer<libraw_data_t>, counts: UnsafeMutablePointer<rq_error_counts>,
                               path: String, options: RawDecodeOptions, convert: Bool) throws -> BayerImage? {
        let unpackStatus = libraw_unpack(handle)
        if unpackStatus != LIBRAW_SUCCESS.rawValue { throw unpackError(unpackStatus, path: path, options: options) }
        if counts.pointee.memoryErrors > 0 {
            throw RawIOError(.tooLarge, path: path, "LibRaw could not allocate the raw buffer")
        }
        if counts.pointee.dataErrors > 0 {
            throw RawIOError(.corruptData, path: path,
                             "corrupt or truncated pixel data (LibRaw data error near byte \(counts.pointee.lastDataOffset))")
        }
        return convert ? try bayerImage(from: handle, path: path) : nil
    }

    /// Checks that `path` is a readable, non-empty regular file; returns its size in bytes.
    private static func checkReadableFile(_ path: String) throws -> Int {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw RawIOError(.fileNotFound, path: path, "no such file")
        }
        if isDirectory.boolValue { throw RawIOError(.isDirectory, path: path, "is a directory, not a raw file") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw RawIOError(.unreadable, path: path, "permission denied")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        if size == 0 { throw RawIOError(.emptyFile, path: path, "file is empty") }
        return size
    }

    private static func checkClaimedSize(_ handle: UnsafeMutablePointer<libraw_data_t>, path: String,
                                         options: RawDecodeOptions) throws {
        let rawBytes = Int64(rq_raw_width(handle)) * Int64(rq_raw_height(handle)) * 2
        let limit = Int64(options.maxRawMemoryMB) * 1024 * 1024
        if rawBytes > limit {
            throw RawIOError(.tooLarge, path: path,
                             "header claims \(rq_raw_width(handle))×\(rq_raw_height(handle)) pixels, over the \(options.maxRawMemoryMB) MiB limit")
        }
    }

    private static func openError(_ status: Int32, path: String, handle: UnsafeMutablePointer<libraw_data_t>,
                                  options: RawDecodeOptions) -> RawIOError {
        switch status {
        case LIBRAW_FILE_UNSUPPORTED.rawValue:
            return RawIOError(.unsupportedFormat, path: path, "not a raw format LibRaw can read")
        case LIBRAW_TOO_BIG.rawValue:
            return RawIOError(.tooLarge, path: path, "image dimensions exceed the \(options.maxRawMemoryMB) MiB limit")
        case LIBRAW_IO_ERROR.rawValue:
            return RawIOError(.corruptData, path: path, "truncated or unreadable file (input/output error while reading the header)")
        default:
            return RawIOError(.unsupportedFormat, path: path, "LibRaw cannot open it: \(String(cString: libraw_strerror(status)))")
        }
    }

    private static func unpackError(_ status: Int32, path: String, options: RawDecodeOptions) -> RawIOError {
        switch status {
        case LIBRAW_TOO_BIG.rawValue, LIBRAW_UNSUFFICIENT_MEMORY.rawValue:
            return RawIOError(.tooLarge, path: path, "raw data exceed the \(options.maxRawMemoryMB) MiB limit")
        case LIBRAW_IO_ERROR.rawValue, LIBRAW_DATA_ERROR.rawValue:
            return RawIOError(.corruptData, path: path, "no pixel data, or truncated pixel data (LibRaw: \(String(cString: libraw_strerror(status))))")
        default:
            return RawIOError(.corruptData, path: path, "cannot unpack pixel data: \(String(cString: libraw_strerror(status)))")
        }
    }

    /// Copies the visible area out of LibRaw and collects CFA, levels and metadata.
    private static func bayerImage(from handle: UnsafeMutablePointer<libraw_data_t>, path: String) throws -> BayerImage {
        let filters = rq_filters(handle)
        guard let raw = rq_raw_image(handle), filters >= 1000, rq_is_foveon(handle) == 0 else {
            let what = filters == 9 ? "an X-Trans mosaic (6×6 pattern)"
                : (filters == 0 ? "no colour filter array (LinearRaw, demosaiced or multi-channel raw data)" : "not a 2×2 colour filter pattern")
            throw RawIOError(.notBayer, path: path, "not a Bayer mosaic: \(what)")
        }
        let width = Int(rq_width(handle)), height = Int(rq_height(handle))
        let top = Int(rq_top_margin(handle)), left = Int(rq_left_margin(handle))
        let rawWidth = Int(rq_raw_width(handle)), rawHeight = Int(rq_raw_height(handle))
        let pitch = Int(rq_raw_pitch(handle)) / 2
        guard width >= 2, height >= 2, top + height <= rawHeight, left + width <= rawWidth, pitch >= rawWidth else {
            throw RawIOError(.corruptData, path: path, "inconsistent dimensions: visible \(width)×\(height) at (\(left),\(top)) in \(rawWidth)×\(rawHeight)")
        }
        let colors = (0..<4).map { libraw_COLOR(handle, Int32($0 >> 1), Int32($0 & 1)) }
        guard let cfa = CFAPattern(colors: colors.map { CFAColor(rawValue: $0 == 3 ? 1 : Int($0)) ?? .green }),
              colors.allSatisfy({ (0...3).contains($0) }) else {
            throw RawIOError(.notBayer, path: path, "not an RGB Bayer mosaic (colour indices \(colors))")
        }
        let white = Int(rq_maximum(handle))
        guard white > 0 else { throw RawIOError(.corruptData, path: path, "white level is 0") }
        let blacks = blackLevels(handle, colorIndices: colors.map(Int.init))
        guard blacks.allSatisfy({ $0 < white }) else {
            throw RawIOError(.corruptData, path: path, "black levels \(blacks) not below white level \(white)")
        }

        let clamp = UInt16(clamping: white)
        var pixels = [UInt16](repeating: 0, count: width * height)
        pixels.withUnsafeMutableBufferPointer { dst in
            for row in 0..<height {
                let src = raw + (row + top) * pitch + left
                let out = dst.baseAddress! + row * width
                for column in 0..<width { out[column] = min(src[column], clamp) }
            }
        }
        var facts = metadata(handle)
        facts.darkNoise = maskedMarginNoise(raw: raw, pitch: pitch, top: top, left: left, width: width, height: height,
                                            rawWidth: rawWidth, rawHeight: rawHeight)
        return BayerImage(width: width, height: height, pixels: pixels, cfa: cfa, blackLevels: blacks,
                          whiteLevel: white, metadata: facts)
    }

    /// ``DarkNoise`` of the masked margin: the columns left of the visible area (4 columns kept clear of
    /// each edge) beside it, else the rows above it; nil when the margin is too narrow.
    private static func maskedMarginNoise(raw: UnsafePointer<UInt16>, pitch: Int, top: Int, left: Int, width: Int, height: Int,
                                          rawWidth: Int, rawHeight: Int) -> Double? {
        if left >= 16 {
            return DarkNoise.estimate(rows: height, columns: left - 8) { r, c in raw[(top + r) * pitch + 4 + c] }
        }
        if top >= 16 {
            return DarkNoise.estimate(rows: top - 8, columns: width) { r, c in raw[(4 + r) * pitch + left + c] }
        }
        return nil
    }

    /// Black per 2×2 position: `black + cblack[colour] + pattern`, where the pattern of
    /// `cblack[4]` rows × `cblack[5]` columns (from `cblack[6]`) is averaged over the cells of each position.
    private static func blackLevels(_ handle: UnsafeMutablePointer<libraw_data_t>, colorIndices: [Int]) -> [Int] {
        let base = Int(rq_black(handle))
        let patternRows = Int(rq_cblack(handle, 4)), patternColumns = Int(rq_cblack(handle, 5))
        return (0..<4).map { position in
            var level = base + Int(rq_cblack(handle, Int32(colorIndices[position])))
            if patternRows > 0, patternColumns > 0, patternRows * patternColumns <= 4096 {
                var sum = 0, count = 0
                for r in stride(from: position >> 1, to: max(patternRows, 2), by: 2) {
                    for c in stride(from: position & 1, to: max(patternColumns, 2), by: 2) {
                        sum += Int(rq_cblack(handle, Int32(6 + (r % patternRows) * patternColumns + (c % patternColumns))))
                        count += 1
                    }
                }
                level += (sum + count / 2) / count
            }
            return level
        }
    }

    private static func metadata(_ handle: UnsafeMutablePointer<libraw_data_t>) -> RawMetadata {
        func positive(_ value: Float) -> Double? { value > 0 && value.isFinite ? Double(value) : nil }
        let multipliers = (0..<4).map { Double(rq_cam_mul(handle, Int32($0))) }
        var whiteBalance: [Double]? = nil
        if multipliers[0] > 0, multipliers[1] > 0, multipliers[2] > 0 {
            whiteBalance = multipliers
            if whiteBalance![3] <= 0 { whiteBalance![3] = whiteBalance![1] }
        }
        let matrix = (0..<9).map { Double(rq_cam_xyz(handle, Int32($0 / 3), Int32($0 % 3))) }
        let toSRGB = (0..<9).map { Double(rq_rgb_cam(handle, Int32($0 / 3), Int32($0 % 3))) }
        let timestamp = rq_timestamp(handle)
        return RawMetadata(
            make: String(cString: rq_make(handle)), model: String(cString: rq_model(handle)),
            isoSpeed: positive(rq_iso_speed(handle)), exposureTime: positive(rq_shutter(handle)),
            aperture: positive(rq_aperture(handle)), focalLength: positive(rq_focal_length(handle)),
            timestamp: timestamp > 0 ? timestamp : nil, whiteBalance: whiteBalance,
            colorMatrix: matrix.contains { $0 != 0 } ? matrix : nil,
            cameraToSRGB: toSRGB.contains { $0 != 0 } ? toSRGB : nil)
    }
}
