/// Where a call goes next: the right-hand side of every `->` in a plan.
public enum Target: Sendable, Hashable, CustomStringConvertible {
    case menu(String)
    case queue(String)
    case hunt(String)
    /// The caller confirms a number to be called back on and keeps their place in the queue
    /// (`callback QUEUE`).
    case callback(String)
    /// The caller keys an existing reference and is routed to the department that owns it.
    case reference
    /// Play the current menu again from its greeting. Menu options only.
    case repeatMenu
    /// Return to the menu the caller came from. Menu options only.
    case back
    /// Play `goodbye` and hang up.
    case hangup

    public var description: String {
        switch self {
        case .menu(let n): "menu \(n)"
        case .queue(let n): "queue \(n)"
        case .hunt(let n): "hunt \(n)"
        case .callback(let n): "callback \(n)"
        case .reference: "reference"
        case .repeatMenu: "repeat"
        case .back: "back"
        case .hangup: "hangup"
        }
    }
}
