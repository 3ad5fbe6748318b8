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
        try ModelFileContainer.write(model.network, info: model.info, codec: model.codec, format: format, version: version, to: path)
    }

    /// A model from a decoded safetensors file; the codec is rebuilt from the weights and must equal the stored one.
    public static func read(_ file: SafeTensors.File) throws -> SensorStreamModel {
        let info = try ModelFileContainer.info(SensorStreamModelInfo.self, in: file, format: format, version: version, kind: "stream model")
        try info.validate()
        let network = SensorStreamNetwork(info: info, trainingSamples: [])
        try ModelFileContainer.load(file, into: network)
        let model = SensorStreamModel(info: info, network: network)
        try ModelFileContainer.checkCodec(in: file, equals: model.codec)
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
