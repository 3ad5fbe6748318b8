import Support
import XCTest

/// ARFF tables and header-less CSV: values, missing values, quoting, and errors that name file and line.
final class ARFFTableTests: XCTestCase {
    func testAnARFFFileReadsAsATable() throws {
        let text = """
            % a comment
            @RELATION activity
            @attribute "UNIQUE_ID" numeric
            @attribute 'user'
            @attribute x REAL
            @attribute class {Walking, 'Jogging fast'}

            @data
            1, 33, 0.5, Walking
            2,34,?,'Jogging fast'
            3, 35, -1e-3, "Walking"
            """
        let (table, attributes) = try ARFFTable.parse(text, path: "t.arff")
        XCTAssertEqual(table.columns, ["UNIQUE_ID", "user", "x", "class"])
        XCTAssertEqual(attributes.map(\.type), ["numeric", "", "real", "{Walking, 'Jogging fast'}"])
        XCTAssertEqual(table.rows, [["1", "33", "0.5", "Walking"], ["2", "34", "", "Jogging fast"], ["3", "35", "-1e-3", "Walking"]])
        XCTAssertEqual(table.lines, [9, 10, 11])
        XCTAssertEqual(try table.number(row: 2, column: 2), -1e-3)
        XCTAssertThrowsError(try table.number(row: 1, column: 2)) { XCTAssertTrue("\($0)".contains("t.arff:10") && "\($0)".contains("missing"), "\($0)") }
    }

    func testBadARFFFilesNameTheFileAndLine() {
        let cases: [(String, String)] = [
            ("@attribute a numeric\n@data\n1,2\n", "t.arff:3"),
            ("@attribute a numeric\n@attribute a numeric\n@data\n1\n", "t.arff:2"),
            ("@relation r\n1,2\n", "t.arff:2"),
            ("@attribute a numeric\n@data\n{0 1}\n", "sparse"),
            ("@attribute a numeric\n@data\n'open\n", "not closed"),
            ("@attribute a numeric\n", "no @data"),
            ("@attribute a numeric\n@data\n", "no data rows"),
            ("@data\n1\n", "before any @attribute"),
            ("@attribute 'a numeric\n@data\n1\n", "quote"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try ARFFTable.parse(text, path: "t.arff"), text) { XCTAssertTrue("\($0)".contains(expected), "\(text): \($0)") }
        }
    }

    func testCSVWithoutAHeaderNamesColumnsByPosition() throws {
        let table = try CSVTable.parse("7.4,0.7,5\n7.8,0.88,6\n", path: "w.csv", header: false)
        XCTAssertEqual(table.columns, ["1", "2", "3"])
        XCTAssertEqual(table.rows.count, 2)
        XCTAssertEqual(table.lines, [1, 2])
        XCTAssertThrowsError(try CSVTable.parse("1,2\n3\n", path: "w.csv", header: false)) { XCTAssertTrue("\($0)".contains("w.csv:2"), "\($0)") }
        XCTAssertThrowsError(try CSVTable.parse("\n", path: "w.csv", header: false)) { XCTAssertTrue("\($0)".contains("no rows"), "\($0)") }
    }
}
