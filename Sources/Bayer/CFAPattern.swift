/// A colour of the colour filter array.
public enum CFAColor: Int, Sendable, Codable, CaseIterable {
    case red = 0, green = 1, blue = 2

    /// The letter used in pattern names ("R", "G", "B").
    public var letter: Character {
        switch self {
        case .red: "R"
        case .green: "G"
        case .blue: "B"
        }
    }
}

/// The 2×2 Bayer pattern at an image's origin, row-major: `colors[0]` at (0,0), `[1]` at (0,1),
/// `[2]` at (1,0), `[3]` at (1,1).
///
/// Only the four Bayer layouts (one red, one blue, two greens on a diagonal) are valid.
public struct CFAPattern: Hashable, Sendable, CustomStringConvertible {
    public let colors: [CFAColor]

    public static let rggb = CFAPattern(validated: [.red, .green, .green, .blue])
    public static let bggr = CFAPattern(validated: [.blue, .green, .green, .red])
    public static let grbg = CFAPattern(validated: [.green, .red, .blue, .green])
    public static let gbrg = CFAPattern(validated: [.green, .blue, .red, .green])
    /// The four Bayer layouts.
    public static let all: [CFAPattern] = [.rggb, .bggr, .grbg, .gbrg]

    private init(validated colors: [CFAColor]) { self.colors = colors }

    /// Creates a pattern from four colours; nil unless they form a Bayer layout.
    public init?(colors: [CFAColor]) {
        guard let match = CFAPattern.all.first(where: { $0.colors == colors }) else { return nil }
        self = match
    }

    /// Parses a four-letter name such as "RGGB" (case-insensitive).
    public init?(name: String) {
        let letters = Array(name.uppercased())
        guard letters.count == 4 else { return nil }
        var colors: [CFAColor] = []
        for letter in letters {
            guard let color = CFAColor.allCases.first(where: { $0.letter == letter }) else { return nil }
            colors.append(color)
        }
        self.init(colors: colors)
    }

    /// The four-letter name, e.g. "RGGB".
    public var name: String { String(colors.map(\.letter)) }
    public var description: String { name }

    /// The colour at pixel (row, column) of an image whose origin has this pattern.
    @inlinable public func color(row: Int, column: Int) -> CFAColor { colors[position(row: row, column: column)] }

    /// The index 0..3 in the 2×2 pattern of pixel (row, column).
    @inlinable public func position(row: Int, column: Int) -> Int { (row & 1) << 1 | (column & 1) }

    /// The pattern seen from origin (row, column) of this one: a crop at an odd offset shifts the phase.
    public func shifted(row: Int, column: Int) -> CFAPattern {
        let c = (0..<4).map { colors[position(row: ($0 >> 1) + row, column: ($0 & 1) + column)] }
        return CFAPattern(validated: c)
    }

    /// Names for the four positions as channel labels: "R", "G1", "G2", "B" (G1 is the first green in row-major order).
    public var positionLabels: [String] {
        var greens = 0
        return colors.map { color in
            guard color == .green else { return String(color.letter) }
            greens += 1
            return "G\(greens)"
        }
    }
}
