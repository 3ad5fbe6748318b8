/// Batch normalisation over NCHW input, per channel.
extension Tensor {
    /// Normalises `[N, C, H, W]` per channel and applies `weight`/`bias` `[C]`.
    ///
    /// Training (`training: true`): uses the batch mean μ and biased variance
    /// σ² over N·H·W, `y = (x − μ)/√(σ² + eps) · γ + β`, and updates the running
    /// statistics in place: `running = (1 − momentum)·running + momentum·batch`
    /// (the running variance uses the unbiased batch variance, as PyTorch).
    /// Eval: uses the running statistics (an affine map per channel).
    /// `weight`/`bias` may be `nil` (γ = 1, β = 0).
    public func batchNorm2d(weight: Tensor?, bias: Tensor?, runningMean: inout Tensor, runningVar: inout Tensor,
                            training: Bool, momentum: Float = 0.1, eps: Float = 1e-5) -> Tensor {
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
                    Parallel.forChunks(c) { range in
                        for ch in range {
                            var s = 0.0
                            for b in 0..<n {
                                let plane = src.value + (b * c + ch) * p
                                var t: Float = 0
                                for k in 0..<p { t += plane[k] }
                                s += Double(t)
                            }
                            let mu = s / Double(m)
                            var ss = 0.0
                            let muF = Float(mu)
                            for b in 0..<n {
                                let plane = src.value + (b * c + ch) * p
                                var t: Float = 0
                                for k in 0..<p { let d = plane[k] - muF; t += d * d }
                                ss += Double(t)
                            }
                            mb.value[ch] = muF
                            vb.value[ch] = Float(ss / Double(m))
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
            Parallel.forChunks(n * c, minChunk: 4) { range in
                for item in range {
                    let ch = item % c
                    let scale = invStd[ch] * gamma[ch], shift = beta[ch] - mean[ch] * scale
                    let s = src.value + item * p, d = dst.value + item * p
                    for k in 0..<p { d[k] = s[k] * scale + shift }
                }
            }
        } }
        var inputs = [self]
        if let weight { inputs.append(weight) }
        if let bias { inputs.append(bias) }
        let hasWeight = weight != nil, hasBias = bias != nil
        let mu = mean, istd = invStd
        return Tensor.makeResult(shape: shape, scalars: y, inputs: inputs) { g, needs in
            // Per channel: Σg and Σ g·x̂ with x̂ = (x − μ)·invStd.
            var sumG = [Float](repeating: 0, count: c), sumGX = [Float](repeating: 0, count: c)
            g.withUnsafeBufferPointer { pg in x.withUnsafeBufferPointer { px in
                let gb = UncheckedBox(pg.baseAddress!), xb = UncheckedBox(px.baseAddress!)
                sumG.withUnsafeMutableBufferPointer { ps in sumGX.withUnsafeMutableBufferPointer { psx in
                    let sb = UncheckedBox(ps.baseAddress!), sxb = UncheckedBox(psx.baseAddress!)
                    Parallel.forChunks(c) { range in
                        for ch in range {
                            var a = 0.0, bsum = 0.0
                            for b in 0..<n {
                                let gp = gb.value + (b * c + ch) * p, xp = xb.value + (b * c + ch) * p
                                var ta: Float = 0, tb: Float = 0
                                let m0 = mu[ch]
                                for k in 0..<p { ta += gp[k]; tb += gp[k] * (xp[k] - m0) }
                                a += Double(ta); bsum += Double(tb)
                            }
                            sb.value[ch] = Float(a)
                            sxb.value[ch] = Float(bsum) * istd[ch]
                        }
                    }
                } }
            } }
            var dx: [Float]? = nil
            if needs[0] {
                dx = g.withUnsafeBufferPointer { pg in x.withUnsafeBufferPointer { px in uninitializedFloats(pg.count) { pd in
                    let gb = UncheckedBox(pg.baseAddress!), xb = UncheckedBox(px.baseAddress!), db = UncheckedBox(pd.baseAddress!)
                    Parallel.forChunks(n * c, minChunk: 4) { range in
                        for item in range {
                            let ch = item % c
                            let gp = gb.value + item * p, xp = xb.value + item * p, dp = db.value + item * p
                            let k0 = gamma[ch] * istd[ch]
                            if training {
                                // dx = γ·invStd/M · (M·g − Σg − x̂·Σ(g·x̂))
                                let mg = sumG[ch] / Float(m), mgx = sumGX[ch] / Float(m), m0 = mu[ch], s = istd[ch]
                                for k in 0..<p { dp[k] = k0 * (gp[k] - mg - (xp[k] - m0) * s * mgx) }
                            } else {
                                for k in 0..<p { dp[k] = k0 * gp[k] }
                            }
                        }
                    }
                } } }
            }
            var result: [[Float]?] = [dx]
            if hasWeight { result.append(needs[result.count] ? sumGX : nil) }
            if hasBias { result.append(needs[result.count] ? sumG : nil) }
            return result
        }
    }
}
