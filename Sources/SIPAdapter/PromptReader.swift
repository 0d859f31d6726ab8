/// Where a playback of prompts held in memory (`PromptAudio`) has got to, and the reading of
/// its next frame: what a bridge `PromptPort` and a `PromptDriver` entry both play from.
///
/// Plain memory, no Swift object, so a media thread reading it touches no reference count;
/// whoever owns it keeps the audio alive while it plays (the segments point into it). Set up
/// by `configure` on the controller thread, read by `read` on one media thread; the owner
/// keeps the two apart (the bridge's operation queue, or the driver's lock).
struct PromptReader {
    /// One file's samples, in playing order.
    struct Segment {
        var base: UnsafePointer<Int16>?
        var count: Int
    }

    var segments: UnsafeMutablePointer<Segment>
    var capacity: Int
    var segmentCount = 0
    var index = 0
    var position = 0
    var loop = false
    /// Set once the end was reported, so it is reported once.
    var finished = true
    /// The `CallbackBridge` token of the playback, reported at its end.
    var token: UInt = 0

    /// Room for `capacity` files; grows in `configure` when a playback has more.
    init(capacity: Int = 8) {
        segments = .allocate(capacity: capacity)
        self.capacity = capacity
    }

    /// Frees the segment list; the reader is not used again.
    func deallocate() { segments.deallocate() }

    /// Sets what plays next, from its start. A loop over nothing would never fill a frame: it
    /// plays as an ended prompt instead.
    mutating func configure(_ audio: [PromptAudio], loop: Bool, token: UInt) {
        if audio.count > capacity {
            segments.deallocate()
            segments = .allocate(capacity: audio.count)
            capacity = audio.count
        }
        for (i, file) in audio.enumerated() {
            segments[i] = Segment(base: UnsafePointer(file.samples.baseAddress), count: file.samples.count)
        }
        segmentCount = audio.count
        index = 0
        position = 0
        self.loop = loop && audio.contains { $0.samples.count > 0 }
        finished = false
        self.token = token
    }

    /// Copies up to `wanted` samples of the playback into `out` and advances; returns how many
    /// (fewer only at the end of a playback that does not loop, 0 once it is over).
    mutating func read(into out: UnsafeMutablePointer<Int16>, wanted: Int) -> Int {
        var filled = 0
        while filled < wanted {
            if index >= segmentCount {
                guard loop else { break }
                index = 0
                position = 0
            }
            let segment = segments[index]
            let available = segment.count - position
            guard available > 0, let base = segment.base else {
                index += 1
                position = 0
                continue
            }
            let n = min(available, wanted - filled)
            (out + filled).update(from: base + position, count: n)
            filled += n
            position += n
        }
        return filled
    }

    /// The playback's end was reached: true the first time only, when the caller reports it.
    mutating func takeEnd() -> Bool {
        guard !finished else { return false }
        finished = true
        return true
    }
}
