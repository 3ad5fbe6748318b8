/// Feature maps for inference kept channels-last (NHWC) from layer to layer: `values[((n·H + y)·W + x)·C + c]`.
///
/// The inference fast path of a convolutional network (no autograd): convolutions read their patch rows straight
/// from the NHWC maps and write NHWC output, so no layer transposes its input or output, and bias, a residual and
/// ReLU are applied while the output band is in cache (see ``PreparedConvolution``).
public struct ChannelsLastMaps: Sendable {
    public let batch: Int, height: Int, width: Int, channels: Int
    public var values: [Float]

    public init(batch: Int, height: Int, width: Int, channels: Int, values: [Float]) {
        precondition(values.count == batch * height * width * channels,
                     "ChannelsLastMaps: \(values.count) values for \(batch)×\(height)×\(width)×\(channels)")
        self.batch = batch
        self.height = height
        self.width = width
        self.channels = channels
        self.values = values
    }

    /// The maps of an NCHW tensor `[N, C, H, W]`.
    public init(_ tensor: Tensor) {
        precondition(tensor.rank == 4, "ChannelsLastMaps: need an NCHW tensor, got \(tensor.shape)")
        let s = tensor.shape
        self.init(batch: s[0], height: s[2], width: s[3], channels: s[1],
                  values: LayoutTranspose.channelsLast(tensor.scalars, batch: s[0], channels: s[1], plane: s[2] * s[3]))
    }

    /// Channels `range` as an NCHW tensor `[N, range.count, H, W]`.
    public func tensor(channels range: Range<Int>? = nil) -> Tensor {
        let r = range ?? 0..<channels, p = height * width, k = r.count
        precondition(r.lowerBound >= 0 && r.upperBound <= channels, "ChannelsLastMaps: channels \(r) outside 0..<\(channels)")
        let out = values.withUnsafeBufferPointer { pv in uninitializedFloats(batch * k * p) { po in
            let s = UncheckedBox(pv.baseAddress!), d = UncheckedBox(po.baseAddress!)
            Parallel.forChunks(batch, workPerItem: k * p) { images in
                for b in images {
                    LayoutTranspose.transposeBack(s.value + b * p * channels + r.lowerBound, pixelStride: channels, d.value + b * k * p,
                                                  channelStride: p, channels: k, pixels: 0..<p, bias: nil)
                }
            }
        } }
        return Tensor(shape: [batch, k, height, width], scalars: out)
    }

    /// Nearest-neighbour upsampling by 2 on both axes (``Tensor/upsampleNearest2d(scale:)`` in NHWC).
    public func upsampledTwice() -> ChannelsLastMaps {
        let w2 = 2 * width, c = channels
        let out = values.withUnsafeBufferPointer { pv in uninitializedFloats(batch * 4 * height * width * c) { po in
            let s = UncheckedBox(pv.baseAddress!), d = UncheckedBox(po.baseAddress!)
            Parallel.forChunks(batch * height, workPerItem: 4 * width * c) { rows in
                for row in rows {
                    let src = s.value + row * width * c, top = d.value + 2 * row * w2 * c
                    for x in 0..<width {
                        VectorKernels.copy(src + x * c, top + 2 * x * c, c)
                        VectorKernels.copy(src + x * c, top + (2 * x + 1) * c, c)
                    }
                    VectorKernels.copy(top, top + w2 * c, w2 * c)
                }
            }
        } }
        return ChannelsLastMaps(batch: batch, height: 2 * height, width: w2, channels: c, values: out)
    }

    /// The channels of `maps` side by side, in order (``Tensor/concat(_:axis:)`` on axis 1 in NHWC).
    public static func concatenated(_ maps: [ChannelsLastMaps]) -> ChannelsLastMaps {
        let first = maps[0], pixels = first.batch * first.height * first.width
        precondition(maps.allSatisfy { $0.batch == first.batch && $0.height == first.height && $0.width == first.width },
                     "ChannelsLastMaps.concatenated: maps of different sizes")
        let total = maps.reduce(0) { $0 + $1.channels }
        var out = [Float](repeating: 0, count: pixels * total)
        out.withUnsafeMutableBufferPointer { po in
            var offset = 0
            for m in maps {
                m.values.withUnsafeBufferPointer { pm in
                    let s = UncheckedBox(pm.baseAddress!), d = UncheckedBox(po.baseAddress!), c = m.channels, o = offset
                    Parallel.forChunks(pixels, minChunk: 256, workPerItem: c) { range in
                        for q in range { VectorKernels.copy(s.value + q * c, d.value + q * total + o, c) }
                    }
                }
                offset += m.channels
            }
        }
        return ChannelsLastMaps(batch: first.batch, height: first.height, width: first.width, channels: total, values: out)
    }
}

