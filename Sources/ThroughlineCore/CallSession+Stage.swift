extension CallSession {
    /// What the call is doing, with the data only that stage has: an impossible combination
    /// (music playing while connected, queue offers while in the menus) cannot be written.
    enum Stage: Sendable {
        /// Answered, waiting for media; the first menu run is ready.
        case answering(IVRSession)
        case inMenus(IVRSession)
        case keyingReference(ReferenceEntry)
        case ringing(Ringing)
        case queued(QueueWait)
        case connected(Connection)
        /// The agent asked (REFER) to transfer the caller; waiting for the referred call.
        case transferring(Connection, target: String)
        case hangingUp
        case ended(code: Int)
    }

    /// The stage, moved out so its data is changed in place: `stage` holds a placeholder
    /// until the caller stores the stage back, so the menu run's steps, the hunt's and the
    /// queue's tables are not copied (copy-on-write) on every input. Callers check the case
    /// first and always store a stage back.
    mutating func takeStage() -> Stage {
        let taken = stage
        stage = .hangingUp
        return taken
    }
}
