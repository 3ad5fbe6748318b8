/// Text from a file or a command line, made safe to quote in a one-line error message.
///
/// Error messages quote at most ``limit`` characters of such text, with control characters, quotes and
/// backslashes escaped (`\n`, `\t`, `\u{0}`, `\"`, `\\`), so a hostile file name, field or header cannot
/// forge extra error lines or flood the terminal; the rest is summarised as "… (N more characters)".
public enum Untrusted {
    /// The most characters of untrusted text an error message quotes.
    public static let limit = 80

    /// `text` in double quotes, escaped and cut to `limit` characters.
    public static func quote(_ text: String, limit: Int = Untrusted.limit) -> String {
        "\"" + escape(text, limit: limit) + "\""
    }

    /// `text` escaped and cut to `limit` characters, without quotes.
    public static func escape(_ text: String, limit: Int = Untrusted.limit) -> String {
        var out = ""
        var taken = 0
        for scalar in text.unicodeScalars {
            guard taken < limit else {
                let rest = text.unicodeScalars.count - taken
                return out + "… (\(rest) more characters)"
            }
            taken += 1
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default:
                if isControl(scalar) { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// A whole message on one line: control characters (line breaks included) escaped as `\u{…}`, cut to
    /// `limit` characters — the last guard that a file name or a field cannot forge further lines.
    public static func oneLine(_ message: String, limit: Int = 2000) -> String {
        var out = ""
        var taken = 0
        for scalar in message.unicodeScalars {
            guard taken < limit else { return out + "… (cut)" }
            taken += 1
            if isControl(scalar) { out += "\\u{\(String(scalar.value, radix: 16))}" } else { out.unicodeScalars.append(scalar) }
        }
        return out
    }

    /// C0 and C1 controls, DEL and the Unicode line and paragraph separators: what could break a line.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
            || scalar.properties.generalCategory == .lineSeparator || scalar.properties.generalCategory == .paragraphSeparator
    }

    /// A path for an error message: the path itself when it is short and plain, else quoted and cut.
    public static func path(_ path: String) -> String {
        let plain = path.unicodeScalars.count <= 4 * limit && path.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F && $0.value < 0x80 || $0.value >= 0xA0 }
        return plain ? path : quote(path, limit: 4 * limit)
    }
}

/// Strict UTF-8 checks for text read from files.
public enum UTF8Validation {
    /// Whether `bytes` are valid UTF-8 (no invalid, overlong or surrogate sequences): decoding replaces
    /// nothing, so encoding again gives the same bytes.
    public static func isValid<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        if bytes.allSatisfy({ $0 < 0x80 }) { return true }
        return String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
    }
}
