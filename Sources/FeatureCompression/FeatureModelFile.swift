import Foundation
import NN
import Quantization
import TensorCore
import Support

/// A trained feature model as a safetensors file: the network's weights as tensors, and in the metadata
/// `format` = `rawquant-feature-model`, `version` = `1`, `info` (``FeatureModelInfo`` as JSON) and, for
/// quantized methods, `codec` (``FeatureCodec`` as JSON — all a device needs to encode).
public enum FeatureModelFile {
    public static let format = "rawquant-feature-model"
    public static let version = "1"

    /// Writes the model atomically.
    public static func write(_ model: FeatureModel, to path: String, notes: [String: String] = [:]) throws {
        try ModelFileContainer.write(model.network, info: model.info, codec: model.codec, format: format, version: version, notes: notes, to: path)
    }

    /// Reads a model; the codec is rebuilt from the weights and must equal the stored one.
    public static func read(path: String) throws -> FeatureModel {
        let file: SafeTensors.File
        do {
            file = try SafeTensors.load(from: path)
        } catch {
            throw QuantizationError("not a readable safetensors file: \(error)")
        }
        return try read(file)
    }

    /// A model from a decoded safetensors file, checked as ``read(path:)`` checks it.
    public static func read(_ file: SafeTensors.File) throws -> FeatureModel {
        let info = try ModelFileContainer.info(FeatureModelInfo.self, in: file, format: format, version: version, kind: "feature model")
        try info.validate()
        let network = FeatureNetwork(info: info, training: [])
        try ModelFileContainer.load(file, into: network)
        let model = FeatureModel(info: info, network: network)
        try ModelFileContainer.checkCodec(in: file, equals: model.codec)
        return model
    }
}

/// The safetensors container shared by feature and stream model files: weights as tensors; in the metadata `format`,
/// `version`, `info` (the model's description as canonical JSON) and, for quantized methods, `codec`.
enum ModelFileContainer {
    static func write(_ network: Module, info: some Encodable, codec: FeatureCodec?, format: String, version: String,
                      notes: [String: String] = [:], to path: String) throws {
        var metadata = notes
        metadata["format"] = format
        metadata["version"] = version
        metadata["info"] = try CanonicalJSON.string(info)
        if let codec { metadata["codec"] = try CanonicalJSON.string(codec) }
        do {
            try SafeTensors.save(network.stateDict(), metadata: metadata, to: path)
        } catch {
            throw QuantizationError("cannot write \(path): \(error)")
        }
    }

    /// The description of a file of `format` and `version` (not yet validated).
    static func info<Info: Decodable>(_ type: Info.Type, in file: SafeTensors.File, format: String, version: String, kind: String) throws -> Info {
        let metadata = file.metadata
        guard metadata["format"] == format else { throw QuantizationError("not a RawQuant \(kind) (metadata format ≠ \(format))") }
        guard metadata["version"] == version else { throw QuantizationError("unsupported \(kind) version \(metadata["version"] ?? "none")") }
        guard let text = metadata["info"], let info = try? JSONDecoder().decode(Info.self, from: Data(text.utf8)) else {
            throw QuantizationError("the model's info metadata is missing or malformed")
        }
        return info
    }

    /// The file's weights into `network` (built from the validated description).
    static func load(_ file: SafeTensors.File, into network: Module) throws {
        do {
            try network.loadStateDict(file.tensors)
        } catch {
            throw QuantizationError("weights do not match the model description: \(error)")
        }
    }

    /// A stored codec must equal the one rebuilt from the weights.
    static func checkCodec(in file: SafeTensors.File, equals codec: FeatureCodec?) throws {
        guard let text = file.metadata["codec"] else { return }
        guard let stored = try? JSONDecoder().decode(FeatureCodec.self, from: Data(text.utf8)), stored == codec else {
            throw QuantizationError("the stored codec does not match the model's quantizer")
        }
    }
}

/// The `.rqf` file: feature rows as N-bit codes, what a device sends. A ``FramedFile`` with magic `RQF1`,
/// version 1, a JSON ``Header`` and as payload the codes bit-packed LSB-first, row-major (row r, feature f
/// is code r·F + f); its length is exactly ⌈rows·F·N/8⌉.
public enum FeatureCodeFile {
    public static let magic: [UInt8] = Array("RQF1".utf8)
    public static let version: UInt16 = 1
    /// The largest .rqf file read, bytes.
    public static let maximumFileSize = 4 << 30

    public struct Header: Codable, Equatable, Sendable {
        public var rows: Int
        public var features: [String]
        public var bits: Int
        public var method: FeatureMethod
        /// CRC-32 of the codec's JSON, to refuse decoding with another model's codec.
        public var codecChecksum: UInt32
    }

    static func checksum(_ codec: FeatureCodec) throws -> UInt32 {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return CRC32.checksum(Array(try encoder.encode(codec)))
    }

    /// The file's bytes for row-major `codes`.
    public static func encode(codes: [UInt8], codec: FeatureCodec, featureNames: [String]) throws -> [UInt8] {
        precondition(codes.count % codec.features == 0, "FeatureCodeFile: codes are not whole rows")
        let header = Header(rows: codes.count / codec.features, features: featureNames, bits: codec.bits, method: codec.method,
                            codecChecksum: try checksum(codec))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return FramedFile.encode(magic: magic, version: version, header: Array(try encoder.encode(header)),
                                 payload: BitPacking.pack(codes, bits: codec.bits))
    }

    /// Parses and verifies a file against `codec` (and, when given, the model's feature names in order);
    /// returns the row-major codes.
    public static func decode(_ bytes: [UInt8], codec: FeatureCodec, featureNames: [String]? = nil) throws -> (codes: [UInt8], header: Header) {
        let (json, payload) = try FramedFile.decode(bytes, magic: magic, version: version, kind: ".rqf")
        let header: Header
        do {
            header = try JSONDecoder().decode(Header.self, from: json)
        } catch {
            throw QuantizationError("malformed header: \(error)")
        }
        guard header.bits == codec.bits, header.features.count == codec.features, header.method == codec.method,
              header.codecChecksum == (try checksum(codec)) else {
            throw QuantizationError("the codes were made with another model (\(header.method.rawValue), \(header.bits) bits, \(header.features.count) features)")
        }
        if let featureNames, header.features != featureNames {
            let first = zip(header.features, featureNames).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(header.features.count, featureNames.count)
            throw QuantizationError("the file's features differ from the model's at column \(first + 1) "
                                    + "(\(first < header.features.count ? Untrusted.quote(header.features[first]) : "none") in the file, "
                                    + "\(first < featureNames.count ? Untrusted.quote(featureNames[first]) : "none") in the model)")
        }
        guard let count = CheckedSize.product(header.rows, codec.features), let payloadBits = CheckedSize.product(count, codec.bits),
              payload.count == payloadBits / 8 + (payloadBits % 8 == 0 ? 0 : 1) else {
            throw QuantizationError("payload of \(payload.count) bytes does not hold \(header.rows) rows of \(codec.features) \(codec.bits)-bit codes")
        }
        let codes = BitPacking.unpack(payload, count: count, bits: codec.bits)
        let top = UInt8((1 << codec.bits) - 1)
        guard codes.allSatisfy({ $0 <= top }) else { throw QuantizationError("a code exceeds \(top)") }
        return (codes, header)
    }
}
