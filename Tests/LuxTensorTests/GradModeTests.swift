import Foundation
import Testing
@testable import LuxTensor

@Suite struct GradModeTests {
    @Test func flagIsPerThread() {
        let x = Tensor(shape: [1], data: [1], requiresGrad: true)
        // One thread sits inside withoutGrad while another records ops.
        let inside = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var otherThreadRecorded = false
        let t = Thread {
            inside.wait()
            otherThreadRecorded = GradMode.isEnabled && (x * 2).requiresGrad
            done.signal()
        }
        t.start()
        let insideRecorded: Bool = GradMode.withoutGrad {
            inside.signal()
            done.wait()
            return (x * 2).requiresGrad
        }
        #expect(otherThreadRecorded)
        #expect(!insideRecorded)
        #expect(GradMode.isEnabled)
        #expect(GradMode.withoutGrad { GradMode.withGrad { GradMode.isEnabled } })
    }
}
