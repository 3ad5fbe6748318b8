import Foundation
import Support
import XCTest

final class CSVWriterTests: XCTestCase {
    func testFieldsThatNeedQuotesAreQuotedAndReadBackExactly() throws {
        let columns = ["plain", "with, comma", "say \"hi\""]
        let rows = [["1", "a,b", "\"q\""], ["x y", " padded ", "line\nbreak"], ["", "-2.5e-3", "RGGB"]]
        let text = CSVWriter.text(columns: columns, rows: rows)
        XCTAssertTrue(text.hasPrefix("plain,\"with, comma\",\"say \"\"hi\"\"\"\n"), text)
        XCTAssertEqual(CSVWriter.field("0.125"), "0.125", "plain fields are written as they are")
        // The reader does not span lines inside quotes, so compare the rows without the line break.
        let single = CSVWriter.text(columns: columns, rows: Array(rows.prefix(1)) + [rows[2]])
        let table = try CSVTable.parse(single, path: "t.csv")
        XCTAssertEqual(table.columns, columns)
        XCTAssertEqual(table.rows, [rows[0], rows[2]])
    }

    func testNumbersRoundTrip() throws {
        let values: [[Double]] = [[0.1, 1e-300, -7], [Double.pi, 12345.678, 0]]
        let table = try CSVTable.parse(CSVWriter.text(columns: ["a", "b", "c"], numbers: values), path: "n.csv")
        for (r, row) in values.enumerated() {
            for (c, value) in row.enumerated() { XCTAssertEqual(try table.number(row: r, column: c), value) }
        }
    }
}

final class SeededRandomTests: XCTestCase {
    /// The published first SplitMix64 outputs for seed 1234567 drive the standard library's generators too.
    func testIsARandomNumberGeneratorWithTheSameStream() {
        var a = SeededRandom(seed: 1_234_567), b = SeededRandom(seed: 1_234_567)
        XCTAssertEqual(a.next(), 6_457_827_717_110_365_317)
        XCTAssertEqual(a.next(), 3_203_168_211_198_807_973)
        _ = b.nextUInt64()
        XCTAssertEqual(UInt64.random(in: 0...UInt64.max, using: &b), 3_203_168_211_198_807_973)
    }

    func testShuffleIsFisherYatesWithEitherIndexing() {
        for indexing in [ShuffleIndexing.multiplyShift, .modulo] {
            var random = SeededRandom(seed: 9), reference = SeededRandom(seed: 9)
            var order = Array(0..<50), expected = Array(0..<50)
            random.shuffle(&order, indexing: indexing)
            for i in stride(from: 49, to: 0, by: -1) {
                let j = indexing == .modulo ? Int(reference.nextUInt64() % UInt64(i + 1)) : reference.nextInt(below: i + 1)
                expected.swapAt(i, j)
            }
            XCTAssertEqual(order, expected)
            XCTAssertEqual(order.sorted(), Array(0..<50))
            XCTAssertNotEqual(order, Array(0..<50))
        }
        var random = SeededRandom(seed: 1), one = [7]
        random.shuffle(&one)
        XCTAssertEqual(one, [7])
    }
}

final class FileErrorTests: XCTestCase {
    func testDescriptionNamesFileLineAndColumn() {
        XCTAssertEqual(FileError(path: "a.csv", "no rows").description, "a.csv: no rows")
        XCTAssertEqual(FileError(path: "a.csv", line: 3, column: "b", "missing value").description, "a.csv:3 column \"b\": missing value")
        let renamed = FileError(path: ".a.staged", line: 2, "bad").naming("a.csv") as? FileError
        XCTAssertEqual(renamed, FileError(path: "a.csv", line: 2, "bad"))
    }
}

final class StrictJSONTests: XCTestCase {
    func testAcceptsPlainJSON() throws {
        for text in ["{}", "[]", " {\"a\": [1, -2.5e+3, 0, 0.25, true, false, null, \"x\\n\\u00e9\"], \"b\": {\"c\": []}} ", "7", "\"s\"",
                     "[[[]], {}]"] {
            XCTAssertNoThrow(try StrictJSON.validate(Array(text.utf8)), text)
        }
    }

    func testRefusesWhatLenientParsersAccept() {
        let bad = ["[1,]", "{\"a\": 1,}", "{,}", "[,1]", "// c\n{}", "{\"a\" 1}", "[01]", "[1.]", "[NaN]", "[Infinity]", "{a: 1}",
                   "[\"\\u0000\"]", "[\"a\u{1}b\"]", "[1] [2]", "", "[", "{\"a\":}", "[tru]", "[\"\\x\"]", "[-]", "[1e]"]
        for text in bad {
            XCTAssertThrowsError(try StrictJSON.validate(Array(text.utf8)), text)
        }
        XCTAssertThrowsError(try StrictJSON.validate([0x5B, 0x22, 0xFF, 0x22, 0x5D]), "invalid UTF-8")
        XCTAssertThrowsError(try StrictJSON.validate(Array(String(repeating: "[", count: 600).utf8) + Array(String(repeating: "]", count: 600).utf8)))
        XCTAssertNoThrow(try StrictJSON.validate(Array(String(repeating: "[", count: 500).utf8) + Array(String(repeating: "]", count: 500).utf8)))
    }
}

final class UntrustedTests: XCTestCase {
    func testQuotesEscapeAndCut() {
        XCTAssertEqual(Untrusted.quote("a\nb\"c\u{0}"), "\"a\\nb\\\"c\\u{0}\"")
        let long = String(repeating: "x", count: 1000)
        XCTAssertEqual(Untrusted.quote(long), "\"" + String(repeating: "x", count: 80) + "… (920 more characters)\"")
        XCTAssertEqual(Untrusted.path("/tmp/a b.dng"), "/tmp/a b.dng")
        XCTAssertEqual(Untrusted.path("/tmp/a\nrawquant: error: forged"), "\"/tmp/a\\nrawquant: error: forged\"")
    }

    func testCheckedSizes() {
        XCTAssertEqual(CheckedSize.product([3, 4, 5]), 60)
        XCTAssertNil(CheckedSize.product([Int(1e14), Int(1e14)]))
        XCTAssertNil(CheckedSize.product([2, -1]))
        XCTAssertNil(CheckedSize.sum(Int.max, 1))
        XCTAssertNil(CheckedSize.int(1e30))
        XCTAssertNil(CheckedSize.int(.nan))
        XCTAssertEqual(CheckedSize.int(-2.7), -2)
    }
}

final class OneLineTests: XCTestCase {
    func testLineBreaksCannotForgeLines() {
        XCTAssertEqual(Untrusted.oneLine("a\nrawquant: error: forged\rb\t\"c\""), "a\\u{a}rawquant: error: forged\\u{d}b\\u{9}\"c\"")
        XCTAssertEqual(Untrusted.oneLine(String(repeating: "é", count: 3000)).count, 2000 + "… (cut)".count)
    }
}
