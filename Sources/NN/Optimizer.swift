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
    /// Whether the learning rate is relative to each parameter's magnitude, element by element.
    ///
    /// With the rule's step at learning rate 1 written δᵢ, the update is `pᵢ ← pᵢ + lr·|pᵢ|·δᵢ`: a
    /// multiplicative update for a positive scale (such as LSQ's step size). It keeps the sign while
    /// `lr·|δᵢ| < 1` (Adam's |δ| stays near 1) and lets one learning rate serve scales of any size, which
    /// an absolute Adam step cannot: it moves every element by about `lr` whatever its magnitude.
    public var learningRateIsRelative: Bool

    /// Creates a group.
    public init(parameters: [Parameter], learningRate: Float, weightDecay: Float = 0, learningRateIsRelative: Bool = false) {
        self.parameters = parameters; self.learningRate = learningRate; self.weightDecay = weightDecay
        self.learningRateIsRelative = learningRateIsRelative
    }

    /// `parameters` at `learningRate`: one group for those that learn at an absolute rate and, when there are
    /// any, one relative group for those in `relative` (a module's ``Module/relativeRateParameters``).
    public static func split(_ parameters: [Parameter], relative: [Parameter], learningRate: Float, weightDecay: Float = 0) -> [ParameterGroup] {
        let scaled = Set(relative.map(ObjectIdentifier.init))
        let absolute = parameters.filter { !scaled.contains(ObjectIdentifier($0)) }
        let relativeGroup = parameters.filter { scaled.contains(ObjectIdentifier($0)) }
        var groups = [ParameterGroup(parameters: absolute, learningRate: learningRate, weightDecay: weightDecay)]
        if !relativeGroup.isEmpty {
            groups.append(ParameterGroup(parameters: relativeGroup, learningRate: learningRate, weightDecay: weightDecay, learningRateIsRelative: true))
        }
        return groups
    }
}

/// Applies an ``UpdateRule`` to groups of parameters, keeping one state per parameter.
///
/// `step()` updates every non-frozen parameter that has a gradient with
/// learning rate `group.learningRate · learningRateScale` (the scale is what
/// an ``LRSchedule`` sets), multiplied element by element by |pᵢ| in a group
/// whose ``ParameterGroup/learningRateIsRelative`` is set.
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
                    if group.learningRateIsRelative {
                        // The rule's step at learning rate 1, applied as lr·|pᵢ|·δᵢ (see `ParameterGroup.learningRateIsRelative`).
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

    /// The states of the named parameters that have been updated, as tensors named `PREFIX.NAME.FIELD`
    /// (e.g. `optimizer.head.conv.weight.m`), for a checkpoint.
    public func stateTensors(_ named: [(String, Parameter)], prefix: String = "optimizer") -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, parameter) in named {
            guard let state = state(of: parameter) else { continue }
            for (field, tensor) in state.tensors(shape: parameter.shape) { out["\(prefix).\(name).\(field)"] = tensor }
        }
        return out
    }

    /// Restores the states ``stateTensors(_:prefix:)`` wrote, for the named parameters found in `tensors`;
    /// a parameter without a complete, fitting state starts afresh.
    public func loadStateTensors(_ tensors: [String: Tensor], _ named: [(String, Parameter)], prefix: String = "optimizer") {
        for (name, parameter) in named {
            let head = "\(prefix).\(name)."
            let fields = Dictionary(uniqueKeysWithValues: tensors.filter { $0.key.hasPrefix(head) }.map { (String($0.key.dropFirst(head.count)), $0.value) })
            guard !fields.isEmpty, let state = Rule.State(tensors: fields, count: parameter.value.count) else { continue }
            setState(state, of: parameter)
        }
    }

    /// The state of one parameter, if it has been updated.
    public func state(of parameter: Parameter) -> Rule.State? { states[ObjectIdentifier(parameter)] }

    /// Restores the state of one parameter (resuming from a checkpoint).
    public func setState(_ state: Rule.State, of parameter: Parameter) { states[ObjectIdentifier(parameter)] = state }
}
