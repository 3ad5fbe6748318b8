import NN
import TensorCore
import TensorTestSupport
import XCTest

/// Compares losses, optimizers and a full training step with PyTorch
/// reference vectors (Fixtures/tensor, from Tools/make_tensor_fixtures.py).
final class NNReferenceVectorTests: XCTestCase {
    func testFocalLossMatchesPyTorch() throws {
        let f = try Fixture("focal.safetensors")
        let logits = f["logits"].requiringGrad()
        let loss = Loss.focal(logits, f["target"], alpha: 2, beta: 4)
        loss.backward()
        XCTAssertEqual(loss.item, f["loss"].item, accuracy: 1e-4 * Swift.abs(f["loss"].item))
        assertClose(logits.grad!, f["dlogits"], atol: 1e-6, rtol: 1e-4)
    }

    func testOptimizersMatchPyTorch() throws {
        let f = try Fixture("optimizers.safetensors")
        func run<R: UpdateRule>(_ rule: R, lr: Float, wd: Float, name: String) {
            let p = Parameter(f["p0"])
            let opt = Optimizer(rule, parameters: [p], learningRate: lr, weightDecay: wd)
            for i in 0..<3 {
                p.value.setGrad(f["grad\(i)"])
                opt.step()
                assertClose(p.value.detached(), f["\(name).after\(i)"], atol: 1e-6, rtol: 1e-5, "\(name) step \(i)")
            }
        }
        run(SGD(momentum: 0.9), lr: 0.1, wd: 0.01, name: "sgd_momentum")
        run(SGD(momentum: 0.9, nesterov: true), lr: 0.1, wd: 0.01, name: "sgd_nesterov")
        run(Adam(), lr: 0.01, wd: 0.1, name: "adam")
        run(Adam.adamW(), lr: 0.01, wd: 0.1, name: "adamw")
    }

    /// The same small CNN as the script: conv3×3 s2 (no bias) → BN → ReLU →
    /// conv3×3 (no bias) → BN → ReLU → conv1×1 (bias); MSE; SGD momentum 0.9, lr 0.05.
    /// State-dict names are PyTorch's (e.g. "1.running_mean"), so fixtures load by name.
    func testSmallNetworkTrainingStepMatchesPyTorch() throws {
        let f = try Fixture("train_step.safetensors")
        let net = Sequential([
            Conv2d(3, 8, kernelSize: 3, stride: 2, padding: 1, bias: false, seed: 0), BatchNorm2d(8), ReLU(),
            Conv2d(8, 8, kernelSize: 3, padding: 1, bias: false, seed: 0), BatchNorm2d(8), ReLU(),
            Conv2d(8, 2, kernelSize: 1, seed: 0),
        ])
        var state: [String: Tensor] = [:]
        for key in net.stateDict().keys { state[key] = f["before.\(key)"] }
        try net.loadStateDict(state)
        let opt = Optimizer(SGD(momentum: 0.9), parameters: net.parameters, learningRate: 0.05)
        for step in 1...2 {
            opt.zeroGrad()
            let loss = Loss.mse(net(f["input"]), f["target"])
            loss.backward()
            XCTAssertEqual(loss.item, f["step\(step).loss"].item, accuracy: 1e-5, "loss at step \(step)")
            if step == 1 {
                for (name, p) in net.namedParameters() {
                    assertClose(p.grad!, f["grad1.\(name)"], atol: 1e-5, rtol: 1e-3, "grad \(name)")
                }
            }
            opt.step()
            for (name, t) in net.stateDict() {
                assertClose(t, f["after\(step).\(name)"], atol: 1e-5, rtol: 1e-4, "\(name) after step \(step)")
            }
        }
    }
}
