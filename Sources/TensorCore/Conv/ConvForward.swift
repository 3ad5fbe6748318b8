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
        // Fewer images than workers, or an image whose patch matrix would not fit in cache (16 MB):
        // split each image into bands of output rows instead.
        if keep == nil && !geo.isPointwise && (n < TensorRuntime.threads || l * kt > 1 << 22) {
            return ConvForwardBanded.run(x, weightTapsLast: wp, bias: bias, geo, groups: groups, cout: cout)
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
}
