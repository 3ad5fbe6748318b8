import TensorCore

/// Rounding steps with straight-through gradients, as custom tensor ops.
enum StraightThrough {
    /// code = min(L − 1, ⌊L·y⌋) elementwise; backward passes g·L (the derivative of L·y), i.e. the
    /// straight-through estimator of the whole step including the clamp at the top code.
    static func code(_ y: Tensor, levels: Int) -> Tensor {
        let l = Float(levels)
        let out = y.scalars.map { Swift.min(l - 1, ($0 * l).rounded(.down)) }
        return Tensor.custom(inputs: [y], shape: y.shape, scalars: out) { g in [g * l] }
    }

    /// The hard thermometer code: `x` `[B, C, H, W]`, thresholds `a` `[C, M]` → `[B, C, M, H, W]` with
    /// entry 1 where x > a_j, else 0 (the rounded sigmoids of eval mode). No gradient.
    static func thermometer(_ x: Tensor, thresholds a: Tensor) -> Tensor {
        let (b, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let m = a.shape[1], plane = h * w
        var out = [Float](repeating: 0, count: b * c * m * plane)
        for n in 0..<b {
            for ch in 0..<c {
                let source = (n * c + ch) * plane
                for j in 0..<m {
                    let t = a.scalars[ch * m + j]
                    let target = ((n * c + ch) * m + j) * plane
                    for p in 0..<plane where x.scalars[source + p] > t { out[target + p] = 1 }
                }
            }
        }
        return Tensor(shape: [b, c, m, h, w], scalars: out)
    }

    /// LSQ (Esser et al. 2020) for unsigned codes: v = clamp(round(x/s), 0, L − 1) · s, rounding half to even.
    ///
    /// Gradients: ∂v/∂x = 1 where 0 ≤ x/s ≤ L − 1, else 0; ∂v/∂s = round(x/s) − x/s inside, 0 below,
    /// L − 1 above; the step gradient is scaled by `gradScale` (LSQ: 1/√(elements · (L − 1))).
    /// `s` has shape `[1, C, 1, 1]`.
    static func lsq(_ x: Tensor, step s: Tensor, levels: Int, gradScale: Float) -> Tensor {
        let qp = Float(levels - 1)
        let shape = x.shape
        let c = shape[1], plane = shape[2] * shape[3]
        var out = [Float](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let sc = s.scalars[(i / plane) % c]
            out[i] = Swift.min(Swift.max((x.scalars[i] / sc).rounded(.toNearestOrEven), 0), qp) * sc
        }
        let xs = x.scalars, ss = s.scalars
        return Tensor.custom(inputs: [x, s], shape: shape, scalars: out) { g in
            var gx = [Float](repeating: 0, count: xs.count), gs = [Float](repeating: 0, count: ss.count)
            for i in 0..<xs.count {
                let channel = (i / plane) % c
                let r = xs[i] / ss[channel]
                if r < 0 {
                    continue
                } else if r > qp {
                    gs[channel] += g.scalars[i] * qp
                } else {
                    gx[i] = g.scalars[i]
                    gs[channel] += g.scalars[i] * (r.rounded(.toNearestOrEven) - r)
                }
            }
            return [Tensor(shape: xs.isEmpty ? [0] : shape, scalars: gx), Tensor(shape: s.shape, scalars: gs.map { $0 * gradScale })]
        }
    }
}
