import Testing
@testable import LuxImage

@Test func cropCopiesTheRightWindow() throws {
    var img = Image(width: 5, height: 4, channels: 4)
    for c in 0..<4 { for y in 0..<4 { for x in 0..<5 { img[x, y, c] = Float(c * 100 + y * 10 + x) } } }
    let cr = try img.cropped(x: 1, y: 2, width: 3, height: 2)
    #expect(cr.width == 3 && cr.height == 2 && cr.channels == 4)
    #expect(cr.plane(0) == [21, 22, 23, 31, 32, 33])
    #expect(cr.plane(3) == [321, 322, 323, 331, 332, 333])
    #expect(throws: ImageOpError.self) { try img.cropped(x: 3, y: 0, width: 3, height: 1) }
}

@Test func mapClampAndPlanes() {
    let img = Image(width: 2, height: 1, channels: 4, pixels: [-0.5, 0.5, 1.5, 0.25, 0.75, 2, 0.3, 1.2])
    let c = img.clamped()
    #expect(c.pixels == [0, 0.5, 1, 0.25, 0.75, 1, 0.3, 1])
    let m = img.mapValues { $0 * 2 }
    #expect(m.plane(0) == [-1, 1] && m.plane(3) == [0.3, 1.2])   // alpha untouched
    let rebuilt = Image(width: 2, height: 1, planes: img.planes)
    #expect(rebuilt == img)
    let swapped = img.mapRGB { SIMD3($0.z, $0.y, $0.x) }
    #expect(swapped.plane(0) == img.plane(2) && swapped.plane(2) == img.plane(0))
}
