import CDNNL
import Foundation

/// A oneDNN call that failed: the primitive or function name and the status.
public struct DNNLError: Error, CustomStringConvertible {
    public let what: String
    public let status: dnnl_status_t
    public var description: String { "oneDNN \(what) failed: \(DNNL.statusName(status))" }
}

/// oneDNN (v2.6 C API) plumbing shared by the convolution kernels: one CPU engine and stream,
/// a status check, and a cache of compiled primitives keyed by op name and shapes.
///
/// Every kernel talks to oneDNN in plain layouts at its boundary (NCHW activations, OIHW weights);
/// inside, primitives are created with `dnnl_format_tag_any` so oneDNN picks its fast blocked
/// layouts (e.g. nChw16c for brgconv), and ``DNNLPrimitive`` reorders in and out around the call.
/// oneDNN threads with OpenMP; all executions are serialised by one lock (the engine is shared).
public enum DNNL {
    nonisolated(unsafe) static let engine: dnnl_engine_t = {
        var e: dnnl_engine_t?
        check(dnnl_engine_create(&e, dnnl_cpu, 0), "engine_create")
        return e!
    }()

    nonisolated(unsafe) static let stream: dnnl_stream_t = {
        var s: dnnl_stream_t?
        check(dnnl_stream_create(&s, engine, dnnl_stream_default_flags.rawValue), "stream_create")
        return s!
    }()

    /// Activation layout requested inside conv primitives: `any` (oneDNN's blocked choice, with
    /// reorders at the op boundary) or, with `LUX_DNNL_PLAIN=1` in the environment, plain NCHW
    /// (no reorders, slower kernels).
    nonisolated(unsafe) static let activationTag: dnnl_format_tag_t =
        ProcessInfo.processInfo.environment["LUX_DNNL_PLAIN"] == "1" ? dnnl_nchw : dnnl_format_tag_any

    /// Serialises primitive creation, cache access and execution.
    static let lock = NSRecursiveLock()
    nonisolated(unsafe) private static var cache: [String: DNNLPrimitive] = [:]

    /// Traps with the primitive name when `status` is not `dnnl_success` (programmer error:
    /// shapes are validated by the callers before reaching oneDNN).
    @inline(__always)
    static func check(_ status: dnnl_status_t, _ what: @autoclosure () -> String) {
        if status != dnnl_success {
            preconditionFailure(DNNLError(what: what(), status: status).description)
        }
    }

    /// Throwing variant of ``check(_:_:)``.
    static func tryCheck(_ status: dnnl_status_t, _ what: String) throws {
        if status != dnnl_success { throw DNNLError(what: what, status: status) }
    }

    static func statusName(_ s: dnnl_status_t) -> String {
        switch s {
        case dnnl_success: return "success"
        case dnnl_out_of_memory: return "out of memory"
        case dnnl_invalid_arguments: return "invalid arguments"
        case dnnl_unimplemented: return "unimplemented (no kernel for these shapes/layouts)"
        case dnnl_iterator_ends: return "iterator ends"
        case dnnl_runtime_error: return "runtime error"
        case dnnl_not_required: return "not required"
        default: return "status \(s.rawValue)"
        }
    }

    /// A plain memory descriptor for `dims` with `tag` (f32).
    static func md(_ dims: [Int], _ tag: dnnl_format_tag_t) -> dnnl_memory_desc_t {
        var d = dnnl_memory_desc_t()
        let dd = dims.map { Int64($0) }
        check(dnnl_memory_desc_init_by_tag(&d, Int32(dims.count), dd, dnnl_f32, tag), "memory_desc_init \(dims)")
        return d
    }

    /// The cached primitive for `key`, creating it with `make` on first use.
    static func primitive(_ key: String, _ make: () -> DNNLPrimitive) -> DNNLPrimitive {
        lock.lock(); defer { lock.unlock() }
        if let p = cache[key] { return p }
        let p = make()
        cache[key] = p
        return p
    }

    /// Number of cached primitives (for tests and diagnostics).
    public static var cachedPrimitiveCount: Int { lock.lock(); defer { lock.unlock() }; return cache.count }

    /// `dnnl_sgemm`, row-major: C[M,N] = alpha * op(A) * op(B) + beta * C.
    public static func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        let ta = CChar(UInt8(ascii: transA ? "T" : "N")), tb = CChar(UInt8(ascii: transB ? "T" : "N"))
        check(dnnl_sgemm(ta, tb, Int64(m), Int64(n), Int64(k), alpha, a, Int64(lda), b, Int64(ldb),
                         beta, c, Int64(ldc)), "sgemm \(m)x\(k)x\(n)")
    }
}

