import Foundation
import Support

/// A detector shipped with RawQuant (`Fixtures/models/PROVENANCE.md` has the command that made each):
/// ``shapes``, a 4-bit learned-γ model trained on synthetic raw scenes (the default, for the bundled scene), and
/// ``photo``, a 4-bit learned-γ model trained on real photographs unprocessed into raw mosaics (person, car, bicycle).
public struct BundledModel: Sendable, Equatable {
    /// The name `--model` accepts ("shapes", "photo").
    public let name: String
    /// The checkpoint below the source tree.
    public let relativePath: String

    public static let shapes = BundledModel(name: "shapes", relativePath: "Fixtures/models/detector-4bit-gamma.safetensors")
    public static let photo = BundledModel(name: "photo", relativePath: "Fixtures/models/photo-4bit.safetensors")
    public static let all = [shapes, photo]

    /// The bundled model called `name`, nil for another name.
    public static func named(_ name: String) -> BundledModel? { all.first { $0.name == name } }

    /// Where to look, first match wins: `RAWQUANT_MODEL` (for ``shapes``, the default), then `relativePath` beside
    /// the source tree this binary was built from, then the same path below the current directory.
    public var candidatePaths: [String] {
        var paths: [String] = []
        if self == .shapes, let environment = ProcessInfo.processInfo.environment["RAWQUANT_MODEL"], !environment.isEmpty { paths.append(environment) }
        var source = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { source.deleteLastPathComponent() }
        paths.append(source.appendingPathComponent(relativePath).path)
        paths.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relativePath).path)
        return paths
    }

    /// This model's path, or an error naming where it was looked for.
    public func path() throws -> String {
        if let found = candidatePaths.first(where: { FileManager.default.fileExists(atPath: $0) }) { return found }
        throw FileError(path: relativePath, message: "bundled model \(Untrusted.quote(name)) not found (looked in \(candidatePaths.joined(separator: ", "))); pass --model FILE")
    }

    /// The default bundled model's (``shapes``) path.
    public static func path() throws -> String { try shapes.path() }
}
