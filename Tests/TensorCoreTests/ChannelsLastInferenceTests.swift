import TensorCore
import TensorTestSupport
import XCTest

/// The channels-last inference convolution (fused bias, residual and ReLU) equals the reference convolution, and the
/// NHWC upsampling and concatenation equal the NCHW ops, on one and two threads.
final class ChannelsLastInferenceTests: XCTestCase {
    func testPreparedConvolutionEqualsTheReferenceConvolution() {
        let configs: [(c: Int, o: Int, k: Int, stride: Int, pad: Int, dilation: Int, h: Int, w: Int, relu: Bool, residual: Bool)] = [
            (4, 16, 3, 1, 1, 1, 37, 29, true, false), (16, 32, 3, 2, 1, 1, 64, 50, true, false), (8, 8, 3, 1, 2, 2, 31, 17, false, true),
            (12, 4, 1, 1, 0, 1, 23, 41, false, false), (6, 6, 3, 1, 1, 1, 96, 80, true, true), (5, 7, 5, 2, 2, 1, 19, 23, true, false),
        ]
        let previous = TensorRuntime.threads
        defer { TensorRuntime.threads = previous }
        for (i, cfg) in configs.enumerated() {
            let x = Tensor.uniform([2, cfg.c, cfg.h, cfg.w], low: -1, high: 1, seed: UInt64(i))
            let weight = Tensor.uniform([cfg.o, cfg.c, cfg.k, cfg.k], low: -1, high: 1, seed: UInt64(100 + i))
            let bias = Tensor.uniform([cfg.o], low: -1, high: 1, seed: UInt64(200 + i))
            var reference = x.conv2d(weight: weight, bias: bias, stride: (cfg.stride, cfg.stride), padding: (cfg.pad, cfg.pad),
                                     dilation: (cfg.dilation, cfg.dilation))
            let residual = cfg.residual ? Tensor.uniform(reference.shape, low: -1, high: 1, seed: UInt64(300 + i)) : nil
            if let residual { reference = reference + residual }
            if cfg.relu { reference = reference.relu() }
            let conv = PreparedConvolution(weight: weight, bias: bias.scalars, stride: (cfg.stride, cfg.stride), padding: (cfg.pad, cfg.pad),
                                           dilation: (cfg.dilation, cfg.dilation), relu: cfg.relu)
            for threads in [1, 2] {
                TensorRuntime.threads = threads
                let fast = conv(ChannelsLastMaps(x), residual: residual.map { ChannelsLastMaps($0) }).tensor()
                assertClose(fast, reference, atol: 1e-5, rtol: 1e-5, "config \(i), \(threads) threads")
            }
        }
    }

    func testUpsamplingConcatenationAndChannelSlicesEqualTheNCHWOps() {
        let a = Tensor.uniform([2, 3, 5, 7], low: -1, high: 1, seed: 1), b = Tensor.uniform([2, 6, 5, 7], low: -1, high: 1, seed: 2)
        XCTAssertEqual(ChannelsLastMaps(a).upsampledTwice().tensor().scalars, a.upsampleNearest2d(scale: 2).scalars)
        let joined = ChannelsLastMaps.concatenated([ChannelsLastMaps(a), ChannelsLastMaps(b)])
        XCTAssertEqual(joined.tensor().scalars, Tensor.concat([a, b], axis: 1).scalars)
        XCTAssertEqual(joined.tensor(channels: 3..<9).scalars, b.scalars)
        XCTAssertEqual(ChannelsLastMaps(a).tensor().scalars, a.scalars, "NCHW → NHWC → NCHW is the identity")
    }
}
