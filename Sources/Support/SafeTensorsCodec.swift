import Foundation

/// A named F32 array as stored in a safetensors file: row-major scalars and a shape.
public struct StoredArray: Sendable, Equatable {
    public var shape: [Int]
    public var scalars: [Float]

    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.reduce(1, *) == scalars.count, "StoredArray: \(scalars.count) scalars for shape \(shape)")
        self.shape = shape
        self.scalars = scalars
    }
}

/// Reading and writing the safetensors format (F32 only), with no tensor dependency — the tensor core
/// wraps it for tensors, and the deploy-side quantizer files use it directly.
///
/// Layout: an 8-byte little-endian `UInt64` header length `N`, then `N` bytes of UTF-8 JSON
/// `{"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, …, "__metadata__": {"key": "value"}}`
/// (padded with spaces to a multiple of 8), then the data: each array's elements as row-major
/// little-endian Float32 at `[begin, end)` relative to the data start. Files written here are readable
/// by the Python `safetensors` package and vice versa.
public enum SafeTensorsCodec {
    /// Serialises arrays (sorted by name) and metadata to bytes.
    public static func encode(_ arrays: [String: StoredArray], metadata: [String: String] = [:]) -> [UInt8] {
        let names = arrays.keys.sorted()
        var header: [String: Any] = [:]
        var offset = 0
        for name in names {
            let a = arrays[name]!
            header[name] = ["dtype": "F32", "shape": a.shape, "data_offsets": [offset, offset + 4 * a.scalars.count]] as [String: Any]
            offset += 4 * a.scalars.count
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = (try? JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])).map { [UInt8]($0) } ?? [UInt8]("{}".utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        var out = [UInt8]()
        out.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: json)
        for name in names {
            for v in arrays[name]!.scalars {
                withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) }
            }
        }
        return out
    }

    /// Parses bytes, validating the header, dtypes and data offsets.
    public static func decode(_ bytes: [UInt8]) throws -> (arrays: [String: StoredArray], metadata: [String: String]) {
        guard bytes.count >= 8 else { throw SafeTensorsError.truncatedHeader(fileSize: bytes.count, needed: 8) }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n <= 100_000_000 else { throw SafeTensorsError.headerTooLarge(Int(clamping: n)) }
        let headerLength = Int(n)
        guard bytes.count >= 8 + headerLength else {
            throw SafeTensorsError.truncatedHeader(fileSize: bytes.count, needed: 8 + headerLength)
        }
        let json = Data(bytes[8..<(8 + headerLength)])
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: json) } catch {
            throw SafeTensorsError.malformedHeader("not valid JSON")
        }
        guard let header = parsed as? [String: Any] else { throw SafeTensorsError.malformedHeader("top level is not an object") }
        let dataStart = 8 + headerLength, dataSize = bytes.count - dataStart
        var metadata: [String: String] = [:]
        var arrays: [String: StoredArray] = [:]
        var ranges: [(name: String, begin: Int, end: Int)] = []
        guard header.count <= 1_000_000 else { throw SafeTensorsError.malformedHeader("\(header.count) entries") }
        for (name, entry) in header {
            if name == "__metadata__" {
                guard let m = entry as? [String: String] else { throw SafeTensorsError.malformedHeader("__metadata__ must map strings to strings") }
                metadata = m
                continue
            }
            guard let info = entry as? [String: Any] else { throw SafeTensorsError.malformedHeader("entry \(Untrusted.quote(name)) is not an object") }
            guard let dtype = info["dtype"] as? String else { throw SafeTensorsError.malformedHeader("entry \(Untrusted.quote(name)) has no dtype string") }
            guard let shapeAny = info["shape"] as? [Any], let shape = intArray(shapeAny), shape.allSatisfy({ $0 >= 0 }) else {
                throw SafeTensorsError.malformedHeader("entry \(Untrusted.quote(name)) has no valid shape")
            }
            guard let offAny = info["data_offsets"] as? [Any], let offs = intArray(offAny), offs.count == 2 else {
                throw SafeTensorsError.malformedHeader("entry \(Untrusted.quote(name)) has no valid data_offsets")
            }
            guard dtype == "F32" else { throw SafeTensorsError.unsupportedDType(tensor: name, dtype: dtype) }
            let (begin, end) = (offs[0], offs[1])
            guard shape.count <= 8, let count = CheckedSize.product(shape), let bytesNeeded = CheckedSize.product(count, 4) else {
                throw SafeTensorsError.badDataOffsets(tensor: name, detail: "shape \(shape) needs more bytes than the file's \(dataSize) of data")
            }
            guard bytesNeeded <= dataSize else { throw SafeTensorsError.shortData(tensor: name, needed: bytesNeeded, available: dataSize) }
            guard begin >= 0, end >= begin, end - begin == bytesNeeded else {
                throw SafeTensorsError.badDataOffsets(tensor: name, detail: "[\(begin), \(end)) for shape \(shape) (needs \(bytesNeeded) bytes)")
            }
            guard end <= dataSize else { throw SafeTensorsError.shortData(tensor: name, needed: end, available: dataSize) }
            ranges.append((name, begin, end))
            var scalars = [Float](repeating: 0, count: count)
            for i in 0..<count {
                let p = dataStart + begin + 4 * i
                let bits = UInt32(bytes[p]) | UInt32(bytes[p + 1]) << 8 | UInt32(bytes[p + 2]) << 16 | UInt32(bytes[p + 3]) << 24
                scalars[i] = Float(bitPattern: bits)
            }
            arrays[name] = StoredArray(shape: shape, scalars: scalars)
        }
        // As the format requires: tensors tile the data section exactly (no overlap, gap or tail).
        var covered = 0
        for r in ranges.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            guard r.begin == covered else {
                throw SafeTensorsError.badDataOffsets(tensor: r.name, detail: "starts at \(r.begin), expected \(covered) (overlap or gap)")
            }
            covered = r.end
        }
        guard covered == dataSize else {
            throw SafeTensorsError.malformedHeader("tensors cover \(covered) of \(dataSize) data bytes")
        }
        return (arrays, metadata)
    }

    /// The largest safetensors file read, bytes (the bundled detector is under 1 MB).
    public static let maximumFileSize = 2 << 30

    /// Reads and validates the file at `path`.
    public static func load(from path: String) throws -> (arrays: [String: StoredArray], metadata: [String: String]) {
        let data: Data
        do { data = try BoundedFile.read(path, limit: maximumFileSize, what: "safetensors file") } catch {
            throw SafeTensorsError.io("cannot read \(error)")
        }
        return try decode([UInt8](data))
    }

    /// JSON numbers as non-fractional Ints (nil if any is not one).
    static func intArray(_ values: [Any]) -> [Int]? {
        var out: [Int] = []
        for v in values {
            guard let num = v as? NSNumber else { return nil }
            let d = num.doubleValue
            guard d == d.rounded(), Swift.abs(d) < 1e15 else { return nil }
            out.append(num.intValue)
        }
        return out
    }
}
