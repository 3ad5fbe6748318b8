import Dispatch
import Foundation
import Support
import RawIO
import Bayer

/// A batch of packed raw images ready for a network.
public struct RawBatch: Sendable {
    public var ids: [String]
    /// `[batch, 4, planeHeight, planeWidth]` row-major (NCHW), planes R, Gr, Gb, B, normalised to [0, 1]
    /// (see ``PlanePacking``).
    public var planes: [Float]
    public var shape: [Int]
    /// Objects per image, boxes in mosaic pixels of the (augmented) image, VOC convention.
    public var objects: [[GroundTruthObject]]
}

/// Settings of a ``BatchLoader``.
public struct BatchLoaderOptions: Sendable {
    public var batchSize: Int
    public var shuffle: Bool
    /// Drop a last batch smaller than `batchSize`.
    public var dropLast: Bool
    public var augmentation: AugmentationOptions
    /// Batches prepared ahead on a background thread while the caller trains.
    public var prefetch: Int
    /// Keep decoded images in memory after the first epoch.
    public var cacheDecoded: Bool

    public init(batchSize: Int, shuffle: Bool = true, dropLast: Bool = false, augmentation: AugmentationOptions = .none,
                prefetch: Int = 2, cacheDecoded: Bool = true) {
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.augmentation = augmentation
        self.prefetch = prefetch
        self.cacheDecoded = cacheDecoded
    }
}

/// Decodes, augments, packs and batches a dataset's images on a background thread.
///
/// Deterministic: the order of epoch e is a shuffle seeded by (seed, e), and the augmentation of each
/// image by (seed, e, image index), so the batches are the same bits whatever the timing or threads.
/// Images of a batch must have the same size after augmentation (use a crop for mixed sizes).
public final class BatchLoader: @unchecked Sendable {
    public let dataset: LoadedDataset
    public let options: BatchLoaderOptions
    public let seed: UInt64
    private let cache: LockedSlots<BayerImage>

    public init(dataset: LoadedDataset, options: BatchLoaderOptions, seed: UInt64) {
        precondition(options.batchSize > 0, "BatchLoader: batch size must be positive")
        self.dataset = dataset
        self.options = options
        self.seed = seed
        cache = LockedSlots(count: dataset.images.count)
    }

    /// Image indices in the order of `epoch`.
    public func order(epoch: Int) -> [Int] {
        var order = Array(dataset.images.indices)
        guard options.shuffle else { return order }
        var random = SeededRandom.stream(seed: seed, index: UInt64(epoch) &* 2 &+ 1)
        random.shuffle(&order)
        return order
    }

    /// Number of batches per epoch.
    public var batchesPerEpoch: Int {
        let n = dataset.images.count
        return options.dropLast ? n / options.batchSize : (n + options.batchSize - 1) / options.batchSize
    }

    /// Builds batch `b` of `epoch` (on the calling thread; images decoded concurrently).
    public func batch(_ b: Int, epoch: Int) throws -> RawBatch {
        let indices = Array(order(epoch: epoch).dropFirst(b * options.batchSize).prefix(options.batchSize))
        let samples = LockedSlots<Result<(BayerImage, [GroundTruthObject]), Error>>(count: indices.count)
        DispatchQueue.concurrentPerform(iterations: indices.count) { k in
            samples[k] = Result { try self.sample(indices[k], epoch: epoch) }
        }
        var planes: [Float] = [], objects: [[GroundTruthObject]] = [], shape: [Int] = []
        for k in 0..<indices.count {
            let (image, boxes) = try samples[k]!.get()
            let size = [4, image.height / 2, image.width / 2]
            if shape.isEmpty { shape = size }
            guard size == shape else {
                throw FileError(path: dataset.images[indices[k]].rawPath,
                                   "image packs to \(size) but the batch has \(shape): crop to a common size")
            }
            planes += PlanePacking.pack(image)
            objects.append(boxes)
        }
        return RawBatch(ids: indices.map { dataset.images[$0].id }, planes: planes, shape: [indices.count] + shape, objects: objects)
    }

    /// The decoded (cached) and augmented image `index` for `epoch`.
    /// With ``AugmentationOptions/mosaicProbability``, a sample is at that rate a mosaic of the image and three
    /// others drawn from the same seeded stream.
    private func sample(_ index: Int, epoch: Int) throws -> (BayerImage, [GroundTruthObject]) {
        var random = SeededRandom.stream(seed: seed ^ 0x5851_F42D_4C95_7F2D, index: UInt64(epoch) &* UInt64(dataset.images.count) &+ UInt64(index))
        let augmentation = options.augmentation
        if augmentation.mosaicProbability > 0, random.chance(augmentation.mosaicProbability) {
            let others = (0..<3).map { _ in random.nextInt(below: dataset.images.count) }
            let tiles = try ([index] + others).map { (try decoded($0), dataset.images[$0].objects) }
            if let mosaic = augmentation.mosaic(tiles, random: &random) { return mosaic }
        }
        return augmentation.apply(try decoded(index), objects: dataset.images[index].objects, random: &random)
    }

    /// Image `index` decoded (cached after the first time).
    private func decoded(_ index: Int) throws -> BayerImage {
        if let cached = cache[index] { return cached }
        let image = try RawDecoder.decode(path: dataset.images[index].rawPath, options: dataset.decode)
        if options.cacheDecoded { cache[index] = image }
        return image
    }

    /// An iterator over the batches of `epoch`, prepared `options.prefetch` ahead on a background thread.
    public func epoch(_ epoch: Int) -> BatchIterator { BatchIterator(loader: self, epoch: epoch) }
}

/// Batches of one epoch, produced ahead of the consumer by a background thread. Dropping the iterator
/// stops the thread.
public final class BatchIterator: @unchecked Sendable {
    /// State shared with the producer thread (which must not keep the iterator itself alive).
    private final class State: @unchecked Sendable {
        let condition = NSCondition()
        var ready: [Int: Result<RawBatch, Error>] = [:]
        var nextToTake = 0
        var cancelled = false
    }

    private let state = State()
    private let total: Int

    init(loader: BatchLoader, epoch: Int) {
        total = loader.batchesPerEpoch
        let ahead = max(1, loader.options.prefetch)
        let state = self.state
        let thread = Thread {
            for b in 0..<loader.batchesPerEpoch {
                state.condition.lock()
                while !state.cancelled && b - state.nextToTake >= ahead { state.condition.wait() }
                let stop = state.cancelled
                state.condition.unlock()
                if stop { return }
                let result = Result { try loader.batch(b, epoch: epoch) }
                state.condition.lock()
                state.ready[b] = result
                state.condition.broadcast()
                state.condition.unlock()
            }
        }
        thread.start()
    }

    /// The next batch, waiting for it if needed; nil at the end of the epoch.
    public func next() throws -> RawBatch? {
        state.condition.lock()
        defer { state.condition.unlock() }
        guard state.nextToTake < total else { return nil }
        while state.ready[state.nextToTake] == nil { state.condition.wait() }
        let result = state.ready.removeValue(forKey: state.nextToTake)!
        state.nextToTake += 1
        state.condition.broadcast()
        return try result.get()
    }

    deinit {
        state.condition.lock()
        state.cancelled = true
        state.condition.broadcast()
        state.condition.unlock()
    }
}
