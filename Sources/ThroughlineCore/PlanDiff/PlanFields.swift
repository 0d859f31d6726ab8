/// A plan block's statements as (statement, value) text pairs, for comparing two versions of
/// it: every stored property, read by reflection so a statement added to the language is
/// compared without touching this file, with the places they are written left out.
enum PlanFields {
    static func of(_ value: Any) -> [(String, String)] {
        Mirror(reflecting: value).children.compactMap { child in
            guard let label = child.label, !(child.value is SourceLocation) else { return nil }
            return (keyword(label), text(child.value))
        }
    }

    /// `ring 15s → 20s` for each statement whose value differs (in `new`'s order).
    static func differences(_ old: [(String, String)], _ new: [(String, String)]) -> [String] {
        let before = Dictionary(old, uniquingKeysWith: { first, _ in first })
        return new.compactMap { name, value in
            let was = before[name] ?? ""
            return was == value ? nil : "\(name) \(was.isEmpty ? "none" : was) → \(value.isEmpty ? "none" : value)"
        }
    }

    /// A value as plan text, places left out: durations as the plan writes them, located
    /// values by their value, lists and sets sorted where order does not matter.
    static func text(_ value: Any) -> String {
        if value is SourceLocation { return "" }
        if let d = value as? Duration { return StatementReader.format(d) }
        if let s = value as? String { return s }
        if let t = value as? Target { return t.description }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.map { text($0.value) } ?? ""
        case .collection:
            return mirror.children.map { text($0.value) }.joined(separator: ", ")
        case .set:
            return mirror.children.map { text($0.value) }.sorted().joined(separator: ", ")
        case .dictionary:
            return mirror.children.map { pair -> String in
                let parts = Mirror(reflecting: pair.value).children.map { text($0.value) }
                return parts.count == 2 ? "\(parts[0])=\(parts[1])" : text(pair.value)
            }.sorted().joined(separator: ", ")
        case .struct where mirror.children.contains(where: { $0.label == "location" }) && mirror.children.contains(where: { $0.label == "value" }):
            // Located<T>: its value.
            return text(mirror.children.first { $0.label == "value" }!.value)
        default:
            // Enums the plan spells with their raw values (`longest-idle`, `sequential`).
            if let raw = (value as? any RawRepresentable)?.rawValue as? String { return raw }
            if let described = value as? CustomStringConvertible { return described.description }
            // A block's part with statements of its own (a queue's expansion): `after 90s require sales>=1`.
            let parts = of(value).map { "\($0.0) \($0.1)" }
            return parts.isEmpty ? String(describing: value) : parts.joined(separator: " ")
        }
    }

    /// The first place a statement of `value` is written (line > 0), if any.
    static func firstLocation(in value: Any) -> SourceLocation? {
        for child in Mirror(reflecting: value).children {
            if let location = child.value as? SourceLocation, location.line > 0 { return location }
            if let nested = firstLocation(in: child.value) { return nested }
        }
        return nil
    }

    /// A campaign's statements, its times as the plan writes them (UTC), not as numbers.
    static func campaign(_ c: Campaign) -> [(String, String)] {
        of(c).map { name, value in
            let time = name == "starts" ? c.starts : (name == "ends" ? c.ends : nil)
            return (name, time.map { UTCTimestamp.string(unixMilliseconds: $0.value) } ?? value)
        }
    }

    /// `digitTimeout` → `digit-timeout`, the statement's spelling.
    static func keyword(_ label: String) -> String {
        var out = ""
        for c in label {
            if c.isUppercase { out += "-" + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}
