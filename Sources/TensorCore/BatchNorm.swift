/// Batch normalisation over NCHW input, per channel (optionally fused with ReLU).
extension Tensor {
    /// Normalises `[N, C, H, W]` per channel and applies `weight`/`bias` `[C]`.
    ///
    /// Training (`training: true`): uses the batch mean μ and biased variance
    /// σ² over N·H·W, `y = (x − μ)/√(σ² + eps) · γ + β`, and updates the running
    /// statistics in place: `running = (1 − momentum)·running + momentum·batch`
    /// (the running variance uses the unbiased batch variance, as PyTorch).
    /// Eval: uses the running statistics (an affine map per channel).
    /// `weight`/`bias` may be `nil` (γ = 1, β = 0). With `fusedReLU` the result
    /// is `max(y, 0)` computed in the same pass (same values and gradients as
    /// a separate ``relu()``, fewer memory passes).
    ///
    /// Backward (training): with x̂ = (x − μ)/√(σ² + eps) and g the gradient of y,
    /// `dx = γ/√(σ²+eps) · (g − mean(g) − x̂·mean(g·x̂))`, `dγ = Σ g·x̂`, `dβ = Σ g`.
    public func batchNorm2d(weight: Tensor?, bias: Tensor?, runningMean: inout Tensor, runningVar: inout Tensor,
                            training: Bool, momentum: Float = 0.1, eps: Float = 1e-5, fusedReLU: Bool = false) -> Tensor {
        precondition(rank == 4, "batchNorm2d: input must be NCHW, got \(shape)")
        let (n, c, h, w) = (shape[0], shape[1], shape[2], shape[3])
        let p = h * w, m = n * p
        for (name, t) in [("weight", weight), ("bias", bias)] {
            if let t { precondition(t.shape == [c], "batchNorm2d: \(name) must be [\(c)], got \(t.shape)") }
        }
        precondition(runningMean.shape == [c] && runningVar.shape == [c],
                     "batchNorm2d: running stats must be [\(c)], got \(runningMean.shape) and \(runningVar.shape)")
        let gamma = weight?.scalars ?? [Float](repeating: 1, count: c)
        let beta = bias?.scalars ?? [Float](repeating: 0, count: c)
        var mean = [Float](repeating: 0, count: c), invStd = [Float](repeating: 0, count: c)
        let x = scalars
        if training {
            precondition(m > 1, "batchNorm2d: training needs more than one value per channel, got input \(shape)")
            var variance = [Float](repeating: 0, count: c)
            x.withUnsafeBufferPointer { px in
                let src = UncheckedBox(px.baseAddress!)
                mean.withUnsafeMutableBufferPointer { pm in variance.withUnsafeMutableBufferPointer { pv in
                    let mb = UncheckedBox(pm.baseAddress!), vb = UncheckedBox(pv.baseAddress!)
                    Parallel.forChunks(c, workPerItem: 2 * m) { range in
                        for ch in range {
                            // One pass over the data: moments about the mean of the channel's first plane,
                            // a shift close to the mean, so the shifted sums keep their precision.
                            let shift = VectorKernels.sum(src.value + ch * p, p) / Float(p)
                            var s1 = 0.0, s2 = 0.0
                            for b in 0..<n {
                                let (a, q) = VectorKernels.shiftedMoments(src.value + (b * c + ch) * p, shift: shift, p)
                                s1 += Double(a); s2 += Double(q)
                            }
                            let meanShift = s1 / Double(m)
                            mb.value[ch] = Float(Double(shift) + meanShift)
                            vb.value[ch] = Float(Swift.max(s2 / Double(m) - meanShift * meanShift, 0))
                        }
                    }
                } }
            }
            for ch in 0..<c {
                invStd[ch] = 1 / (variance[ch] + eps).squareRoot()
                let unbiased = variance[ch] * Float(m) / Float(m - 1)
                runningMean.scalars[ch] = (1 - momentum) * runningMean.scalars[ch] + momentum * mean[ch]
                runningVar.scalars[ch] = (1 - momentum) * runningVar.scalars[ch] + momentum * unbiased
            }
        } else {
            mean = runningMean.scalars
            for ch in 0..<c { invStd[ch] = 1 / (runningVar.scalars[ch] + eps).squareRoot() }
        }
        let y = x.withUnsafeBufferPointer { px in uninitializedFloats(px.count) { py in
            let src = UncheckedBox(px.baseAddress!), dst = UncheckedBox(py.baseAddress!)
            Parallel.forChunks(n * c, minChunk: 4, workPerItem: p) { range in
                for item in range {
                    let ch = item % c
                    let scale = invStd[ch] * gamma[ch], shift = beta[ch] - mean[ch] * scale
                    VectorKernels.affine(src.value + item * p, dst.value + item * p, p, scale: scale, shift: shift, relu: fusedReLU)
                }
            }
        } }
        var inputs = [self]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        let hasWeight = weight != nil, hasBias = bias != nil
        let mu = mean, istd = invStd
        return Tensor.makeResult(shape: shape, scalars: y, inputs: inputs) { gOut, needs in
            // With the fused ReLU the gradient of the pre-ReLU output is g̃ = g where y > 0
            // (else 0); it is applied on the fly instead of being materialised.
            let g = gOut
            // Per channel: Σg̃ and Σ g̃·x̂ with x̂ = (x − μ)·invStd.
            var sumG = [Float](repeating: 0, count: c), sumGX = [Float](repeating: 0, count: c)
            g.withUnsafeBufferPointer { pg in x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in
                let gb = UncheckedBox(pg.baseAddress!), xb = UncheckedBox(px.baseAddress!), yb = UncheckedBox(py.baseAddress!)
                sumG.withUnsafeMutableBufferPointer { ps in sumGX.withUnsafeMutableBufferPointer { psx in
                    let sb = UncheckedBox(ps.baseAddress!), sxb = UncheckedBox(psx.baseAddress!)
                    Parallel.forChunks(c, workPerItem: 3 * m) { range in
                        for ch in range {
                            var a = 0.0, bsum = 0.0
                            for b in 0..<n {
                                let off = (b * c + ch) * p
                                let (ta, tb) = fusedReLU
                                    ? VectorKernels.maskedSumAndCenteredDot(gb.value + off, mask: yb.value + off, xb.value + off, center: mu[ch], p)
                                    : VectorKernels.sumAndCenteredDot(gb.value + off, xb.value + off, center: mu[ch], p)
                                a += Double(ta); bsum += Double(tb)
                            }
                            sb.value[ch] = Float(a)
                            sxb.value[ch] = Float(bsum) * istd[ch]
                        }
                    }
                } }
            } } }
            var dx: [Float]? = nil
            if needs[0] {
                dx = g.withUnsafeBufferPointer { pg in x.withUnsafeBufferPointer { px in y.withUnsafeBufferPointer { py in uninitializedFloats(pg.count) { pd in
                    let gb = UncheckedBox(pg.baseAddress!), xb = UncheckedBox(px.baseAddress!), db = UncheckedBox(pd.baseAddress!)
                    let yb = UncheckedBox(py.baseAddress!)
                    Parallel.forChunks(n * c, minChunk: 4, workPerItem: 3 * p) { range in
                        for item in range {
                            let ch = item % c
                            let gp = gb.value + item * p, xp = xb.value + item * p, dp = db.value + item * p
                            let k0 = gamma[ch] * istd[ch]
                            if training {
                                // dx = k0·(g − mean(g) − (x − μ)·invStd·mean(g·x̂)) = a·g + b·x + c0
                                let mg = sumG[ch] / Float(m), mgx = sumGX[ch] / Float(m), s = istd[ch]
                                let bx = -k0 * s * mgx
                                BatchNormKernels.linearCombination(gp, k0, xp, bx, -k0 * mg - bx * mu[ch], dp, p,
                                                                   mask: fusedReLU ? yb.value + item * p : nil)
                            } else {
                                BatchNormKernels.linearCombination(gp, k0, xp, 0, 0, dp, p, mask: fusedReLU ? yb.value + item * p : nil)
                            }
                        }
                    }
                } } } }
            }
            var result: [[Float]?] = [dx]
            if hasWeight { result.append(needs[result.count] ? sumGX : nil) }
            if hasBias { result.append(needs[result.count] ? sumG : nil) }
            return result
        }
    }
}

