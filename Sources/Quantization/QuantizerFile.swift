import Foundation
import Support

/// A learned (or fixed) quantizer saved as a safetensors file: its parameters as F32 tensors plus
/// metadata — everything a sensor and a server need, readable without a tensor library.
///
/// Tensors by kind (groups: 1 = global, 3 = R, G, B with both greens sharing G):
/// - `gamma`: `gamma` `[groups]`
/// - `sq`, `bwsq`: `thresholds` `[groups, 2^N − 1]` in normalised units x̂
/// - `lsq`: `step` `[groups]` in x̂
/// - `linear`: none; `log`: none (D = each channel's ADC range), or `log_scale` `[groups]` (learned D)
/// - `gamma-log`: `gamma` `[groups]`, optional `log_scale` `[groups]`
/// - `monotone`: `knots` `[K + 1]` (0 … 1, shared) and `increments` `[groups, K]`
/// - any kind, optional: `decoder` `[groups, 2^N]`, learned decode values in x̂ (see ``QuantizerSpec/decoderValues``)
///
/// Metadata: `format` = `rawquant-quantizer`, `version` = `1`, `kind`, `bits`, and `sorted` (`true` when
/// the thresholds were kept in ascending order, which the loader then checks), plus free-form entries.
public enum QuantizerFile {
    public static let format = "rawquant-quantizer"
    public static let version = "1"

    /// The file's bytes for `spec` (parameters stored as the Float32 values the faces use).
    public static func encode(_ spec: QuantizerSpec, sortedThresholds: Bool = false, metadata extra: [String: String] = [:]) throws -> [UInt8] {
        try spec.validate()
        var arrays: [String: StoredArray] = [:]
        switch spec.kind {
        case .linear, .log: break
        case .gamma, .gammaLog: arrays["gamma"] = StoredArray(shape: [spec.gammas.count], scalars: spec.gammas.map(Float.init))
        case .monotone:
            let knots = spec.knots!, rows = spec.increments!
            arrays["knots"] = StoredArray(shape: [knots.count], scalars: knots.map(Float.init))
            arrays["increments"] = StoredArray(shape: [rows.count, rows[0].count], scalars: rows.flatMap { $0.map(Float.init) })
        case .sq, .bwsq:
            let rows = spec.thresholds!
            arrays["thresholds"] = StoredArray(shape: [rows.count, rows[0].count], scalars: rows.flatMap { $0.map(Float.init) })
        case .lsq: arrays["step"] = StoredArray(shape: [spec.steps!.count], scalars: spec.steps!.map(Float.init))
        }
        if let scales = spec.logScales { arrays["log_scale"] = StoredArray(shape: [scales.count], scalars: scales.map(Float.init)) }
        if let rows = spec.decoderValues {
            arrays["decoder"] = StoredArray(shape: [rows.count, rows[0].count], scalars: rows.flatMap { $0.map(Float.init) })
        }
        var metadata = extra
        metadata["format"] = format
        metadata["version"] = version
        metadata["kind"] = spec.kind.rawValue
        metadata["bits"] = String(spec.bits)
        metadata["sorted"] = sortedThresholds ? "true" : "false"
        return SafeTensorsCodec.encode(arrays, metadata: metadata)
    }

