import Foundation

/// Elementwise functions with their derivatives.
extension Tensor {
    /// Applies `forward` elementwise; the gradient is `g · derivative(x, y)`
    /// where `y = forward(x)`.
    @inline(__always)
    func map(forward: (Float) -> Float, derivative: @escaping (Float, Float) -> Float) -> Tensor {
        let x = scalars
        let out = x.withUnsafeBufferPointer { px in
            uninitializedFloats(px.count) { py in for i in 0..<px.count { py[i] = forward(px[i]) } }
        }
        return Tensor.makeResult(shape: shape, scalars: out, inputs: [self]) { g, _ in
            let d = x.withUnsafeBufferPointer { px in out.withUnsafeBufferPointer { py in g.withUnsafeBufferPointer { pg in
                uninitializedFloats(pg.count) { pd in
                    for i in 0..<pd.count { pd[i] = pg[i] * derivative(px[i], py[i]) }
                }
            } } }
            return [d]
        }
    }

    /// eˣ. d/dx = eˣ.
    public func exp() -> Tensor { map(forward: { Foundation.exp($0) }, derivative: { _, y in y }) }
    /// Natural logarithm. d/dx = 1/x.
    public func log() -> Tensor { map(forward: { Foundation.log($0) }, derivative: { x, _ in 1 / x }) }
    /// Square root. d/dx = 1/(2√x).
    public func sqrt() -> Tensor { map(forward: { $0.squareRoot() }, derivative: { _, y in 0.5 / y }) }
    /// |x|. d/dx = sign(x) (0 at 0).
    public func abs() -> Tensor {
        map(forward: { Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) })
    }
    /// Logistic sigmoid 1/(1+e⁻ˣ). d/dx = y(1-y).
    public func sigmoid() -> Tensor { map(forward: Tensor.sigmoidScalar, derivative: { _, y in y * (1 - y) }) }
    /// Hyperbolic tangent. d/dx = 1 - y².
    public func tanh() -> Tensor { map(forward: { Foundation.tanh($0) }, derivative: { _, y in 1 - y * y }) }
    /// max(x, 0). d/dx = 1 for x > 0, else 0.
    public func relu() -> Tensor {
        let x = scalars
        let out = x.withUnsafeBufferPointer { px in
            uninitializedFloats(px.count) { py in VectorKernels.relu(px.baseAddress!, py.baseAddress!, px.count) }
        }
        return Tensor.makeResult(shape: shape, scalars: out, inputs: [self]) { g, _ in
            let d = out.withUnsafeBufferPointer { py in g.withUnsafeBufferPointer { pg in
                uninitializedFloats(pg.count) { pd in VectorKernels.reluBackward(pg.baseAddress!, py.baseAddress!, pd.baseAddress!, pd.count) }
            } }
            return [d]
        }
    }
    /// x for x > 0, slope·x otherwise. d/dx = 1 or slope.
    public func leakyRelu(slope: Float = 0.01) -> Tensor {
        map(forward: { $0 > 0 ? $0 : slope * $0 }, derivative: { x, _ in x > 0 ? 1 : slope })
    }
    /// SiLU (swish) x·σ(x). d/dx = σ(x)(1 + x(1 - σ(x))).
    public func silu() -> Tensor {
        map(forward: { $0 * Tensor.sigmoidScalar($0) }, derivative: { x, _ in
            let s = Tensor.sigmoidScalar(x)
            return s * (1 + x * (1 - s))
        })
    }
    /// Softplus ln(1+eˣ), computed stably as max(x,0) + ln(1+e^-|x|). d/dx = σ(x).
    public func softplus() -> Tensor {
        map(forward: { Swift.max($0, 0) + Foundation.log1p(Foundation.exp(-Swift.abs($0))) },
            derivative: { x, _ in Tensor.sigmoidScalar(x) })
    }
    /// ln σ(x) = -softplus(-x), stable for large |x|. d/dx = 1 - σ(x).
    public func logSigmoid() -> Tensor {
        map(forward: { Swift.min($0, 0) - Foundation.log1p(Foundation.exp(-Swift.abs($0))) },
            derivative: { x, _ in 1 - Tensor.sigmoidScalar(x) })
    }
    /// Clamps to `[min, max]`. d/dx = 1 strictly inside the range, 0 outside.
    public func clamp(min lo: Float, max hi: Float) -> Tensor {
        precondition(lo <= hi, "clamp: min \(lo) > max \(hi)")
        return map(forward: { Swift.min(Swift.max($0, lo), hi) }, derivative: { x, _ in (x >= lo && x <= hi) ? 1 : 0 })
    }
    /// Rounds down; straight-through gradient (d/dx taken as 1).
    public func floor() -> Tensor { map(forward: { $0.rounded(.down) }, derivative: { _, _ in 1 }) }
    /// Rounds half to even (as `torch.round`); straight-through gradient (d/dx taken as 1).
    public func round() -> Tensor { map(forward: { $0.rounded(.toNearestOrEven) }, derivative: { _, _ in 1 }) }
    /// x². d/dx = 2x.
    public func square() -> Tensor { map(forward: { $0 * $0 }, derivative: { x, _ in 2 * x }) }

    @inline(__always)
    static func sigmoidScalar(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
        let e = Foundation.exp(x)
        return e / (1 + e)
    }
}
