/// Why a safetensors file could not be read or applied.
public enum SafeTensorsError: Error, Equatable, CustomStringConvertible {
    /// The file is shorter than the 8-byte header length prefix or the header it announces.
    case truncatedHeader(fileSize: Int, needed: Int)
    /// The header length prefix is implausibly large.
    case headerTooLarge(Int)
    /// The JSON header is not valid or not the expected structure.
    case malformedHeader(String)
    /// A tensor's dtype is not F32 (the only dtype stored).
    case unsupportedDType(tensor: String, dtype: String)
    /// A tensor's byte range does not match its shape or lies outside the data.
    case badDataOffsets(tensor: String, detail: String)
    /// The data section is shorter than the header's offsets need.
    case shortData(tensor: String, needed: Int, available: Int)
    /// A tensor has a different shape than expected.
    case shapeMismatch(tensor: String, expected: [Int], found: [Int])
    /// A tensor holds values a model cannot use (NaN, infinity, a negative variance).
    case invalidValues(tensor: String, detail: String)
    /// An expected tensor is absent.
    case missingTensor(String)
    /// Tensors present in the file that the model does not have.
    case unexpectedTensors([String])
    /// The file could not be read or written.
    case io(String)

    /// A readable explanation.
    public var description: String {
        switch self {
        case let .truncatedHeader(size, needed): return "safetensors: file of \(size) bytes is truncated (header needs \(needed))"
        case let .headerTooLarge(n): return "safetensors: header length \(n) is too large"
        case let .malformedHeader(why): return "safetensors: malformed header: \(why)"
        case let .unsupportedDType(t, d): return "safetensors: tensor \(Untrusted.quote(t)) has dtype \(Untrusted.quote(d)); only F32 is supported"
        case let .badDataOffsets(t, d): return "safetensors: tensor \(Untrusted.quote(t)) has bad data_offsets: \(d)"
        case let .shortData(t, needed, available): return "safetensors: data too short for tensor \(Untrusted.quote(t)): needs \(needed) bytes, file has \(available)"
        case let .shapeMismatch(t, e, f): return "safetensors: tensor \(Untrusted.quote(t)) has shape \(f), expected \(e)"
        case let .invalidValues(t, d): return "safetensors: tensor \(Untrusted.quote(t)) has invalid values: \(d)"
        case let .missingTensor(t): return "safetensors: tensor \(Untrusted.quote(t)) is missing"
        case let .unexpectedTensors(ts): return "safetensors: unexpected tensors \(ts.prefix(5).map { Untrusted.quote($0) }.joined(separator: ", "))\(ts.count > 5 ? " and \(ts.count - 5) more" : "")"
        case let .io(why): return "safetensors: \(why)"
        }
    }
}
