// The RawQuant library for users: `import RawQuant` brings in every layer.
@_exported import Quantization
@_exported import RawIO
@_exported import Sensor
@_exported import Randomness
@_exported import Scenes
@_exported import Evaluation
@_exported import Datasets
@_exported import InputPipeline
@_exported import TrainableQuantizers
@_exported import TensorCore
@_exported import NN
@_exported import QuantizerFitting
@_exported import Plotting
@_exported import Detection
@_exported import Experiments
@_exported import Tabular
@_exported import FeatureCompression
