/// The sizes of a 2-d convolution or pooling window over NCHW input.
///
/// Output extent per axis: `(in + 2·pad − dilation·(kernel − 1) − 1) / stride + 1`.
struct ConvGeometry: Sendable {
    let batch: Int, channels: Int, height: Int, width: Int
    let kernelH: Int, kernelW: Int
    let strideH: Int, strideW: Int
    let padH: Int, padW: Int
    let dilationH: Int, dilationW: Int
    let outH: Int, outW: Int

    init(input: [Int], kernel: (Int, Int), stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int), op: String) {
        precondition(input.count == 4, "\(op): input must be NCHW (rank 4), got shape \(input)")
        precondition(kernel.0 > 0 && kernel.1 > 0, "\(op): kernel must be positive, got \(kernel)")
        precondition(stride.0 > 0 && stride.1 > 0, "\(op): stride must be positive, got \(stride)")
        precondition(padding.0 >= 0 && padding.1 >= 0, "\(op): padding must be non-negative, got \(padding)")
        precondition(dilation.0 > 0 && dilation.1 > 0, "\(op): dilation must be positive, got \(dilation)")
        batch = input[0]; channels = input[1]; height = input[2]; width = input[3]
        kernelH = kernel.0; kernelW = kernel.1
        strideH = stride.0; strideW = stride.1
        padH = padding.0; padW = padding.1
        dilationH = dilation.0; dilationW = dilation.1
        outH = (height + 2 * padH - dilationH * (kernelH - 1) - 1) / strideH + 1
        outW = (width + 2 * padW - dilationW * (kernelW - 1) - 1) / strideW + 1
        precondition(height + 2 * padH - dilationH * (kernelH - 1) - 1 >= 0 && width + 2 * padW - dilationW * (kernelW - 1) - 1 >= 0,
                     "\(op): window \(kernel) (dilation \(dilation)) larger than padded input \(height)×\(width) with padding \(padding)")
    }

    var outPlane: Int { outH * outW }
    var inPlane: Int { height * width }
    var isPointwise: Bool {
        kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0
    }
}
