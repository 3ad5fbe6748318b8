import Foundation
import FoundationXML
import RawIO
import Scenes
import TestSupport
import XCTest
import Bayer

final class SyntheticDatasetTests: XCTestCase {
    private func configuration(cfa: CFAChoice = .mixed) -> SceneConfiguration {
        var c = SceneConfiguration()
        c.width = 96
        c.height = 64
        c.objectSize = 10...30
        c.cfa = cfa
        return c
    }

    private func files(in directory: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory)!
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory)
            if exists && !isDirectory.boolValue { result[path] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + path)) }
        }
        return result
    }

    func testSameSeedGivesTheSameBytesWhateverTheThreadCount() throws {
        let a = try Fixtures.temporaryDirectory(), b = try Fixtures.temporaryDirectory(), c = try Fixtures.temporaryDirectory()
        defer { for d in [a, b, c] { try? FileManager.default.removeItem(atPath: d) } }
        try SyntheticDataset.write(count: 6, seed: 5, configuration: configuration(), to: a, concurrency: 1)
        try SyntheticDataset.write(count: 6, seed: 5, configuration: configuration(), to: b, concurrency: 3)
        try SyntheticDataset.write(count: 6, seed: 6, configuration: configuration(), to: c, concurrency: 2)
        let filesA = try files(in: a)
        XCTAssertEqual(filesA.count, 6 * 2 + 4 + 1)
        XCTAssertEqual(filesA, try files(in: b))
        XCTAssertNotEqual(filesA["raw/scene_000000.dng"], try files(in: c)["raw/scene_000000.dng"])
    }

    func testImagesDecodeAndAnnotationsAreConsistent() throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let manifest = try SyntheticDataset.write(count: 20, seed: 11, configuration: configuration(), to: directory)
        XCTAssertEqual(manifest.splits.values.reduce(0, +), 20)
        XCTAssertEqual(manifest.splits["train"], 14)
        var patterns = Set<String>(), names = Set<String>()
        for entry in manifest.images {
            let image = try RawDecoder.decode(path: directory + "/" + entry.file)
            XCTAssertEqual(image.width, 96)
            XCTAssertEqual(image.height, 64)
            XCTAssertEqual(image.cfa.name, entry.cfa)
            XCTAssertEqual(image.whiteLevel, 4095)
            XCTAssertEqual(image.blackLevels, [256, 256, 256, 256])
            XCTAssertTrue((0.0078125...1).contains(entry.exposure))
            patterns.insert(entry.cfa)

            let xml = try XMLDocument(contentsOf: URL(fileURLWithPath: directory + "/Annotations/\(entry.id).xml"))
            XCTAssertEqual(try xml.nodes(forXPath: "/annotation/filename").first?.stringValue, "\(entry.id).dng")
            XCTAssertEqual(try xml.nodes(forXPath: "/annotation/size/width").first?.stringValue, "96")
            let objects = try xml.nodes(forXPath: "/annotation/object")
            XCTAssertEqual(objects.count, entry.objects)
            for object in objects {
                func value(_ path: String) throws -> Int { Int(try object.nodes(forXPath: path).first!.stringValue!)! }
                let name = try object.nodes(forXPath: "name").first!.stringValue!
                names.insert(name)
                let (xmin, ymin, xmax, ymax) = (try value("bndbox/xmin"), try value("bndbox/ymin"), try value("bndbox/xmax"), try value("bndbox/ymax"))
                XCTAssertTrue(1 <= xmin && xmin <= xmax && xmax <= 96, "\(entry.id) x \(xmin)...\(xmax)")
                XCTAssertTrue(1 <= ymin && ymin <= ymax && ymax <= 64, "\(entry.id) y \(ymin)...\(ymax)")
            }
        }
        XCTAssertGreaterThan(patterns.count, 1, "mixed CFA draws several patterns")
        XCTAssertEqual(names, ["disk", "square", "triangle"])
        let lists = try ["train", "val", "test", "trainval"].map {
            try String(contentsOfFile: directory + "/ImageSets/Main/\($0).txt", encoding: .utf8).split(separator: "\n").map(String.init)
        }
        XCTAssertEqual(Set(lists[0] + lists[1] + lists[2]).count, 20)
        XCTAssertEqual(Set(lists[3]), Set(lists[0] + lists[1]))
    }

    func testObjectsStandOutFromTheBackgroundAndExposureScalesTheSignal() throws {
        var bright = configuration(cfa: .fixed(.init(.rggb)))
        bright.exposureRange = 0.8...0.8
        bright.lightSourceProbability = 0
        var dark = bright
        dark.exposureRange = 0.02...0.02
        let brightScene = SceneGenerator(configuration: bright).scene(seed: 3, index: 0)
        let darkScene = SceneGenerator(configuration: dark).scene(seed: 3, index: 0)
        XCTAssertEqual(brightScene.objects, darkScene.objects, "exposure changes the signal, not the scene")
        func mean(_ image: BayerImage) -> Double { image.pixels.reduce(0.0) { $0 + Double($1) } / Double(image.pixels.count) - 256 }
        XCTAssertEqual(mean(brightScene.image) / mean(darkScene.image), 40, accuracy: 8)
        // The green class is brighter in green than in red pixels inside its box, unlike a neutral surface.
        for scene in (0..<10).map({ SceneGenerator(configuration: bright).scene(seed: 8, index: $0) }) {
            for object in scene.objects where object.name == "square" && !object.difficult {
                var red = 0.0, green = 0.0, nr = 0.0, ng = 0.0
                for y in (Int(object.box.ymin) - 1)..<Int(object.box.ymax) {
                    for x in (Int(object.box.xmin) - 1)..<Int(object.box.xmax) {
                        let v = Double(scene.image[y, x]) - 256
                        switch scene.image.cfa.color(row: y, column: x) {
                        case .red: red += v; nr += 1
                        case .green: green += v; ng += 1
                        case .blue: break
                        }
                    }
                }
                XCTAssertGreaterThan(green / ng, red / nr)
            }
        }
    }

    func testSmallImagesAndBadCountsAreRefused() {
        var tiny = SceneConfiguration()
        tiny.width = 20
        XCTAssertThrowsError(try SyntheticDataset.write(count: 1, seed: 1, configuration: tiny, to: NSTemporaryDirectory() + "/never"))
        XCTAssertThrowsError(try SyntheticDataset.write(count: 0, seed: 1, configuration: SceneConfiguration(), to: NSTemporaryDirectory() + "/never"))
    }
}
