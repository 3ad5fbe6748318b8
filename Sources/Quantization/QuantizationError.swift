/// An invalid quantizer setting or a malformed quantized file; the description is one line.
public struct QuantizationError: Error, CustomStringConvertible, Equatable, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
