// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "TensorCore",
    products: [
        .library(name: "TensorCore", targets: ["TensorCore"]),
        .library(name: "NN", targets: ["NN"]),
        .executable(name: "tensorbench", targets: ["tensorbench"]),
    ],
    targets: [
        // System BLAS (Debian's BLIS 0.9, libblis-dev); see Sources/CBLAS/shim.h.
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS"),
        .target(name: "TensorCore", dependencies: ["CBLAS"]),
        .target(name: "NN", dependencies: ["TensorCore"]),
        .executableTarget(name: "tensorbench", dependencies: ["NN", "TensorCore"]),
        .target(name: "TensorTestSupport", dependencies: ["TensorCore"], path: "Tests/TensorTestSupport"),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "TensorTestSupport"]),
        .testTarget(name: "NNTests", dependencies: ["NN", "TensorCore", "TensorTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
