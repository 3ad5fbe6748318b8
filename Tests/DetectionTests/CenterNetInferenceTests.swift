import Detection
import NN
import TensorCore
import TensorTestSupport
import XCTest

/// The folded channels-last inference path gives the detector's eval-mode maps, for the plain, deep and residual
/// networks, with batch-norm statistics and affine parameters away from their defaults.
final class CenterNetInferenceTests: XCTestCase {
    func testFoldedInferenceEqualsTheModule() {
        let configurations = [
            DetectorConfiguration(classes: ["a", "b", "c"], baseChannels: 8),
            DetectorConfiguration(classes: ["person", "car"], baseChannels: 8, deepStages: 2, residualBlocks: 1),
            DetectorConfiguration(classes: ["x"], baseChannels: 4, inputChannels: 12, deepStages: 1),
        ]
        let previous = TensorRuntime.threads
        defer { TensorRuntime.threads = previous }
        for (i, configuration) in configurations.enumerated() {
            let detector = CenterNetDetector(configuration: configuration, seed: UInt64(7 + i))
            var seed: UInt64 = 1000
            func all(_ m: Module) -> [Module] { [m] + m.namedChildren().flatMap { all($0.1) } }
            let norms = all(detector).compactMap { $0 as? BatchNorm2d }
            XCTAssertGreaterThan(norms.count, 5)
            for module in norms {
                guard let bn = module as? BatchNorm2d else { continue }
                let c = bn.weight.shape[0]
                seed += 4
                bn.weight.assign(Tensor.uniform([c], low: 0.5, high: 1.5, seed: seed))
                bn.bias.assign(Tensor.uniform([c], low: -0.3, high: 0.3, seed: seed + 1))
                bn.runningMean.value = Tensor.uniform([c], low: -0.2, high: 0.2, seed: seed + 2)
                bn.runningVar.value = Tensor.uniform([c], low: 0.5, high: 2, seed: seed + 3)
            }
            detector.eval()
            let side = 2 * configuration.planeMultiple
            let input = Tensor.uniform([2, configuration.inputChannels, side, side + configuration.planeMultiple], low: 0, high: 1, seed: UInt64(i))
            let reference = withNoGrad { detector.forward(input) }
            let engine = CenterNetInference(detector)
            for threads in [1, 2] {
                TensorRuntime.threads = threads
                let fast = engine.forward(input)
                assertClose(fast.heatmapLogits, reference.heatmapLogits, atol: 1e-4, rtol: 1e-4, "config \(i) heatmap, \(threads) threads")
                assertClose(fast.size, reference.size, atol: 1e-4, rtol: 1e-4, "config \(i) size")
                assertClose(fast.offset, reference.offset, atol: 1e-4, rtol: 1e-4, "config \(i) offset")
            }
        }
    }

    /// The folded network is kept while in eval mode and dropped when the weights may change: training mode or a loaded
    /// state dict (so a detector restored to its best epoch never runs stale weights).
    func testTheFoldedNetworkFollowsTheWeights() throws {
        let configuration = DetectorConfiguration(classes: ["a"], baseChannels: 4)
        let detector = CenterNetDetector(configuration: configuration, seed: 1), other = CenterNetDetector(configuration: configuration, seed: 2)
        detector.eval()
        let input = Tensor.uniform([1, 4, 16, 16], low: 0, high: 1, seed: 3)
        let first = detector.inference
        XCTAssertTrue(first === detector.inference, "kept in eval mode")
        try detector.loadStateDict(other.stateDict())
        other.eval()
        let expected = withNoGrad { other.forward(input) }.heatmapLogits
        assertClose(detector.inference.forward(input).heatmapLogits, expected, atol: 1e-5, rtol: 1e-5, "after loading another state")
        let loaded = detector.inference
        detector.train()
        detector.eval()
        XCTAssertFalse(loaded === detector.inference, "dropped on entering training mode")
    }
}
