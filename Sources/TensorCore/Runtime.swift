import CBLAS
import Foundation
import Synchronization

/// Process-wide compute settings: thread count and BLAS kernel selection.
///
/// GEMMs go to BLIS (Debian's libblis 0.9), single-threaded per call and
/// split over ``threads`` workers by TensorCore. Before the first GEMM, if the CPU
/// reports AVX2 and FMA in `/proc/cpuinfo` and `BLIS_ARCH_TYPE` is not already
/// set, this selects BLIS's "haswell" kernels (faster than its AVX-512 "skx"
/// ones for these shapes); otherwise BLIS chooses by itself, so the library
/// runs correctly on any x86-64 CPU. See Tools/TENSORCORE.md for measurements.
///
/// Environment: `TENSORCORE_THREADS` (default thread count), `BLIS_ARCH_TYPE`
/// (left alone when set), `TENSORCORE_KEEP_MALLOC=1` (skip the glibc
/// `mallopt` tuning of ``configure()`` that keeps large freed buffers in the heap).
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

    /// The CPU feature flags from `/proc/cpuinfo` (empty where unavailable).
    static let cpuFlags: Set<String> = {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = info.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return [] }
        return Set(flagsLine.split(separator: " ").map(String.init))
    }()

    /// Whether this CPU has AVX2 and FMA (BLIS's "haswell" kernels).
    public static var cpuHasAVX2: Bool { cpuFlags.contains("avx2") && cpuFlags.contains("fma") }

    /// Whether this CPU has the AVX-512 subsets of BLIS's "skx" kernels.
    public static var cpuHasAVX512: Bool { ["avx512f", "avx512dq", "avx512bw", "avx512vl"].allSatisfy(cpuFlags.contains) }

    /// Configures the process for the tensor core: the BLAS kernels (see ``blasConfigured``) and, on Linux,
    /// glibc's `mallopt` so freed large tensors stay in the heap instead of returning to the kernel (otherwise
    /// every large temporary is a fresh mmap whose pages fault in on first touch: measured ~20 % of a training
    /// step). The malloc tuning is process-wide, so it happens only when a program asks for it — the
    /// `rawquant` tool calls this at start; `TENSORCORE_KEEP_MALLOC=1` skips it. Idempotent.
    public static func configure() {
        _ = blasConfigured
        _ = mallocConfigured
    }

    private static let mallocConfigured: Bool = {
        #if os(Linux)
        if ProcessInfo.processInfo.environment["TENSORCORE_KEEP_MALLOC"] != "1" {
            _ = mallopt(M_MMAP_THRESHOLD, 1 << 30)
            _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
        }
        #endif
        return true
    }()

    /// BLIS set up once, before its first GEMM (it reads BLIS_ARCH_TYPE at init); ``BLAS`` ensures it.
    static let blasConfigured: Bool = {
        // BLIS 0.9 reads BLIS_ARCH_TYPE as a numeric arch_t id: 0 = skx, 3 = haswell.
        // On AVX-512 CPUs BLIS would pick "skx", whose single-precision packing
        // runs generic scalar loops; "haswell" (AVX2+FMA) measured 1.5–3× faster
        // on the convolution GEMMs here (Tools/TENSORCORE.md). Without AVX2, BLIS
        // chooses by itself. A user-set BLIS_ARCH_TYPE is left alone.
        if ProcessInfo.processInfo.environment["BLIS_ARCH_TYPE"] == nil && cpuHasAVX2 {
            setenv("BLIS_ARCH_TYPE", "3", 0)
        }
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
