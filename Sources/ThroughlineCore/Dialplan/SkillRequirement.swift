/// `skill>=level` in a queue's `require`, `prefer` or `expand` statement.
public struct SkillRequirement: Sendable, Hashable, CustomStringConvertible {
    public var skill: String
    public var minimum: Int
    public var location: SourceLocation

    public init(skill: String, minimum: Int, location: SourceLocation) {
        self.skill = skill
        self.minimum = minimum
        self.location = location
    }

    public var description: String { "\(skill)>=\(minimum)" }

    /// True when `skills` (an agent's) meets this requirement.
    public func isMet(by skills: [String: Located<Int>]) -> Bool {
        (skills[skill]?.value ?? 0) >= minimum
    }
}
