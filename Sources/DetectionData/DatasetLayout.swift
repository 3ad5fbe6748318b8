import Foundation
import Support

/// What the VOC-style dataset writers (`synth`, `unprocess`) share: seeded splits and the split lists.
public enum DatasetLayout {
    /// Train / val / test for `count` items: a seeded shuffle (`SeededRandom.stream(seed:index: UInt64.max)`),
    /// then the first round(count · train) ranks train, the next round(count · val) val, the rest test.
    public static func seededSplits(count: Int, seed: UInt64, trainFraction: Double, valFraction: Double) -> [String] {
        let order = seededOrder(Array(0..<count), seed: seed)
        let train = Int((Double(count) * trainFraction).rounded())
        let val = min(count - train, Int((Double(count) * valFraction).rounded()))
        var result = [String](repeating: "test", count: count)
        for (rank, index) in order.enumerated() {
            result[index] = rank < train ? "train" : (rank < train + val ? "val" : "test")
        }
        return result
    }

    /// `items` in the seeded order the splits use (Fisher–Yates from `SeededRandom.stream(seed:index: UInt64.max)`).
    public static func seededOrder<T>(_ items: [T], seed: UInt64) -> [T] {
        var items = items
        var random = SeededRandom.stream(seed: seed, index: UInt64.max)
        random.shuffle(&items)
        return items
    }

    /// Writes `ImageSets/Main/{train,val,test,trainval}.txt` below `root` (one id per line, in the order given;
    /// trainval sorted) and returns the counts of train, val and test.
    @discardableResult
    public static func writeSplitLists(ids: [(id: String, split: String)], root: URL) throws -> [String: Int] {
        var lists: [String: [String]] = ["train": [], "val": [], "test": []]
        for (id, split) in ids { lists[split, default: []].append(id) }
        lists["trainval"] = (lists["train"]! + lists["val"]!).sorted()
        for (name, list) in lists {
            try AtomicOutput.write(Array(list.map { $0 + "\n" }.joined().utf8), to: root.appendingPathComponent("ImageSets/Main/\(name).txt").path)
        }
        return lists.filter { $0.key != "trainval" }.mapValues(\.count)
    }
}
