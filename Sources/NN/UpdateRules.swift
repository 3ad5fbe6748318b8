import Foundation
import TensorCore

/// A per-parameter optimizer update: a pure function of the parameter, its
/// gradient and its own state (hyper-parameters come from the group).
public protocol UpdateRule: Sendable {
    /// Per-parameter state (momentum buffers, moments, step count), storable in checkpoints.
    associatedtype State: StoredOptimizerState
    /// The initial state for a parameter of `count` elements.
    func makeState(count: Int) -> State
    /// Updates `parameter` in place from `gradient`.
    func update(parameter: inout [Float], gradient: [Float], state: inout State, learningRate: Float, weightDecay: Float)
}

/// Stochastic gradient descent with momentum, Nesterov and L2 weight decay
/// (PyTorch's `torch.optim.SGD`, dampening 0):
/// `g ← g + λ·p`; `v ← g` on the first step, else `v ← μ·v + g`;
/// `d = g + μ·v` (Nesterov) or `v`; `p ← p − lr·d`. With μ = 0, `d = g`.
public struct SGD: UpdateRule {
    /// Momentum μ (0 disables the buffer).
    public var momentum: Float
    /// Whether to use Nesterov momentum.
    public var nesterov: Bool

    /// Creates the rule.
    public init(momentum: Float = 0, nesterov: Bool = false) {
        precondition(!nesterov || momentum > 0, "SGD: Nesterov needs momentum > 0")
        self.momentum = momentum; self.nesterov = nesterov
    }

    /// The momentum buffer (`nil` until the first step).
    public struct State { public var velocity: [Float]? }

    /// A fresh state (no momentum buffer yet).
    public func makeState(count: Int) -> State { State(velocity: nil) }

    /// Applies one SGD step to `p` (see the type documentation).
    public func update(parameter p: inout [Float], gradient: [Float], state: inout State, learningRate lr: Float, weightDecay wd: Float) {
        var g = gradient
        if wd != 0 { for i in 0..<g.count { g[i] += wd * p[i] } }
        if momentum != 0 {
            if var v = state.velocity {
                state.velocity = nil
                for i in 0..<v.count { v[i] = momentum * v[i] + g[i] }
                state.velocity = v
            } else {
                state.velocity = g
            }
            let v = state.velocity!
            if nesterov {
                for i in 0..<g.count { g[i] += momentum * v[i] }
            } else {
                g = v
            }
        }
        for i in 0..<p.count { p[i] -= lr * g[i] }
    }
}

/// Adam (`decoupledWeightDecay: false`, L2 added to the gradient) and AdamW
/// (`true`, `p ← p·(1 − lr·λ)` first), as in PyTorch:
/// `m ← β₁m + (1−β₁)g`, `v ← β₂v + (1−β₂)g²`, `t ← t+1`,
/// `p ← p − (lr/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε)`.
public struct Adam: UpdateRule {
    /// Moment decay rates β₁, β₂ and the denominator epsilon.
    public var beta1: Float, beta2: Float, eps: Float
    /// AdamW-style decoupled weight decay when `true`.
    public var decoupledWeightDecay: Bool

    /// Creates the rule (PyTorch defaults).
    public init(beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, decoupledWeightDecay: Bool = false) {
        self.beta1 = beta1; self.beta2 = beta2; self.eps = eps; self.decoupledWeightDecay = decoupledWeightDecay
    }

    /// AdamW: Adam with decoupled weight decay.
    public static func adamW(beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8) -> Adam {
        Adam(beta1: beta1, beta2: beta2, eps: eps, decoupledWeightDecay: true)
    }

    /// First and second moments and the step count.
    public struct State {
        public var m: [Float]; public var v: [Float]; public var step: Int
        public init(m: [Float], v: [Float], step: Int) { self.m = m; self.v = v; self.step = step }
    }

    /// A fresh state (no momentum buffer yet).
    public func makeState(count: Int) -> State {
        State(m: [Float](repeating: 0, count: count), v: [Float](repeating: 0, count: count), step: 0)
    }

    /// Applies one Adam step to `p` (see the type documentation).
    public func update(parameter p: inout [Float], gradient: [Float], state: inout State, learningRate lr: Float, weightDecay wd: Float) {
        state.step += 1
        let t = Float(state.step)
        let bc1 = 1 - Foundation.pow(beta1, t), bc2 = 1 - Foundation.pow(beta2, t)
        let stepSize = lr / bc1, sqrtBC2 = bc2.squareRoot()
        if decoupledWeightDecay && wd != 0 {
            for i in 0..<p.count { p[i] *= 1 - lr * wd }
        }
        for i in 0..<p.count {
            var g = gradient[i]
            if !decoupledWeightDecay && wd != 0 { g += wd * p[i] }
            state.m[i] = beta1 * state.m[i] + (1 - beta1) * g
            state.v[i] = beta2 * state.v[i] + (1 - beta2) * g * g
            let denom = state.v[i].squareRoot() / sqrtBC2 + eps
            p[i] -= stepSize * state.m[i] / denom
        }
    }
}

/// An update rule's per-parameter state as named tensors, so checkpoints can carry it: each field is
/// stored as `PREFIX.FIELD` (Adam: `m`, `v` shaped like the parameter, `step` a scalar; SGD: `velocity`).
public protocol StoredOptimizerState {
    /// The fields of the state, named without the prefix; `shape` is the parameter's.
    func tensors(shape: [Int]) -> [String: Tensor]
    /// The state from its fields; nil when a field is missing or does not fit `count` elements.
    init?(tensors: [String: Tensor], count: Int)
}

extension SGD.State: StoredOptimizerState {
    public func tensors(shape: [Int]) -> [String: Tensor] {
        velocity.map { ["velocity": Tensor(shape: shape, scalars: $0)] } ?? [:]
    }

    public init?(tensors: [String: Tensor], count: Int) {
        if let v = tensors["velocity"] {
            guard v.scalars.count == count else { return nil }
            self.init(velocity: v.scalars)
        } else {
            self.init(velocity: nil)
        }
    }
}

extension Adam.State: StoredOptimizerState {
    public func tensors(shape: [Int]) -> [String: Tensor] {
        ["m": Tensor(shape: shape, scalars: m), "v": Tensor(shape: shape, scalars: v), "step": Tensor(Float(step))]
    }

    public init?(tensors: [String: Tensor], count: Int) {
        guard let m = tensors["m"], let v = tensors["v"], let step = tensors["step"], m.scalars.count == count, v.scalars.count == count,
              step.scalars.count == 1, let steps = Int(exactly: step.item), steps >= 0 else { return nil }
        self.init(m: m.scalars, v: v.scalars, step: steps)
    }
}
