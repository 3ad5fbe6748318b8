/// How to build a train-face quantizer: an ``InputRepresentation`` at a bit width with its parameters.
/// Stored in detector checkpoints as JSON (`name`, `bits`, `gammas`, `whiteBalance`, `cameraToSRGB`).
public struct QuantizerDescription: Codable, Sendable, Equatable {
    /// The representation (its raw value is the stored `name`).
    public var name: InputRepresentation
    public var bits: Int
    /// Fixed γ (`gamma`) or initial γ (learnable); one or three values.
    public var gammas: [Float]?
    /// `isp`: camera white-balance gains R, G, B.
    public var whiteBalance: [Float]?
    /// `isp`: camera RGB → linear sRGB, 3×3 row-major.
    public var cameraToSRGB: [Float]?

    public init(_ representation: InputRepresentation, bits: Int, gammas: [Float]? = nil) throws {
        self.name = representation
        self.bits = bits
        self.gammas = gammas
        try validate()
    }

    /// Checks what a file may have stored: bits 1...8, γ one or three positive finite values (at most 100),
    /// ISP gains three and its matrix nine finite values.
    public func validate() throws {
        guard (1...8).contains(bits) else { throw QuantizerDescriptionError("bits must be in 1...8, got \(bits)") }
        if let gammas, !(gammas.count == 1 || gammas.count == 3) || !gammas.allSatisfy({ $0 > 0 && $0 <= 100 && $0.isFinite }) {
            throw QuantizerDescriptionError("γ needs 1 or 3 positive values")
        }
        if let whiteBalance, whiteBalance.count != 3 || !whiteBalance.allSatisfy(\.isFinite) {
            throw QuantizerDescriptionError("isp needs 3 finite white-balance gains")
        }
        if let cameraToSRGB, cameraToSRGB.count != 9 || !cameraToSRGB.allSatisfy(\.isFinite) {
            throw QuantizerDescriptionError("isp needs a 3×3 matrix of finite values")
        }
    }

    /// The ISP baseline with a camera's white balance and colour matrix.
    public static func isp(whiteBalance: [Float], cameraToSRGB: [Float]) throws -> QuantizerDescription {
        var description = try QuantizerDescription(.isp, bits: 8)
        description.whiteBalance = whiteBalance
        description.cameraToSRGB = cameraToSRGB
        try description.validate()
        return description
    }

    /// A fresh quantizer of this description.
    public func makeQuantizer() -> InputQuantizer {
        name.makeTrainFace(bits: bits, gammas: gammas, whiteBalance: whiteBalance, cameraToSRGB: cameraToSRGB)
    }

    /// Whether the quantizer has trainable parameters.
    public var isLearnable: Bool { name.isLearnable }
}

/// An invalid quantizer description.
public struct QuantizerDescriptionError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
