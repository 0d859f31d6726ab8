extension Result {
    /// The failure, or nil on success: for `#expect(… == .someRefusal)` in tests.
    public var failure: Failure? {
        if case .failure(let f) = self { return f }
        return nil
    }
}
