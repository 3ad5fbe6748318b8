/// Builds PNG files byte by byte for tests (no libpng): the signature, IHDR, an optional PLTE/tRNS,
/// one IDAT of stored (uncompressed) deflate blocks with filter type 0 on every row, and IEND.
public enum MinimalPNG {
    /// PNG colour types.
    public enum ColorType: UInt8, Sendable {
        case gray = 0, rgb = 2, palette = 3, grayAlpha = 4, rgba = 6

        /// Samples per pixel as stored.
        public var channels: Int { [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][Int(rawValue)]! }
    }

    /// A PNG of `width`×`height` pixels whose `samples` are row-major, interleaved by channel; 16-bit
    /// samples are written big-endian as PNG requires, 8-bit ones must be below 256. `palette`: RGB
    /// triples for `.palette`; `transparency`: its tRNS alphas.
    public static func encode(width: Int, height: Int, colorType: ColorType, bitDepth: Int, samples: [UInt16],
                              palette: [UInt8] = [], transparency: [UInt8] = []) -> [UInt8] {
        precondition(samples.count == width * height * colorType.channels, "MinimalPNG: sample count")
        var raw: [UInt8] = []
        for row in 0..<height {
            raw.append(0)  // filter: none
            for sample in samples[(row * width * colorType.channels)..<((row + 1) * width * colorType.channels)] {
                if bitDepth == 16 { raw += [UInt8(sample >> 8), UInt8(sample & 0xFF)] } else { raw.append(UInt8(sample)) }
            }
        }
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        out += chunk("IHDR", be32(UInt32(width)) + be32(UInt32(height)) + [UInt8(bitDepth), colorType.rawValue, 0, 0, 0])
        if !palette.isEmpty { out += chunk("PLTE", palette) }
        if !transparency.isEmpty { out += chunk("tRNS", transparency) }
        out += chunk("IDAT", zlibStored(raw))
        out += chunk("IEND", [])
        return out
    }

    /// A chunk: length, type, data, CRC-32 of type and data.
    public static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return be32(UInt32(data.count)) + typed + be32(crc32(typed))
    }

    /// A zlib stream of stored deflate blocks (at most 65,535 bytes each) with its Adler-32.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let count = min(65_535, data.count - start)
            let last: UInt8 = start + count == data.count ? 1 : 0
            out += [last, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += data[start..<(start + count)]
            start += count
        } while start < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + be32(b << 16 | a)
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)] }
}
