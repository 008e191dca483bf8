import Testing
@testable import Templates

@Suite struct ValueTests {
    @Test func literalsMakeTheMatchingCase() {
        let values: [Value] = ["text", 3, 2.5, true, nil, [1, "a"], ["k": 1]]
        #expect(values == [
            .string("text"), .int(3), .double(2.5), .bool(true), .null,
            .array([.int(1), .string("a")]), .object(["k": .int(1)]),
        ])
    }

    @Test func equalityOfTheSwiftTypeIsExact() {
        // `==` on Value itself is exact; the template language's `==` is looser.
        #expect(Value.int(1) != Value.double(1))
        #expect(Value.string("a") != Value.safe("a"))
        #expect(Value.int(1).looselyEquals(.double(1)))
        #expect(Value.string("a").looselyEquals(.safe("a")))
        #expect(!Value.null.looselyEquals(.bool(false)))
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "0"), (2.0, "2"), (-3.0, "-3"), (0.1, "0.1"), (1.5e300, "1.5e+300"),
        (123456789012345.0, "123456789012345"), (Double.nan, "NaN"), (Double.infinity, "inf"),
    ])
    func decimalsPrintInTheirShortestForm(_ number: Double, _ text: String) {
        #expect(Value.format(number) == text)
    }
}
