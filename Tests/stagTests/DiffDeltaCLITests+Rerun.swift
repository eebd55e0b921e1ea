import Foundation
@testable import ExportTargetModels
import ServiceTags
import Testing

/// `stag diff --format` deltas are safe to rerun (issue 10, part 2): in the kernel, the hand-made
/// pair's old exports plus the delta twice, and the new exports plus the delta, both leave the
/// sets the new exports load.
extension DiffDeltaCLITests {
    @Test(.kernelTools, arguments: ["nft", "ipset"])
    func handMadePairDeltaIsSafeToRerunInTheKernel(_ tool: String) throws {
        let read = KernelSets.commands(tool).read
        for options in [[], ["--max-entries", "4"], ["--aggregate"]] + (tool == "nft" ? [["--protocol", "tcp", "--port", "443"]] : []) {
            let s = try Self.pairScenario(tool, options: options)
            #expect(s.delta.status == 1, "\(tool) \(options): \(s.delta.stderr)")
            let label = "\(tool) \(options)"
            let fresh = try KernelSets.sets(tool, try KernelSets.run(s.newFull.map { KernelSets.step(tool, $0) }, read: read, label: label))
            let twice = try KernelSets.run((s.oldFull + [s.delta.stdout, s.delta.stdout]).map { KernelSets.step(tool, $0) }, read: read, label: label)
            let onNew = try KernelSets.run((s.newFull + [s.delta.stdout]).map { KernelSets.step(tool, $0) }, read: read, label: label)
            Self.expectSame(try KernelSets.sets(tool, twice), fresh, keepsEmpty: true, "\(label) old + delta + delta")
            Self.expectSame(try KernelSets.sets(tool, onNew), fresh, keepsEmpty: true, "\(label) new + delta")
        }
    }
}
