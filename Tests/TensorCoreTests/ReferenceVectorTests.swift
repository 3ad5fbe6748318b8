import TensorCore
import TensorTestSupport
import XCTest

/// Compares ops with PyTorch reference vectors (Fixtures/tensor, written by
/// Tools/make_tensor_fixtures.py). References are float64 results of the
/// float32 inputs, so tolerances cover float32 rounding only: 1e-4 absolute
/// and relative on values and gradients.
final class ReferenceVectorTests: XCTestCase {
    let atol: Float = 1e-4, rtol: Float = 1e-4

    /// Runs `op` on fixture input `x` (and extra leaves), back-propagates `gy`, returns leaf gradients.
    func forwardBackward(_ leaves: [Tensor], gy: Tensor, _ op: ([Tensor]) -> Tensor) -> (Tensor, [Tensor?]) {
        let ls = leaves.map { $0.requiringGrad() }
        let y = op(ls)
        y.backward(gradient: gy)
        return (y, ls.map(\.grad))
    }

    func testConv2dMatchesPyTorch() throws {
        let f = try Fixture("conv2d.safetensors")
        let names = ["basic", "strided", "rect_dilated", "grouped", "depthwise", "pointwise"]
        for name in names {
            guard let cfg = f.metadata(name) as? [String: Any],
                  let stride = cfg["stride"] as? [Int], let padding = cfg["padding"] as? [Int],
                  let dilation = cfg["dilation"] as? [Int], let groups = cfg["groups"] as? Int else {
                return XCTFail("metadata for \(name) missing")
            }
            let hasBias = f.has("\(name).b")
            var leaves = [f["\(name).x"], f["\(name).w"]]
            if hasBias { leaves.append(f["\(name).b"]) }
            let (y, grads) = forwardBackward(leaves, gy: f["\(name).gy"]) { t in
                t[0].conv2d(weight: t[1], bias: hasBias ? t[2] : nil, stride: (stride[0], stride[1]),
                            padding: (padding[0], padding[1]), dilation: (dilation[0], dilation[1]), groups: groups)
            }
            assertClose(y, f["\(name).y"], atol: atol, rtol: rtol, "\(name) y")
            assertClose(grads[0]!, f["\(name).dx"], atol: atol, rtol: rtol, "\(name) dx")
            assertClose(grads[1]!, f["\(name).dw"], atol: atol, rtol: rtol, "\(name) dw")
            if hasBias { assertClose(grads[2]!, f["\(name).db"], atol: atol, rtol: rtol, "\(name) db") }
        }
    }

    func testBatchNormMatchesPyTorch() throws {
        let f = try Fixture("batchnorm.safetensors")
        for mode in ["train", "eval"] {
            var rm = f["\(mode).running_mean"], rv = f["\(mode).running_var"]
            let (y, grads) = forwardBackward([f["\(mode).x"], f["\(mode).weight"], f["\(mode).bias"]], gy: f["\(mode).gy"]) { t in
                t[0].batchNorm2d(weight: t[1], bias: t[2], runningMean: &rm, runningVar: &rv,
                                 training: mode == "train", momentum: 0.1, eps: 1e-5)
            }
            assertClose(y, f["\(mode).y"], atol: atol, rtol: rtol, "\(mode) y")
            assertClose(grads[0]!, f["\(mode).dx"], atol: atol, rtol: rtol, "\(mode) dx")
            assertClose(grads[1]!, f["\(mode).dweight"], atol: atol, rtol: rtol, "\(mode) dweight")
            assertClose(grads[2]!, f["\(mode).dbias"], atol: atol, rtol: rtol, "\(mode) dbias")
            assertClose(rm, f["\(mode).running_mean_after"], atol: 1e-6, rtol: 1e-5, "\(mode) running mean")
            assertClose(rv, f["\(mode).running_var_after"], atol: 1e-6, rtol: 1e-5, "\(mode) running var")
        }
    }

    func testPoolingMatchesPyTorch() throws {
        let f = try Fixture("pooling.safetensors")
        let ops: [String: (Tensor) -> Tensor] = [
            "max3s2p1": { $0.maxPool2d(kernel: 3, stride: 2, padding: 1) },
            "max2": { $0.maxPool2d(kernel: 2) },
            "avg3s2p1": { $0.avgPool2d(kernel: 3, stride: 2, padding: 1) },
            "avg3s1p1_exclude": { $0.avgPool2d(kernel: 3, stride: 1, padding: 1, countIncludePad: false) },
            "global_avg": { $0.globalAvgPool2d() },
            "upsample2": { $0.upsampleNearest2d(scale: 2) },
        ]
        for (name, op) in ops {
            let (y, grads) = forwardBackward([f["\(name).x"]], gy: f["\(name).gy"]) { op($0[0]) }
            assertClose(y, f["\(name).y"], atol: atol, rtol: rtol, "\(name) y")
            assertClose(grads[0]!, f["\(name).dx"], atol: atol, rtol: rtol, "\(name) dx")
        }
    }
}
