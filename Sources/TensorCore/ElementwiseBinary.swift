import Foundation

/// Broadcasting arithmetic (`+ - * /`, ``Tensor/pow(_:)-swift.method``) with gradients.
///
/// Gradients of a broadcast operand are summed over the stretched axes.
extension Tensor {
    /// `a + b` with broadcasting. d/da = 1, d/db = 1.
    public static func + (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = Broadcast.binary(a.shape, a.scalars, b.shape, b.scalars, op: "add") { $0 + $1 }
        return makeResult(shape: shape, scalars: out, inputs: [a, b]) { g, needs in
            [needs[0] ? Broadcast.reduce(g, from: shape, to: a.shape) : nil,
             needs[1] ? Broadcast.reduce(g, from: shape, to: b.shape) : nil]
        }
    }

    /// `a - b` with broadcasting. d/da = 1, d/db = -1.
    public static func - (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = Broadcast.binary(a.shape, a.scalars, b.shape, b.scalars, op: "sub") { $0 - $1 }
        return makeResult(shape: shape, scalars: out, inputs: [a, b]) { g, needs in
            [needs[0] ? Broadcast.reduce(g, from: shape, to: a.shape) : nil,
             needs[1] ? Broadcast.reduce(g.map { -$0 }, from: shape, to: b.shape) : nil]
        }
    }

    /// `a * b` with broadcasting. d/da = b, d/db = a.
    public static func * (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = Broadcast.binary(a.shape, a.scalars, b.shape, b.scalars, op: "mul") { $0 * $1 }
        return makeResult(shape: shape, scalars: out, inputs: [a, b]) { g, needs in
            [needs[0] ? Broadcast.reduce(Broadcast.binary(shape, g, b.shape, b.scalars, op: "mul") { $0 * $1 }.scalars, from: shape, to: a.shape) : nil,
             needs[1] ? Broadcast.reduce(Broadcast.binary(shape, g, a.shape, a.scalars, op: "mul") { $0 * $1 }.scalars, from: shape, to: b.shape) : nil]
        }
    }

    /// `a / b` with broadcasting. d/da = 1/b, d/db = -a/b².
    public static func / (a: Tensor, b: Tensor) -> Tensor {
        let (shape, out) = Broadcast.binary(a.shape, a.scalars, b.shape, b.scalars, op: "div") { $0 / $1 }
        return makeResult(shape: shape, scalars: out, inputs: [a, b]) { g, needs in
            var ga: [Float]? = nil, gb: [Float]? = nil
            if needs[0] {
                ga = Broadcast.reduce(Broadcast.binary(shape, g, b.shape, b.scalars, op: "div") { $0 / $1 }.scalars, from: shape, to: a.shape)
            }
            if needs[1] {
                // -g * out / b
                let gOut = Broadcast.binary(shape, g, shape, out, op: "div") { $0 * $1 }.scalars
                gb = Broadcast.reduce(Broadcast.binary(shape, gOut, b.shape, b.scalars, op: "div") { -$0 / $1 }.scalars, from: shape, to: b.shape)
            }
            return [ga, gb]
        }
    }

    /// `self ^ exponent` elementwise with broadcasting (tensor exponent).
    ///
    /// d/dself = e·x^(e-1); d/dexponent = x^e · ln x (defined for x > 0; the
    /// exponent gradient is 0 where x ≤ 0). Use for learnable powers such as x^γ.
    public func pow(_ exponent: Tensor) -> Tensor {
        let a = self, b = exponent
        let (shape, out) = Broadcast.binary(a.shape, a.scalars, b.shape, b.scalars, op: "pow") { Foundation.pow($0, $1) }
        return Tensor.makeResult(shape: shape, scalars: out, inputs: [a, b]) { g, needs in
            let ax = Broadcast.expand(a.scalars, from: a.shape, to: shape)
            let bx = Broadcast.expand(b.scalars, from: b.shape, to: shape)
            var ga: [Float]? = nil, gb: [Float]? = nil
            if needs[0] {
                var d = [Float](repeating: 0, count: g.count)
                for i in 0..<g.count {
                    d[i] = bx[i] == 0 ? 0 : g[i] * bx[i] * Foundation.pow(ax[i], bx[i] - 1)
                }
                ga = Broadcast.reduce(d, from: shape, to: a.shape)
            }
            if needs[1] {
                var d = [Float](repeating: 0, count: g.count)
                for i in 0..<g.count where ax[i] > 0 { d[i] = g[i] * out[i] * Foundation.log(ax[i]) }
                gb = Broadcast.reduce(d, from: shape, to: b.shape)
            }
            return [ga, gb]
        }
    }

    /// `self ^ exponent` for a constant exponent. d/dx = e·x^(e-1).
    public func pow(_ exponent: Float) -> Tensor {
        let x = self
        let out = x.scalars.map { Foundation.pow($0, exponent) }
        return Tensor.makeResult(shape: shape, scalars: out, inputs: [x]) { g, _ in
            var d = [Float](repeating: 0, count: g.count)
            if exponent != 0 {
                for i in 0..<g.count { d[i] = g[i] * exponent * Foundation.pow(x.scalars[i], exponent - 1) }
            }
            return [d]
        }
    }

    /// Adds a constant. d/dx = 1.
    public static func + (a: Tensor, s: Float) -> Tensor { a + Tensor(s) }
    /// Adds a constant. d/dx = 1.
    public static func + (s: Float, a: Tensor) -> Tensor { Tensor(s) + a }
    /// Subtracts a constant.
    public static func - (a: Tensor, s: Float) -> Tensor { a + Tensor(-s) }
    /// Subtracts from a constant.
    public static func - (s: Float, a: Tensor) -> Tensor { Tensor(s) - a }
    /// Scales by a constant.
    public static func * (a: Tensor, s: Float) -> Tensor { a * Tensor(s) }
    /// Scales by a constant.
    public static func * (s: Float, a: Tensor) -> Tensor { Tensor(s) * a }
    /// Divides by a constant.
    public static func / (a: Tensor, s: Float) -> Tensor { a * Tensor(1 / s) }
    /// Divides a constant by a tensor.
    public static func / (s: Float, a: Tensor) -> Tensor { Tensor(s) / a }
    /// Negation. d/dx = -1.
    public static prefix func - (a: Tensor) -> Tensor { a.map(forward: { -$0 }, derivative: { _, _ in -1 }) }
}
