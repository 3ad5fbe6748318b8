import Foundation
import RawQuant
import TestSupport
import XCTest

/// `--raw-format`: headerless and PNG mosaics through inspect, simulate, detect, train and eval.
final class RawFormatCommandTests: XCTestCase {
    private var directory = ""
    override func setUpWithError() throws { directory = try Fixtures.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    /// Writes `image`'s pixels as a headerless little-endian u16 file and as a 16-bit gray PNG; returns both paths.
    private func writeMosaics(_ image: BayerImage, stem: String, in folder: String) throws -> (raw: String, png: String) {
        let raw = "\(folder)/\(stem).raw", png = "\(folder)/\(stem).png"
        try Data(image.pixels.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }).write(to: URL(fileURLWithPath: raw))
        try Data(MinimalPNG.encode(width: image.width, height: image.height, colorType: .gray, bitDepth: 16, samples: image.pixels))
            .write(to: URL(fileURLWithPath: png))
        return (raw, png)
    }

    private func format(of image: BayerImage) -> String {
        "\(image.width)x\(image.height),\(image.adcBits),\(image.cfa.name),\(image.blackLevels[0]),\(image.whiteLevel)"
    }

    func testInspectAndSimulateReadHeaderlessAndPNGMosaics() throws {
        let source = try RawDecoder.decode(path: Fixtures.path("generated/synthetic_bggr_14bit.dng"))
        let image = BayerImage(width: source.width, height: source.height, pixels: source.pixels, cfa: source.cfa,
                               blackLevels: [Int](repeating: source.blackLevels[0], count: 4), whiteLevel: source.whiteLevel)
        let files = try writeMosaics(image, stem: "mosaic", in: directory)
        let description = format(of: image)
        for file in [files.raw, files.png] {
            let inspect = try CLIRunner.run(["inspect", "--json", "--raw-format", description, file])
            XCTAssertEqual(inspect.status, 0, inspect.stderr)
            let facts = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
            XCTAssertEqual(facts["width"] as? Int, image.width)
            XCTAssertEqual(facts["height"] as? Int, image.height)
            XCTAssertEqual(facts["cfa"] as? String, image.cfa.name)
            XCTAssertEqual(facts["blackLevels"] as? [Int], image.blackLevels)
            XCTAssertEqual(facts["whiteLevel"] as? Int, image.whiteLevel)

            let out = directory + "/out-" + URL(fileURLWithPath: file).pathExtension
            let simulate = try CLIRunner.run(["simulate", "--bits", "3", "--output", out, "--raw-format", description, file])
            XCTAssertEqual(simulate.status, 0, simulate.stderr)
            XCTAssertTrue(simulate.stdout.contains("unknown camera, \(image.width)×\(image.height) \(image.cfa.name)"), simulate.stdout)
            // The DNG reads back as the decode tables applied to the codes.
            let rqm = try PackedMosaicFile.read(path: out + "/mosaic.q3.rqm")
            let dng = try RawDecoder.decode(path: out + "/mosaic.q3.dng")
            XCTAssertEqual(dng.cfa, image.cfa)
            XCTAssertEqual(dng.blackLevels, image.blackLevels)
            let codes = rqm.codes()
            let tables = rqm.decodeTables.map { $0.map { UInt16(clamping: Int($0.rounded())) } }
            let expected = (0..<codes.count).map { i in
                min(tables[(i / image.width & 1) << 1 | (i % image.width & 1)][Int(codes[i])], UInt16(image.whiteLevel))
            }
            XCTAssertEqual(dng.pixels, expected, file)
        }
    }

