import TensorCore

/// The base class of layers and models: named parameters and buffers,
/// train/eval mode and freezing.
///
/// Parameters, buffers and sub-modules are discovered by reflection over
/// stored properties (including optionals and arrays of modules), so a
/// subclass only declares them. Names are dot-joined property paths, e.g.
/// `"backbone.conv1.weight"`; array elements use their index (`"layers.0"`).
/// Subclasses may override ``namedMembers()`` to choose other names.
open class Module {
    /// `true` in training mode (batch statistics), `false` in eval mode.
    public private(set) var isTraining = true

    /// Creates a module in training mode.
    public init() {}

    /// The direct members (parameters, buffers, sub-modules) with their names,
    /// in declaration order (default: by reflection over stored properties).
    open func namedMembers() -> [(String, Any)] {
        reflectedMembers()
    }

    /// The direct sub-modules with their names.
    public func namedChildren() -> [(String, Module)] {
        namedMembers().compactMap { name, value in (value as? Module).map { (name, $0) } }
    }

    /// Parameters, buffers and sub-modules found in stored properties.
    public final func reflectedMembers() -> [(String, Any)] {
        var out: [(String, Any)] = []
        var mirror: Mirror? = Mirror(reflecting: self)
        var levels: [Mirror] = []
        while let m = mirror { levels.append(m); mirror = m.superclassMirror }
        for m in levels.reversed() {
            for child in m.children {
                guard let label = child.label else { continue }
                let value = child.value
                // Dynamic casts also unwrap optionals (`Parameter?` etc.).
                if let p = value as? Parameter {
                    out.append((label, p))
                } else if let b = value as? Buffer {
                    out.append((label, b))
                } else if let m = value as? Module {
                    out.append((label, m))
                } else if let list = value as? [Module] {
                    for (i, m) in list.enumerated() { out.append(("\(label).\(i)", m)) }
                } else if let list = value as? [Parameter] {
                    for (i, p) in list.enumerated() { out.append(("\(label).\(i)", p)) }
                }
            }
        }
        return out
    }

    /// All parameters in this module and its sub-modules, by dotted name.
    public func namedParameters() -> [(String, Parameter)] {
        var out: [(String, Parameter)] = []
        for (name, member) in namedMembers() {
            if let p = member as? Parameter { out.append((name, p)) }
            if let m = member as? Module { out += m.namedParameters().map { ("\(name).\($0.0)", $0.1) } }
        }
        return out
    }

    /// All buffers in this module and its sub-modules, by dotted name.
    public func namedBuffers() -> [(String, Buffer)] {
        var out: [(String, Buffer)] = []
        for (name, member) in namedMembers() {
            if let b = member as? Buffer { out.append((name, b)) }
            if let m = member as? Module { out += m.namedBuffers().map { ("\(name).\($0.0)", $0.1) } }
        }
        return out
    }

    /// The parameters whose learning rate should be relative to their own magnitude (see
    /// ``ParameterGroup/learningRateIsRelative``): those a module names in ``ownRelativeRateParameters``,
    /// here and in its sub-modules.
    public var relativeRateParameters: [Parameter] {
        ownRelativeRateParameters + namedChildren().flatMap { $0.1.relativeRateParameters }
    }

    /// This module's own parameters that are scales and learn at a relative rate (e.g. LSQ's step); none by default.
    open var ownRelativeRateParameters: [Parameter] { [] }

    /// All parameters (in ``namedParameters()`` order).
    public var parameters: [Parameter] { namedParameters().map(\.1) }

    /// The parameters that are not frozen.
    public var trainableParameters: [Parameter] { parameters.filter { !$0.isFrozen } }

    /// Sets training (`true`) or eval (`false`) mode here and in all sub-modules. Entering training mode tells every
    /// module its weights may change (``weightsDidChange()``).
    public func train(_ on: Bool = true) {
        isTraining = on
        for (_, child) in namedChildren() { child.train(on) }
        if on { weightsDidChange() }  // children were told by their own train(_:)
    }

    /// Called when the weights may have changed (training mode entered, a state dict loaded): a module that keeps
    /// something derived from its weights (e.g. a folded inference network) drops it here, then calls `super`.
    /// Code that assigns weights by hand in eval mode calls it too. The default does nothing.
    open func weightsDidChange() {}

    /// Switches to eval mode (running statistics, no updates of them).
    public func eval() { train(false) }

    /// Freezes every parameter (no gradients, no optimizer updates).
    public func freeze() { parameters.forEach { $0.freeze() } }

    /// Unfreezes every parameter.
    public func unfreeze() { parameters.forEach { $0.unfreeze() } }

    /// Clears the gradients of all parameters.
    public func zeroGrad() { parameters.forEach { $0.zeroGrad() } }
}

/// A module with a single-tensor forward pass, usable in ``Sequential``.
public protocol Layer: Module {
    /// Applies the layer.
    func forward(_ input: Tensor) -> Tensor
}

extension Layer {
    /// Applies the layer (same as ``forward(_:)``).
    public func callAsFunction(_ input: Tensor) -> Tensor { forward(input) }
}
