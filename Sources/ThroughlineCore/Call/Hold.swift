/// What a waiting caller hears while agents ring or a queue holds them: the stage's music on
/// a loop, or an interlude over it ("please hold", an announcement of their place), with the
/// announcements that arrived during an interlude waiting their turn. Part of the stage that
/// has it (`CallSession.Stage.ringing`, `.queued`), so it ends with that stage.
struct Hold: Sendable {
    /// The prompt looped while nothing else plays.
    var music: String
    /// The music's playback, while it plays.
    var musicPlayback: PlaybackID?
    /// "Please hold" or an announcement, while it plays (the music is stopped meanwhile).
    var interlude: PlaybackID?
    /// Announcements waiting for the interlude to end.
    var waiting: [[String]] = []
}
