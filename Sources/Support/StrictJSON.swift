/// A strict RFC 8259 syntax check for JSON read from files, run before decoding.
///
/// Foundation's decoders are lenient in places (trailing commas, comments, some JSON5) and recurse on
/// nesting; this check refuses anything that is not plain JSON: invalid UTF-8, NUL or other control
/// characters in strings, trailing commas, comments, bare words other than true/false/null, leading zeros,
/// NaN/Infinity, and nesting deeper than ``maximumDepth``. It scans iteratively (no recursion).
public enum StrictJSON {
    /// The deepest nesting of arrays and objects accepted.
    public static let maximumDepth = 512

    /// Why a document is not strict JSON: what and at which byte.
    public struct SyntaxError: Error, CustomStringConvertible, Equatable {
        public var message: String
        public var offset: Int
        public var description: String { "\(message) at byte \(offset)" }
    }

    /// Checks `bytes`; throws a ``SyntaxError`` at the first violation.
    public static func validate(_ bytes: [UInt8]) throws {
        guard UTF8Validation.isValid(bytes) else { throw SyntaxError(message: "not valid UTF-8", offset: 0) }
        var i = 0
        func fail(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: i) }
        func skipSpace() { while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 } }
        func string() throws {
            i += 1  // opening quote
            while true {
                guard i < bytes.count else { throw fail("unterminated string") }
                let b = bytes[i]
                if b == UInt8(ascii: "\"") { i += 1; return }
                if b < 0x20 { throw fail(b == 0 ? "NUL in a string" : "control character in a string") }
                if b == UInt8(ascii: "\\") {
                    i += 1
                    guard i < bytes.count else { throw fail("unterminated escape") }
                    switch bytes[i] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                         UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        i += 1
                    case UInt8(ascii: "u"):
                        guard i + 4 < bytes.count, bytes[(i + 1)...(i + 4)].allSatisfy({ isHex($0) }) else { throw fail("bad \\u escape") }
                        let code = bytes[(i + 1)...(i + 4)].reduce(0) { $0 * 16 + hexValue($1) }
                        if code == 0 { throw fail("NUL in a string") }
                        i += 5
                    default: throw fail("bad escape")
                    }
                    continue
                }
                i += 1
            }
        }
        func number() throws {
            if bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw fail("bad number") }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
                if i < bytes.count, isDigit(bytes[i]) { throw fail("leading zero in a number") }
            } else {
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
                i += 1
                guard i < bytes.count, isDigit(bytes[i]) else { throw fail("bad fraction") }
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            }
            if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
                i += 1
                if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
                guard i < bytes.count, isDigit(bytes[i]) else { throw fail("bad exponent") }
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            }
        }
        func literal(_ word: String) throws {
            let w = Array(word.utf8)
            guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw fail("unexpected character") }
            i += w.count
        }
        // Containers open: true = object, false = array. After a value, the next token must be , or the closer.
        var stack: [Bool] = []
        var expectValue = true, afterComma = false
        skipSpace()
        while true {
            skipSpace()
            guard i < bytes.count else {
                if stack.isEmpty && !expectValue { return }
                throw fail("unexpected end of document")
            }
            let b = bytes[i]
            if expectValue {
                let inObject = stack.last == true
                if inObject && !afterComma && b == UInt8(ascii: "}") { stack.removeLast(); i += 1; expectValue = false; continue }
                if !inObject && !afterComma && b == UInt8(ascii: "]") && !stack.isEmpty { stack.removeLast(); i += 1; expectValue = false; continue }
                if inObject {
                    guard b == UInt8(ascii: "\"") else { throw fail(afterComma ? "trailing comma or missing key" : "expected a key") }
                    try string()
                    skipSpace()
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':'") }
                    i += 1
                    skipSpace()
                    guard i < bytes.count else { throw fail("unexpected end of document") }
                }
                let v = bytes[i], followsComma = afterComma
                afterComma = false
                switch v {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard stack.count < maximumDepth else { throw fail("nested deeper than \(maximumDepth)") }
                    stack.append(v == UInt8(ascii: "{"))
                    i += 1
                    // An empty container closes at once.
                    skipSpace()
                    if i < bytes.count, bytes[i] == (v == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                        stack.removeLast(); i += 1; expectValue = false
                    } else if stack.last == true {
                        // Next loop reads the first key (with expectValue still true).
                        afterComma = true
                        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a key") }
                    }
                    continue
                case UInt8(ascii: "\""): try string()
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
                case UInt8(ascii: "t"): try literal("true")
                case UInt8(ascii: "f"): try literal("false")
                case UInt8(ascii: "n"): try literal("null")
                default: throw fail(followsComma ? "trailing comma" : "unexpected character")
                }
                expectValue = false
            } else {
                guard let inObject = stack.last else { throw fail("content after the document") }
                if b == UInt8(ascii: ",") { i += 1; expectValue = true; afterComma = true; continue }
                if b == (inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) { stack.removeLast(); i += 1; continue }
                throw fail("expected ',' or '\(inObject ? "}" : "]")'")
            }
        }
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    private static func isHex(_ b: UInt8) -> Bool {
        isDigit(b) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(b) || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(b)
    }
    private static func hexValue(_ b: UInt8) -> Int {
        isDigit(b) ? Int(b - UInt8(ascii: "0")) : Int((b | 0x20) - UInt8(ascii: "a")) + 10
    }
}
