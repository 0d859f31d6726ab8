/// `GET` and `POST /api/wallboard/token` (admin token): the read-only supervisor token that
/// opens the wallboard and nothing else, and the link a TV opens once (the page then keeps
/// the token in a cookie).
public struct WallboardTokenBody: Codable, Sendable, Equatable {
    public var token: String
    public var link: String

    public init(token: String, link: String) {
        self.token = token
        self.link = link
    }
}
