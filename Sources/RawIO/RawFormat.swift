import Bayer
import Support

/// The description of a mosaic whose file does not say what it holds: a headerless dump of samples, or a
/// grayscale PNG/TIFF whose samples are a Bayer mosaic.
///
/// Written `WIDTHxHEIGHT,BITS,CFA,BLACK,WHITE[,le|be][,u16|u24]`, e.g. `768x512,14,RGGB,600,15520`:
/// width and height in pixels; BITS the ADC depth; CFA the 2×2 pattern at the top-left pixel (RGGB,
/// BGGR, GRBG or GBRG); BLACK and WHITE in ADC units with BLACK < WHITE < 2^BITS; the byte order of a
/// headerless file's samples (`le` little-endian, the default, or `be`) and its sample size (`u16`, 2 bytes,
/// the default, or `u24`, 3 bytes as the ROD dataset ships). Samples above WHITE are clipped to WHITE.
public struct RawFormat: Sendable, Equatable, CustomStringConvertible {
    /// Byte order of a headerless file's samples.
    public enum ByteOrder: String, Sendable, CaseIterable { case little = "le", big = "be" }
    /// Bytes per sample of a headerless file.
    public enum SampleSize: String, Sendable, CaseIterable {
        case u16, u24
        /// Bytes one sample takes.
        public var bytes: Int { self == .u16 ? 2 : 3 }
        /// The most significant bits a sample of this size carries.
        public var maximumBits: Int { self == .u16 ? 16 : 24 }
    }

    /// The largest side accepted, pixels (the memory cap of the decode options applies as well).
    public static let maximumSide = 1 << 17

    public let width: Int
    public let height: Int
    /// ADC bits: 1...16 for `u16`, 1...24 for `u24`.
    public let bits: Int
    public let cfa: CFAPattern
    /// Black level in ADC units, the same at every 2×2 position.
    public let black: Int
    /// Saturation in ADC units; at most 65,535 (mosaics are held as UInt16).
    public let white: Int
    public let byteOrder: ByteOrder
    public let sampleSize: SampleSize

    /// A checked description; ``RawFormatError`` names the field that is out of range.
    public init(width: Int, height: Int, bits: Int, cfa: CFAPattern, black: Int, white: Int,
                byteOrder: ByteOrder = .little, sampleSize: SampleSize = .u16) throws {
        let text = RawFormat.text(width: width, height: height, bits: bits, cfa: cfa, black: black, white: white,
                                  byteOrder: byteOrder, sampleSize: sampleSize)
        func fail(_ problem: String) -> RawFormatError { RawFormatError(text: text, problem: problem) }
        guard (2...RawFormat.maximumSide).contains(width), (2...RawFormat.maximumSide).contains(height) else {
            throw fail("WIDTHxHEIGHT must be 2...\(RawFormat.maximumSide) pixels each, got \(width)x\(height)")
        }
        guard (1...sampleSize.maximumBits).contains(bits) else {
            throw fail("BITS must be in 1...\(sampleSize.maximumBits) for \(sampleSize.rawValue) samples, got \(bits)")
        }
        guard black >= 0, black < white else { throw fail("BLACK must be at least 0 and below WHITE, got black \(black), white \(white)") }
        guard white < 1 << bits else { throw fail("WHITE must be below 2^BITS = \(1 << bits), got \(white)") }
        guard white <= Int(UInt16.max) else {
            throw fail("WHITE \(white) does not fit the 16-bit mosaics RawQuant holds (at most 65535): "
                       + "give a WHITE of at most 65535 to clip the \(bits)-bit samples there")
        }
        self.width = width
        self.height = height
        self.bits = bits
        self.cfa = cfa
        self.black = black
        self.white = white
        self.byteOrder = byteOrder
        self.sampleSize = sampleSize
    }

    /// Parses `WIDTHxHEIGHT,BITS,CFA,BLACK,WHITE[,le|be][,u16|u24]` (letters in any case, no spaces).
    public init(parsing text: String) throws {
        func fail(_ problem: String) -> RawFormatError { RawFormatError(text: text, problem: problem) }
        guard text.utf8.count <= 200 else { throw fail("longer than 200 characters") }
        let fields = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard (5...7).contains(fields.count) else {
            throw fail("expected WIDTHxHEIGHT,BITS,CFA,BLACK,WHITE[,le|be][,u16|u24], got \(fields.count) field\(fields.count == 1 ? "" : "s")")
        }
        let size = fields[0].lowercased().split(separator: "x", omittingEmptySubsequences: false)
        func number(_ field: Substring, _ name: String) throws -> Int {
            guard !field.isEmpty, field.allSatisfy({ $0.isASCII && $0.isNumber }), field.count <= 9, let value = Int(field) else {
                throw fail("\(name) must be a whole number, got \(Untrusted.quote(String(field)))")
            }
            return value
        }
        guard size.count == 2 else { throw fail("the first field must be WIDTHxHEIGHT, got \(Untrusted.quote(fields[0]))") }
        let width = try number(size[0], "WIDTH"), height = try number(size[1], "HEIGHT")
        let bits = try number(Substring(fields[1]), "BITS")
        guard let cfa = CFAPattern(name: fields[2]) else { throw fail("CFA must be RGGB, BGGR, GRBG or GBRG, got \(Untrusted.quote(fields[2]))") }
        let black = try number(Substring(fields[3]), "BLACK"), white = try number(Substring(fields[4]), "WHITE")
        var byteOrder: ByteOrder?, sampleSize: SampleSize?
        for option in fields.dropFirst(5) {
            if let order = ByteOrder(rawValue: option.lowercased()), byteOrder == nil {
                byteOrder = order
            } else if let sample = SampleSize(rawValue: option.lowercased()), sampleSize == nil {
                sampleSize = sample
            } else {
                throw fail("the options after WHITE are one byte order (le or be) and one sample size (u16 or u24), got \(Untrusted.quote(option))")
            }
        }
        do {
            try self.init(width: width, height: height, bits: bits, cfa: cfa, black: black, white: white,
                          byteOrder: byteOrder ?? .little, sampleSize: sampleSize ?? .u16)
        } catch let error as RawFormatError {
            throw RawFormatError(text: text, problem: error.problem)
        }
    }

    /// The canonical text, every field written: `768x512,14,RGGB,600,15520,le,u16`.
    public var description: String {
        RawFormat.text(width: width, height: height, bits: bits, cfa: cfa, black: black, white: white, byteOrder: byteOrder, sampleSize: sampleSize)
    }

    /// The size a headerless file of this format has: width · height · bytes per sample; nil on overflow.
    public var headerlessByteCount: Int? { CheckedSize.product([width, height, sampleSize.bytes]) }

    private static func text(width: Int, height: Int, bits: Int, cfa: CFAPattern, black: Int, white: Int,
                             byteOrder: ByteOrder, sampleSize: SampleSize) -> String {
        "\(width)x\(height),\(bits),\(cfa.name),\(black),\(white),\(byteOrder.rawValue),\(sampleSize.rawValue)"
    }
}

/// A raw format description that does not parse or is out of range; names the text and the problem.
public struct RawFormatError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The description as given.
    public let text: String
    /// What is wrong with it.
    public let problem: String

    public var description: String { "raw format \(Untrusted.quote(text, limit: 120)): \(problem)" }
}
