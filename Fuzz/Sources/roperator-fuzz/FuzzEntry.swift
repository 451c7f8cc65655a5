#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The check this process runs, from `ROPERATOR_FUZZ_TARGET` (one of `FuzzChecks.names`).
///
/// One binary serves every target so the fuzz build links once; `Scripts/fuzz.sh` sets the
/// variable per run.
private let target: String = {
    guard let value = getenv("ROPERATOR_FUZZ_TARGET").map({ String(cString: $0) }), FuzzChecks.names.contains(value) else {
        fatalError("set ROPERATOR_FUZZ_TARGET to one of \(FuzzChecks.names.joined(separator: ", "))")
    }
    return value
}()

/// libFuzzer's entry point: runs the check on one input and traps when it breaks a property,
/// so libFuzzer saves the input as a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    do {
        try FuzzChecks.run(target, bytes)
    } catch {
        fatalError("\(error)")
    }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// The process entry point. SwiftPM links an executable target's `main` to `<module>_main`,
/// which keeps libFuzzer's own `main` out, so this starts libFuzzer's driver itself.
@_cdecl("roperator_fuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    var argc = argc
    var argv = argv
    return runFuzzerDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) }
}