    func testBadDescriptionsAndMismatchedFilesAreClearErrorsWithoutOutput() throws {
        let source = try RawDecoder.decode(path: Fixtures.path("generated/synthetic_rggb_12bit.dng"))
        let files = try writeMosaics(source, stem: "m", in: directory)
        let out = directory + "/out"
        let cases: [([String], Int32, String)] = [
            (["inspect", "--raw-format", "48x32,12,RGBG,64,4095", files.raw], 64, "--raw-format: raw format \"48x32,12,RGBG,64,4095\": CFA must be"),
            (["simulate", "--raw-format", "48x32,17,RGGB,64,4095", "--output", out, files.raw], 64, "BITS must be in 1...16"),
            (["detect", "--raw-format", "48x32", files.raw], 64, "expected WIDTHxHEIGHT,BITS,CFA,BLACK,WHITE"),
            (["inspect", "--raw-format", "48x32,12,RGGB,64,4095", "--allow-headerless", files.raw], 64, "exclude each other"),
            (["simulate", "--raw-format", "40x32,12,RGGB,64,4095", "--output", out, files.raw], 1,
             "\(files.raw): a headerless 40x32 mosaic of u16 samples is 2560 bytes (40 × 32 × 2), but the file has 3072 bytes"),
            (["simulate", "--raw-format", "40x32,12,RGGB,64,4095", "--output", out, files.png], 1, "\(files.png): the PNG is 48x32 but the raw format says 40x32"),
            (["simulate", "--output", out, files.png], 1, "\(files.png): a PNG mosaic needs --raw-format for its CFA, bits, black and white"),
            (["inspect", files.png], 1, "a PNG mosaic needs --raw-format"),
        ]
        for (arguments, status, fragment) in cases {
            let outcome = try CLIRunner.run(arguments)
            XCTAssertEqual(outcome.status, status, "\(arguments): \(outcome.stderr)")
            XCTAssertTrue(outcome.stderr.contains(fragment), "\(arguments): \(outcome.stderr)")
            XCTAssertEqual(outcome.stderr.split(separator: "\n").count, 1, outcome.stderr)
        }
        XCTAssertEqual((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [], [], "failed inputs leave no output")
    }

    /// A dataset whose images are PNG mosaics: found and read only with --raw-format.
    func testTrainEvalAndDetectOnADatasetOfPNGMosaics() throws {
        let synth = directory + "/synth", data = directory + "/data"
        try SyntheticDataset.write(count: 12, seed: 5, configuration: .small(trainFraction: 0.5, valFraction: 0.25), to: synth)
        let manager = FileManager.default
        try manager.createDirectory(atPath: data + "/raw", withIntermediateDirectories: true)
        try manager.copyItem(atPath: synth + "/Annotations", toPath: data + "/Annotations")
        try manager.copyItem(atPath: synth + "/ImageSets", toPath: data + "/ImageSets")
        var description = ""
        for name in try manager.contentsOfDirectory(atPath: synth + "/raw").sorted() where name.hasSuffix(".dng") {
            let image = try RawDecoder.decode(path: synth + "/raw/" + name)
            XCTAssertEqual(Set(image.blackLevels).count, 1, "one black level, as a raw format states it")
            if description.isEmpty { description = format(of: image) }
            XCTAssertEqual(format(of: image), description, "every scene has the same sensor")
            let png = data + "/raw/" + name.replacingOccurrences(of: ".dng", with: ".png")
            try Data(MinimalPNG.encode(width: image.width, height: image.height, colorType: .gray, bitDepth: 16, samples: image.pixels))
                .write(to: URL(fileURLWithPath: png))
        }
        let without = try CLIRunner.run(["eval", "--data", data, "--split", "test"])
        XCTAssertEqual(without.status, 1)
        XCTAssertTrue(without.stderr.contains("no raw file for image"), without.stderr)

        let train = try CLIRunner.run(["train", "--data", data, "--raw-format", description, "--bits", "4", "--epochs", "1",
                                       "--batch", "2", "--width", "4", "--out", directory + "/run"])
        XCTAssertEqual(train.status, 0, train.stderr)
        XCTAssertTrue(train.stdout.contains("epoch 1:"), train.stdout)
        let eval = try CLIRunner.run(["eval", "--model", directory + "/run/checkpoint.safetensors", "--data", data, "--split", "test",
                                      "--raw-format", description, "--json"])
        XCTAssertEqual(eval.status, 0, eval.stderr)
        XCTAssertNotNil(try XCTUnwrap(JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])["mAP50"])
        let first = try XCTUnwrap(manager.contentsOfDirectory(atPath: data + "/raw").sorted().first)
        let detect = try CLIRunner.run(["detect", "--json", "--score-threshold", "0", "--raw-format", description, data + "/raw/" + first])
        XCTAssertEqual(detect.status, 0, detect.stderr)
        let fit = try CLIRunner.run(["fit-quantizer", "--steps", "5", "--samples", "256", "--output", directory + "/fit", "--raw-format", description,
                                     data + "/raw/" + first])
        XCTAssertEqual(fit.status, 0, fit.stderr)
    }

    /// The real headerless and PNG mosaics of ../shared/real/raw through simulate (skipped when absent).
    func testSimulateOnTheSharedRealMosaics() throws {
        let real = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/real/raw").path
        guard FileManager.default.fileExists(atPath: real + "/halide_bayer_small_N900_GRBG_10bit.png") else {
            throw XCTSkip("the third-party mosaics of ../shared/real/raw are not beside this checkout (they are never committed); "
                          + "the generated mosaics above cover --raw-format meanwhile")
        }
        for (file, description) in [("isp_DSC_1339_768x512_rggb.raw", "768x512,14,RGGB,600,15520"), ("isp_DSC_1339_768x512_gbrg.raw", "768x512,14,GBRG,600,15520"),
                                    ("halide_bayer_small_N900_GRBG_10bit.png", "256x344,10,GRBG,25,1023")] {
            let outcome = try CLIRunner.run(["simulate", "--json", "--output", directory, "--raw-format", description, real + "/" + file])
            XCTAssertEqual(outcome.status, 0, outcome.stderr)
            let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
            let stem = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            let dng = try RawDecoder.decode(path: "\(directory)/\(stem).q4.dng")
            XCTAssertEqual("\(dng.width)x\(dng.height),\(dng.adcBits),\(dng.cfa.name),\(dng.blackLevels[0]),\(dng.whiteLevel)", description, file)
            XCTAssertEqual(report["pixels"] as? Int, dng.width * dng.height)
        }
    }
}
