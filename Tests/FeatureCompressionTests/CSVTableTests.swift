import Foundation
import FeatureCompression
import XCTest
import Support

final class CSVTableTests: XCTestCase {
    func testParsesQuotesCRLFAndBlankLines() throws {
        let text = "a,\"b, quoted\",label\r\n1, 2.5 ,x\r\n\r\n-3,\"4e2\",\"y \"\"z\"\"\"\r\n"
        let table = try CSVTable.parse(text, path: "t.csv")
        XCTAssertEqual(table.columns, ["a", "b, quoted", "label"])
        XCTAssertEqual(table.rows, [["1", "2.5", "x"], ["-3", "4e2", "y \"z\""]])
        XCTAssertEqual(table.lines, [2, 4])
        let data = try TabularDataset.load(table, target: "label")
        XCTAssertEqual(data.task, .classification)
        XCTAssertEqual(data.classLabels, ["x", "y \"z\""])
        XCTAssertEqual(data.features, [[1, 2.5], [-3, 400]])
        XCTAssertEqual(data.targets, [0, 1])
    }

    func testNumericTargetIsRegressionUnlessAsked() throws {
        let table = try CSVTable.parse("x,y\n1,10\n2,5\n3,10\n", path: "t.csv")
        XCTAssertEqual(try TabularDataset.load(table, target: "y").task, .regression)
        let classes = try TabularDataset.load(table, target: "y", task: .classification)
        XCTAssertEqual(classes.classLabels, ["5", "10"], "numeric labels in numeric order")
        XCTAssertEqual(classes.targets, [1, 0, 1])
    }

    /// The paper's handling of real tables: categorical columns left out (numeric only), rows with missing values
    /// left out and counted; without the options both are errors naming line and column.
    func testNumericOnlyAndDroppingRowsWithMissingValues() throws {
        let table = try CSVTable.parse("lon,rooms,ocean,value\n-122.2,880,NEAR BAY,452600\n-122.3,,INLAND,358500\n-121.9,7099,,352100\n", path: "h.csv")
        XCTAssertThrowsError(try TabularDataset.load(table, target: "value")) { XCTAssertTrue("\($0)".contains("h.csv:2") && "\($0)".contains("ocean"), "\($0)") }
        let numeric = try TabularDataset.load(table, target: "value", options: TableLoadOptions(numericOnly: true, dropMissingRows: true))
        XCTAssertEqual(numeric.featureNames, ["lon", "rooms"])
        XCTAssertEqual(numeric.droppedColumns, ["ocean"])
        XCTAssertEqual(numeric.droppedRows, 1, "only the row missing a kept feature")
        XCTAssertEqual(numeric.features, [[-122.2, 880], [-121.9, 7099]])
        XCTAssertEqual(numeric.targets, [452600, 352100])
        XCTAssertThrowsError(try TabularDataset.load(table, target: "value", options: TableLoadOptions(numericOnly: true))) {
            XCTAssertTrue("\($0)".contains("h.csv:3") && "\($0)".contains("missing"), "\($0)")
        }
    }

    /// An ARFF file by its extension, and a header-less CSV by position, through `FeatureJobs.load`.
    func testFeatureJobsReadARFFAndHeaderlessCSV() throws {
        let directory = NSTemporaryDirectory() + "arff-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "@relation r\n@attribute x numeric\n@attribute y numeric\n@attribute class {a,b}\n@data\n1,2,a\n3,?,b\n5,6,b\n".write(toFile: directory + "/t.ARFF", atomically: true, encoding: .utf8)
        let arff = try FeatureJobs.load(path: directory + "/t.ARFF", target: "class", options: TableLoadOptions(dropMissingRows: true))
        XCTAssertEqual(arff.task, .classification)
        XCTAssertEqual(arff.features, [[1, 2], [5, 6]])
        XCTAssertEqual(arff.droppedRows, 1)
        try "1,2,10\n3,4,20\n5,6,30\n".write(toFile: directory + "/w.csv", atomically: true, encoding: .utf8)
        let csv = try FeatureJobs.load(path: directory + "/w.csv", target: "3", options: TableLoadOptions(header: false))
        XCTAssertEqual(csv.featureNames, ["1", "2"])
        XCTAssertEqual(csv.targets, [10, 20, 30])
    }