    /// Parses and validates a quantizer file's bytes.
    public static func decode(_ bytes: [UInt8]) throws -> (spec: QuantizerSpec, metadata: [String: String]) {
        let arrays: [String: StoredArray], metadata: [String: String]
        do {
            (arrays, metadata) = try SafeTensorsCodec.decode(bytes)
        } catch {
            throw QuantizationError("not a valid safetensors file: \(error)")
        }
        guard metadata["format"] == format else { throw QuantizationError("not a RawQuant quantizer file (metadata format ≠ \(format))") }
        guard metadata["version"] == version else { throw QuantizationError("unsupported quantizer file version \(metadata["version"] ?? "none")") }
        guard let kindName = metadata["kind"], let kind = QuantizerKind(rawValue: kindName) else {
            throw QuantizationError("unknown quantizer kind \"\(metadata["kind"] ?? "")\" (known: \(QuantizerKind.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let bitsText = metadata["bits"], let bits = Int(bitsText), (1...8).contains(bits) else {
            throw QuantizationError("bits must be an integer in 1...8, got \"\(metadata["bits"] ?? "")\"")
        }
        func tensor(_ name: String, rank: Int) throws -> StoredArray {
            guard let a = arrays[name] else { throw QuantizationError("\(kind.rawValue) quantizer file lacks the tensor \"\(name)\"") }
            guard a.shape.count == rank, a.shape[0] == 1 || a.shape[0] == 3 else {
                throw QuantizationError("tensor \"\(name)\" has shape \(a.shape); expected 1 or 3 (R, G, B) groups")
            }
            guard a.scalars.allSatisfy(\.isFinite) else { throw QuantizationError("tensor \"\(name)\" holds NaN or infinite values") }
            return a
        }
        let scales = try arrays["log_scale"].map { _ in try tensor("log_scale", rank: 1).scalars.map(Double.init) }
        var spec: QuantizerSpec
        switch kind {
        case .linear, .log: spec = try QuantizerSpec(kind: kind, bits: bits)
        case .gamma, .gammaLog:
            let g = try tensor("gamma", rank: 1)
            guard g.scalars.allSatisfy({ $0 > 0 }) else { throw QuantizationError("γ must be positive, got \(g.scalars)") }
            spec = try QuantizerSpec(kind: kind, bits: bits, gammas: g.scalars.map(Double.init), logScales: kind == .gammaLog ? scales : nil)
        case .monotone:
            guard let k = arrays["knots"], k.shape.count == 1, k.scalars.allSatisfy(\.isFinite) else {
                throw QuantizationError("monotone quantizer file needs a finite rank-1 tensor \"knots\"")
            }
            let t = try tensor("increments", rank: 2)
            let m = t.shape[1]
            let rows = (0..<t.shape[0]).map { g in t.scalars[(g * m)..<((g + 1) * m)].map(Double.init) }
            spec = try .monotone(knots: k.scalars.map(Double.init), increments: rows, bits: bits)
        case .sq, .bwsq:
            let t = try tensor("thresholds", rank: 2)
            let m = t.shape[1]
            let rows = (0..<t.shape[0]).map { g in t.scalars[(g * m)..<((g + 1) * m)].map(Double.init) }
            if metadata["sorted"] == "true", let row = rows.firstIndex(where: { zip($0, $0.dropFirst()).contains { $0 > $1 } }) {
                throw QuantizationError("thresholds of group \(row) are not sorted, but the file says they must be")
            }
            spec = try QuantizerSpec(kind: kind, bits: bits, thresholds: rows)
        case .lsq:
            spec = try QuantizerSpec(kind: kind, bits: bits, steps: try tensor("step", rank: 1).scalars.map(Double.init))
        }
        if let scales {
            spec.logScales = scales
            try spec.validate()
        }
        if arrays["decoder"] != nil {
            let d = try tensor("decoder", rank: 2)
            let l = d.shape[1]
            spec.decoderValues = (0..<d.shape[0]).map { g in d.scalars[(g * l)..<((g + 1) * l)].map(Double.init) }
            try spec.validate()
        }
        return (spec, metadata)
    }

    /// Reads and validates the file at `path`.
    public static func read(path: String) throws -> QuantizerSpec {
        guard let data = try? BoundedFile.read(path, limit: 64 << 20, what: "quantizer file") else { throw QuantizationError("cannot read file (missing, not a regular file or over 64 MiB)") }
        guard !data.isEmpty else { throw QuantizationError("file is empty") }
        return try decode(Array(data)).spec
    }

    /// Writes the file atomically (a temporary file renamed into place).
    public static func write(_ spec: QuantizerSpec, to path: String, sortedThresholds: Bool = false, metadata: [String: String] = [:]) throws {
        let bytes = try encode(spec, sortedThresholds: sortedThresholds, metadata: metadata)
        do {
            try AtomicOutput.write(bytes, to: path)
        } catch {
            throw QuantizationError("cannot write \(error)")
        }
    }
}
