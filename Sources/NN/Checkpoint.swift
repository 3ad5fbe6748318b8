import TensorCore
import Support

/// Saving and loading a module's parameters and buffers as safetensors.
extension Module {
    /// All parameters and buffers by dotted name (values detached).
    public func stateDict() -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for (name, p) in namedParameters() { out[name] = p.value.detached() }
        for (name, b) in namedBuffers() { out[name] = b.value }
        return out
    }

    /// Copies values from `state` into the parameters and buffers of the same names.
    ///
    /// Throws ``SafeTensorsError/missingTensor(_:)`` or
    /// ``SafeTensorsError/shapeMismatch(tensor:expected:found:)`` before
    /// changing anything, and, when `strict`, ``SafeTensorsError/unexpectedTensors(_:)``
    /// for extra names; ``SafeTensorsError/invalidValues(tensor:detail:)`` for a NaN or infinite value, or a
    /// negative BatchNorm running variance (`running_var`).
    public func loadStateDict(_ state: [String: Tensor], strict: Bool = true) throws {
        let params = namedParameters(), buffers = namedBuffers()
        let expected = params.map { ($0.0, $0.1.shape) } + buffers.map { ($0.0, $0.1.value.shape) }
        for (name, shape) in expected {
            guard let t = state[name] else { throw SafeTensorsError.missingTensor(name) }
            guard t.shape == shape else { throw SafeTensorsError.shapeMismatch(tensor: name, expected: shape, found: t.shape) }
            if let bad = t.scalars.firstIndex(where: { !$0.isFinite }) {
                throw SafeTensorsError.invalidValues(tensor: name, detail: "element \(bad) is \(t.scalars[bad])")
            }
            if name == "running_var" || name.hasSuffix(".running_var"), let bad = t.scalars.firstIndex(where: { $0 < 0 }) {
                throw SafeTensorsError.invalidValues(tensor: name, detail: "running variance \(t.scalars[bad]) at element \(bad) is negative")
            }
        }
        if strict {
            let known = Set(expected.map(\.0))
            let extra = state.keys.filter { !known.contains($0) }.sorted()
            if !extra.isEmpty { throw SafeTensorsError.unexpectedTensors(extra) }
        }
        for (name, p) in params { p.assign(state[name]!) }
        for (name, b) in buffers { b.value = state[name]!.detached() }
        notifyWeightsChanged()
    }

    /// ``weightsDidChange()`` here and in every sub-module.
    public func notifyWeightsChanged() {
        weightsDidChange()
        for (_, child) in namedChildren() { child.notifyWeightsChanged() }
    }

    /// Writes ``stateDict()`` to a safetensors file with optional metadata.
    public func save(to path: String, metadata: [String: String] = [:]) throws {
        try SafeTensors.save(stateDict(), metadata: metadata, to: path)
    }

    /// Loads a safetensors file written by ``save(to:metadata:)`` (or PyTorch
    /// with matching names); returns the file's metadata.
    @discardableResult
    public func load(from path: String, strict: Bool = true) throws -> [String: String] {
        let file = try SafeTensors.load(from: path)
        try loadStateDict(file.tensors, strict: strict)
        return file.metadata
    }
}
