import Testing
@testable import Site

@Suite struct TermTableTests {
    func number(_ table: inout TermTable, _ term: String) -> Int {
        var term = term
        return term.withUTF8 { table.number(of: $0) }
    }

    @Test func termsAreNumberedInTheOrderFirstMet() {
        var table = TermTable()
        #expect(number(&table, "garden") == 0)
        #expect(number(&table, "library") == 1)
        #expect(number(&table, "garden") == 0)
        #expect(number(&table, "café") == 2)
        #expect(table.count == 3)
        #expect(table.text(2) == "café")
    }

    @Test func manyTermsSurviveTheTableGrowing() {
        var table = TermTable()
        let terms = (0..<5000).map { "t\($0 * 7919 % 10007)" }
        for (index, term) in terms.enumerated() { #expect(number(&table, term) == index) }
        for (index, term) in terms.enumerated().reversed() { #expect(number(&table, term) == index) }
        #expect(table.count == terms.count)
        #expect((0..<terms.count).map(table.text) == terms)
    }
}