/// One argument of a primitive in the caller's plain layout.
struct DNNLSlot {
    let arg: Int32
    let userMD: dnnl_memory_desc_t
    let isOutput: Bool
}

/// A compiled oneDNN primitive plus the reorders between the caller's plain layouts and the
/// layouts the primitive chose. Created once per op+shape key (see ``DNNL/primitive(_:_:)``).
final class DNNLPrimitive: @unchecked Sendable {
    private struct Bound {
        let arg: Int32
        let isOutput: Bool
        let user: dnnl_memory_t          // handle set per call
        let inner: dnnl_memory_t?        // primitive-layout buffer when it differs
        let reorder: dnnl_primitive_t?   // user->inner (inputs) or inner->user (outputs)
    }
    private let name: String
    private let prim: dnnl_primitive_t
    private let pd: dnnl_primitive_desc_t
    private var bound: [Bound] = []
    private var scratch: dnnl_memory_t?

    /// Creates the primitive from an op descriptor (pointer to a `dnnl_*_desc_t`).
    /// - Parameter hint: forward primitive descriptor required by backward primitives.
    init(name: String, opDesc: UnsafeRawPointer, hint: DNNLPrimitive?, slots: [DNNLSlot]) {
        self.name = name
        var attr: dnnl_primitive_attr_t?
        DNNL.check(dnnl_primitive_attr_create(&attr), "attr_create")
        DNNL.check(dnnl_primitive_attr_set_scratchpad_mode(attr, dnnl_scratchpad_mode_user), "scratchpad_mode")
        var pdOut: dnnl_primitive_desc_t?
        DNNL.check(dnnl_primitive_desc_create(&pdOut, opDesc, attr, DNNL.engine, hint?.pd), "\(name) primitive_desc_create")
        dnnl_primitive_attr_destroy(attr)
        pd = pdOut!
        var p: dnnl_primitive_t?
        DNNL.check(dnnl_primitive_create(&p, pd), "\(name) primitive_create")
        prim = p!
        let eng = DNNL.engine
        for s in slots {
            var umd = s.userMD
            var user: dnnl_memory_t?
            DNNL.check(dnnl_memory_create(&user, &umd, eng, nil), "\(name) memory_create")
            let pmdPtr = dnnl_primitive_desc_query_md(pd, dnnl_query_exec_arg_md, s.arg)!
            var pmd = pmdPtr.pointee
            var inner: dnnl_memory_t?
            var reorder: dnnl_primitive_t?
            if dnnl_memory_desc_equal(&umd, &pmd) == 0 {
                DNNL.check(dnnl_memory_create(&inner, &pmd, eng, UnsafeMutableRawPointer(bitPattern: -1)),
                           "\(name) inner memory_create")
                var rpd: dnnl_primitive_desc_t?
                if s.isOutput {
                    DNNL.check(dnnl_reorder_primitive_desc_create(&rpd, &pmd, eng, &umd, eng, nil), "\(name) reorder out")
                } else {
                    DNNL.check(dnnl_reorder_primitive_desc_create(&rpd, &umd, eng, &pmd, eng, nil), "\(name) reorder in")
                }
                DNNL.check(dnnl_primitive_create(&reorder, rpd), "\(name) reorder create")
                dnnl_primitive_desc_destroy(rpd)
            }
            bound.append(Bound(arg: s.arg, isOutput: s.isOutput, user: user!, inner: inner, reorder: reorder))
        }
        if let smd = dnnl_primitive_desc_query_md(pd, dnnl_query_scratchpad_md, 0) {
            var m = smd.pointee
            if dnnl_memory_desc_get_size(&m) > 0 {
                DNNL.check(dnnl_memory_create(&scratch, &m, eng, UnsafeMutableRawPointer(bitPattern: -1)), "\(name) scratchpad")
            }
        }
    }

