import CPJSIP

/// A pjproject call that failed: which function, its `pj_status_t`, and pjlib's text for it.
public struct PJError: Error, CustomStringConvertible, Sendable {
    public let function: String
    public let status: Int32
    public let message: String

    public var description: String { "\(function) failed: \(message) (status \(status))" }
}

/// The one place a `pj_status_t` becomes a Swift error, like swift-nio's `syscall(…)`:
/// every pjproject call whose status matters goes through here, naming itself.
@inline(__always)
func pj(_ function: StaticString, _ status: pj_status_t) throws(PJError) {
    guard status != 0 else { return }  // PJ_SUCCESS
    var buffer = [CChar](repeating: 0, count: 160)
    let text = buffer.withUnsafeMutableBufferPointer { pointer in
        String(pjString: pj_strerror(status, pointer.baseAddress, pj_size_t(pointer.count)))
    }
    throw PJError(function: "\(function)", status: status, message: text)
}
