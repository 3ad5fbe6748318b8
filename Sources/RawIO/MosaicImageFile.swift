import Bayer

/// Reads Bayer mosaics stored as grayscale images — 8 or 16-bit grayscale PNG (libpng) or uncompressed
/// TIFF (``GrayTIFF``) — whose CFA, bits, black and white a ``RawFormat`` gives.
///
/// The image's size must be the format's WIDTHxHEIGHT (an error names both otherwise), its samples a
/// single gray channel with at least BITS bits; samples above WHITE are clipped to WHITE. The format's
/// byte order does not apply (the image file records its own); `u24` is refused, since it describes
/// headerless files only.
enum MosaicImageFile {
    /// The image containers read.
    enum Kind: String {
        case png = "PNG", tiff = "TIFF"
    }

    /// The container `prefix` (a file's first bytes) starts, nil for neither.
    static func kind(_ prefix: [UInt8]) -> Kind? {
        if PNGFile.isPNG(prefix) { return .png }
        if GrayTIFF.isTIFF(prefix) { return .tiff }
        return nil
    }

    /// Decodes the mosaic image at `path`.
    static func decode(path: String, kind: Kind, format: RawFormat, options: RawDecodeOptions) throws -> BayerImage {
        _ = try MosaicLimits.check(format: format, path: path, options: options)
        let samples: [UInt16]
        switch kind {
        case .png:
            let header = try pngHeader(path: path, format: format)
            let image = try PNGFile.decode(path: path, maxPixels: MosaicLimits.maxPixels(options))
            guard image.header == header else { throw RawIOError(.corruptData, path: path, "the PNG changed while it was read") }
            samples = image.samples
        case .tiff:
            samples = try tiff(path: path, format: format).samples()
        }
        let white = UInt16(format.white)
        return try MosaicLimits.image(pixels: samples.map { min($0, white) }, format: format, path: path, options: options)
    }

    /// The mosaic's size after checking the image's header against `format` (no pixel data are read).
    static func visibleSize(path: String, kind: Kind, format: RawFormat, options: RawDecodeOptions) throws -> (width: Int, height: Int) {
        _ = try MosaicLimits.check(format: format, path: path, options: options)
        switch kind {
        case .png: _ = try pngHeader(path: path, format: format)
        case .tiff: _ = try tiff(path: path, format: format)
        }
        return (format.width, format.height)
    }

    private static func pngHeader(path: String, format: RawFormat) throws -> PNGHeader {
        try checkSampleSize(format, kind: .png, path: path)
        let header = try PNGFile.header(path: path)
        guard header.channels == 1, !header.isPalette else {
            let what = header.isPalette ? "a palette image" : ["", "gray", "gray + alpha", "RGB", "RGBA"][min(header.channels, 4)]
            throw RawIOError(.notBayer, path: path, "not a grayscale mosaic: the PNG holds \(what) samples (\(header.channels) channels); a mosaic has one")
        }
        try checkGeometry(width: header.width, height: header.height, bits: header.bitDepth, kind: .png, format: format, path: path)
        return header
    }

    private static func tiff(path: String, format: RawFormat) throws -> GrayTIFF {
        try checkSampleSize(format, kind: .tiff, path: path)
        let tiff = try GrayTIFF(path: path)
        try checkGeometry(width: tiff.width, height: tiff.height, bits: tiff.bitsPerSample, kind: .tiff, format: format, path: path)
        return tiff
    }

    private static func checkSampleSize(_ format: RawFormat, kind: Kind, path: String) throws {
        guard format.sampleSize == .u16 else {
            throw RawIOError(.invalidArgument, path: path, "the raw format's \(format.sampleSize.rawValue) describes headerless files; "
                             + "a \(kind.rawValue) holds its own sample size (leave \(format.sampleSize.rawValue) out)")
        }
    }

    private static func checkGeometry(width: Int, height: Int, bits: Int, kind: Kind, format: RawFormat, path: String) throws {
        guard width == format.width, height == format.height else {
            throw RawIOError(.invalidArgument, path: path, "the \(kind.rawValue) is \(width)x\(height) but the raw format says "
                             + "\(format.width)x\(format.height)")
        }
        guard bits >= format.bits else {
            throw RawIOError(.invalidArgument, path: path, "the \(kind.rawValue)'s \(bits)-bit samples cannot hold the raw format's \(format.bits) bits")
        }
    }
}
