// swift-tools-version:6.0
import PackageDescription

/// RawQuant: learnable low-bit quantization of raw Bayer data for machine vision.
///
/// Layers depend one way; docs/ARCHITECTURE.md draws the diagram. From the bottom:
/// Support → Bayer → RawIO (LibRaw, libjpeg, libpng), Quantization → ISP → TensorCore (BLAS) → NN →
/// TrainableQuantizers → SensorSimulation, DetectionData → Scenes, Detection → Experiments,
/// FeatureCompression → Benchmarks → RawQuant (umbrella) → RawQuantCLI (the `rawquant` tool).
let package = Package(
    name: "RawQuant",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "RawQuant", targets: ["RawQuant"]),
        .executable(name: "rawquant", targets: ["RawQuantCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries (Debian: libraw-dev, libjpeg-dev, libpng-dev, libblis-dev; see Sources/CBLAS/shim.h).
        .systemLibrary(name: "CLibRaw", pkgConfig: "libraw_r", providers: [.apt(["libraw-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),

        // Not about raw images: seeded randomness, atomic output, file errors, CSV, safetensors bytes, SVG plots.
        .target(name: "Support"),
        // The Bayer mosaic itself: image, CFA pattern, metadata, crops/flips, black level, plane packing.
        .target(name: "Bayer", dependencies: ["Support"]),
        // Raw decoding (LibRaw; headerless, PNG and TIFF mosaics), the DNG/TIFF writer, JPEG and PNG files.
        .target(name: "RawIO", dependencies: ["Bayer", "Support", "CLibRaw", "CJPEG", "CPNG"]),
        // The deploy face: curves, thresholds, steps, tables, decoders, bit packing, .rqm and quantizer files.
        .target(name: "Quantization", dependencies: ["Bayer", "Support"]),
        // The conventional pipeline as small pure stages, and the preview renderer built from them.
        .target(name: "ISP", dependencies: ["Bayer", "Quantization", "Support"]),
        // Tensors with reverse-mode autograd, ops and BLAS GEMM; modules, layers, losses, optimizers.
        .target(name: "TensorCore", dependencies: ["CBLAS", "Support"]),
        .target(name: "NN", dependencies: ["TensorCore", "Support"]),
        // The train faces, every input representation, reconstruction fitting.
        .target(name: "TrainableQuantizers", dependencies: ["TensorCore", "NN", "Quantization", "ISP", "Bayer", "Support"]),
        // The simulated sensor: noise and ADC, quantize-and-pack, statistics, the simulate job and its writers.
        .target(name: "SensorSimulation", dependencies: ["RawIO", "Quantization", "ISP", "Bayer", "Support"]),
        // Datasets (VOC/PASCALRAW/COCO), boxes and AP evaluation, augmentation and batching.
        .target(name: "DetectionData", dependencies: ["RawIO", "Bayer", "Support"]),
        // Synthetic raw scenes with boxes.
        .target(name: "Scenes", dependencies: ["SensorSimulation", "DetectionData", "RawIO", "Bayer", "Support"]),
        // Real labelled photographs inverted through camera models into raw mosaics with their boxes.
        .target(name: "Unprocessing", dependencies: ["RawIO", "ISP", "DetectionData", "Bayer", "Support"]),
        // The CenterNet raw detector: network, targets, loss, decoding, training, the bundled model.
        .target(name: "Detection", dependencies: ["TensorCore", "NN", "TrainableQuantizers", "Quantization", "ISP",
                                                  "DetectionData", "SensorSimulation", "RawIO", "Bayer", "Support"]),
        // The headline experiment (plan, runner, report) and the CR2 fitting demonstration.
        .target(name: "Experiments", dependencies: ["Detection", "TrainableQuantizers", "SensorSimulation", "DetectionData",
                                                    "TensorCore", "Quantization", "RawIO", "Bayer", "Support"]),
        // Feature compression for tables and sensor streams (no LibRaw).
        .target(name: "FeatureCompression", dependencies: ["TensorCore", "NN", "TrainableQuantizers", "Quantization", "Support"]),
        // Benchmarks against peers measured in the same run; only the CLI links them.
        .target(name: "Benchmarks", dependencies: ["Detection", "DetectionData", "TrainableQuantizers", "SensorSimulation", "Unprocessing", "ISP", "Quantization", "NN", "TensorCore", "RawIO", "Bayer", "Support"]),
        // Umbrella: `import RawQuant`.
        .target(name: "RawQuant", dependencies: ["Support", "Bayer", "RawIO", "Quantization", "ISP", "TensorCore", "NN",
                                                 "TrainableQuantizers", "SensorSimulation", "DetectionData", "Scenes", "Detection",
                                                 "Experiments", "FeatureCompression", "Unprocessing"]),

        // Command-line tool: parses, validates and calls the library.
        .executableTarget(
            name: "RawQuantCLI",
            dependencies: ["RawQuant", "Benchmarks", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // A runnable example of the library API (README "Library").
        .executableTarget(name: "example-detect", dependencies: ["RawQuant"], path: "Examples/DetectBoxes"),
        // The readers as libFuzzer targets (Tools/fuzz.sh); built normally, a replayer of inputs.
        .executableTarget(name: "rawquant-fuzz", dependencies: ["Detection", "DetectionData", "FeatureCompression", "Quantization", "RawIO",
                                                               "Bayer", "Support", "TensorCore"], path: "Tools/Fuzz"),

        // Tests, and the fixture writer built on their support.
        .target(name: "TestSupport", dependencies: ["RawIO", "Scenes", "Support"], path: "Tests/TestSupport"),
        .executableTarget(name: "make-fixtures", dependencies: ["TestSupport"], path: "Tools/MakeFixtures"),
        .target(name: "TensorTestSupport", dependencies: ["TensorCore"], path: "Tests/TensorTestSupport"),
        .testTarget(name: "ArchitectureTests"),
        .testTarget(name: "SupportTests", dependencies: ["Support"]),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "TensorTestSupport"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "TensorCore", "TensorTestSupport"]),
        .testTarget(name: "QuantizationTests", dependencies: ["Quantization", "TestSupport"]),
        .testTarget(name: "RawIOTests", dependencies: ["RawIO", "Bayer", "TestSupport"]),
        .testTarget(name: "ISPTests", dependencies: ["ISP", "Bayer", "Quantization"]),
        .testTarget(name: "SensorSimulationTests", dependencies: ["SensorSimulation", "ISP", "RawIO", "Quantization", "TestSupport"]),
        .testTarget(name: "DetectionDataTests", dependencies: ["DetectionData", "Scenes", "SensorSimulation", "RawIO", "TestSupport"]),
        .testTarget(name: "TrainableQuantizersTests", dependencies: ["TrainableQuantizers", "Quantization", "TensorCore", "NN", "TensorTestSupport"]),
        .testTarget(name: "DetectionTests", dependencies: ["Detection", "TrainableQuantizers", "TensorCore", "NN", "DetectionData",
                                                           "Scenes", "RawIO", "SensorSimulation", "Bayer", "TestSupport", "TensorTestSupport"]),
        .testTarget(name: "FeatureCompressionTests", dependencies: ["FeatureCompression", "TrainableQuantizers", "TensorCore", "NN", "Support",
                                                                    "Quantization", "TestSupport"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "Scenes", "Unprocessing", "DetectionData", "RawIO", "Bayer", "Support", "TestSupport"]),
        .testTarget(name: "UnprocessingTests", dependencies: ["Unprocessing", "ISP", "RawIO", "DetectionData", "Bayer", "Support", "TestSupport"]),
        .testTarget(name: "ScenesTests", dependencies: ["Scenes", "SensorSimulation", "RawIO", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["RawQuant", "TestSupport", "RawQuantCLI", "Scenes"]),
    ]
)
