import TensorCore

/// Gradient clipping over a set of parameters.
public enum GradientClipping {
    /// Scales all gradients by `maxNorm / max(total, maxNorm)` where `total` is
    /// the global L2 norm `√Σ g²` over all parameters; returns `total`.
    @discardableResult
    public static func clipNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
        precondition(maxNorm > 0, "clipNorm: maxNorm must be positive")
        var sq = 0.0
        for p in parameters { if let g = p.grad { for v in g.scalars { sq += Double(v) * Double(v) } } }
        let total = Float(sq.squareRoot())
        if total > maxNorm {
            let scale = maxNorm / (total + 1e-6)
            for p in parameters where !p.isFrozen {
                if let g = p.grad { p.value.setGrad(g * scale) }
            }
        }
        return total
    }

    /// Clamps every gradient element to `[−limit, limit]`.
    public static func clipValue(_ parameters: [Parameter], limit: Float) {
        precondition(limit > 0, "clipValue: limit must be positive")
        for p in parameters where !p.isFrozen {
            if let g = p.grad { p.value.setGrad(withNoGrad { g.clamp(min: -limit, max: limit) }) }
        }
    }
}
