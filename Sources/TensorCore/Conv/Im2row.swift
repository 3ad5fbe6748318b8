/// im2row / row2im for convolution as GEMM on channels-last (NHWC) images.
///
/// The patch matrix has one row per output pixel, `N·OH·OW` rows, and
/// `C·kh·kw` columns ordered `(group, i, j, c)` with `c` the channel within
/// the group: row `(n·OH + oy)·OW + ox`, column `((g·kh + i)·kw + j)·Cg + c`
/// holds `x[n, g·Cg + c, oy·sh − ph + i·dh, ox·sw − pw + j·dw]` (0 outside).
/// Each group's columns are contiguous, so group `g` is a column block.
enum Im2row {
    /// Writes the `OW` patch rows of output row `oy` of one NHWC image `[H·W, C]`.
    @inline(__always)
    static func fillRow(image: UnsafePointer<Float>, _ geo: ConvGeometry, groups: Int, oy: Int,
                        into rowBlock: UnsafeMutablePointer<Float>) {
        let c = geo.channels, cg = c / groups, kt = c * geo.kernelH * geo.kernelW
        for ox in 0..<geo.outW {
            var d = rowBlock + ox * kt
            let ix0 = ox * geo.strideW - geo.padW
            // With one group and dilation 1, a fully inside kernel row is kw·C contiguous floats.
            let rowInside = groups == 1 && geo.dilationW == 1 && ix0 >= 0 && ix0 + geo.kernelW <= geo.width
            for g in 0..<groups {
                for i in 0..<geo.kernelH {
                    let iy = oy * geo.strideH - geo.padH + i * geo.dilationH
                    if iy < 0 || iy >= geo.height {
                        VectorKernels.fill(d, 0, geo.kernelW * cg)
                        d += geo.kernelW * cg
                        continue
                    }
                    if rowInside {
                        VectorKernels.copy(image + (iy * geo.width + ix0) * c, d, geo.kernelW * c)
                        d += geo.kernelW * c
                        continue
                    }
                    for j in 0..<geo.kernelW {
                        let ix = ix0 + j * geo.dilationW
                        if ix < 0 || ix >= geo.width {
                            VectorKernels.fill(d, 0, cg)
                        } else {
                            VectorKernels.copy(image + (iy * geo.width + ix) * c + g * cg, d, cg)
                        }
                        d += cg
                    }
                }
            }
        }
    }

    /// Adds one image's patch-row gradient `[OH·OW, C·kh·kw]` into its NHWC
    /// input gradient `[H·W, C]` (the transpose of ``fillRow(image:_:groups:oy:into:)``).
    static func accumulateImage(_ dRows: UnsafePointer<Float>, _ geo: ConvGeometry, groups: Int,
                                into image: UnsafeMutablePointer<Float>) {
        let c = geo.channels, cg = c / groups, kt = c * geo.kernelH * geo.kernelW
        for oy in 0..<geo.outH {
            for ox in 0..<geo.outW {
                var s = dRows + (oy * geo.outW + ox) * kt
                for g in 0..<groups {
                    for i in 0..<geo.kernelH {
                        let iy = oy * geo.strideH - geo.padH + i * geo.dilationH
                        for j in 0..<geo.kernelW {
                            let ix = ox * geo.strideW - geo.padW + j * geo.dilationW
                            if iy >= 0 && iy < geo.height && ix >= 0 && ix < geo.width {
                                VectorKernels.add(s, image + (iy * geo.width + ix) * c + g * cg, cg)
                            }
                            s += cg
                        }
                    }
                }
            }
        }
    }
}
