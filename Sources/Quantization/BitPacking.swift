/// N-bit codes packed into a continuous little-endian bit stream.
///
/// Code i occupies stream bits [i·N, (i+1)·N); stream bit b is bit (b mod 8) of byte ⌊b/8⌋, so the
/// first code sits in the low bits of the first byte (for N = 4: pixel 0 in the low nibble).
/// The payload has exactly ⌈count·N/8⌉ bytes; unused high bits of the last byte are zero.
public enum BitPacking {
    /// Bytes needed for `count` codes of `bits` bits.
    @inlinable public static func byteCount(codes count: Int, bits: Int) -> Int { (count * bits + 7) / 8 }

    /// Packs codes (each < 2^bits) into a payload.
    public static func pack(_ codes: [UInt8], bits: Int) -> [UInt8] {
        precondition((1...8).contains(bits), "BitPacking.pack: bits \(bits) outside 1...8")
        var out = [UInt8](repeating: 0, count: byteCount(codes: codes.count, bits: bits))
        let mask = UInt64((1 << bits) - 1)
        out.withUnsafeMutableBufferPointer { dst in
            var writer = BitWriter(destination: dst.baseAddress!)
            for code in codes { writer.append(UInt64(code) & mask, bits: bits) }
            writer.flush()
        }
        return out
    }

    /// Unpacks `count` codes from a payload.
    public static func unpack(_ payload: [UInt8], count: Int, bits: Int) -> [UInt8] {
        precondition((1...8).contains(bits), "BitPacking.unpack: bits \(bits) outside 1...8")
        precondition(payload.count >= byteCount(codes: count, bits: bits), "BitPacking.unpack: payload too short")
        var codes = [UInt8](repeating: 0, count: count)
        let mask = UInt64((1 << bits) - 1)
        payload.withUnsafeBufferPointer { src in
            codes.withUnsafeMutableBufferPointer { dst in
                var accumulator: UInt64 = 0
                var available = 0
                var next = 0
                for i in 0..<count {
                    if available < bits {
                        accumulator |= UInt64(src[next]) << available
                        next += 1
                        available += 8
                    }
                    dst[i] = UInt8(accumulator & mask)
                    accumulator >>= UInt64(bits)
                    available -= bits
                }
            }
        }
        return codes
    }
}

/// Appends codes to a little-endian bit stream through a 64-bit accumulator, storing 32 bits at a time.
@usableFromInline struct BitWriter {
    @usableFromInline var pointer: UnsafeMutablePointer<UInt8>
    @usableFromInline var accumulator: UInt64 = 0
    @usableFromInline var count = 0

    @inlinable init(destination: UnsafeMutablePointer<UInt8>) { pointer = destination }

    /// Appends the low `bits` bits of `value` (higher bits must be zero).
    @inlinable @inline(__always) mutating func append(_ value: UInt64, bits: Int) {
        accumulator |= value << UInt64(count)
        count += bits
        if count >= 32 {
            UnsafeMutableRawPointer(pointer).storeBytes(of: UInt32(truncatingIfNeeded: accumulator).littleEndian, as: UInt32.self)
            pointer += 4
            accumulator >>= 32
            count -= 32
        }
    }

    /// Writes the remaining whole and partial bytes.
    @inlinable mutating func flush() {
        while count > 0 {
            pointer.pointee = UInt8(truncatingIfNeeded: accumulator)
            pointer += 1
            accumulator >>= 8
            count -= 8
        }
        count = 0
    }
}