/// A convolution (groups 1) prepared for channels-last inference, with its bias, an optional residual and ReLU fused:
/// `y = act(conv(x, W) + b [+ r])`.
///
/// Each image is cut into bands of output rows whose patch rows take about 1 MB; per band the patch rows are built from
/// the NHWC input (``Im2row``; a stride-1 unpadded 1×1 convolution uses the input rows themselves), multiplied by
/// the weight in one GEMM `Y_band [rows, Cout] = R [rows, K] · W'ᵀ` written into the NHWC output, and the epilogue
/// runs on the band while it is in cache. (Image, band) items are spread over the workers, so one large image uses
/// every thread.
public struct PreparedConvolution: Sendable {
    /// Weight, taps-last `[Cout, kh·kw·C]` (column `(i·kw + j)·C + c`).
    let weight: [Float]
    public let bias: [Float]
    public let inChannels: Int, outChannels: Int
    public let kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int)
    public private(set) var relu: Bool

    /// - Parameters:
    ///   - weight: `[Cout, C, kh, kw]` (PyTorch layout).
    ///   - bias: `[Cout]` (nil: zeros).
    public init(weight: Tensor, bias: [Float]?, stride: (Int, Int) = (1, 1), padding: (Int, Int) = (0, 0),
                dilation: (Int, Int) = (1, 1), relu: Bool) {
        precondition(weight.rank == 4, "PreparedConvolution: weight must be [Cout, C, kh, kw], got \(weight.shape)")
        let s = weight.shape
        outChannels = s[0]
        inChannels = s[1]
        kernel = (s[2], s[3])
        precondition(bias == nil || bias!.count == outChannels, "PreparedConvolution: bias needs \(outChannels) values")
        self.weight = ConvWeights.tapsLast(weight.scalars, cout: s[0], cg: s[1], taps: s[2] * s[3])
        self.bias = bias ?? [Float](repeating: 0, count: outChannels)
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.relu = relu
    }

    /// The same convolution with ReLU on or off.
    public func withReLU(_ on: Bool) -> PreparedConvolution {
        var copy = self
        copy.relu = on
        return copy
    }

    /// `act(conv(x) + b + residual)`; `residual` (same shape as the output) is added before the activation.
    public func callAsFunction(_ x: ChannelsLastMaps, residual: ChannelsLastMaps? = nil) -> ChannelsLastMaps {
        precondition(x.channels == inChannels, "PreparedConvolution: input has \(x.channels) channels, the weight \(inChannels)")
        let geo = ConvGeometry(input: [x.batch, x.channels, x.height, x.width], kernel: kernel, stride: stride, padding: padding,
                               dilation: dilation, op: "PreparedConvolution")
        let kt = inChannels * kernel.0 * kernel.1, cout = outChannels, outW = geo.outW, outH = geo.outH
        if let residual {
            precondition(residual.batch == x.batch && residual.height == outH && residual.width == outW && residual.channels == cout,
                         "PreparedConvolution: residual must be the output's shape")
        }
        let pointwise = geo.isPointwise
        // Bands of about 1 MB of patch rows, and at least two per worker over the batch so the workers stay balanced.
        let threads = TensorRuntime.threads
        let balanced = (outH * x.batch + 2 * threads - 1) / (2 * threads)
        let bandRows = max(1, min(outH, balanced, pointwise ? outH : (1 << 18) / max(kt * outW, 1)))
        let bands = (outH + bandRows - 1) / bandRows
        let relu = relu
        let inPlane = x.height * x.width * inChannels, outPlane = outH * outW * cout
        let out = x.values.withUnsafeBufferPointer { px in weight.withUnsafeBufferPointer { pw in bias.withUnsafeBufferPointer { pb in
            (residual?.values ?? []).withUnsafeBufferPointer { pr in uninitializedFloats(x.batch * outPlane) { py in
                let xb = UncheckedBox(px.baseAddress!), wb = UncheckedBox(pw.baseAddress!), bb = UncheckedBox(pb.baseAddress!)
                let yb = UncheckedBox(py.baseAddress!), rb = residual == nil ? nil : pr.baseAddress.map { UncheckedBox($0) }
                Parallel.forChunks(x.batch * bands, workPerItem: cout * bandRows * outW * kt) { range in
                    var scratch = [Float](repeating: 0, count: pointwise ? 0 : bandRows * outW * kt)
                    scratch.withUnsafeMutableBufferPointer { ps in
                        for item in range {
                            let b = item / bands, y0 = (item % bands) * bandRows, y1 = min(outH, y0 + bandRows)
                            let image = UnsafePointer(xb.value + b * inPlane)
                            let rows: UnsafePointer<Float>
                            if pointwise {
                                rows = image + y0 * outW * kt
                            } else {
                                for oy in y0..<y1 { Im2row.fillRow(image: image, geo, groups: 1, oy: oy, into: ps.baseAddress! + (oy - y0) * outW * kt) }
                                rows = UnsafePointer(ps.baseAddress!)
                            }
                            let pixels = (y1 - y0) * outW, y = yb.value + b * outPlane + y0 * outW * cout
                            BLAS.sgemm(transA: false, transB: true, m: pixels, n: cout, k: kt, a: rows, lda: kt, b: wb.value, ldb: kt,
                                       beta: 0, c: y, ldc: cout, threads: 1)
                            let r = rb.map { UnsafePointer($0.value + b * outPlane + y0 * outW * cout) }
                            Self.epilogue(y, pixels: pixels, channels: cout, bias: bb.value, residual: r, relu: relu)
                        }
                    }
                }
            } }
        } } }
        return ChannelsLastMaps(batch: x.batch, height: outH, width: outW, channels: cout, values: out)
    }

    /// `y ← act(y + bias [+ residual])` over `pixels` rows of `channels`.
    @inline(__always)
    static func epilogue(_ y: UnsafeMutablePointer<Float>, pixels: Int, channels c: Int, bias: UnsafePointer<Float>,
                         residual: UnsafePointer<Float>?, relu: Bool) {
        if let residual {
            for q in 0..<pixels {
                let row = y + q * c, res = residual + q * c
                for o in 0..<c { row[o] = Swift.max(row[o] + bias[o] + res[o], relu ? 0 : -Float.infinity) }
            }
        } else if relu {
            for q in 0..<pixels {
                let row = y + q * c
                for o in 0..<c { row[o] = Swift.max(row[o] + bias[o], 0) }
            }
        } else {
            for q in 0..<pixels {
                let row = y + q * c
                for o in 0..<c { row[o] += bias[o] }
            }
        }
    }
}
