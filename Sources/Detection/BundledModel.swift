import Foundation
import Support

/// The detector shipped with RawQuant: a 4-bit learned-γ model trained on synthetic raw scenes
/// (see `Fixtures/models/PROVENANCE.md` for the command that made it).
public enum BundledModel {
    /// Where to look, first match wins: `RAWQUANT_MODEL`, then `Fixtures/models/detector-4bit-gamma.safetensors` beside the
    /// source tree this binary was built from, then the same path below the current directory.
    public static var candidatePaths: [String] {
        var paths: [String] = []
        if let environment = ProcessInfo.processInfo.environment["RAWQUANT_MODEL"], !environment.isEmpty { paths.append(environment) }
        var source = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { source.deleteLastPathComponent() }
        paths.append(source.appendingPathComponent(relativePath).path)
        paths.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(relativePath).path)
        return paths
    }

    public static let relativePath = "Fixtures/models/detector-4bit-gamma.safetensors"

    /// The bundled model's path, or an error naming where it was looked for.
    public static func path() throws -> String {
        if let found = candidatePaths.first(where: { FileManager.default.fileExists(atPath: $0) }) { return found }
        throw FileError(path: relativePath, message: "bundled model not found (looked in \(candidatePaths.joined(separator: ", "))); pass --model")
    }
}
