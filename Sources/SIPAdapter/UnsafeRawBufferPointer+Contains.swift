extension UnsafeRawBufferPointer {
    /// Whether `needle`'s UTF-8 bytes occur in these bytes. For the log writer, which sees
    /// every PJSIP message on the thread that logs it, and the dial's TLS check, on the
    /// controller thread before every INVITE: a plain byte scan, where Foundation's
    /// `String.contains` would bridge to an NSString search.
    func contains(_ needle: StaticString) -> Bool {
        let pattern = UnsafeRawBufferPointer(start: needle.utf8Start, count: needle.utf8CodeUnitCount)
        guard !pattern.isEmpty else { return true }
        guard pattern.count <= count else { return false }
        for start in 0...(count - pattern.count) where self[start] == pattern[0] {
            var matched = 1
            while matched < pattern.count && self[start + matched] == pattern[matched] { matched += 1 }
            if matched == pattern.count { return true }
        }
        return false
    }
}
