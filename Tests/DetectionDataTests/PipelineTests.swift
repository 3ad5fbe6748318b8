import DetectionData
import Foundation
import Support
import RawIO
import Scenes
import SensorSimulation
import TestSupport
import XCTest
import Bayer

final class PlanePackingTests: XCTestCase {
    /// Packs every generated fixture and checks each plane against the known content by colour.
    func testPlanesHoldTheirColourWhateverThePattern() throws {
        for mosaic in SyntheticMosaic.all where mosaic.top == 0 && mosaic.left == 0 {
            let image = try RawDecoder.decode(path: Fixtures.path("generated/\(mosaic.fileName)"))
            let planes = PlanePacking.pack(image)
            let w = image.width / 2, h = image.height / 2
            XCTAssertEqual(planes.count, 4 * w * h)
            for i in 0..<h {
                for j in 0..<w {
                    for plane in 0..<4 {
                        let p = PlanePacking.sourcePositions(image.cfa)[plane]
                        let (r, c) = (2 * i + (p >> 1), 2 * j + (p & 1))
                        let color = image.cfa.color(row: r, column: c)
                        XCTAssertEqual(color, [CFAColor.red, .green, .green, .blue][plane], mosaic.fileName)
                        let black = Float(mosaic.black(color)), white = Float(mosaic.whiteLevel)
                        let expected = min(max((Float(mosaic.expectedValue(row: r, column: c)) - black) / (white - black), 0), 1)
                        XCTAssertEqual(planes[plane * w * h + i * w + j], expected, "\(mosaic.fileName) plane \(plane)")
                    }
                }
            }
            // Gr shares a row with R, Gb with B.
            let positions = PlanePacking.sourcePositions(image.cfa)
            XCTAssertEqual(positions[1] >> 1, positions[0] >> 1)
            XCTAssertEqual(positions[2] >> 1, positions[3] >> 1)
        }
    }

    func testFlipsKeepThePhaseRight() throws {
        let image = try RawDecoder.decode(path: Fixtures.path("generated/synthetic_grbg_14bit.dng"))
        let w = image.width / 2, h = image.height / 2
        let planes = PlanePacking.pack(image)
        let mirrored = PlanePacking.pack(image.flippedHorizontally())
        let upsideDown = PlanePacking.pack(image.flippedVertically())
        XCTAssertEqual(image.flippedHorizontally().cfa, .rggb)
        XCTAssertEqual(image.flippedVertically().cfa, .bggr)
        for plane in 0..<4 {
            for i in 0..<h {
                for j in 0..<w {
                    let base = plane * w * h
                    XCTAssertEqual(mirrored[base + i * w + j], planes[base + i * w + (w - 1 - j)])
                    XCTAssertEqual(upsideDown[base + i * w + j], planes[base + (h - 1 - i) * w + j])
                }
            }
        }
        XCTAssertEqual(image.flippedHorizontally().flippedHorizontally().pixels, image.pixels)
    }
}

final class BatchLoaderTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = try Fixtures.temporaryDirectory()
        var configuration = SceneConfiguration()
        configuration.width = 64
        configuration.height = 48
        configuration.cfa = .mixed
        try SyntheticDataset.write(count: 10, seed: 4, configuration: configuration, to: directory)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: directory) }

    func testBatchesAreDeterministicShuffledAndComplete() throws {
        let dataset = try DatasetLoader.load(directory: directory, split: nil)
        let augmentation = AugmentationOptions(cropWidth: 40, cropHeight: 32, horizontalFlipProbability: 0.5, verticalFlipProbability: 0.5)
        let options = BatchLoaderOptions(batchSize: 4, augmentation: augmentation)
        let loader = BatchLoader(dataset: dataset, options: options, seed: 9)
        XCTAssertEqual(loader.batchesPerEpoch, 3)
        var ids: [String] = []
        var first: [RawBatch] = []
        let iterator = loader.epoch(0)
        while let batch = try iterator.next() {
            XCTAssertEqual(Array(batch.shape.dropFirst()), [4, 16, 20])
            XCTAssertEqual(batch.planes.count, batch.shape.reduce(1, *))
            XCTAssertTrue(batch.planes.allSatisfy { (0...1).contains($0) })
            for boxes in batch.objects {
                for o in boxes { XCTAssertTrue(o.box.xmin >= 1 && o.box.xmax <= 40 && o.box.ymin >= 1 && o.box.ymax <= 32, "\(o.box)") }
            }
            ids += batch.ids
            first.append(batch)
        }
        XCTAssertEqual(first.map { $0.shape[0] }, [4, 4, 2])
        XCTAssertEqual(Set(ids), Set(dataset.images.map(\.id)))
        XCTAssertNotEqual(ids, dataset.images.map(\.id), "shuffled")

        // The same seed gives the same bits, built directly or through the prefetching iterator.
        let again = BatchLoader(dataset: dataset, options: options, seed: 9)
        for b in 0..<3 {
            let batch = try again.batch(b, epoch: 0)
            XCTAssertEqual(batch.planes, first[b].planes)
            XCTAssertEqual(batch.objects, first[b].objects)
        }
        XCTAssertNotEqual(loader.order(epoch: 1), loader.order(epoch: 0))
    }

    func testFlipMovesBoxesWithThePixels() throws {
        let dataset = try DatasetLoader.load(directory: directory, split: nil)
        let image = try RawDecoder.decode(path: dataset.images[0].rawPath)
        var random = SeededRandom(seed: 1)
        let (flipped, boxes) = AugmentationOptions(horizontalFlipProbability: 1).apply(image, objects: dataset.images[0].objects, random: &random)
        for (before, after) in zip(dataset.images[0].objects, boxes) {
            XCTAssertEqual(after.box.xmin, Double(image.width) + 1 - before.box.xmax)
            XCTAssertEqual(after.box.ymin, before.box.ymin)
            // Pixel (r, c) of the box moves to (r, W − 1 − c).
            let r = Int(before.box.ymin) - 1, c = Int(before.box.xmin) - 1
            XCTAssertEqual(flipped[r, image.width - 1 - c], image[r, c])
        }
    }

    func testCropsStartOnEvenOffsets() throws {
        let image = try RawDecoder.decode(path: Fixtures.path("generated/synthetic_rggb_12bit.dng"))
        for seed in 0..<20 {
            var random = SeededRandom(seed: UInt64(seed))
            let (crop, _) = AugmentationOptions(cropWidth: 30, cropHeight: 20).apply(image, objects: [], random: &random)
            XCTAssertEqual(crop.cfa, .rggb)
            XCTAssertEqual(crop.blackLevels, image.blackLevels)
        }
    }

    func testMixedSizesWithoutACropAreAClearError() throws {
        var dataset = try DatasetLoader.load(directory: directory, split: nil)
        dataset.images[1].rawPath = Fixtures.path("generated/synthetic_rggb_12bit.dng")
        let loader = BatchLoader(dataset: dataset, options: BatchLoaderOptions(batchSize: 10, shuffle: false), seed: 1)
        XCTAssertThrowsError(try loader.batch(0, epoch: 0)) { error in
            XCTAssertTrue("\(error)".contains("crop to a common size"), "\(error)")
        }
    }
}
