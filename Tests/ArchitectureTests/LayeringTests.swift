import Foundation
import XCTest

/// The package's layers depend one way (docs/ARCHITECTURE.md): each library target lists in Package.swift only
/// targets declared before it, and every source file imports only its own target's declared dependencies
/// (no module reached through another one's dependencies).
final class LayeringTests: XCTestCase {
    private static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// Library and executable targets of Package.swift in declaration order, with their target dependencies.
    private func targets() throws -> [(name: String, dependencies: [String])] {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let pattern = try NSRegularExpression(pattern: #"\.(target|executableTarget|systemLibrary)\(\s*name:\s*"([^"]+)"(?:[^\[\)]*dependencies:\s*\[([^\]]*)\])?"#)
        let text = manifest as NSString
        return pattern.matches(in: manifest, range: NSRange(location: 0, length: text.length)).compactMap { match in
            let name = text.substring(with: match.range(at: 2))
            let list = match.range(at: 3).location == NSNotFound ? "" : text.substring(with: match.range(at: 3))
            let dependencies = try? NSRegularExpression(pattern: #"^\s*"([^"]+)""#, options: [.anchorsMatchLines])
            let names = list.split(separator: ",").compactMap { item -> String? in
                let item = String(item)
                guard let d = dependencies?.firstMatch(in: item, range: NSRange(location: 0, length: (item as NSString).length)) else { return nil }
                return (item as NSString).substring(with: d.range(at: 1))
            }
            return (name, names)
        }
    }

    func testTargetsDependOnlyOnTargetsBelowThem() throws {
        let all = try targets()
        XCTAssertGreaterThan(all.count, 10, "Package.swift parsed")
        var seen: Set<String> = []
        for target in all {
            for dependency in target.dependencies {
                XCTAssertTrue(seen.contains(dependency), "\(target.name) depends on \(dependency), declared after it")
            }
            seen.insert(target.name)
        }
    }

    func testSourcesImportOnlyTheirTargetsDeclaredDependencies() throws {
        let declared = Dictionary(uniqueKeysWithValues: try targets().map { ($0.name, Set($0.dependencies)) })
        let external: Set<String> = ["Foundation", "Dispatch", "Glibc", "Darwin", "Synchronization", "XCTest", "ArgumentParser"]
        let sources = Self.root.appendingPathComponent("Sources")
        var checked = 0
        for target in try FileManager.default.contentsOfDirectory(atPath: sources.path).sorted() {
            guard let allowed = declared[target] else { continue }
            let folder = sources.appendingPathComponent(target)
            for case let file as String in FileManager.default.enumerator(atPath: folder.path)! where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for line in text.split(separator: "\n") where line.hasPrefix("import ") || line.hasPrefix("@_exported import ") {
                    let module = String(line.split(separator: " ").last!)
                    XCTAssertTrue(external.contains(module) || allowed.contains(module),
                                  "Sources/\(target)/\(file) imports \(module), which \(target) does not declare")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 100)
    }
}
