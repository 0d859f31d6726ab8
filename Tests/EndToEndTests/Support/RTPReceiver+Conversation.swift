import Foundation

extension RTPReceiver {
    /// Two bridged parties talk in turn, one second each, `first` then `second`: how many of
    /// `first`'s 50 packets `second` heard as voice while `first` talked, and of `second`'s
    /// that `first` heard afterwards. What a bridge both ways must pass (40 or more each).
    static func talkInTurn(_ first: RTPReceiver, _ second: RTPReceiver) throws -> (heardBySecond: Int, heardByFirst: Int) {
        let firstTalks = Date()
        try first.sendTone(seconds: 1)
        let secondTalks = Date()
        try second.sendTone(seconds: 1)
        Thread.sleep(forTimeInterval: 0.3)
        let heardBySecond = second.packets.filter { $0.arrival > firstTalks && $0.arrival < secondTalks.addingTimeInterval(0.2) && Audio.isVoiced($0) }.count
        let heardByFirst = first.packets.filter { $0.arrival > secondTalks && Audio.isVoiced($0) }.count
        return (heardBySecond, heardByFirst)
    }
}
