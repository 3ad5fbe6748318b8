import Foundation
import Support

/// Reading and writing tensors in the safetensors format (F32 only); the byte format itself is
/// ``SafeTensorsCodec`` (see there for the layout). Files written here are readable by the Python
/// `safetensors` package and vice versa.
public enum SafeTensors {
    /// Named tensors plus the free-form string metadata of a file.
    public struct File: Sendable {
        public var tensors: [String: Tensor]
        public var metadata: [String: String]
        public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
            self.tensors = tensors; self.metadata = metadata
        }
    }

    /// Serialises tensors (sorted by name) and metadata to bytes.
    public static func encode(_ tensors: [String: Tensor], metadata: [String: String] = [:]) -> [UInt8] {
        SafeTensorsCodec.encode(tensors.mapValues { StoredArray(shape: $0.shape, scalars: $0.scalars) }, metadata: metadata)
    }

    /// Parses bytes, validating the header, dtypes and data offsets.
    public static func decode(_ bytes: [UInt8]) throws -> File {
        let (arrays, metadata) = try SafeTensorsCodec.decode(bytes)
        return File(tensors: arrays.mapValues { Tensor(shape: $0.shape, scalars: $0.scalars) }, metadata: metadata)
    }

    /// Writes tensors and metadata to `path`.
    public static func save(_ tensors: [String: Tensor], metadata: [String: String] = [:], to path: String) throws {
        // Staged beside the target, synced and renamed (AtomicOutput), so a failed save leaves no partial file.
        do { try AtomicOutput.write(encode(tensors, metadata: metadata), to: path) } catch {
            throw SafeTensorsError.io("cannot write \(error)")
        }
    }

    /// Reads and validates the file at `path`.
    public static func load(from path: String) throws -> File {
        let (arrays, metadata) = try SafeTensorsCodec.load(from: path)
        return File(tensors: arrays.mapValues { Tensor(shape: $0.shape, scalars: $0.scalars) }, metadata: metadata)
    }
}
