import Foundation
import Quantization
import Support
import XCTest

final class QuantizerFileTests: XCTestCase {
    func testEveryKindRoundTrips() throws {
        for bits in [1, 4, 8] {
            for spec in try EncoderFormulaTests.specs(bits: bits) {
                let bytes = try QuantizerFile.encode(spec, metadata: ["note": "test"])
                let (decoded, metadata) = try QuantizerFile.decode(bytes)
                // Parameters are stored as Float32: the round trip is exact at Float32 precision.
                var expected = spec
                expected.gammas = spec.gammas.map { Double(Float($0)) }
                expected.thresholds = spec.thresholds?.map { $0.map { Double(Float($0)) } }
                expected.steps = spec.steps?.map { Double(Float($0)) }
                XCTAssertEqual(decoded, expected, spec.summary)
                XCTAssertEqual(metadata["note"], "test")
            }
        }
    }

    private func file(kind: String, bits: String, arrays: [String: StoredArray], sorted: String = "false") -> [UInt8] {
        SafeTensorsCodec.encode(arrays, metadata: ["format": "rawquant-quantizer", "version": "1", "kind": kind, "bits": bits, "sorted": sorted])
    }

    func testBadFilesAreRefusedWithClearErrors() throws {
        let good = try QuantizerFile.encode(try .gamma([0.3], bits: 4))
        let cases: [(String, [UInt8], String)] = [
            ("truncated", Array(good.prefix(good.count - 3)), "not a valid safetensors file"),
            ("empty", [], "not a valid safetensors file"),
            ("wrong kind", file(kind: "cubic", bits: "4", arrays: [:]), "unknown quantizer kind \"cubic\""),
            ("bits 0", file(kind: "linear", bits: "0", arrays: [:]), "bits must be an integer in 1...8"),
            ("bits 9", file(kind: "linear", bits: "9", arrays: [:]), "bits must be an integer in 1...8"),
            ("NaN γ", file(kind: "gamma", bits: "4", arrays: ["gamma": StoredArray(shape: [1], scalars: [.nan])]), "NaN"),
            ("negative γ", file(kind: "gamma", bits: "4", arrays: ["gamma": StoredArray(shape: [3], scalars: [0.3, -1, 0.3])]), "γ must be positive"),
            ("missing γ", file(kind: "gamma", bits: "4", arrays: [:]), "lacks the tensor \"gamma\""),
            ("2 groups", file(kind: "gamma", bits: "4", arrays: ["gamma": StoredArray(shape: [2], scalars: [0.3, 0.3])]), "1 or 3"),
            ("unsorted", file(kind: "bwsq", bits: "2", arrays: ["thresholds": StoredArray(shape: [1, 3], scalars: [0.5, 0.2, 0.7])], sorted: "true"), "not sorted"),
            ("too few thresholds", file(kind: "sq", bits: "3", arrays: ["thresholds": StoredArray(shape: [1, 3], scalars: [0.1, 0.2, 0.7])]), "needs 7 thresholds"),
            ("foreign", SafeTensorsCodec.encode(["w": StoredArray(shape: [1], scalars: [1])]), "not a RawQuant quantizer file"),
        ]
        for (name, bytes, fragment) in cases {
            XCTAssertThrowsError(try QuantizerFile.decode(bytes), name) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(name): \(error)")
            }
        }
        // Unsorted thresholds are fine when the file does not require sorting (the paper's default).
        XCTAssertNoThrow(try QuantizerFile.decode(file(kind: "bwsq", bits: "2", arrays: ["thresholds": StoredArray(shape: [1, 3], scalars: [0.5, 0.2, 0.7])])))
    }

    func testWriteIsAtomicAndReadable() throws {
        let directory = NSTemporaryDirectory() + "/rawquant-qfile-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let spec = try QuantizerSpec(kind: .lsq, bits: 3, steps: [0.125])
        try QuantizerFile.write(spec, to: directory + "/q.safetensors")
        XCTAssertEqual(try QuantizerFile.read(path: directory + "/q.safetensors"), spec)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), ["q.safetensors"])
        XCTAssertThrowsError(try QuantizerFile.read(path: directory + "/missing.safetensors"))
    }
}
