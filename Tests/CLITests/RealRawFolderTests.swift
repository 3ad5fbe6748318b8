import Foundation
import RawQuant
import TestSupport
import XCTest

/// Every file of ../shared/real/raw through `inspect --json` and `simulate` (issue 14, item 5): the facts its
/// PROVENANCE.md records, a simulated DNG that reads back as the decode tables, or one clean error naming the
/// problem and no output. Skipped when the folder is absent (its third-party files are never committed).
final class RealRawFolderTests: XCTestCase {
    private static let real = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/real/raw").path

    /// What a file must give: its facts (with the raw format it needs, if any), or an error.
    private enum Expected {
        case facts(format: String?, make: String, model: String, width: Int, height: Int, cfa: String, black: Int, white: Int)
        case error(String)
    }

    /// PROVENANCE.md's facts, file by file; the headerless and PNG mosaics with the descriptions it gives.
    private static let expected: [String: Expected] = [
        "RAW_CANON_D30_SRGB.CRW": .facts(format: nil, make: "Canon", model: "EOS D30", width: 2176, height: 1448, cfa: "RGGB", black: 126, white: 4095),
        "RAW_KODAK_DC50.KDC": .facts(format: nil, make: "Kodak", model: "DC50", width: 768, height: 512, cfa: "GRBG", black: 0, white: 16383),
        "isp_DSC_1339_768x512_rggb.raw": .facts(format: "768x512,14,RGGB,600,15520", make: "", model: "", width: 768, height: 512, cfa: "RGGB",
                                                black: 600, white: 15520),
        "isp_DSC_1339_768x512_gbrg.raw": .facts(format: "768x512,14,GBRG,600,15520", make: "", model: "", width: 768, height: 512, cfa: "GBRG",
                                                black: 600, white: 15520),
        "halide_bayer_small_N900_GRBG_10bit.png": .facts(format: "256x344,10,GRBG,25,1023", make: "", model: "", width: 256, height: 344,
                                                         cfa: "GRBG", black: 25, white: 1023),
        "skia_sample_1mp_LG-H815_linearraw_lossy.dng": .error("not a Bayer mosaic"),
        "stripped/exiftool_DNG.dng": .error("no pixel data"),
        "stripped/exiftool_FujiFilm.raf": .error("no pixel data"),
    ]

    /// Every file below the folder but PROVENANCE.md, relative paths.
    private func files() throws -> [String] {
        guard FileManager.default.fileExists(atPath: Self.real + "/PROVENANCE.md") else {
            throw XCTSkip("../shared/real/raw is not beside this checkout (third-party raws are never committed); "
                          + "the generated fixtures and RawFormatCommandTests cover the same paths meanwhile")
        }
        let enumerator = try XCTUnwrap(FileManager.default.enumerator(atPath: Self.real))
        var found: [String] = []
        for case let name as String in enumerator where name != "PROVENANCE.md" {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: Self.real + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue { found.append(name) }
        }
        return found.sorted()
    }

