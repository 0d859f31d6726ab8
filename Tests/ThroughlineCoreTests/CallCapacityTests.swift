import Testing
import ThroughlineCore

@Suite("Call capacity")
struct CallCapacityTests {
    @Test func byDefaultTheBuildsLimitWhenPortsAndFilesAllowMore() {
        let c = CallCapacity(asked: nil, build: 4096, rtpPorts: 10000...20000, openFiles: 20000)
        #expect(c.calls == 4096 && c.boundBy == .build)
    }

    @Test func aNarrowRTPRangeOrAFewOpenFilesLowerIt() {
        let ports = CallCapacity(asked: nil, build: 4096, rtpPorts: 30000...30999, openFiles: 20000)
        #expect(ports.calls == 500 && ports.boundBy == .rtpPorts)
        // A shell's usual soft limit of 1,024 descriptors: (1,024 - 256) / 3.
        let files = CallCapacity(asked: nil, build: 4096, rtpPorts: 10000...20000, openFiles: 1024)
        #expect(files.calls == 256 && files.boundBy == .openFiles)
    }

    @Test func anAdminsLimitIsTakenUpToWhatIsAllowed() {
        let low = CallCapacity(asked: 2, build: 4096, rtpPorts: 10000...20000, openFiles: 20000)
        #expect(low.calls == 2 && low.boundBy == .asked)
        let high = CallCapacity(asked: 10_000, build: 4096, rtpPorts: 10000...20000, openFiles: 20000)
        #expect(high.calls == 4096 && high.boundBy == .build)
        #expect(high.boundBy.why == "the pjproject build's PJSUA_MAX_CALLS")
    }

    @Test func agentsKeepASlotEachForTheirLegsUpToHalfTheLimit() {
        #expect(CallCapacity.reservedForAgents(limit: 4096, agents: 5) == 5)
        #expect(CallCapacity.reservedForAgents(limit: 3, agents: 1) == 1)
        #expect(CallCapacity.reservedForAgents(limit: 10, agents: 40) == 5)
        #expect(CallCapacity.reservedForAgents(limit: 2, agents: 0) == 0)
    }

    @Test func neverLessThanOneCall() {
        #expect(CallCapacity(asked: nil, build: 4096, rtpPorts: 10000...10000, openFiles: 100).calls == 1)
    }
}
