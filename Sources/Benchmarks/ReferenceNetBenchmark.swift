import NN
import Dispatch
import TensorCore

/// Median timings of the reference net benchmark.
public struct ReferenceNetTimings: Sendable, CustomStringConvertible {
    /// Median milliseconds per training step (zero grads, forward, backward, SGD update).
    public let trainStepMs: Double
    /// Median milliseconds per inference forward (eval mode, no grad).
    public let forwardMs: Double
    /// Threads used.
    public let threads: Int
    /// Batch size.
    public let batch: Int
    /// Timed steps (and forwards).
    public let steps: Int
    /// The BLIS kernel family in use (e.g. "skx", "haswell").
    public let blasKernel: String
    /// The loss after the last timed step (a sanity check that training runs).
    public let finalLoss: Float

    /// The benchmark's report lines: `train-step-ms: X` and `forward-ms: Y` plus context.
    public var description: String {
        """
        train-step-ms: \(format(trainStepMs))
        forward-ms: \(format(forwardMs))
        threads: \(threads) batch: \(batch) steps: \(steps) blas-kernel: \(blasKernel) final-loss: \(finalLoss)
        """
    }

    private func format(_ v: Double) -> String { String(Double((v * 100).rounded()) / 100) }
}

/// The benchmark's reference net: 5 × [conv3×3 (no bias) → BatchNorm2d → ReLU]
/// with channels `inChannels`→16→32→64→64→64, strides 2,2,2,2,1, padding 1,
/// then a 1×1 conv 64→6 with bias. Input NCHW `[N, 4, 128, 128]` → `[N, 6, 8, 8]`.
public func makeReferenceNet(inChannels: Int = 4, seed: UInt64 = 1) -> Sequential {
    let widths = [inChannels, 16, 32, 64, 64, 64]
    let strides = [2, 2, 2, 2, 1]
    var layers: [any Layer] = []
    for i in 0..<5 {
        layers.append(Conv2d(widths[i], widths[i + 1], kernelSize: 3, stride: strides[i], padding: 1, bias: false,
                             seed: seed &+ UInt64(10 * i)))
        layers.append(BatchNorm2d(widths[i + 1]))
        layers.append(ReLU())
    }
    layers.append(Conv2d(64, 6, kernelSize: 1, bias: true, seed: seed &+ 100))
    return Sequential(layers)
}

/// Times the reference net: median ms per training step (MSE against a fixed
/// seeded target, SGD momentum 0.9, lr 0.01) and per eval-mode forward.
///
/// Input `[batch, 4, 128, 128]` and target are seeded normals. Runs `warmup`
/// untimed steps first. Sets ``TensorRuntime/threads`` to `threads` for the
/// run and restores it afterwards.
public func runReferenceNetBenchmark(threads: Int = TensorRuntime.defaultThreads, batch: Int = 16, steps: Int = 20,
                                     warmup: Int = 3) -> ReferenceNetTimings {
    precondition(threads >= 1 && batch >= 1 && steps >= 1, "runReferenceNetBenchmark: threads, batch and steps must be ≥ 1")
    let saved = TensorRuntime.threads
    TensorRuntime.threads = threads
    defer { TensorRuntime.threads = saved }
    let net = makeReferenceNet()
    let input = Tensor.normal([batch, 4, 128, 128], seed: 7)
    let target = Tensor.normal([batch, 6, 8, 8], seed: 8)
    let optimizer = Optimizer(SGD(momentum: 0.9), parameters: net.parameters, learningRate: 0.01)
    var loss: Float = 0
    func trainStep() {
        optimizer.zeroGrad()
        let l = Loss.mse(net(input), target)
        l.backward()
        optimizer.step()
        loss = l.item
    }
    func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
    net.train()
    for _ in 0..<warmup { trainStep() }
    var stepTimes: [Double] = []
    for _ in 0..<steps {
        let t0 = now()
        trainStep()
        stepTimes.append(Double(now() - t0) / 1e6)
    }
    net.eval()
    var forwardTimes: [Double] = []
    withNoGrad {
        for _ in 0..<warmup { _ = net(input) }
        for _ in 0..<steps {
            let t0 = now()
            _ = net(input)
            forwardTimes.append(Double(now() - t0) / 1e6)
        }
    }
    func median(_ v: [Double]) -> Double {
        let s = v.sorted()
        return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }
    return ReferenceNetTimings(trainStepMs: median(stepTimes), forwardMs: median(forwardTimes), threads: threads,
                               batch: batch, steps: steps, blasKernel: TensorRuntime.blasKernelName, finalLoss: loss)
}
