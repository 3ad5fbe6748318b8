import Foundation

/// A small line chart written as SVG: several named series, linear or log₁₀ x axis, legend.
public struct LinePlot: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        /// CSS colour, e.g. "#1f77b4".
        public var color: String
        public var dashed: Bool

        public init(name: String, points: [(x: Double, y: Double)], color: String, dashed: Bool = false) {
            self.name = name
            self.points = points
            self.color = color
            self.dashed = dashed
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xRange: ClosedRange<Double>
    public var yRange: ClosedRange<Double>
    /// Plot x on a log₁₀ scale (xRange must be positive).
    public var logX: Bool
    public var series: [Series] = []
    /// Where to put x ticks (nil: decades on a log axis, five intervals otherwise).
    public var xTicks: [Double]?
    public var width = 720.0
    public var height = 420.0

    public init(title: String, xLabel: String, yLabel: String, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>, logX: Bool = false) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xRange = xRange
        self.yRange = yRange
        self.logX = logX
    }

    /// A qualitative palette (colour-blind friendly).
    public static let palette = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#f0e442"]

    /// The SVG document.
    public var svg: String {
        let left = 64.0, right = 200.0, top = 36.0, bottom = 52.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func tx(_ x: Double) -> Double {
            let (lo, hi, v) = logX ? (log10(xRange.lowerBound), log10(xRange.upperBound), log10(max(x, xRange.lowerBound)))
                                   : (xRange.lowerBound, xRange.upperBound, x)
            return left + (v - lo) / (hi - lo) * plotWidth
        }
        func ty(_ y: Double) -> Double { top + (1 - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)) * plotHeight }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        func escape(_ s: String) -> String { s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;") }
        var out = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            "<text x=\"\(f(left + plotWidth / 2))\" y=\"20\" text-anchor=\"middle\" font-size=\"14\">\(escape(title))</text>",
            "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"#444\"/>",
        ]
        // Ticks: as set, else decades on a log axis, five intervals otherwise.
        var xTicks: [Double] = []
        if let chosen = self.xTicks {
            xTicks = chosen.filter { xRange.contains($0) }
        } else if logX {
            let first = Int(floor(log10(xRange.lowerBound))), last = Int(ceil(log10(xRange.upperBound)))
            for decade in first...last {
                let x: Double = pow(10.0, Double(decade))
                if xRange.contains(x) { xTicks.append(x) }
            }
        } else {
            let span: Double = xRange.upperBound - xRange.lowerBound
            for k in 0...5 { xTicks.append(xRange.lowerBound + Double(k) / 5 * span) }
        }
        for x in xTicks {
            out.append("<line x1=\"\(f(tx(x)))\" y1=\"\(f(top))\" x2=\"\(f(tx(x)))\" y2=\"\(f(top + plotHeight))\" stroke=\"#ddd\"/>")
            let label = logX ? "1e\(Int(log10(x).rounded()))" : String(format: "%g", x)
            out.append("<text x=\"\(f(tx(x)))\" y=\"\(f(top + plotHeight + 16))\" text-anchor=\"middle\">\(label)</text>")
        }
        for k in 0...5 {
            let y = yRange.lowerBound + Double(k) / 5 * (yRange.upperBound - yRange.lowerBound)
            out.append("<line x1=\"\(f(left))\" y1=\"\(f(ty(y)))\" x2=\"\(f(left + plotWidth))\" y2=\"\(f(ty(y)))\" stroke=\"#ddd\"/>")
            out.append("<text x=\"\(f(left - 6))\" y=\"\(f(ty(y) + 4))\" text-anchor=\"end\">\(String(format: "%g", y))</text>")
        }
        out.append("<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 12))\" text-anchor=\"middle\">\(escape(xLabel))</text>")
        out.append("<text transform=\"translate(16 \(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>")
        for (i, s) in series.enumerated() {
            let points = s.points.filter { xRange.contains($0.x) }.map { "\(f(tx($0.x))),\(f(ty(min(max($0.y, yRange.lowerBound), yRange.upperBound))))" }
            let dash = s.dashed ? " stroke-dasharray=\"5 4\"" : ""
            out.append("<polyline fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"1.8\"\(dash) points=\"\(points.joined(separator: " "))\"/>")
            let ly = top + 14 + Double(i) * 18
            out.append("<line x1=\"\(f(left + plotWidth + 12))\" y1=\"\(f(ly - 4))\" x2=\"\(f(left + plotWidth + 36))\" y2=\"\(f(ly - 4))\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash)/>")
            out.append("<text x=\"\(f(left + plotWidth + 42))\" y=\"\(f(ly))\">\(escape(s.name))</text>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }
}
