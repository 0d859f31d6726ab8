import CPJSIP

extension String {
    /// Copies a `pj_str_t` (pointer and length, not NUL-terminated) into a Swift string.
    init(pjString s: pj_str_t) {
        guard let pointer = s.ptr, s.slen > 0 else { self = ""; return }
        self = String(decoding: UnsafeRawBufferPointer(start: pointer, count: Int(s.slen)), as: UTF8.self)
    }
}

/// C strings handed to pjproject that must outlive the call that took them (`pj_str()` keeps
/// the pointer it is given). Freed together when the adapter shuts down.
///
/// Used on the controller thread only.
final class CStringArena {
    private var pointers: [UnsafeMutablePointer<CChar>] = []

    /// A `pj_str_t` whose bytes live until `freeAll()`.
    func pjString(_ text: String) -> pj_str_t {
        let pointer = strdup(text)!
        pointers.append(pointer)
        return pj_str_t(ptr: pointer, slen: pj_ssize_t(strlen(pointer)))
    }

    func freeAll() {
        pointers.forEach { free($0) }
        pointers.removeAll()
    }
}

/// Runs `body` with a `pj_str_t` valid for the duration of the call only.
func withPJString<T>(_ text: String, _ body: (UnsafeMutablePointer<pj_str_t>) throws -> T) rethrows -> T {
    var bytes = Array(text.utf8CString)  // NUL-terminated too, for functions that want C strings
    return try bytes.withUnsafeMutableBufferPointer { buffer in
        var s = pj_str_t(ptr: buffer.baseAddress, slen: pj_ssize_t(buffer.count - 1))
        return try body(&s)
    }
}
