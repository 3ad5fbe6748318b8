import Foundation
import NN
import TensorCore
import TensorTestSupport
import XCTest
import Support

final class SafeTensorsTests: XCTestCase {
    /// Builds a file from a raw JSON header and data bytes.
    func file(header: String, data: [UInt8]) -> [UInt8] {
        let h = [UInt8](header.utf8)
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt64(h.count).littleEndian) { out += $0 }
        return out + h + data
    }

    func expectError(_ bytes: [UInt8], _ check: (SafeTensorsError) -> Bool, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try SafeTensors.decode(bytes), file: file, line: line) { error in
            guard let e = error as? SafeTensorsError else { return XCTFail("wrong error type \(error)", file: file, line: line) }
            XCTAssertTrue(check(e), "unexpected error: \(e)", file: file, line: line)
            XCTAssertFalse(e.description.isEmpty)
        }
    }

    func testRoundTripWithMetadata() throws {
        let tensors = ["a.weight": Tensor.normal([2, 3, 1], seed: 1), "b": Tensor(shape: [], scalars: [4]), "empty": Tensor.zeros([0, 3])]
        let bytes = SafeTensors.encode(tensors, metadata: ["format": "pt", "epoch": "3"])
        let h = Int(bytes[0]) | Int(bytes[1]) << 8
        XCTAssertEqual((8 + h) % 8, 0, "header padded to 8 bytes")
        let back = try SafeTensors.decode(bytes)
        XCTAssertEqual(back.metadata, ["format": "pt", "epoch": "3"])
        XCTAssertEqual(Set(back.tensors.keys), Set(tensors.keys))
        for (k, v) in tensors {
            XCTAssertEqual(back.tensors[k]!.shape, v.shape)
            XCTAssertEqual(back.tensors[k]!.scalars, v.scalars)
        }
    }

    func testKnownByteLayout() throws {
        // One F32 tensor [2] = [1, -2]: little-endian IEEE bits.
        let bytes = file(header: #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#,
                         data: [0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0])
        XCTAssertEqual(try SafeTensors.decode(bytes).tensors["x"]?.scalars, [1, -2])
    }

    func testRejectsMalformedFiles() {
        expectError([1, 2, 3]) { if case .truncatedHeader = $0 { return true }; return false }
        expectError(file(header: "{}", data: []).prefix(9).map { $0 }) { if case .truncatedHeader = $0 { return true }; return false }
        expectError(file(header: "{not json", data: [])) { if case .malformedHeader = $0 { return true }; return false }
        expectError(file(header: "[1,2]", data: [])) { if case .malformedHeader = $0 { return true }; return false }
        expectError(file(header: #"{"x":{"dtype":"F32","shape":[2]}}"#, data: [])) { if case .malformedHeader = $0 { return true }; return false }
        expectError(file(header: #"{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])) {
            if case .malformedHeader = $0 { return true }; return false
        }
        expectError(file(header: #"{"x":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])) {
            $0 == .unsupportedDType(tensor: "x", dtype: "F16")
        }
        expectError(file(header: #"{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 12))) {
            if case .badDataOffsets = $0 { return true }; return false
        }
        expectError(file(header: #"{"x":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, data: [UInt8](repeating: 0, count: 12))) {
            $0 == .shortData(tensor: "x", needed: 16, available: 12)
        }
        // Overlapping ranges, a gap, and trailing bytes.
        expectError(file(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
                         data: [UInt8](repeating: 0, count: 8))) { if case .badDataOffsets = $0 { return true }; return false }
        expectError(file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: [UInt8](repeating: 0, count: 8))) {
            if case .badDataOffsets = $0 { return true }; return false
        }
        expectError(file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: [UInt8](repeating: 0, count: 8))) {
            if case .malformedHeader = $0 { return true }; return false
        }
        var huge: [UInt8] = []
        withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { huge += $0 }
        expectError(huge) { if case .headerTooLarge = $0 { return true }; return false }
    }

    func testModuleLoadRejectsMismatches() throws {
        let net = Sequential([Conv2d(1, 2, kernelSize: 3, seed: 1), BatchNorm2d(2)])
        var state = net.stateDict()
        state["0.weight"] = Tensor.zeros([2, 1, 5, 5])
        XCTAssertThrowsError(try net.loadStateDict(state)) {
            XCTAssertEqual($0 as? SafeTensorsError, .shapeMismatch(tensor: "0.weight", expected: [2, 1, 3, 3], found: [2, 1, 5, 5]))
        }
        state = net.stateDict()
        state["1.running_var"] = nil
        XCTAssertThrowsError(try net.loadStateDict(state)) { XCTAssertEqual($0 as? SafeTensorsError, .missingTensor("1.running_var")) }
        state = net.stateDict()
        state["extra"] = Tensor.zeros([1])
        XCTAssertThrowsError(try net.loadStateDict(state)) { XCTAssertEqual($0 as? SafeTensorsError, .unexpectedTensors(["extra"])) }
        XCTAssertNoThrow(try net.loadStateDict(state, strict: false))
    }

    func testMissingFileIsAnIOError() {
        XCTAssertThrowsError(try SafeTensors.load(from: "/nonexistent/dir/x.safetensors")) {
            guard case .io = $0 as? SafeTensorsError else { return XCTFail("expected io error, got \($0)") }
        }
    }
}
