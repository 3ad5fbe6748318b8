// The RawQuant library for users: `import RawQuant` brings in every layer (docs/ARCHITECTURE.md).
// Benchmarks are not part of it: only the command-line tool links them.
@_exported import Support
@_exported import Bayer
@_exported import RawIO
@_exported import Quantization
@_exported import ISP
@_exported import TensorCore
@_exported import NN
@_exported import TrainableQuantizers
@_exported import SensorSimulation
@_exported import DetectionData
@_exported import Scenes
@_exported import Detection
@_exported import Experiments
@_exported import FeatureCompression
@_exported import Unprocessing