    func testErrorsNameTheFileLineAndColumn() {
        func message(_ text: String, target: String = "y") -> String {
            do {
                _ = try TabularDataset.load(try CSVTable.parse(text, path: "data.csv"), target: target)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        XCTAssertEqual(message("x,y\n1,2\n,3\n"), "data.csv:3 column \"x\": missing value")
        XCTAssertEqual(message("x,y\n1,2\nabc,3\n"), "data.csv:3 column \"x\": \"abc\" is not a number")
        XCTAssertEqual(message("x,y\n1,2\n4,nan\n"), "data.csv:3 column \"y\": \"nan\" is not a finite number")
        XCTAssertEqual(message("x,y\n1,2\n4,\n"), "data.csv:3 column \"y\": missing value")
        // One text among numeric targets is an error, not a silent switch to classification (issue 13).
        let mixed = "x,y\n" + (1...30).map { "\($0),\($0 * 2)" }.joined(separator: "\n") + "\n31,oops\n"
        XCTAssertEqual(message(mixed), "data.csv:32 column \"y\": \"oops\" is not a number, but 30 of 31 target values are; "
                       + "fix the value or choose the task (--task regression or classification)")
        XCTAssertEqual(try TabularDataset.load(try CSVTable.parse(mixed, path: "data.csv"), target: "y", task: .classification).task, .classification)
        XCTAssertEqual(message("x,y\n1,a\n2,b\n3,a\n"), "no error", "text labels are classification")
        let hugeField = String(repeating: "z", count: 100_000)
        XCTAssertEqual(message("x,y\n1,2\n\(hugeField),3\n").count, "data.csv:3 column \"x\": \"\" is not a number".count + 80 + "… (99920 more characters)".count)
        XCTAssertEqual(message("x,y\n1,2,3\n"), "data.csv:2: has 3 fields, the header has 2")
        XCTAssertEqual(message("x,x\n1,2\n", target: "x"), "data.csv:1 column \"x\": appears twice in the header")
        XCTAssertEqual(message("x,y\n1,2\n", target: "z"), "data.csv column \"z\": no such column; columns are x, y")
        XCTAssertEqual(message(""), "data.csv: empty file: no header row")
        XCTAssertEqual(message("x,y\n"), "data.csv: no data rows after the header")
        XCTAssertEqual(message("x,y\n\"1,2\n"), "data.csv:2: a quoted field is not closed")
        XCTAssertEqual(message("x,y\n1,a\n2,a\n"), "data.csv column \"y\": classification needs at least two classes, found 1")
    }

    func testSplitsPartitionTheRowsAndAreSeeded() {
        let split = TabularSplits.holdOut(count: 100, testFraction: 0.2, validationFraction: 0.1, seed: 3)
        XCTAssertEqual(split.test.count, 20)
        XCTAssertEqual(split.validation.count, 8)
        XCTAssertEqual(Set(split.training + split.validation + split.test), Set(0..<100))
        XCTAssertEqual(split.training.count + split.validation.count + split.test.count, 100)
        XCTAssertEqual(split, TabularSplits.holdOut(count: 100, testFraction: 0.2, validationFraction: 0.1, seed: 3))
        XCTAssertNotEqual(split, TabularSplits.holdOut(count: 100, testFraction: 0.2, validationFraction: 0.1, seed: 4))
        let folds = TabularSplits.kFold(count: 53, folds: 5, seed: 1)
        XCTAssertEqual(folds.flatMap(\.test).sorted(), Array(0..<53), "every row is tested exactly once")
        for fold in folds {
            XCTAssertTrue(Set(fold.test).isDisjoint(with: fold.training + fold.validation))
            XCTAssertEqual(fold.test.count + fold.training.count + fold.validation.count, 53)
        }
    }

    func testScalerStatistics() {
        let scaler = FeatureScaler(fitting: [[1, 5], [3, 5], [5, 5]])
        XCTAssertEqual(scaler.mean, [3, 5])
        XCTAssertEqual(scaler.std[0], (8.0 / 3).squareRoot(), accuracy: 1e-12)
        XCTAssertEqual(scaler.std[1], 1, "a constant feature keeps unit scale")
        XCTAssertEqual(scaler.unit(4, feature: 0), 0.75)
        XCTAssertEqual(scaler.unit(9, feature: 0), 1, "clipped to the training range")
        XCTAssertEqual(scaler.unit(7, feature: 1), 0, "a constant feature maps to 0")
        XCTAssertEqual(scaler.raw(unit: 0.25, feature: 0), 2)
    }

    /// A group column is not a feature, and a group split keeps every group whole on one side.
    func testGroupSplitsKeepEveryGroupOnOneSide() throws {
        var text = "subject,x,y\n"
        for r in 0..<200 { text += "s\(r % 13),\(r),\(r % 3)\n" }
        let table = try CSVTable.parse(text, path: "g.csv")
        let data = try TabularDataset.load(table, target: "y", task: .classification, options: TableLoadOptions(groupColumn: "subject"))
        XCTAssertEqual(data.featureNames, ["x"])
        XCTAssertEqual(data.groups?.count, 200)
        for seed: UInt64 in [1, 2, 3] {
            let split = data.holdOut(testFraction: 0.2, seed: seed)
            XCTAssertEqual(Set(split.training + split.validation + split.test).count, 200)
            let sides = [split.training, split.validation, split.test].map { Set($0.map { data.groups![$0] }) }
            XCTAssertTrue(sides[0].isDisjoint(with: sides[1]) && sides[0].isDisjoint(with: sides[2]) && sides[1].isDisjoint(with: sides[2]))
            XCTAssertTrue(sides.allSatisfy { !$0.isEmpty })
            XCTAssertGreaterThanOrEqual(split.test.count, 40)
            XCTAssertEqual(split, data.holdOut(testFraction: 0.2, seed: seed), "seeded")
        }
        XCTAssertEqual(data.subset([0, 13]).groups, ["s0", "s0"])
        let two = try CSVTable.parse("g,x,y\na,1,0\nb,2,1\na,3,0\n", path: "two.csv")
        XCTAssertThrowsError(try TabularDataset.load(two, target: "y", task: .classification, options: TableLoadOptions(groupColumn: "g"))) {
            XCTAssertTrue("\($0)".contains("at least 3 groups"), "\($0)")
        }
    }
}
