import Foundation
import NN
import Quantization
import TensorCore
import Support

/// A trained sensor-stream classifier as a safetensors file: the network's weights as tensors, and in the
/// metadata `format` = `rawquant-stream-model`, `version` = `1`, `info` (``SensorStreamModelInfo`` as JSON) and, for
/// quantized methods, `codec` (``FeatureCodec`` as JSON: per channel, what a device needs to encode a sample).
public enum SensorStreamModelFile {
    public static let format = "rawquant-stream-model"
    public static let version = "1"

    /// Writes the model atomically.
    public static func write(_ model: SensorStreamModel, to path: String) throws {
        var metadata = ["format": format, "version": version, "info": try CanonicalJSON.string(model.info)]
        if let codec = model.codec { metadata["codec"] = try CanonicalJSON.string(codec) }
        do {
            try SafeTensors.save(model.network.stateDict(), metadata: metadata, to: path)
        } catch {
            throw QuantizationError("cannot write \(path): \(error)")
        }
    }

    /// A model from a decoded safetensors file; the codec is rebuilt from the weights and must equal the stored one.
    public static func read(_ file: SafeTensors.File) throws -> SensorStreamModel {
        let metadata = file.metadata
        guard metadata["format"] == format else { throw QuantizationError("not a RawQuant stream model (metadata format ≠ \(format))") }
        guard metadata["version"] == version else { throw QuantizationError("unsupported stream model version \(metadata["version"] ?? "none")") }
        guard let infoText = metadata["info"], let info = try? JSONDecoder().decode(SensorStreamModelInfo.self, from: Data(infoText.utf8)) else {
            throw QuantizationError("the model's info metadata is missing or malformed")
        }
        try info.validate()
        let network = SensorStreamNetwork(info: info, trainingSamples: [])
        do {
            try network.loadStateDict(file.tensors)
        } catch {
            throw QuantizationError("weights do not match the model description: \(error)")
        }
        let model = SensorStreamModel(info: info, network: network)
        if let codecText = metadata["codec"] {
            guard let stored = try? JSONDecoder().decode(FeatureCodec.self, from: Data(codecText.utf8)), stored == model.codec else {
                throw QuantizationError("the stored codec does not match the model's quantizer")
            }
        }
        return model
    }
}

/// A model file of either kind: a table model (``FeatureModelFile``) or a stream model (``SensorStreamModelFile``).
public enum AnyFeatureModel {
    case table(FeatureModel)
    case stream(SensorStreamModel)

    /// Reads `path` by its metadata's `format`; errors name the file.
    public static func read(path: String) throws -> AnyFeatureModel {
        do {
            let file: SafeTensors.File
            do {
                file = try SafeTensors.load(from: path)
            } catch {
                throw QuantizationError("not a readable safetensors file: \(error)")
            }
            return file.metadata["format"] == SensorStreamModelFile.format ? .stream(try SensorStreamModelFile.read(file))
                : .table(try FeatureModelFile.read(file))
        } catch let error as QuantizationError {
            throw FileError(path: path, error.message)
        }
    }
}
