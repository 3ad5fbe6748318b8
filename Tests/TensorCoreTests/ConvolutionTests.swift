import TensorCore
import TensorTestSupport
import XCTest
import Support

/// A direct-loop convolution used as an independent forward reference.
func naiveConv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: (Int, Int), padding: (Int, Int),
                 dilation: (Int, Int), groups: Int) -> Tensor {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (o, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    let oh = (h + 2 * padding.0 - dilation.0 * (kh - 1) - 1) / stride.0 + 1
    let ow = (wd + 2 * padding.1 - dilation.1 * (kw - 1) - 1) / stride.1 + 1
    let og = o / groups
    var out = [Float](repeating: 0, count: n * o * oh * ow)
    for b0 in 0..<n { for oc in 0..<o { for oy in 0..<oh { for ox in 0..<ow {
        var s: Float = b?.scalars[oc] ?? 0
        let g = oc / og
        for ci in 0..<cg { for i in 0..<kh { for j in 0..<kw {
            let iy = oy * stride.0 - padding.0 + i * dilation.0, ix = ox * stride.1 - padding.1 + j * dilation.1
            if iy < 0 || iy >= h || ix < 0 || ix >= wd { continue }
            s += w[oc, ci, i, j] * x[b0, g * cg + ci, iy, ix]
        } } }
        out[((b0 * o + oc) * oh + oy) * ow + ox] = s
    } } } }
    _ = c
    return Tensor(shape: [n, o, oh, ow], scalars: out)
}

final class ConvolutionTests: XCTestCase {
    struct Config { let n, c, h, w, o, kh, kw: Int; let stride, padding, dilation: (Int, Int); let groups: Int; let bias: Bool }

    let configs: [Config] = [
        Config(n: 2, c: 3, h: 7, w: 6, o: 4, kh: 3, kw: 3, stride: (1, 1), padding: (1, 1), dilation: (1, 1), groups: 1, bias: true),
        Config(n: 1, c: 2, h: 9, w: 8, o: 3, kh: 3, kw: 2, stride: (2, 3), padding: (1, 0), dilation: (1, 1), groups: 1, bias: false),
        Config(n: 2, c: 4, h: 8, w: 7, o: 6, kh: 3, kw: 3, stride: (2, 2), padding: (2, 1), dilation: (2, 1), groups: 2, bias: true),
        Config(n: 3, c: 4, h: 5, w: 5, o: 4, kh: 1, kw: 1, stride: (1, 1), padding: (0, 0), dilation: (1, 1), groups: 1, bias: true),
        Config(n: 1, c: 4, h: 6, w: 5, o: 4, kh: 3, kw: 3, stride: (1, 2), padding: (1, 1), dilation: (1, 1), groups: 4, bias: false),
        Config(n: 2, c: 3, h: 5, w: 4, o: 2, kh: 1, kw: 1, stride: (2, 2), padding: (1, 0), dilation: (1, 1), groups: 1, bias: true),
    ]

    func testConvForwardMatchesDirectLoops() {
        for (i, cfg) in configs.enumerated() {
            let x = Tensor.normal([cfg.n, cfg.c, cfg.h, cfg.w], seed: UInt64(100 + i))
            let w = Tensor.normal([cfg.o, cfg.c / cfg.groups, cfg.kh, cfg.kw], seed: UInt64(200 + i))
            let b = cfg.bias ? Tensor.normal([cfg.o], seed: UInt64(300 + i)) : nil
            let y = x.conv2d(weight: w, bias: b, stride: cfg.stride, padding: cfg.padding, dilation: cfg.dilation, groups: cfg.groups)
            let ref = naiveConv2d(x, w, b, stride: cfg.stride, padding: cfg.padding, dilation: cfg.dilation, groups: cfg.groups)
            assertClose(y, ref, atol: 1e-4, rtol: 1e-4, "config \(i)")
        }
    }

    func testInferenceAndRecordingPathsAgree() {
        for (i, cfg) in configs.enumerated() {
            let x = Tensor.normal([cfg.n, cfg.c, cfg.h, cfg.w], seed: UInt64(700 + i))
            let w = Tensor.normal([cfg.o, cfg.c / cfg.groups, cfg.kh, cfg.kw], seed: UInt64(800 + i))
            let b = cfg.bias ? Tensor.normal([cfg.o], seed: UInt64(900 + i)) : nil
            func conv(_ x: Tensor) -> Tensor {
                x.conv2d(weight: w, bias: b, stride: cfg.stride, padding: cfg.padding, dilation: cfg.dilation, groups: cfg.groups)
            }
            let recorded = conv(x.requiringGrad())
            XCTAssertTrue(recorded.requiresGrad)
            let inferred = withNoGrad { conv(x.requiringGrad()) }
            XCTAssertFalse(inferred.requiresGrad)
            assertClose(inferred, recorded.detached(), atol: 1e-5, rtol: 1e-5, "config \(i)")
        }
    }

    func testInputGradientWithFrozenWeight() {
        let cfg = configs[2]
        let w = Tensor.normal([cfg.o, cfg.c / cfg.groups, cfg.kh, cfg.kw], std: 0.5, seed: 41)
        assertGradients([Tensor.normal([cfg.n, cfg.c, cfg.h, cfg.w], seed: 40)]) {
            $0[0].conv2d(weight: w, stride: cfg.stride, padding: cfg.padding, dilation: cfg.dilation, groups: cfg.groups)
        }
    }

    func testConvGradients() {
        for (i, cfg) in configs.enumerated() {
            let x = Tensor.normal([cfg.n, cfg.c, cfg.h, cfg.w], seed: UInt64(400 + i))
            let w = Tensor.normal([cfg.o, cfg.c / cfg.groups, cfg.kh, cfg.kw], std: 0.5, seed: UInt64(500 + i))
            var inputs = [x, w]
            if cfg.bias { inputs.append(Tensor.normal([cfg.o], seed: UInt64(600 + i))) }
            assertGradients(inputs) { t in
                t[0].conv2d(weight: t[1], bias: t.count > 2 ? t[2] : nil, stride: cfg.stride, padding: cfg.padding,
                            dilation: cfg.dilation, groups: cfg.groups)
            }
        }
    }

    /// Seeded random geometries: odd sizes, strides, padding, dilation and groups.
    func testRandomGeometriesForwardAndGradients() {
        var rng = SeededRandom(seed: 2026)
        for trial in 0..<6 {
            let groups = [1, 1, 2, 3][rng.nextInt(below: 4)]
            let c = groups * (1 + rng.nextInt(below: 3)), o = groups * (1 + rng.nextInt(below: 3))
            let kh = 1 + rng.nextInt(below: 3), kw = 1 + rng.nextInt(below: 3)
            let stride = (1 + rng.nextInt(below: 2), 1 + rng.nextInt(below: 3))
            let dilation = (1 + rng.nextInt(below: 2), 1 + rng.nextInt(below: 2))
            let padding = (rng.nextInt(below: 3), rng.nextInt(below: 2))
            let h = dilation.0 * (kh - 1) + 1 + rng.nextInt(below: 6), w = dilation.1 * (kw - 1) + 1 + rng.nextInt(below: 6)
            let n = 1 + rng.nextInt(below: 2)
            let x = Tensor.normal([n, c, h, w], seed: UInt64(1000 + trial))
            let wt = Tensor.normal([o, c / groups, kh, kw], std: 0.5, seed: UInt64(1100 + trial))
            let b = Tensor.normal([o], seed: UInt64(1200 + trial))
            let label = "trial \(trial): x \(x.shape) w \(wt.shape) s \(stride) p \(padding) d \(dilation) g \(groups)"
            let y = x.conv2d(weight: wt, bias: b, stride: stride, padding: padding, dilation: dilation, groups: groups)
            assertClose(y, naiveConv2d(x, wt, b, stride: stride, padding: padding, dilation: dilation, groups: groups),
                        atol: 1e-4, rtol: 1e-4, label)
            let report = gradCheck([x, wt, b]) {
                $0[0].conv2d(weight: $0[1], bias: $0[2], stride: stride, padding: padding, dilation: dilation, groups: groups)
            }
            XCTAssertTrue(report.passed, "\(label): \(report)")
            let pk = (1 + rng.nextInt(below: 3), 1 + rng.nextInt(below: 3))
            let pooled = distinctValues([n, c, h + 2, w + 2], spacing: 0.05, seed: UInt64(1300 + trial))
            let ps = (1 + rng.nextInt(below: 2), 1 + rng.nextInt(below: 2)), pp = (pk.0 / 2, pk.1 / 2)
            assertGradients([pooled]) { $0[0].maxPool2d(kernel: pk, stride: ps, padding: pp) }
            assertGradients([pooled]) { $0[0].avgPool2d(kernel: pk, stride: ps, padding: pp) }
        }
    }

    func testMaxPoolForwardAndGradients() {
        let x = distinctValues([2, 3, 7, 6], spacing: 0.05, seed: 30)
        assertGradients([x]) { $0[0].maxPool2d(kernel: (3, 3), stride: (2, 2), padding: (1, 1)) }
        assertGradients([x]) { $0[0].maxPool2d(kernel: 2) }
        let y = Tensor.arange(16).reshaped([1, 1, 4, 4]).maxPool2d(kernel: 2)
        XCTAssertEqual(y.scalars, [5, 7, 13, 15])
        let z = Tensor.arange(9).reshaped([1, 1, 3, 3]).maxPool2d(kernel: (3, 3), stride: (1, 1), padding: (1, 1))
        XCTAssertEqual(z.scalars, [4, 5, 5, 7, 8, 8, 7, 8, 8])
    }

    func testAvgPoolForwardAndGradients() {
        let x = Tensor.normal([2, 2, 7, 5], seed: 31)
        assertGradients([x]) { $0[0].avgPool2d(kernel: (3, 2), stride: (2, 2), padding: (1, 1)) }
        assertGradients([x]) { $0[0].avgPool2d(kernel: (3, 3), stride: (2, 1), padding: (1, 1), countIncludePad: false) }
        let y = Tensor.arange(16).reshaped([1, 1, 4, 4]).avgPool2d(kernel: 2)
        XCTAssertEqual(y.scalars, [2.5, 4.5, 10.5, 12.5])
        let ones = Tensor.ones([1, 1, 2, 2])
        let fourNinths: Float = 4.0 / 9.0
        XCTAssertEqual(ones.avgPool2d(kernel: 3, stride: 1, padding: 1).scalars, [Float](repeating: fourNinths, count: 4))
        XCTAssertEqual(ones.avgPool2d(kernel: 3, stride: 1, padding: 1, countIncludePad: false).scalars, [1, 1, 1, 1])
    }

    func testGlobalPoolAndUpsampleGradients() {
        let x = Tensor.normal([2, 3, 5, 4], seed: 32)
        assertGradients([x]) { $0[0].globalAvgPool2d() }
        assertGradients([x]) { $0[0].upsampleNearest2d(scale: (2, 3)) }
        let u = Tensor.arange(4).reshaped([1, 1, 2, 2]).upsampleNearest2d(scale: 2)
        XCTAssertEqual(u.scalars, [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3])
    }
}
