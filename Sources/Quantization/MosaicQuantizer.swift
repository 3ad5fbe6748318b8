/// The sensor side for a whole Bayer mosaic: one ``ChannelQuantizer`` per 2×2 CFA position.
///
/// Input layout: row-major UInt16 ADC codes, `width × height`; the pattern position of pixel (r, c)
/// is `(r & 1) << 1 | (c & 1)`. Output: the codes bit-packed as described in ``BitPacking``.
public struct MosaicQuantizer: Sendable {
    public let spec: QuantizerSpec
    /// Channel tables by 2×2 position (row-major).
    public let channels: [ChannelQuantizer]
    public let adcBits: Int

    /// Builds the four channel tables.
    /// - Parameters:
    ///   - colorIndices: colour of each 2×2 position, 0 R, 1 G, 2 B (selects per-colour γ).
    ///   - blackLevels: black level of each 2×2 position, ADC units.
    ///   - whiteLevel: saturation, ADC units.
    ///   - adcBits: ADC depth; the encoder covers codes 0..<2^adcBits. Default: the bits that hold `whiteLevel`.
    public init(spec: QuantizerSpec, colorIndices: [Int], blackLevels: [Int], whiteLevel: Int, adcBits: Int? = nil) throws {
        try spec.validate()
        guard colorIndices.count == 4, colorIndices.allSatisfy({ (0...2).contains($0) }) else {
            throw QuantizationError("need 4 colour indices in 0...2, got \(colorIndices)")
        }
        guard blackLevels.count == 4, blackLevels.allSatisfy({ $0 >= 0 && $0 < whiteLevel }) else {
            throw QuantizationError("need 4 black levels in 0..<white (\(whiteLevel)), got \(blackLevels)")
        }
        let needed = max(1, Int.bitWidth - whiteLevel.leadingZeroBitCount)
        let depth = adcBits ?? needed
        guard depth >= needed, depth <= 16 else {
            throw QuantizationError("ADC depth \(depth) cannot hold white level \(whiteLevel)")
        }
        self.spec = spec
        self.adcBits = depth
        channels = (0..<4).map { p in
            ChannelQuantizer(spec: spec, colorIndex: colorIndices[p], black: blackLevels[p], white: whiteLevel, adcBits: depth)
        }
    }

    public var bits: Int { spec.bits }

    /// Decoder tables by 2×2 position: code → linear ADC value.
    public var decodeTables: [[Double]] { channels.map(\.decoder) }

    /// Quantizes and bit-packs a mosaic; returns ⌈width·height·N/8⌉ bytes.
    public func encodePacked(_ pixels: [UInt16], width: Int, height: Int) -> [UInt8] {
        precondition(pixels.count == width * height, "MosaicQuantizer: \(pixels.count) pixels do not fill \(width)×\(height)")
        var out = [UInt8](repeating: 0, count: BitPacking.byteCount(codes: pixels.count, bits: bits))
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                encodePacked(src.baseAddress!, width: width, height: height, into: dst.baseAddress!)
            }
        }
        return out
    }

    /// Quantizes and bit-packs into `destination`, which must hold ⌈width·height·N/8⌉ bytes.
    public func encodePacked(_ source: UnsafePointer<UInt16>, width: Int, height: Int, into destination: UnsafeMutablePointer<UInt8>) {
        withEncoderTables { tables, maxIndex in
            if bits == 4 && width % 2 == 0 {
                Self.packNibbleRows(source, width: width, height: height, tables: tables, maxIndex: maxIndex, into: destination)
            } else {
                var writer = BitWriter(destination: destination)
                for row in 0..<height {
                    let even = tables[(row & 1) << 1], odd = tables[(row & 1) << 1 | 1]
                    let src = source + row * width
                    var c = 0
                    while c + 1 < width {
                        writer.append(UInt64(even[min(Int(src[c]), maxIndex)]), bits: bits)
                        writer.append(UInt64(odd[min(Int(src[c + 1]), maxIndex)]), bits: bits)
                        c += 2
                    }
                    if c < width { writer.append(UInt64(even[min(Int(src[c]), maxIndex)]), bits: bits) }
                }
                writer.flush()
            }
        }
    }

    /// One code per pixel, unpacked (UInt8 per pixel, same layout as the input).
    public func encode(_ pixels: [UInt16], width: Int, height: Int) -> [UInt8] {
        precondition(pixels.count == width * height, "MosaicQuantizer: \(pixels.count) pixels do not fill \(width)×\(height)")
        var out = [UInt8](repeating: 0, count: pixels.count)
        withEncoderTables { tables, maxIndex in
            for row in 0..<height {
                for column in 0..<width {
                    let i = row * width + column
                    out[i] = tables[(row & 1) << 1 | (column & 1)][min(Int(pixels[i]), maxIndex)]
                }
            }
        }
        return out
    }

    /// Runs `body` with raw pointers to the four encoder tables and the largest valid index.
    @inline(__always)
    private func withEncoderTables<R>(_ body: ([UnsafePointer<UInt8>], Int) -> R) -> R {
        channels[0].encoder.withUnsafeBufferPointer { t0 in
            channels[1].encoder.withUnsafeBufferPointer { t1 in
                channels[2].encoder.withUnsafeBufferPointer { t2 in
                    channels[3].encoder.withUnsafeBufferPointer { t3 in
                        body([t0.baseAddress!, t1.baseAddress!, t2.baseAddress!, t3.baseAddress!], t0.count - 1)
                    }
                }
            }
        }
    }

    /// 4-bit fast path for even widths: every row starts on a byte; 16 pixels become one 64-bit store.
    private static func packNibbleRows(_ source: UnsafePointer<UInt16>, width: Int, height: Int,
                                       tables: [UnsafePointer<UInt8>], maxIndex: Int, into destination: UnsafeMutablePointer<UInt8>) {
        let bytesPerRow = width / 2
        for row in 0..<height {
            let even = tables[(row & 1) << 1], odd = tables[(row & 1) << 1 | 1]
            let src = source + row * width
            let dst = destination + row * bytesPerRow
            var c = 0
            while c + 16 <= width {
                var word: UInt64 = 0
                for k in 0..<8 {
                    let low = UInt64(even[min(Int(src[c + 2 * k]), maxIndex)])
                    let high = UInt64(odd[min(Int(src[c + 2 * k + 1]), maxIndex)])
                    word |= (low | high << 4) << UInt64(8 * k)
                }
                UnsafeMutableRawPointer(dst + c / 2).storeBytes(of: word.littleEndian, as: UInt64.self)
                c += 16
            }
            while c < width {
                dst[c / 2] = even[min(Int(src[c]), maxIndex)] | odd[min(Int(src[c + 1]), maxIndex)] << 4
                c += 2
            }
        }
    }
}
