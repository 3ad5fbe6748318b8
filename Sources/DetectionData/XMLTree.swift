import Foundation
import Support

/// A small, strict XML reader for annotation files: elements, text, attributes (kept), comments,
/// processing instructions, CDATA and the predefined and numeric entities. Anything malformed —
/// mismatched or unclosed tags, stray text after the root, bad entities — is an error, never a guess.
/// (Foundation's XMLDocument on Linux silently repairs broken files and prints libxml2 errors on stderr.)
struct XMLTree: Equatable {
    var name: String
    var attributes: [String: String] = [:]
    var children: [XMLTree] = []
    var text = ""
    /// Set only while parsing, for a `<tag/>` element.
    fileprivate var selfClosing = false

    /// The deepest nesting of elements a document may have (annotation files need about 4).
    static let maximumDepth = 256
    /// The largest document read, bytes.
    static let maximumSize = 64 << 20

    fileprivate func with(selfClosing: Bool) -> XMLTree {
        var copy = self
        copy.selfClosing = selfClosing
        return copy
    }

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

    /// Parses a document and returns its root element. The bytes must be UTF-8 without NUL (XML allows
    /// neither invalid encodings nor U+0000) and at most ``maximumSize`` long.
    static func parse(_ bytes: [UInt8]) throws -> XMLTree {
        guard bytes.count <= maximumSize else { throw ParseError(message: "document of \(bytes.count) bytes is larger than \(maximumSize)", offset: 0) }
        if let nul = bytes.firstIndex(of: 0) { throw ParseError(message: "NUL byte in the document", offset: nul) }
        guard UTF8Validation.isValid(bytes) else {
            throw ParseError(message: "not valid UTF-8", offset: firstInvalidUTF8(bytes))
        }
        var parser = Parser(bytes: bytes)
        return try parser.document()
    }

    /// The offset of the first byte that breaks UTF-8 (a conservative scan: the start of the bad sequence).
    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            guard length > 0, i + length <= bytes.count, UTF8Validation.isValid(bytes[i..<(i + length)]) else { return i }
            i += length
        }
        return i
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

        /// The element that starts at `i` (on its "<"), read with an explicit stack of open elements, so
        /// nesting costs heap, not call stack; deeper than ``XMLTree/maximumDepth`` is an error.
        mutating func element() throws -> XMLTree {
            var open: [(node: XMLTree, raw: [UInt8], text: String)] = []
            // Reads a start tag; returns the node, or nil after a self-closing one (already appended).
            func startTag(_ parser: inout Parser) throws -> XMLTree? {
                parser.i += 1  // "<"
                var node = XMLTree(name: try parser.name())
                while true {
                    while parser.i < parser.bytes.count, parser.isSpace(parser.bytes[parser.i]) { parser.i += 1 }
                    guard parser.i < parser.bytes.count else { throw parser.fail("unterminated tag <\(Untrusted.escape(node.name))>") }
                    if parser.starts("/>") { parser.i += 2; return node.with(selfClosing: true) }
                    if parser.bytes[parser.i] == UInt8(ascii: ">") { parser.i += 1; return node }
                    let key = try parser.name()
                    while parser.i < parser.bytes.count, parser.isSpace(parser.bytes[parser.i]) { parser.i += 1 }
                    guard parser.i < parser.bytes.count, parser.bytes[parser.i] == UInt8(ascii: "=") else {
                        throw parser.fail("attribute \(Untrusted.escape(key)) without a value")
                    }
                    parser.i += 1
                    while parser.i < parser.bytes.count, parser.isSpace(parser.bytes[parser.i]) { parser.i += 1 }
                    guard parser.i < parser.bytes.count, parser.bytes[parser.i] == UInt8(ascii: "\"") || parser.bytes[parser.i] == UInt8(ascii: "'") else {
                        throw parser.fail("unquoted attribute \(Untrusted.escape(key))")
                    }
                    let quote = parser.bytes[parser.i]
                    parser.i += 1
                    let start = parser.i
                    while parser.i < parser.bytes.count, parser.bytes[parser.i] != quote { parser.i += 1 }
                    guard parser.i < parser.bytes.count else { throw parser.fail("unterminated attribute \(Untrusted.escape(key))") }
                    node.attributes[key] = try parser.decodeEntities(Array(parser.bytes[start..<parser.i]))
                    parser.i += 1
                }
            }
            func push(_ node: XMLTree, _ parser: Parser) throws -> XMLTree? {
                if node.selfClosing {
                    var done = node
                    done.selfClosing = false
                    return done
                }
                guard open.count < XMLTree.maximumDepth else { throw parser.fail("elements nested deeper than \(XMLTree.maximumDepth)") }
                open.append((node, [], ""))
                return nil
            }
            // The root.
            if let closed = try push(try startTag(&self)!, self) { return closed }
            while true {
                guard i < bytes.count else { throw fail("element <\(Untrusted.escape(open.last!.node.name))> is not closed") }
                if starts("</") {
                    i += 2
                    let closing = try name()
                    let current = open.last!.node.name
                    guard closing == current else { throw fail("</\(Untrusted.escape(closing))> closes <\(Untrusted.escape(current))>") }
                    while i < bytes.count, isSpace(bytes[i]) { i += 1 }
                    guard i < bytes.count, bytes[i] == UInt8(ascii: ">") else { throw fail("unterminated closing tag </\(Untrusted.escape(closing))>") }
                    i += 1
                    var (node, raw, text) = open.removeLast()
                    node.text = text + (try decodeEntities(raw))
                    if open.isEmpty { return node }
                    open[open.count - 1].node.children.append(node)
                } else if starts("<!--") {
                    try skip(past: "-->")
                } else if starts("<![CDATA[") {
                    i += 9
                    let start = i
                    try skip(past: "]]>")
                    // CDATA is literal: decode the text before it, then append it verbatim.
                    let pending = try decodeEntities(open[open.count - 1].raw)
                    open[open.count - 1].text += pending + String(decoding: bytes[start..<(i - 3)], as: UTF8.self)
                    open[open.count - 1].raw = []
                } else if starts("<?") {
                    try skip(past: "?>")
                } else if bytes[i] == UInt8(ascii: "<") {
                    if let closed = try push(try startTag(&self)!, self) { open[open.count - 1].node.children.append(closed) }
                } else {
                    open[open.count - 1].raw.append(bytes[i])
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

        func starts(_ prefix: String) -> Bool { matches(prefix.utf8, at: i) }

        /// Whether `pattern` stands at `offset` (compared in place, no copies).
        func matches(_ pattern: String.UTF8View, at offset: Int) -> Bool {
            guard offset + pattern.count <= bytes.count else { return false }
            var k = offset
            for b in pattern {
                guard bytes[k] == b else { return false }
                k += 1
            }
            return true
        }

        mutating func skip(past terminator: String) throws {
            let t = terminator.utf8
            guard let first = t.first else { return }
            while i + t.count <= bytes.count {
                if bytes[i] == first && matches(t, at: i) { i += t.count; return }
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
                    guard let code, code != 0, let scalar = Unicode.Scalar(code) else { throw fail("unknown entity &\(Untrusted.escape(String(entity)));") }
                    out.unicodeScalars.append(scalar)
                }
                rest = rest[rest.index(after: semi)...]
            }
            return out + rest
        }
    }
}