enum BatchNormKernels {
    /// d = a·g̃ + b·x + c0, vectorised; g̃ = g, or g where mask > 0 (else 0) when a mask is given.
    @inline(__always)
    static func linearCombination(_ g: UnsafePointer<Float>, _ a: Float, _ x: UnsafePointer<Float>, _ b: Float, _ c0: Float,
                                  _ d: UnsafeMutablePointer<Float>, _ n: Int, mask: UnsafePointer<Float>?) {
        typealias V = VectorKernels.V
        let av = V(repeating: a), bv = V(repeating: b), cv = V(repeating: c0), zero = V(repeating: 0)
        var i = 0
        if let mask {
            while i &+ 16 <= n {
                let gv = VectorKernels.load(g + i).replacing(with: 0, where: VectorKernels.load(mask + i) .<= zero)
                VectorKernels.store(gv * av + VectorKernels.load(x + i) * bv + cv, d + i)
                i &+= 16
            }
            while i < n { d[i] = a * (mask[i] > 0 ? g[i] : 0) + b * x[i] + c0; i &+= 1 }
        } else {
            while i &+ 16 <= n {
                VectorKernels.store(VectorKernels.load(g + i) * av + VectorKernels.load(x + i) * bv + cv, d + i)
                i &+= 16
            }
            while i < n { d[i] = a * g[i] + b * x[i] + c0; i &+= 1 }
        }
    }
}
