import RawIO
import Bayer

/// The known content of the generated DNG fixtures (`Tools/MakeFixtures` writes them, tests recompute them).
///
/// Stored pixel (r, c) — coordinates of the whole stored image, margins included — has colour
/// `storedCFA.color(r, c)` and value
///
///     black[colour] + (r·131 + c·17 + colourIndex·577) mod (white − black[colour] + 1)
///
/// except where (r + c) mod 29 = 0, where it is 65535 (above white: a decoder must clamp it to white).
/// Black levels differ per colour so that a wrong CFA or black assignment shows — except in files with
/// margins, whose black is uniform: LibRaw 0.20 rounds an odd DNG ActiveArea margin up to even (dropping
/// one row or column) but leaves the BlackLevel pattern aligned with the original ActiveArea, so per-position
/// blacks would be read out of phase there. Those files test the crop offset and CFA phase.
public struct SyntheticMosaic: Sendable {
    public let storedWidth: Int
    public let storedHeight: Int
    /// Margins of the visible area inside the stored image (DNG ActiveArea).
    public let top: Int
    public let left: Int
    public let width: Int
    public let height: Int
    /// Pattern at the stored origin.
    public let storedCFA: CFAPattern
    public let adcBits: Int

    public init(cfa: CFAPattern, adcBits: Int, width: Int = 48, height: Int = 32, top: Int = 0, left: Int = 0) {
        storedCFA = cfa
        self.adcBits = adcBits
        self.width = width
        self.height = height
        self.top = top
        self.left = left
        storedWidth = width + 2 * left
        storedHeight = height + 2 * top
    }

    public var whiteLevel: Int { (1 << adcBits) - 1 }

    /// Black level of a colour (R, G, B differ where there are no margins).
    public func black(_ color: CFAColor) -> Int {
        (top == 0 && left == 0 ? [64, 60, 68][color.rawValue] : 64) << (adcBits - 10)
    }

    /// Where LibRaw 0.20 puts the visible origin: the ActiveArea's margins rounded up to even.
    public var effectiveTop: Int { (top + 1) & ~1 }
    public var effectiveLeft: Int { (left + 1) & ~1 }
    /// The visible size LibRaw reports (one less where a margin was rounded up).
    public var effectiveWidth: Int { width - (effectiveLeft - left) }
    public var effectiveHeight: Int { height - (effectiveTop - top) }

    /// The pattern at the ActiveArea's origin (what the DNG's CFAPattern tag records).
    public var activeAreaCFA: CFAPattern { storedCFA.shifted(row: top, column: left) }

    /// The pattern a decoder must report at the visible origin it returns.
    public var visibleCFA: CFAPattern { storedCFA.shifted(row: effectiveTop, column: effectiveLeft) }

    /// Black per visible 2×2 position.
    public var visibleBlackLevels: [Int] { visibleCFA.colors.map(black) }

    /// The stored sample at stored (row, column), as written into the file.
    public func storedValue(row: Int, column: Int) -> UInt16 {
        if (row + column) % 29 == 0 { return 65535 }
        let color = storedCFA.color(row: row, column: column)
        let b = black(color)
        return UInt16(b + (row * 131 + column * 17 + color.rawValue * 577) % (whiteLevel - b + 1))
    }

    /// What a decoder must return for visible (row, column): the stored value clamped to white.
    public func expectedValue(row: Int, column: Int) -> UInt16 {
        min(storedValue(row: row + effectiveTop, column: column + effectiveLeft), UInt16(whiteLevel))
    }

    /// The expected decoded visible mosaic (`effectiveWidth × effectiveHeight`).
    public var expectedPixels: [UInt16] {
        (0..<effectiveHeight).flatMap { r in (0..<effectiveWidth).map { c in expectedValue(row: r, column: c) } }
    }

    /// The fixture's file name, e.g. `synthetic_rggb_12bit.dng` or `synthetic_rggb_12bit_margin11.dng`.
    public var fileName: String {
        let margin = top == 0 && left == 0 ? "" : "_margin\(top)\(left)"
        return "synthetic_\(storedCFA.name.lowercased())_\(adcBits)bit\(margin).dng"
    }

    /// Every generated fixture: the four patterns at 12 and 14 bits, plus odd-margin files.
    public static let all: [SyntheticMosaic] =
        CFAPattern.all.flatMap { cfa in [12, 14].map { SyntheticMosaic(cfa: cfa, adcBits: $0) } }
        + [SyntheticMosaic(cfa: .rggb, adcBits: 12, top: 1, left: 1),
           SyntheticMosaic(cfa: .grbg, adcBits: 14, top: 1, left: 0),
           SyntheticMosaic(cfa: .gbrg, adcBits: 12, top: 0, left: 1)]

    /// Writes the fixture as a DNG through the project's writer.
    public func write(to path: String) throws {
        let activeArea = (top: top, left: left, bottom: top + height, right: left + width)
        let description = DNGDescription(
            width: storedWidth, height: storedHeight, activeArea: activeArea, cfa: activeAreaCFA,
            blackLevels: activeAreaCFA.colors.map(black), whiteLevel: whiteLevel,
            metadata: RawMetadata(make: "RawQuant", model: "Synthetic \(storedCFA.name) \(adcBits)-bit",
                                  isoSpeed: 100, exposureTime: 0.01, whiteBalance: [2, 1, 1.5, 1]))
        try DNGWriter.write(description, to: path) { row, out in
            for c in 0..<storedWidth { out[c] = storedValue(row: row, column: c) }
        }
    }
}
