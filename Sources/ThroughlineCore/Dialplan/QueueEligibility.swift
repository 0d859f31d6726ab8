/// Which agents a queue's skill rules admit, at the start and at each expansion step, in the
/// order `simulate` shows them: most preferred skills met, then highest required levels.
/// Live routing (who is free, strategy) is the queue engine's job; this is the plan's view.
public enum QueueEligibility {
    public struct Step: Sendable, Equatable {
        /// When the step applies (zero: from the start).
        public var after: Duration
        public var require: [SkillRequirement]
        /// Agents admitted from this step on (not already admitted earlier).
        public var agents: [String]
    }

    public static func steps(for queue: Queue, in plan: Dialplan) -> [Step] {
        var admitted = Set<String>()
        var steps: [Step] = []
        for (after, reqs) in [(Duration.zero, queue.require)] + queue.expansions.map({ ($0.after, $0.require) }) {
            let eligible = plan.agents.filter { a in !admitted.contains(a.name.value) && reqs.allSatisfy { $0.isMet(by: a.skills) } }
            let ranked = eligible.sorted { a, b in
                let pa = queue.prefer.filter { $0.isMet(by: a.skills) }.count, pb = queue.prefer.filter { $0.isMet(by: b.skills) }.count
                if pa != pb { return pa > pb }
                let la = reqs.reduce(0) { $0 + (a.skills[$1.skill]?.value ?? 0) }, lb = reqs.reduce(0) { $0 + (b.skills[$1.skill]?.value ?? 0) }
                if la != lb { return la > lb }
                return a.name.value < b.name.value
            }
            admitted.formUnion(ranked.map(\.name.value))
            steps.append(Step(after: after, require: reqs, agents: ranked.map(\.name.value)))
        }
        return steps
    }
}
