import Foundation

/// The container shared by RawQuant's code files (`.rqm` mosaics, `.rqf` feature rows): a magic, a
/// version, a JSON header, a payload and a checksum.
///
/// Layout (all integers little-endian):
///
/// | offset | size | field |
/// |---|---|---|
/// | 0 | 4 | magic (ASCII, e.g. `RQM1`) |
/// | 4 | 2 | format version |
/// | 6 | 2 | reserved, 0 |
/// | 8 | 4 | header length H in bytes |
/// | 12 | H | header: UTF-8 JSON |
/// | 12+H | 8 | payload length P in bytes |
/// | 20+H | P | payload |
/// | 20+H+P | 4 | CRC-32 (IEEE) of every preceding byte |
public enum FramedFile {
    /// The file's bytes.
    public static func encode(magic: [UInt8], version: UInt16, header json: [UInt8], payload: [UInt8]) -> [UInt8] {
        precondition(magic.count == 4, "FramedFile: the magic is 4 bytes")
        var out = magic
        out.reserveCapacity(24 + json.count + payload.count)
        out += withUnsafeBytes(of: version.littleEndian, Array.init)
        out += [0, 0]
        out += withUnsafeBytes(of: UInt32(json.count).littleEndian, Array.init)
        out += json
        out += withUnsafeBytes(of: UInt64(payload.count).littleEndian, Array.init)
        out += payload
        let crc = CRC32.checksum(out)
        out += withUnsafeBytes(of: crc.littleEndian, Array.init)
        return out
    }

    /// Splits and verifies a file's bytes (magic, version, lengths, checksum); `kind` names the format in errors.
    public static func decode(_ bytes: [UInt8], magic: [UInt8], version: UInt16, kind: String) throws -> (header: Data, payload: [UInt8]) {
        guard bytes.count >= 24 else { throw QuantizationError("truncated: \(bytes.count) bytes is shorter than any \(kind) file") }
        guard Array(bytes[0..<4]) == magic else { throw QuantizationError("not a RawQuant \(kind) file (bad magic)") }
        let fileVersion = readInteger(bytes, at: 4, as: UInt16.self)
        guard fileVersion == version else { throw QuantizationError("unsupported \(kind) version \(fileVersion) (this reader knows \(version))") }
        let headerLength = Int(readInteger(bytes, at: 8, as: UInt32.self))
        guard headerLength <= bytes.count - 24 else { throw QuantizationError("truncated: header length \(headerLength) runs past the end") }
        let payloadLengthOffset = 12 + headerLength
        let payloadLength = readInteger(bytes, at: payloadLengthOffset, as: UInt64.self)
        let payloadStart = payloadLengthOffset + 8
        guard payloadLength <= UInt64(bytes.count - payloadStart - 4) else {
            throw QuantizationError("truncated: payload of \(payloadLength) bytes runs past the end")
        }
        let end = payloadStart + Int(payloadLength)
        guard end + 4 == bytes.count else { throw QuantizationError("\(bytes.count - end - 4) unexpected bytes after the payload") }
        let stored = readInteger(bytes, at: end, as: UInt32.self)
        let actual = bytes.withUnsafeBytes { CRC32.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<end])) }
        guard stored == actual else { throw QuantizationError("checksum mismatch: file is corrupt") }
        return (Data(bytes[12..<payloadLengthOffset]), Array(bytes[payloadStart..<end]))
    }

    private static func readInteger<T: FixedWidthInteger>(_ bytes: [UInt8], at offset: Int, as: T.Type) -> T {
        var value: T = 0
        for i in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + i]) << (8 * i) }
        return value
    }
}
