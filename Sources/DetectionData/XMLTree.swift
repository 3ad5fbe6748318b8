import Foundation

/// A small, strict XML reader for annotation files: elements, text, attributes (kept), comments,
/// processing instructions, CDATA and the predefined and numeric entities. Anything malformed —
/// mismatched or unclosed tags, stray text after the root, bad entities — is an error, never a guess.
/// (Foundation's XMLDocument on Linux silently repairs broken files and prints libxml2 errors on stderr.)
struct XMLTree: Equatable {
    var name: String
    var attributes: [String: String] = [:]
    var children: [XMLTree] = []
    var text = ""

    struct ParseError: Error, CustomStringConvertible {
        var message: String
        var offset: Int
        var description: String { "\(message) at byte \(offset)" }
    }

    /// The first child element called `name`.
    func child(_ name: String) -> XMLTree? { children.first { $0.name == name } }
    /// Every child element called `name`.
    func children(_ name: String) -> [XMLTree] { children.filter { $0.name == name } }
    /// The trimmed text of the first child called `name`.
    func value(_ name: String) -> String? { child(name)?.text.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// Parses a document and returns its root element.
    static func parse(_ bytes: [UInt8]) throws -> XMLTree {
        var parser = Parser(bytes: bytes)
        return try parser.document()
    }

    private struct Parser {
        let bytes: [UInt8]
        var i = 0

        init(bytes: [UInt8]) {
            self.bytes = bytes
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i = 3 }  // UTF-8 byte order mark
        }

        func fail(_ message: String) -> ParseError { ParseError(message: message, offset: i) }

        mutating func document() throws -> XMLTree {
            try skipMisc()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "<") else { throw fail("expected a root element") }
            let root = try element()
            try skipMisc()
            guard i == bytes.count else { throw fail("content after the root element") }
            return root
        }

        /// Whitespace, comments, processing instructions and a DOCTYPE between elements.
        mutating func skipMisc() throws {
            while true {
                while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                if starts("<?") { try skip(past: "?>") } else if starts("<!--") { try skip(past: "-->") } else if starts("<!DOCTYPE") { try skip(past: ">") } else { return }
            }
        }

        mutating func element() throws -> XMLTree {
            i += 1  // "<"
            var node = XMLTree(name: try name())
            while true {
                while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                guard i < bytes.count else { throw fail("unterminated tag <\(node.name)>") }
                if starts("/>") { i += 2; return node }
                if bytes[i] == UInt8(ascii: ">") { i += 1; break }
                let key = try name()
                while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { throw fail("attribute \(key) without a value") }
                i += 1
                while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else { throw fail("unquoted attribute \(key)") }
                let quote = bytes[i]
                i += 1
                let start = i
                while i < bytes.count, bytes[i] != quote { i += 1 }
                guard i < bytes.count else { throw fail("unterminated attribute \(key)") }
                node.attributes[key] = try decodeEntities(Array(bytes[start..<i]))
                i += 1
            }
            var text: [UInt8] = []
            while true {
                guard i < bytes.count else { throw fail("element <\(node.name)> is not closed") }
                if starts("</") {
                    i += 2
                    let closing = try name()
                    guard closing == node.name else { throw fail("</\(closing)> closes <\(node.name)>") }
                    while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ">") else { throw fail("unterminated closing tag </\(closing)>") }
                    i += 1
                    node.text = try decodeEntities(text)
                    return node
                } else if starts("<!--") {
                    try skip(past: "-->")
                } else if starts("<![CDATA[") {
                    i += 9
                    let start = i
                    try skip(past: "]]>")
                    text += bytes[start..<(i - 3)]
                } else if starts("<?") {
                    try skip(past: "?>")
                } else if bytes[i] == UInt8(ascii: "<") {
                    node.children.append(try element())
                } else {
                    text.append(bytes[i])
                    i += 1
                }
            }
        }

        mutating func name() throws -> String {
            let start = i
            while i < bytes.count, !isSpace(bytes[i]), ![UInt8(ascii: ">"), UInt8(ascii: "/"), UInt8(ascii: "="), UInt8(ascii: "<")].contains(bytes[i]) {
                i += 1
            }
            guard i > start else { throw fail("expected a name") }
            return String(decoding: bytes[start..<i], as: UTF8.self)
        }

        func starts(_ prefix: String) -> Bool {
            let p = Array(prefix.utf8)
            return i + p.count <= bytes.count && Array(bytes[i..<(i + p.count)]) == p
        }

        mutating func skip(past terminator: String) throws {
            let t = Array(terminator.utf8)
            while i + t.count <= bytes.count {
                if Array(bytes[i..<(i + t.count)]) == t { i += t.count; return }
                i += 1
            }
            throw fail("missing \(terminator)")
        }

        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

        func decodeEntities(_ raw: [UInt8]) throws -> String {
            let text = String(decoding: raw, as: UTF8.self)
            guard text.contains("&") else { return text }
            var out = ""
            var rest = Substring(text)
            while let amp = rest.firstIndex(of: "&") {
                out += rest[..<amp]
                guard let semi = rest[amp...].firstIndex(of: ";") else { throw fail("unterminated entity") }
                let entity = rest[rest.index(after: amp)..<semi]
                switch entity {
                case "amp": out += "&"
                case "lt": out += "<"
                case "gt": out += ">"
                case "quot": out += "\""
                case "apos": out += "'"
                default:
                    let code = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16)
                        : entity.hasPrefix("#") ? UInt32(entity.dropFirst()) : nil
                    guard let code, let scalar = Unicode.Scalar(code) else { throw fail("unknown entity &\(entity);") }
                    out.unicodeScalars.append(scalar)
                }
                rest = rest[rest.index(after: semi)...]
            }
            return out + rest
        }
    }
}

