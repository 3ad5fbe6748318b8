import DetectionData
import Foundation
import TestSupport
import XCTest
import Support

/// The strict annotation XML reader, exercised through the VOC loader.
final class AnnotationXMLTests: XCTestCase {
    private func load(_ xml: String) throws -> LoadedDataset { try loadBytes(Array(xml.utf8)) }

    private func loadBytes(_ bytes: [UInt8]) throws -> LoadedDataset {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/Annotations", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.path("generated/synthetic_rggb_12bit.dng"), toPath: directory + "/a.dng")
        try Data(bytes).write(to: URL(fileURLWithPath: directory + "/Annotations/a.xml"))
        return try DatasetLoader.load(directory: directory, split: nil)
    }

    func testWellFormedVariantsParse() throws {
        let xml = """
        \u{FEFF}<?xml version="1.0" encoding="utf-8"?>
        <!-- exported by a labelling tool -->
        <annotation verified="yes">
          <filename>a.png</filename>
          <size><width>48</width><height>32</height></size>
          <object><name>r&amp;d <![CDATA[cart]]></name><difficult>1</difficult>
            <bndbox><xmin> 2 </xmin><ymin>3</ymin><xmax>10</xmax><ymax>9</ymax></bndbox><part/></object>
        </annotation>
        """
        let dataset = try load(xml)
        XCTAssertEqual(dataset.images[0].objects, [GroundTruthObject(className: "r&d cart", box: BoundingBox(xmin: 2, ymin: 3, xmax: 10, ymax: 9), difficult: true)])
    }

    func testMalformedDocumentsAreErrors() {
        let cases = [
            "<annotation><object></annotation>": "closes <object>",
            "<annotation><size></size>": "not closed",
            "{not xml": "expected a root element",
            "<annotation></annotation><extra/>": "content after the root element",
            "<annotation><name>a &bogus; b</name></annotation>": "unknown entity",
            "<annotation a=b></annotation>": "unquoted attribute",
            "<voc></voc>": "not a VOC annotation",
            "<annotation><object><name>x</name><bndbox><xmin>one</xmin></bndbox></object></annotation>": "<xmin> missing, not a number",
            // Hostile values and bytes (issue 13): each is a one-line error, never a trap.
            "<annotation><size><width>1e30</width><height>4</height></size></annotation>": "<width> missing, not a number or beyond",
            "<annotation><size><width>6.5</width><height>4</height></size></annotation>": "not a whole number of pixels",
            "<annotation><size><width>-2</width><height>4</height></size></annotation>": "not a whole number of pixels in 0...",
            "<annotation><name>a\u{0}b</name></annotation>": "NUL byte",
            "<annotation><name>a &#0; b</name></annotation>": "unknown entity",
            String(repeating: "<a>", count: 50_000) + String(repeating: "</a>", count: 50_000): "nested deeper than 256",
        ]
        XCTAssertThrowsError(try loadBytes(Array("<annotation><name>".utf8) + [0xC3, 0x28] + Array("</name></annotation>".utf8))) { error in
            XCTAssertTrue("\(error)".contains("not valid UTF-8"), "\(error)")
        }
        for (xml, fragment) in cases {
            XCTAssertThrowsError(try load(xml), xml) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(xml): \(error)")
                XCTAssertTrue((error as? FileError)?.path.hasSuffix("Annotations/a.xml") ?? false)
            }
        }
    }

    /// CDATA is literal text: an ampersand inside it is not an entity, `&lt;` stays as written.
    func testCDATAIsNotEntityDecoded() throws {
        let xml = "<annotation><size><width>48</width><height>32</height></size><object><name>a &amp; <![CDATA[b & c &lt;]]> d</name>"
            + "<bndbox><xmin>1</xmin><ymin>1</ymin><xmax>4</xmax><ymax>4</ymax></bndbox></object></annotation>"
        XCTAssertEqual(try load(xml).images[0].objects.first?.className, "a & b & c &lt; d")
    }
}
