/// The convolution forward pass, one image at a time per worker.
///
/// For each image: copy it to channels-last (NHWC) in a per-worker buffer,
/// build its patch rows (see ``Im2row``), and multiply them with the weight
/// while they are still in cache: per group `Y_g [og, L] = W'_g · R_gᵀ`,
/// written straight into the NCHW output. When the patch matrix is needed
/// later (training), each image's rows are written into their block of the
/// full matrix instead of a scratch buffer.
enum ConvForward {
    /// Output NCHW `[N, Cout, OH·OW]` of input NCHW `x`, taps-last weight `wp`
    /// `[Cout, kh·kw·Cg]` and optional bias. If `patches` is given it receives
    /// the full patch matrix `[N·OH·OW, C·kh·kw]`.
    static func run(_ x: [Float], weightTapsLast wp: [Float], bias: [Float]?, _ geo: ConvGeometry,
                    groups: Int, cout: Int, patches: UnsafeMutablePointer<Float>?) -> [Float] {
        let n = geo.batch, c = geo.channels, l = geo.outPlane
        let cg = c / groups, og = cout / groups, kg = cg * geo.kernelH * geo.kernelW, kt = c * geo.kernelH * geo.kernelW
        let keep = patches.map { UncheckedBox($0) }
        if keep == nil && !geo.isPointwise {
            return banded(x, weightTapsLast: wp, bias: bias, geo, groups: groups, cout: cout)
        }
        return x.withUnsafeBufferPointer { px in wp.withUnsafeBufferPointer { pw in uninitializedFloats(n * cout * l) { py in
            let xb = UncheckedBox(px.baseAddress!), wb = UncheckedBox(pw.baseAddress!), yb = UncheckedBox(py.baseAddress!)
            Parallel.forChunks(n, workPerItem: og * l * kt) { range in
                // Scratch: the NHWC image (unless it goes straight into the kept patch rows) and the patch rows.
                let nhwcInRows = geo.isPointwise
                var nhwc = [Float](repeating: 0, count: nhwcInRows && keep != nil ? 0 : geo.inPlane * c)
                var scratch = [Float](repeating: 0, count: keep != nil || geo.isPointwise ? 0 : l * kt)
                nhwc.withUnsafeMutableBufferPointer { ph in scratch.withUnsafeMutableBufferPointer { ps in
                    for b in range {
                        let rows = keep.map { $0.value + b * l * kt } ?? (geo.isPointwise ? ph.baseAddress! : ps.baseAddress!)
                        let imageNHWC = nhwcInRows ? rows : ph.baseAddress!
                        LayoutTranspose.transpose(xb.value + b * c * geo.inPlane, rowStride: geo.inPlane, imageNHWC,
                                                  colStride: c, rows: 0..<c, cols: 0..<geo.inPlane, bias: nil)
                        if !geo.isPointwise {
                            for oy in 0..<geo.outH {
                                Im2row.fillRow(image: imageNHWC, geo, groups: groups, oy: oy, into: rows + oy * geo.outW * kt)
                            }
                        }
                        let image = yb.value + b * cout * l
                        if let bias {
                            for o in 0..<cout { VectorKernels.fill(image + o * l, bias[o], l) }
                        }
                        for g in 0..<groups {
                            BLAS.sgemm(transA: false, transB: true, m: og, n: l, k: kg,
                                       a: wb.value + g * og * kg, lda: kg, b: rows + g * kg, ldb: kt,
                                       beta: bias == nil ? 0 : 1, c: image + g * og * l, ldc: l, threads: 1)
                        }
                    }
                } }
            }
        } } }
    }

    /// Inference (no patch matrix kept): every image is cut into bands of output rows whose patch rows fit
    /// in about 1 MB, and (image, band) pairs are spread over the workers — so a single large image uses
    /// every thread and its patch matrix never leaves the cache.
    static func banded(_ x: [Float], weightTapsLast wp: [Float], bias: [Float]?, _ geo: ConvGeometry,
                       groups: Int, cout: Int) -> [Float] {
        let n = geo.batch, c = geo.channels, l = geo.outPlane
        let cg = c / groups, og = cout / groups, kg = cg * geo.kernelH * geo.kernelW, kt = c * geo.kernelH * geo.kernelW
        let bandRows = max(1, min(geo.outH, (1 << 18) / max(kt * geo.outW, 1)))
        let bandsPerImage = (geo.outH + bandRows - 1) / bandRows
        var nhwc = [Float](repeating: 0, count: n * c * geo.inPlane)
        return x.withUnsafeBufferPointer { px in wp.withUnsafeBufferPointer { pw in nhwc.withUnsafeMutableBufferPointer { ph in
            uninitializedFloats(n * cout * l) { py in
                let xb = UncheckedBox(px.baseAddress!), wb = UncheckedBox(pw.baseAddress!), yb = UncheckedBox(py.baseAddress!)
                let hb = UncheckedBox(ph.baseAddress!)
                Parallel.forChunks(n, workPerItem: c * geo.inPlane) { range in
                    for b in range {
                        LayoutTranspose.transpose(xb.value + b * c * geo.inPlane, rowStride: geo.inPlane, hb.value + b * c * geo.inPlane,
                                                  colStride: c, rows: 0..<c, cols: 0..<geo.inPlane, bias: nil)
                    }
                }
                Parallel.forChunks(n * bandsPerImage, workPerItem: og * bandRows * geo.outW * kt) { range in
                    var scratch = [Float](repeating: 0, count: bandRows * geo.outW * kt)
                    scratch.withUnsafeMutableBufferPointer { ps in
                        for item in range {
                            let b = item / bandsPerImage, y0 = (item % bandsPerImage) * bandRows, y1 = min(geo.outH, y0 + bandRows)
                            let imageNHWC = UnsafePointer(hb.value + b * c * geo.inPlane)
                            for oy in y0..<y1 {
                                Im2row.fillRow(image: imageNHWC, geo, groups: groups, oy: oy, into: ps.baseAddress! + (oy - y0) * geo.outW * kt)
                            }
                            let start = y0 * geo.outW, columns = (y1 - y0) * geo.outW
                            let image = yb.value + b * cout * l
                            if let bias {
                                for o in 0..<cout { VectorKernels.fill(image + o * l + start, bias[o], columns) }
                            }
                            for g in 0..<groups {
                                BLAS.sgemm(transA: false, transB: true, m: og, n: columns, k: kg,
                                           a: wb.value + g * og * kg, lda: kg, b: ps.baseAddress! + g * kg, ldb: kt,
                                           beta: bias == nil ? 0 : 1, c: image + g * og * l + start, ldc: l, threads: 1)
                            }
                        }
                    }
                }
            }
        } } }
    }
}
