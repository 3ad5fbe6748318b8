import NN
import TensorCore
import TensorTestSupport
import XCTest

/// A small custom module with nested modules, an optional and an array.
final class TwoBranch: Module, Layer {
    let stem = Conv2d(2, 4, kernelSize: 3, padding: 1, seed: 1)
    let norm = BatchNorm2d(4)
    let heads: [Conv2d] = [Conv2d(4, 1, kernelSize: 1, seed: 2), Conv2d(4, 1, kernelSize: 1, bias: false, seed: 3)]
    let scale: Parameter? = Parameter(Tensor.ones([1]))
    func forward(_ input: Tensor) -> Tensor {
        let h = norm(stem(input)).relu()
        return (heads[0](h) + heads[1](h)) * scale!.value
    }
}

final class ModuleTests: XCTestCase {
    func testNamedParametersAndBuffers() {
        let m = TwoBranch()
        XCTAssertEqual(m.namedParameters().map(\.0),
                       ["stem.weight", "stem.bias", "norm.weight", "norm.bias", "heads.0.weight", "heads.0.bias", "heads.1.weight", "scale"])
        XCTAssertEqual(m.namedBuffers().map(\.0), ["norm.running_mean", "norm.running_var"])
        let s = Sequential([Conv2d(1, 2, kernelSize: 3, seed: 1), BatchNorm2d(2), ReLU()])
        XCTAssertEqual(s.namedParameters().map(\.0), ["0.weight", "0.bias", "1.weight", "1.bias"])
    }

    func testTrainEvalModePropagates() {
        let m = TwoBranch()
        m.eval()
        XCTAssertFalse(m.isTraining)
        XCTAssertFalse(m.norm.isTraining)
        m.train()
        XCTAssertTrue(m.norm.isTraining)
    }

    func testEvalModeUsesRunningStatisticsAndLeavesThemAlone() {
        let bn = BatchNorm2d(3)
        let x = Tensor.normal([4, 3, 5, 5], mean: 2, std: 3, seed: 3)
        _ = bn(x)
        let rm = bn.runningMean.value.scalars
        bn.eval()
        let y = bn(x)
        XCTAssertEqual(bn.runningMean.value.scalars, rm)
        // Eval output is the affine map with running stats.
        let expected = (x - bn.runningMean.value.reshaped([1, 3, 1, 1])) / (bn.runningVar.value.reshaped([1, 3, 1, 1]) + 1e-5).sqrt()
        assertClose(y, expected, atol: 1e-5)
    }

    func testFreezingStopsGradientsAndUpdates() {
        let m = TwoBranch()
        m.stem.freeze()
        let before = m.stem.weight.value.scalars
        let opt = Optimizer(SGD(), parameters: m.parameters, learningRate: 0.1)
        m(Tensor.normal([2, 2, 6, 6], seed: 4)).sum().backward()
        XCTAssertNil(m.stem.weight.grad)
        XCTAssertNotNil(m.heads[0].weight.grad)
        opt.step()
        XCTAssertEqual(m.stem.weight.value.scalars, before)
        XCTAssertEqual(m.trainableParameters.count, m.parameters.count - 2)
        m.unfreeze()
        XCTAssertEqual(m.trainableParameters.count, m.parameters.count)
    }

    func testLinearMatchesMatmul() {
        let l = Linear(5, 3, seed: 9)
        let x = Tensor.normal([4, 5], seed: 10)
        assertClose(l(x), x.matmul(l.weight.value.t) + l.bias!.value)
        assertGradients([x, l.weight.value, l.bias!.value]) { $0[0].matmul($0[1].t) + $0[2] }
    }

    func testInitialisationIsSeeded() {
        XCTAssertEqual(Conv2d(3, 4, kernelSize: 3, seed: 5).weight.value.scalars, Conv2d(3, 4, kernelSize: 3, seed: 5).weight.value.scalars)
        let w = Conv2d(3, 4, kernelSize: 3, seed: 5).weight.value
        let bound = 1 / Float(27).squareRoot()
        XCTAssertTrue(w.scalars.allSatisfy { Swift.abs($0) <= bound })
    }

    func testSequentialFusedBatchNormReLUMatchesSeparateLayers() {
        let conv = Conv2d(2, 3, kernelSize: 3, padding: 1, seed: 4)
        let bn = BatchNorm2d(3)
        let fused = Sequential([conv, bn, ReLU()])
        let x = Tensor.normal([2, 2, 5, 5], seed: 5)
        let upstream = Tensor.normal([2, 3, 5, 5], seed: 6)
        (fused(x) * upstream).sum().backward()
        let fusedGrads = [conv.weight.grad!, conv.bias!.grad!, bn.weight.grad!, bn.bias.grad!]
        fused.zeroGrad()
        var rm = Tensor.zeros([3]), rv = Tensor.ones([3])
        let separate = x.conv2d(weight: conv.weight.value, bias: conv.bias!.value, padding: (1, 1))
            .batchNorm2d(weight: bn.weight.value, bias: bn.bias.value, runningMean: &rm, runningVar: &rv, training: true)
            .relu()
        (separate * upstream).sum().backward()
        let separateGrads = [conv.weight.grad!, conv.bias!.grad!, bn.weight.grad!, bn.bias.grad!]
        for (a, b) in zip(fusedGrads, separateGrads) { assertClose(a, b, atol: 1e-5) }
        assertClose(bn.runningMean.value, rm, atol: 1e-6)
    }
}
