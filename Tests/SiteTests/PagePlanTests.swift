import Content
import Diagnostics
import Testing
import Templates
@testable import Site

@Suite struct PagePlanTests {
    @Test func editAddressesReplaceEveryPathMark() {
        func editURL(_ pattern: String?) -> Value {
            Views(content: ContentSet(config: SiteConfig(title: "T", editURL: pattern))).editURL("content/assets/a.md")
        }
        #expect(editURL("https://forge.example/edit/{path}") == "https://forge.example/edit/content/assets/a.md")
        #expect(editURL("{path}?from={path}#{path") == "content/assets/a.md?from=content/assets/a.md#{path")
        #expect(editURL("https://forge.example/wiki") == "https://forge.example/wiki")
        #expect(editURL("") == .null)
        #expect(editURL(nil) == .null)
    }

    @Test func termMembersFollowTheListOrder() {
        let positions = ["c": 0, "a": 1, "d": 2, "b": 3]
        let values: [Value] = ["C", "A", "D", "B"]
        #expect(PagePlan.members(["a", "b", "c"], positions: positions, values: values) == ["C", "A", "B"])
        #expect(PagePlan.members([], positions: positions, values: values) == [])
    }

    @Test func theJobQueueHandsOutEachJobByPosition() {
        let jobs = ["a/", "b/", "c/"].map { PageJob(template: "page.html", path: $0, context: ["n": .string($0)]) }
        let queue = PageJobQueue(jobs)
        for index in [2, 0, 1] {
            let job = queue.take(index)
            #expect(job.path == jobs[index].path && job.finishedContext() == jobs[index].context)
        }
    }

    @Test func valuesMadeOnEveryCoreKeepTheirOrder() {
        for count in [0, 1, 255, 256, 257, 1000] {
            let items = Array(0..<count)
            #expect(PagePlan.inOrder(items) { Value.int($0 * 2) } == items.map { .int($0 * 2) })
        }
    }

    @Test func termsWithTheSameNameShareOneEntry() {
        func asset(_ slug: String, tags: [String], areas: [String]) -> Asset {
            Asset(slug: slug, sourcePath: "content/assets/\(slug).md", source: SourceFile(path: "content/assets/\(slug).md", text: ""), title: slug, type: "space", summary: "s",
                  areas: areas, tags: tags)
        }
        let content = ContentSet(
            config: SiteConfig(title: "T", areas: [AreaInfo(slug: "north", name: "North Side")]),
            assets: [
                asset("a", tags: ["Food Bank", "Garden"], areas: ["North Side"]),
                asset("b", tags: ["Food Bank"], areas: ["North Side", "East End"]),
            ])
        let terms = TermIndex(content: content)
        #expect(terms.entries(.tag).map(\.slug) == ["food-bank", "garden"])
        #expect(terms.entries(.tag).map(\.assets) == [["a", "b"], ["a"]])
        #expect(terms.entries(.area).map(\.slug) == ["east-end", "north"])
        #expect(terms.entries(.area).map(\.assets) == [["b"], ["a", "b"]])
    }
}
