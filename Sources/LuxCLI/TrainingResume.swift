import Foundation
import LuxAdjust
import LuxAgent
import LuxCorrect
import LuxHDR
import LuxHistogram

/// The trainers `lux train` drives; each restores its own checkpoint format.
protocol ResumableTrainer: AnyObject {
    var iteration: Int { get }
    func resume(from url: URL) throws
}

extension AgentTrainer: ResumableTrainer {}
extension CorrectTrainer: ResumableTrainer {}
extension HDRTrainer: ResumableTrainer {}
extension AdjustTrainer: ResumableTrainer {}
extension HistogramTrainer: ResumableTrainer {}

/// `--resume PATH` of every `lux train` command: restores `trainer` from the checkpoint (nothing
/// without one) and logs the iteration it continues from.
func resumeIfAsked(_ trainer: some ResumableTrainer, from path: String?, log: (String) -> Void) throws {
    guard let path else { return }
    try trainer.resume(from: URL(fileURLWithPath: path))
    log("resumed at iteration \(trainer.iteration) from \(path)")
}