    func testEveryRealFileGivesItsFactsAndAReadableDNGOrACleanError() throws {
        let names = try files()
        XCTAssertEqual(Set(names), Set(Self.expected.keys), "every file of the folder has its expectation here")
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in names {
            let path = Self.real + "/" + name, out = directory + "/" + name.replacingOccurrences(of: "/", with: "_")
            switch Self.expected[name]! {
            case .error(let fragment):
                for arguments in [["inspect", "--json", path], ["simulate", "--output", out, path]] {
                    let outcome = try CLIRunner.run(arguments)
                    XCTAssertEqual(outcome.status, 1, "\(arguments): \(outcome.stderr)")
                    XCTAssertTrue(outcome.stderr.hasPrefix("rawquant: error: \(path): "), outcome.stderr)
                    XCTAssertTrue(outcome.stderr.contains(fragment), "\(name): \(outcome.stderr)")
                    XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr)
                }
                XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [], [], "\(name): no output")
            case let .facts(format, make, model, width, height, cfa, black, white):
                let extra = format.map { ["--raw-format", $0] } ?? []
                let inspect = try CLIRunner.run(["inspect", "--json"] + extra + [path])
                XCTAssertEqual(inspect.status, 0, "\(name): \(inspect.stderr)")
                let facts = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any], name)
                XCTAssertEqual(facts["make"] as? String, make, name)
                XCTAssertEqual(facts["model"] as? String, model, name)
                XCTAssertEqual(facts["width"] as? Int, width, name)
                XCTAssertEqual(facts["height"] as? Int, height, name)
                XCTAssertEqual(facts["cfa"] as? String, cfa, name)
                XCTAssertEqual(facts["blackLevels"] as? [Int], [black, black, black, black], name)
                XCTAssertEqual(facts["whiteLevel"] as? Int, white, name)

                let simulate = try CLIRunner.run(["simulate", "--bits", "4", "--output", out] + extra + [path])
                XCTAssertEqual(simulate.status, 0, "\(name): \(simulate.stderr)")
                let stem = URL(fileURLWithPath: name).deletingPathExtension().lastPathComponent
                let rqm = try PackedMosaicFile.read(path: "\(out)/\(stem).q4.rqm")
                let dng = try RawDecoder.decode(path: "\(out)/\(stem).q4.dng")
                XCTAssertEqual([dng.width, dng.height], [width, height], name)
                XCTAssertEqual(dng.cfa.name, cfa, name)
                XCTAssertEqual(dng.blackLevels, [black, black, black, black], name)
                XCTAssertEqual(dng.whiteLevel, white, name)
                let codes = rqm.codes()
                let tables = rqm.decodeTables.map { $0.map { UInt16(clamping: Int($0.rounded())) } }
                let expected = (0..<codes.count).map { i in min(tables[(i / width & 1) << 1 | (i % width & 1)][Int(codes[i])], UInt16(white)) }
                XCTAssertTrue(dng.pixels == expected, "\(name): the DNG reads back as the decode tables applied to the codes")
            }
        }
        // Without their description the mosaics are refused with the reason, never read as a guessed camera.
        for (name, fragment) in [("isp_DSC_1339_768x512_rggb.raw", "no raw header"), ("halide_bayer_small_N900_GRBG_10bit.png", "needs --raw-format")] {
            let outcome = try CLIRunner.run(["inspect", Self.real + "/" + name])
            XCTAssertEqual(outcome.status, 1)
            XCTAssertTrue(outcome.stderr.contains(fragment), outcome.stderr)
        }
    }

    /// `inspect --json` agrees with LibRaw's own `raw-identify -v` (Debian's libraw-bin) on camera, visible size, CFA and
    /// exposure for every file both read; skipped when `raw-identify` is not on PATH.
    func testInspectAgreesWithRawIdentify() throws {
        let names = try files()
        let which = try CLIRunner.shell("command -v raw-identify")
        guard which.status == 0, !which.stdout.isEmpty else {
            throw XCTSkip("raw-identify is not on PATH (Debian: apt-get install libraw-bin); the PROVENANCE.md facts are checked above")
        }
        var compared = 0
        for name in names {
            let path = Self.real + "/" + name
            let inspect = try CLIRunner.run(["inspect", "--json", path])
            let identify = try CLIRunner.shell("raw-identify -v \"$1\"", path)
            guard inspect.status == 0 else {
                // Our refusals: raw-identify reads no Bayer image there either, or only a header, or a guessed camera.
                continue
            }
            XCTAssertEqual(identify.status, 0, "\(name): \(identify.stderr)")
            let facts = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
            func line(_ key: String) -> String? {
                identify.stdout.split(separator: "\n").first { $0.hasPrefix(key) }.map { String($0.dropFirst(key.count)).trimmingCharacters(in: .whitespaces) }
            }
            let camera = try XCTUnwrap(line("Camera:"), name)
            XCTAssertTrue(camera.hasPrefix("\(facts["make"] as! String) \(facts["model"] as! String)"), "\(name): \(camera)")
            XCTAssertEqual(line("Image size:"), "\(facts["width"] as! Int) x \(facts["height"] as! Int)", name)
            // raw-identify prints the colours of 8 rows × 2 columns; the first four are the 2×2 pattern at the origin.
            XCTAssertEqual(line("Filter pattern:").map { String($0.prefix(4)) }, facts["cfa"] as? String, name)
            if let iso = line("ISO speed:").flatMap(Double.init), iso > 0 { XCTAssertEqual(facts["isoSpeed"] as? Double, iso, name) }
            if let aperture = line("Aperture: f/").flatMap(Double.init), aperture > 0 {
                XCTAssertEqual(try XCTUnwrap(facts["aperture"] as? Double, name), aperture, accuracy: 0.051, name)
            }
            if let focal = line("Focal length:").flatMap({ Double($0.replacingOccurrences(of: " mm", with: "")) }), focal > 0 {
                XCTAssertEqual(try XCTUnwrap(facts["focalLength"] as? Double, name), focal, accuracy: 0.051, name)
            }
            if let shutter = line("Shutter: 1/").flatMap(Double.init), shutter > 0 {
                XCTAssertEqual(try XCTUnwrap(facts["exposureTime"] as? Double, name), 1 / shutter, accuracy: 1e-3 / shutter, name)
            }
            compared += 1
        }
        XCTAssertGreaterThanOrEqual(compared, 2, "the CRW and the KDC at least are compared")
    }
}
