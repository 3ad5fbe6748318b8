import Foundation

/// Paths of the committed test fixtures.
public enum Fixtures {
    /// The repository's `Fixtures/` directory.
    public static let directory: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Fixtures")
    }()

    /// The path of a fixture file.
    public static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// A fresh empty temporary directory, removed by the caller (or at reboot).
    public static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rawquant-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Writes `bytes` to `directory/name` and returns the path.
    public static func write(_ bytes: [UInt8], named name: String, in directory: String) throws -> String {
        let path = "\(directory)/\(name)"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
