extension StringProtocol {
    /// The text without the given scalars at either end. Works on scalars, not Characters:
    /// as a Character "\r\n" is one grapheme that equals neither "\r" nor "\n".
    public func trimmingScalars(_ blanks: Set<Unicode.Scalar>) -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, blanks.contains(first) { scalars.removeFirst() }
        while let last = scalars.last, blanks.contains(last) { scalars.removeLast() }
        return String(scalars)
    }
}
