import Foundation
import TensorCore
import XCTest

/// Reference vectors written by `Tools/make_tensor_fixtures.py` (PyTorch CPU).
public struct Fixture {
    public let file: SafeTensors.File

    /// Loads `Fixtures/tensor/<name>` relative to this package's root.
    public init(_ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let root = URL(fileURLWithPath: "\(#filePath)").deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = root.appendingPathComponent("Fixtures/tensor/\(name)").path
        self.file = try SafeTensors.load(from: path)
    }

    /// The tensor named `key` (fails the test and returns an empty tensor if absent).
    public subscript(_ key: String) -> Tensor {
        guard let t = file.tensors[key] else {
            XCTFail("fixture tensor '\(key)' missing")
            return Tensor.zeros([0])
        }
        return t
    }

    /// Whether the fixture has a tensor named `key`.
    public func has(_ key: String) -> Bool { file.tensors[key] != nil }

    /// A metadata value parsed as JSON.
    public func metadata(_ key: String) -> Any? {
        guard let s = file.metadata[key], let data = s.data(using: .utf8) else { return nil }
        return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }
}
