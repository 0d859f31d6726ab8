/// A Server-Sent Events stream (HTML Living Standard §9.2) a handler returns instead of a
/// body: the server writes the head, then each chunk `next` gives, until the stream or the
/// client ends. Implemented by the controller's pop hub; read by one HTTP connection thread.
public protocol EventStream: AnyObject, Sendable {
    /// The next text to write (one or more complete `event:`/`data:` blocks), waiting at most
    /// `timeout` seconds; nil when nothing came (the server then writes a keep-alive comment).
    func next(timeout: Double) -> String?
    /// True once the stream will give nothing more (the agent left the plan, the server stops).
    var isFinished: Bool { get }
    /// The client went away: release the subscription.
    func cancel()
}
