/// What the store knows of a call's reference, added to a pop or webhook body: its status,
/// the department holding it (`null` if none), the newest journey events and how many there
/// are in all, and the open hand-off when a department holds it by one.
public struct ReferenceContextBody: Codable, Sendable, Equatable {
    public var referenceStatus: String
    public var department: String?
    public var journeyTotal: Int
    public var journey: [JourneyEventBody]
    public var handoff: HandoffBody?

    public init(referenceStatus: String, department: String?, journeyTotal: Int, journey: [JourneyEventBody], handoff: HandoffBody? = nil) {
        self.handoff = handoff
        self.referenceStatus = referenceStatus
        self.department = department
        self.journeyTotal = journeyTotal
        self.journey = journey
    }
}
