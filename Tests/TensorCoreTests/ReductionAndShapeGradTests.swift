import TensorCore
import TensorTestSupport
import XCTest
import Support

final class ReductionAndShapeGradTests: XCTestCase {
    func testSumMeanGradients() {
        let x = Tensor.normal([3, 4, 5], seed: 11)
        assertGradients([x]) { $0[0].sum() }
        assertGradients([x]) { $0[0].sum(axes: [0, 2]) }
        assertGradients([x]) { $0[0].sum(axis: -1, keepDims: true) }
        assertGradients([x]) { $0[0].mean(axes: [1]) }
        assertGradients([x]) { $0[0].mean() }
        XCTAssertEqual(Tensor.arange(6).reshaped([2, 3]).sum(axis: 0).scalars, [3, 5, 7])
        XCTAssertEqual(Tensor.arange(6).reshaped([2, 3]).mean(axis: 1).scalars, [1, 4])
    }

    func testMaxGradients() {
        let x = distinctValues([3, 4, 5], seed: 12)
        assertGradients([x]) { $0[0].max(axis: 1) }
        assertGradients([x]) { $0[0].max(axes: [0, 2], keepDims: true) }
        assertGradients([x]) { $0[0].max() }
        XCTAssertEqual(Tensor(shape: [2, 3], scalars: [1, 5, 2, 7, 0, 3]).max(axis: 1).scalars, [5, 7])
    }

    func testMatmulGradients() {
        let a = Tensor.normal([5, 7], seed: 13), b = Tensor.normal([7, 3], seed: 14)
        assertGradients([a, b]) { $0[0].matmul($0[1]) }
        // Naive reference for the forward.
        let c = a.matmul(b)
        for i in 0..<5 {
            for j in 0..<3 {
                var s: Float = 0
                for k in 0..<7 { s += a[i, k] * b[k, j] }
                XCTAssertEqual(c[i, j], s, accuracy: 1e-4)
            }
        }
    }

    /// Large products take the parallel GEMM paths (row, column and inner-dimension splits).
    func testLargeMatmulsMatchNaiveProductsOnAllSplitPaths() {
        for (m, k, n) in [(300, 200, 300), (40, 300, 2000), (20, 6000, 20)] {
            let a = Tensor.uniform([m, k], low: -1, high: 1, seed: UInt64(m)), b = Tensor.uniform([k, n], low: -1, high: 1, seed: UInt64(n + 1))
            let c = a.matmul(b)
            var rng = SeededRandom(seed: 3)
            for _ in 0..<200 {
                let i = rng.nextInt(below: m), j = rng.nextInt(below: n)
                var s = 0.0
                for q in 0..<k { s += Double(a.scalars[i * k + q]) * Double(b.scalars[q * n + j]) }
                XCTAssertEqual(Double(c.scalars[i * n + j]), s, accuracy: 1e-3, "[\(m), \(k)] × [\(k), \(n)] at (\(i), \(j))")
            }
        }
    }

    func testReshapePermuteTransposeGradients() {
        let x = Tensor.normal([2, 3, 4], seed: 15)
        assertGradients([x]) { $0[0].reshaped([4, -1]) }
        assertGradients([x]) { $0[0].permuted([2, 0, 1]) }
        assertGradients([x]) { $0[0].transposed(0, 2) }
        assertGradients([x]) { $0[0].flattened(from: 1) }
        let p = Tensor.arange(6).reshaped([2, 3]).t
        XCTAssertEqual(p.shape, [3, 2])
        XCTAssertEqual(p.scalars, [0, 3, 1, 4, 2, 5])
    }

    func testSliceConcatPadGradients() {
        let x = Tensor.normal([3, 7, 5], seed: 16)
        assertGradients([x]) { $0[0].slice(axis: 1, start: 1, end: 7, step: 2) }
        assertGradients([x]) { $0[0].slice(axis: -1, start: 2, end: 4) }
        let y = Tensor.normal([3, 2, 5], seed: 17)
        assertGradients([x, y]) { Tensor.concat([$0[0], $0[1], $0[0]], axis: 1) }
        assertGradients([x]) { $0[0].padded([(1, 2), (0, 3)], value: 0.5) }
        let s = Tensor.arange(10).slice(axis: 0, start: 1, end: 8, step: 3)
        XCTAssertEqual(s.scalars, [1, 4, 7])
        let c = Tensor.concat([Tensor.arange(2), Tensor.arange(3, start: 5)], axis: 0)
        XCTAssertEqual(c.scalars, [0, 1, 5, 6, 7])
        let padded = Tensor.ones([1, 2]).padded([(1, 0), (0, 1)], value: 9)
        XCTAssertEqual(padded.shape, [2, 3])
        XCTAssertEqual(padded.scalars, [9, 9, 9, 1, 1, 9])
    }

    func testSoftmaxGradients() {
        let x = Tensor.normal([3, 4, 5], seed: 18)
        assertGradients([x]) { $0[0].softmax(axis: 1) }
        assertGradients([x]) { $0[0].logSoftmax(axis: -1) }
        let s = x.softmax(axis: 2).sum(axis: 2)
        assertClose(s, Tensor.ones([3, 4]), atol: 1e-6)
        assertClose(x.logSoftmax(axis: 0).exp(), x.softmax(axis: 0), atol: 1e-6)
    }

    func testGatherScatterGradients() {
        let x = Tensor.normal([4, 5, 3], seed: 19)
        var rng = SeededRandom(seed: 20)
        let idx = (0..<(4 * 2 * 3)).map { _ in rng.nextInt(below: 5) }
        assertGradients([x]) { $0[0].gather(axis: 1, indices: idx, indexShape: [4, 2, 3]) }
        let src = Tensor.normal([4, 2, 3], seed: 21)
        assertGradients([x, src]) { $0[0].scatterAdd(axis: 1, indices: idx, source: $0[1]) }
        let g = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]).gather(axis: 1, indices: [2, 0], indexShape: [2, 1])
        XCTAssertEqual(g.scalars, [3, 4])
        let sc = Tensor.zeros([3]).scatterAdd(axis: 0, indices: [1, 1, 2], source: Tensor(shape: [3], scalars: [1, 2, 3]))
        XCTAssertEqual(sc.scalars, [0, 3, 3])
    }
}
