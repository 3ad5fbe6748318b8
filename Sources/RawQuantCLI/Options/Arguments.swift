import ArgumentParser
import Foundation
import RawQuant

// Option value types: ArgumentParser parses and lists them, so commands receive typed values.

extension InputRepresentation: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
extension GammaStart: ExpressibleByArgument {}
extension CodeStep: ExpressibleByArgument {}
extension FeatureMethod: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
extension FeatureLRSchedule: ExpressibleByArgument {}
extension TabularTask: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}

/// `--format auto|voc|coco|yolo|pascalraw`: a dataset directory's annotation format.
enum DatasetFormatChoice: String, CaseIterable, ExpressibleByArgument {
    case auto, voc, coco, yolo, pascalraw

    init?(argument: String) { self.init(rawValue: argument.lowercased()) }

    /// The loader's format; nil = detect from the directory.
    var format: DatasetFormat? {
        switch self {
        case .auto: nil
        case .voc: .voc
        case .coco: .coco
        case .yolo: .yolo
        case .pascalraw: .pascalraw
        }
    }
}

/// `--cfa RGGB|BGGR|GRBG|GBRG|mixed` (case-insensitive).
enum CFAChoice: ExpressibleByArgument, CustomStringConvertible {
    case fixed(CFAPattern)
    case mixed

    init?(argument: String) {
        if argument.lowercased() == "mixed" {
            self = .mixed
        } else if let pattern = CFAPattern(name: argument) {
            self = .fixed(pattern)
        } else {
            return nil
        }
    }

    var description: String {
        switch self {
        case .fixed(let pattern): pattern.name
        case .mixed: "mixed"
        }
    }

    static var allValueStrings: [String] { CFAPattern.all.map(\.name) + ["mixed"] }
}

/// A size `WIDTHxHEIGHT` in pixels, e.g. `256x256` (positive integers; each command checks its own range).
struct Size: ExpressibleByArgument, CustomStringConvertible, Equatable {
    var width: Int
    var height: Int

    init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    init?(argument: String) {
        let sides = argument.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard sides.count == 2, let width = Int(sides[0]), let height = Int(sides[1]), width > 0, height > 0 else { return nil }
        self.init(width: width, height: height)
    }

    var description: String { "\(width)x\(height)" }
}

/// A comma-separated list of numbers, e.g. `2,3,4` or `0.3,0.4,0.5`.
struct NumberList<Element: LosslessStringConvertible & Sendable>: ExpressibleByArgument, CustomStringConvertible, Sendable {
    var values: [Element]

    init(_ values: [Element]) { self.values = values }

    init?(argument: String) {
        let items = argument.split(separator: ",", omittingEmptySubsequences: false).map { Element($0.trimmingCharacters(in: .whitespaces)) }
        guard !items.contains(where: { $0 == nil }) else { return nil }
        values = items.map { $0! }
    }

    var description: String { values.map(\.description).joined(separator: ",") }
}

/// A comma-separated list of names, e.g. `float,isp,linear-4`.
struct NameList: ExpressibleByArgument, CustomStringConvertible {
    var names: [String]

    init?(argument: String) { names = argument.split(separator: ",").map(String.init) }

    var description: String { names.joined(separator: ",") }
}

/// `features synth --kind`: a table generator, or `motion` (3-axis accelerometer windows).
enum GeneratedTableKind: ExpressibleByArgument {
    case generator(TableGenerator)
    case motion

    init?(argument: String) {
        if argument == "motion" {
            self = .motion
        } else if let generator = TableGenerator(rawValue: argument) {
            self = .generator(generator)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { TableGenerator.allCases.map(\.rawValue) + ["motion"] }
}
