extension UInt32 {
    /// pjmedia's PJMEDIA_FOURCC order: the first character in the lowest byte.
    init(ascii4 text: StaticString) {
        let bytes = UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount)
        self = bytes.prefix(4).enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }
}
