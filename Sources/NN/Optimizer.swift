import TensorCore

/// Parameters that share a learning rate and weight decay (e.g. a quantizer's
/// γ with its own learning rate).
public struct ParameterGroup {
    /// The parameters of this group.
    public var parameters: [Parameter]
    /// The base learning rate of this group (scaled by the optimizer's schedule factor).
    public var learningRate: Float
    /// The weight decay λ of this group.
    public var weightDecay: Float

    /// Creates a group.
    public init(parameters: [Parameter], learningRate: Float, weightDecay: Float = 0) {
        self.parameters = parameters; self.learningRate = learningRate; self.weightDecay = weightDecay
    }
}

/// Applies an ``UpdateRule`` to groups of parameters, keeping one state per parameter.
///
/// `step()` updates every non-frozen parameter that has a gradient with
/// learning rate `group.learningRate · learningRateScale` (the scale is what
/// an ``LRSchedule`` sets), multiplied element by element by |pᵢ| for a parameter
/// whose ``Parameter/learningRateIsRelative`` is set.
public final class Optimizer<Rule: UpdateRule> {
    /// The per-parameter update rule (hyper-parameters may be changed between steps).
    public var rule: Rule
    /// The parameter groups with their learning rates and weight decays.
    public var groups: [ParameterGroup]
    /// Multiplies every group's learning rate (set from a schedule; default 1).
    public var learningRateScale: Float = 1
    private var states: [ObjectIdentifier: Rule.State] = [:]

    /// Creates an optimizer over `groups`; a parameter may be in one group only.
    public init(_ rule: Rule, groups: [ParameterGroup]) {
        self.rule = rule
        self.groups = groups
        let all = groups.flatMap(\.parameters).map(ObjectIdentifier.init)
        precondition(Set(all).count == all.count, "Optimizer: a parameter appears in more than one group")
    }

    /// One group with all `parameters`.
    public convenience init(_ rule: Rule, parameters: [Parameter], learningRate: Float, weightDecay: Float = 0) {
        self.init(rule, groups: [ParameterGroup(parameters: parameters, learningRate: learningRate, weightDecay: weightDecay)])
    }

    /// Updates all parameters from their accumulated gradients.
    public func step() {
        for group in groups {
            let lr = group.learningRate * learningRateScale
            for param in group.parameters where !param.isFrozen {
                guard let grad = param.grad else { continue }
                let key = ObjectIdentifier(param)
                var state = states.removeValue(forKey: key) ?? rule.makeState(count: param.value.count)
                param.value.withMutableScalars { p in
                    if param.learningRateIsRelative {
                        // The rule's step at learning rate 1, applied as lr·|pᵢ|·δᵢ (see `Parameter.learningRateIsRelative`).
                        var unit = p
                        rule.update(parameter: &unit, gradient: grad.scalars, state: &state, learningRate: 1,
                                    weightDecay: group.weightDecay)
                        for i in 0..<p.count { p[i] += lr * Swift.abs(p[i]) * (unit[i] - p[i]) }
                    } else {
                        rule.update(parameter: &p, gradient: grad.scalars, state: &state, learningRate: lr,
                                    weightDecay: group.weightDecay)
                    }
                }
                states[key] = state
            }
        }
    }

    /// Clears the gradients of all parameters in all groups.
    public func zeroGrad() {
        for group in groups { group.parameters.forEach { $0.zeroGrad() } }
    }

    /// The state of one parameter, if it has been updated.
    public func state(of parameter: Parameter) -> Rule.State? { states[ObjectIdentifier(parameter)] }

    /// Restores the state of one parameter (resuming from a checkpoint).
    public func setState(_ state: Rule.State, of parameter: Parameter) { states[ObjectIdentifier(parameter)] = state }
}
