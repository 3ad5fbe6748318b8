import CBLAS
import Foundation
import Synchronization

/// Process-wide compute settings: thread count and BLAS kernel selection.
///
/// GEMMs go to BLIS (Debian's libblis 0.9), single-threaded per call and
/// split over ``threads`` workers by TensorCore. On first use, if the CPU reports
/// AVX-512 (`avx512f`, `avx512dq`, `avx512bw`, `avx512vl` in
/// `/proc/cpuinfo`) and `BLIS_ARCH_TYPE` is not already set, this sets
/// `BLIS_ARCH_TYPE=skx` so BLIS picks its AVX-512 kernels; otherwise BLIS
/// chooses by itself (e.g. AVX2 "haswell" or generic), so the library runs
/// correctly on CPUs without AVX-512. See Tools/TENSORCORE.md for measurements.
public enum TensorRuntime {
    private static let threadSetting = Atomic<Int>(defaultThreads)

    /// The default thread count: `TENSORCORE_THREADS` if set, else min(active cores, 2).
    public static var defaultThreads: Int {
        if let s = ProcessInfo.processInfo.environment["TENSORCORE_THREADS"], let n = Int(s), n > 0 { return n }
        return max(1, min(ProcessInfo.processInfo.activeProcessorCount, 2))
    }

    /// The number of threads used by GEMMs and parallel loops (≥ 1).
    public static var threads: Int {
        get { threadSetting.load(ordering: .relaxed) }
        set {
            precondition(newValue >= 1, "TensorRuntime.threads must be at least 1, got \(newValue)")
            threadSetting.store(newValue, ordering: .relaxed)
        }
    }

    /// Whether this CPU has the AVX-512 subsets BLIS's "skx" kernels need.
    public static let cpuHasAVX512: Bool = {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return false }
        let flags = Set(flagsLine.split(separator: " ").map(String.init))
        return ["avx512f", "avx512dq", "avx512bw", "avx512vl"].allSatisfy(flags.contains)
    }()

    /// Performed once before the first BLAS call (BLIS reads BLIS_ARCH_TYPE lazily).
    static let blasConfigured: Bool = {
        if ProcessInfo.processInfo.environment["BLIS_ARCH_TYPE"] == nil && cpuHasAVX512 {
            setenv("BLIS_ARCH_TYPE", "skx", 0)
        }
        #if os(Linux)
        // Keep freed large tensors in the heap instead of returning them to the
        // kernel: otherwise every large temporary is a fresh mmap whose pages
        // fault in on first touch (measured ~20% of a training step).
        _ = mallopt(M_MMAP_THRESHOLD, 1 << 30)
        _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
        #endif
        _ = bli_init()
        // TensorCore parallelises GEMMs itself (see BLAS.sgemm).
        bli_thread_set_num_threads(1)
        return true
    }()

    /// The BLIS kernel family in use (e.g. "skx", "haswell"); triggers configuration.
    public static var blasKernelName: String {
        _ = blasConfigured
        return String(cString: bli_arch_string(bli_arch_query_id()))
    }
}
