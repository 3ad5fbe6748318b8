// swift-tools-version:6.0
import PackageDescription

/// RawQuant: learnable low-bit quantization of raw Bayer data for machine vision.
///
/// Layers depend one way (see README "Architecture"):
/// Randomness, Quantization, Evaluation (no dependencies); CBLAS → TensorCore → NN;
/// CLibRaw/CJPEG → RawIO → Sensor → Scenes, Datasets → InputPipeline → RawQuant (umbrella) → rawquant (CLI).
let package = Package(
    name: "RawQuant",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "RawQuant", targets: ["RawQuant"]),
        .executable(name: "rawquant", targets: ["rawquant"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries (Debian: libraw-dev, libjpeg-dev).
        .systemLibrary(name: "CLibRaw", pkgConfig: "libraw_r", providers: [.apt(["libraw-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),

        // Library layers.
        .target(name: "Randomness"),
        // Tensor core: BLAS (Debian's BLIS 0.9, libblis-dev; see Sources/CBLAS/shim.h), tensors with
        // autograd, and the neural-network layer on top.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .target(name: "SafeTensorsFormat"),
        .target(name: "TensorCore", dependencies: ["CBLAS", "Randomness", "SafeTensorsFormat"]),
        .target(name: "NN", dependencies: ["TensorCore", "Randomness"]),
        .target(name: "TrainableQuantizers", dependencies: ["TensorCore", "NN", "Quantization"]),
        .target(name: "Quantization", dependencies: ["SafeTensorsFormat"]),
        .target(name: "Evaluation"),
        .target(name: "Plotting"),
        .target(name: "RawIO", dependencies: ["CLibRaw", "CJPEG"]),
        .target(name: "Sensor", dependencies: ["RawIO", "Quantization", "Randomness"]),
        .target(name: "Scenes", dependencies: ["RawIO", "Sensor", "Randomness", "Evaluation"]),
        .target(name: "Datasets", dependencies: ["RawIO", "Evaluation"]),
        .target(name: "QuantizerFitting", dependencies: ["RawIO", "Sensor", "Quantization", "TrainableQuantizers", "TensorCore", "Plotting", "Randomness"]),
        .target(name: "Detection", dependencies: ["TensorCore", "NN", "TrainableQuantizers", "Quantization", "Evaluation",
                                                  "Datasets", "InputPipeline", "RawIO", "Sensor"]),
        .target(name: "Experiments", dependencies: ["TensorCore", "Quantization", "Detection", "Datasets", "Evaluation", "RawIO", "TrainableQuantizers", "Plotting"]),
        // Feature compression (issue 7): tables → per-feature learned quantization → MLP.
        .target(name: "Tabular"),
        .target(name: "FeatureCompression", dependencies: ["Tabular", "TensorCore", "NN", "TrainableQuantizers", "Quantization",
                                                           "SafeTensorsFormat", "Randomness", "Plotting", "RawIO"]),
        .target(name: "InputPipeline", dependencies: ["RawIO", "Sensor", "Datasets", "Evaluation", "Randomness"]),
        .target(name: "RawQuant", dependencies: ["RawIO", "Quantization", "Sensor", "Scenes", "Randomness", "Evaluation", "Datasets", "InputPipeline", "TrainableQuantizers", "TensorCore", "NN", "QuantizerFitting", "Plotting", "Detection", "Experiments", "Tabular", "FeatureCompression"]),

        // Command-line tool: parses, validates and calls the library.
        .executableTarget(
            name: "rawquant",
            dependencies: ["RawQuant", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // A runnable example of the library API (README "Library").
        .executableTarget(name: "example-detect", dependencies: ["RawQuant"], path: "Examples/DetectBoxes"),

        // Tests.
        .target(name: "TestSupport", dependencies: ["RawIO", "Scenes"], path: "Tests/TestSupport"),
        .target(name: "TensorTestSupport", dependencies: ["TensorCore"], path: "Tests/TensorTestSupport"),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "TensorTestSupport"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "TensorCore", "TensorTestSupport"]),
        .executableTarget(name: "make-fixtures", dependencies: ["TestSupport"], path: "Tools/MakeFixtures"),
        .testTarget(name: "QuantizationTests", dependencies: ["Quantization", "TestSupport"]),
        .testTarget(name: "RawIOTests", dependencies: ["RawIO", "TestSupport"]),
        .testTarget(name: "SensorTests", dependencies: ["Sensor", "RawIO", "Quantization", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "TestSupport"]),
        .testTarget(name: "DatasetsTests", dependencies: ["Datasets", "Scenes", "Evaluation", "RawIO", "TestSupport"]),
        .testTarget(name: "InputPipelineTests", dependencies: ["InputPipeline", "Datasets", "Scenes", "Sensor", "RawIO", "Evaluation", "Randomness", "TestSupport"]),
        .testTarget(name: "TrainableQuantizersTests", dependencies: ["TrainableQuantizers", "Quantization", "TensorCore", "NN", "TensorTestSupport"]),
        .testTarget(name: "DetectionTests", dependencies: ["Detection", "TrainableQuantizers", "TensorCore", "NN", "Evaluation", "Datasets",
                                                           "InputPipeline", "Scenes", "RawIO", "Sensor", "TestSupport", "TensorTestSupport"]),
        .testTarget(name: "TabularTests", dependencies: ["Tabular"]),
        .testTarget(name: "FeatureCompressionTests", dependencies: ["FeatureCompression", "Tabular", "TrainableQuantizers", "TensorCore", "NN",
                                                                    "Quantization", "TestSupport"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Scenes", "TestSupport"]),
        .testTarget(name: "ScenesTests", dependencies: ["Scenes", "Sensor", "RawIO", "Randomness", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["RawQuant", "TestSupport", "rawquant", "Detection", "Datasets", "Scenes", "TrainableQuantizers"]),
    ]
)
