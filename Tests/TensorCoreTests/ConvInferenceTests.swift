import TensorCore
import TensorTestSupport
import XCTest

/// The inference convolution (no gradient: banded patch rows spread over workers) equals the training
/// path, for odd sizes, strides, dilation, groups and bias, on one and two threads.
final class ConvInferenceTests: XCTestCase {
    func testInferencePathEqualsTheTrainingPath() {
        let configs: [(c: Int, o: Int, k: Int, stride: Int, pad: Int, dilation: Int, groups: Int, h: Int, w: Int, bias: Bool)] = [
            (3, 5, 3, 1, 1, 1, 1, 37, 29, true), (4, 8, 3, 2, 1, 1, 1, 64, 50, false), (6, 6, 3, 1, 2, 2, 3, 31, 17, true),
            (8, 4, 5, 2, 2, 1, 2, 23, 41, true), (16, 16, 3, 1, 1, 1, 1, 96, 80, false),
        ]
        let previous = TensorRuntime.threads
        defer { TensorRuntime.threads = previous }
        for (i, cfg) in configs.enumerated() {
            let x = Tensor.uniform([2, cfg.c, cfg.h, cfg.w], low: -1, high: 1, seed: UInt64(i))
            let weight = Tensor.uniform([cfg.o, cfg.c / cfg.groups, cfg.k, cfg.k], low: -1, high: 1, seed: UInt64(100 + i))
            let bias = cfg.bias ? Tensor.uniform([cfg.o], low: -1, high: 1, seed: UInt64(200 + i)) : nil
            func run() -> Tensor {
                x.conv2d(weight: weight, bias: bias, stride: (cfg.stride, cfg.stride), padding: (cfg.pad, cfg.pad),
                         dilation: (cfg.dilation, cfg.dilation), groups: cfg.groups)
            }
            let training = { () -> Tensor in
                let w = weight.requiringGrad()
                return x.conv2d(weight: w, bias: bias, stride: (cfg.stride, cfg.stride), padding: (cfg.pad, cfg.pad),
                                dilation: (cfg.dilation, cfg.dilation), groups: cfg.groups).detached()
            }()
            for threads in [1, 2] {
                TensorRuntime.threads = threads
                assertClose(withNoGrad(run), training, atol: 1e-5, rtol: 1e-5, "config \(i), \(threads) threads")
            }
        }
    }
}
