import Testing
@testable import LuxImage

@Test func imagePlanarLayoutAndInterleaveRoundTrip() {
    var img = Image(width: 3, height: 2, channels: 3)
    img[2, 1, 1] = 0.5
    #expect(img.pixels[1 * 6 + 1 * 3 + 2] == 0.5)
    let inter = img.interleaved()
    #expect(inter[(1 * 3 + 2) * 3 + 1] == 0.5)
    let back = inter.withUnsafeBufferPointer {
        Image(width: 3, height: 2, channels: 3, colorSpace: .working, interleaved: $0)
    }
    #expect(back == img)
}