    /// Runs the primitive on caller buffers given in slot order (plain layouts).
    ///
    /// - Parameters:
    ///   - provided: inputs already in a primitive layout (from an earlier call's `export`), used
    ///     directly when their layout equals this primitive's, skipping the reorder.
    ///   - export: input args whose reordered (blocked) copy should be kept in a fresh buffer and
    ///     returned, so a later primitive (e.g. backward-weights after forward) can reuse it.
    @discardableResult
    func execute(_ pointers: [UnsafeMutableRawPointer], provided: [Int32: DNNLBuffer] = [:],
                 export: Set<Int32> = []) -> [Int32: DNNLBuffer] {
        precondition(pointers.count == bound.count, "\(name): \(bound.count) buffers expected, got \(pointers.count)")
        DNNL.lock.lock(); defer { DNNL.lock.unlock() }
        let s = DNNL.stream
        var args: [dnnl_exec_arg_t] = []
        var exported: [Int32: DNNLBuffer] = [:]
        for (b, ptr) in zip(bound, pointers) {
            DNNL.check(dnnl_memory_set_data_handle(b.user, ptr), "\(name) set_data_handle")
            guard let inner = b.inner else {
                args.append(dnnl_exec_arg_t(arg: b.arg, memory: b.user))
                continue
            }
            if b.isOutput {
                args.append(dnnl_exec_arg_t(arg: b.arg, memory: inner))
                continue
            }
            if let given = provided[b.arg], given.matches(inner) {
                args.append(dnnl_exec_arg_t(arg: b.arg, memory: given.memory))
                continue
            }
            var target = inner
            if export.contains(b.arg) {
                let buf = DNNLBuffer(like: inner)
                exported[b.arg] = buf
                target = buf.memory
            }
            var ra = [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: b.user), dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: target)]
            DNNL.check(dnnl_primitive_execute(b.reorder, s, 2, &ra), "\(name) reorder in")
            args.append(dnnl_exec_arg_t(arg: b.arg, memory: target))
        }
        if let scratch { args.append(dnnl_exec_arg_t(arg: DNNL_ARG_SCRATCHPAD, memory: scratch)) }
        DNNL.check(dnnl_primitive_execute(prim, s, Int32(args.count), &args), "\(name) execute")
        for b in bound where b.isOutput {
            if let inner = b.inner {
                var ra = [dnnl_exec_arg_t(arg: DNNL_ARG_FROM, memory: inner), dnnl_exec_arg_t(arg: DNNL_ARG_TO, memory: b.user)]
                DNNL.check(dnnl_primitive_execute(b.reorder, s, 2, &ra), "\(name) reorder out")
            }
        }
        DNNL.check(dnnl_stream_wait(s), "\(name) stream_wait")
        return exported
    }
}

/// A oneDNN-owned buffer in a primitive's (blocked) layout, freed with this object. Lets a
/// backward primitive reuse the forward pass's reordered input instead of reordering again.
final class DNNLBuffer: @unchecked Sendable {
    let memory: dnnl_memory_t
    private var md: dnnl_memory_desc_t

    init(like other: dnnl_memory_t) {
        var mdPtr: UnsafePointer<dnnl_memory_desc_t>?
        DNNL.check(dnnl_memory_get_memory_desc(other, &mdPtr), "memory_get_memory_desc")
        md = mdPtr!.pointee
        var m: dnnl_memory_t?
        DNNL.check(dnnl_memory_create(&m, &md, DNNL.engine, UnsafeMutableRawPointer(bitPattern: -1)), "buffer memory_create")
        memory = m!
    }

    /// Whether this buffer has the same layout as `other`.
    func matches(_ other: dnnl_memory_t) -> Bool {
        var mdPtr: UnsafePointer<dnnl_memory_desc_t>?
        DNNL.check(dnnl_memory_get_memory_desc(other, &mdPtr), "memory_get_memory_desc")
        return dnnl_memory_desc_equal(&md, mdPtr) != 0
    }

    deinit { dnnl_memory_destroy(memory) }
}

/// Calls `body` with mutable raw pointers to each array's storage (inputs are only read by oneDNN).
func withRawPointers<R>(_ arrays: [[Float]], _ body: ([UnsafeMutableRawPointer]) -> R) -> R {
    func go(_ i: Int, _ acc: [UnsafeMutableRawPointer]) -> R {
        if i == arrays.count { return body(acc) }
        return arrays[i].withUnsafeBufferPointer { buf in
            go(i + 1, acc + [UnsafeMutableRawPointer(mutating: buf.baseAddress!)])
        }
    }
    return go(0, [])
}

/// A new array of `count` values filled by `fill` (which must write all of them).
func makeArray(_ count: Int, _ fill: (UnsafeMutableRawPointer) -> Void) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buf, n in
        fill(UnsafeMutableRawPointer(buf.baseAddress!))
        n = count
    }
}
