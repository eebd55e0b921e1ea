import Foundation
import ServiceTags
import Testing

/// Link discovery in download pages, in the forms the Download Center has used (see peers.md
/// section 3): anchors, meta refresh, a JavaScript variable, embedded JSON with escaped slashes,
/// several dated files at once.
@Suite struct DownloadLinkScannerTests {
    static let base = "https://download.microsoft.com/download/7/1/D/71D86715-5596-4529-9B13-DA13A5DE5B63/"

    static func links(_ page: String, _ cloud: ServiceTagsCloud = .public) -> [DownloadLinkScanner.Link] {
        DownloadLinkScanner.links(in: Array(page.utf8), cloud: cloud)
    }

    @Test func anchorLink() {
        let page = "<html><a class=\"dl\" href=\"\(Self.base)ServiceTags_Public_20251028.json\">Download</a></html>"
        let found = Self.links(page)
        #expect(found.map(\.url) == [Self.base + "ServiceTags_Public_20251028.json"])
        #expect(found.first?.isAbsolute == true)
        #expect(found.first?.name.date == "20251028")
    }

    @Test func metaRefreshJavaScriptAndEscapedJSON() {
        let meta = "<meta http-equiv=\"refresh\" content=\"0;url=\(Self.base)ServiceTags_Public_20251020.json\">"
        #expect(Self.links(meta).map(\.url) == [Self.base + "ServiceTags_Public_20251020.json"])

        let script = "<script>var AcOEt_DownloadUrl = '\(Self.base)ServiceTags_Public_20251021.json';</script>"
        #expect(Self.links(script).map(\.url) == [Self.base + "ServiceTags_Public_20251021.json"])

        let escaped = Self.base.replacingOccurrences(of: "/", with: "\\/")
        let json = "window.__DLCDetails__={\"downloadFile\":[{\"url\":\"\(escaped)ServiceTags_Public_20251022.json\"}]}"
        #expect(Self.links(json).map(\.url) == [Self.base + "ServiceTags_Public_20251022.json"])

        let unicode = Self.base.replacingOccurrences(of: "/", with: "\\u002F")
        #expect(Self.links("{\"u\":\"\(unicode)ServiceTags_Public_20251023.json\"}").map(\.url) == [Self.base + "ServiceTags_Public_20251023.json"])
    }

    @Test func severalDatedLinksTheNewestWins() {
        // The 2025 China page listed two files at once; "first match" picked the stale one.
        let page = """
        <a href="\(Self.base)ServiceTags_China_20250728.json">old</a>
        <a href="\(Self.base)ServiceTags_China_20250804.json">new</a>
        <a href="\(Self.base)ServiceTags_China_20250721.json">older</a>
        """
        let found = Self.links(page, .china)
        #expect(found.map(\.name.date) == ["20250728", "20250804", "20250721"])
        #expect(DownloadLinkScanner.newest(found)?.url == Self.base + "ServiceTags_China_20250804.json")
    }

    @Test func otherCloudsAndLookalikesAreIgnored() {
        let page = """
        <a href="\(Self.base)ServiceTags_AzureGovernment_20251028.json">gov</a>
        <a href="\(Self.base)ServiceTags_Public_20251028.json.sha256">hash</a>
        <a href="\(Self.base)MyServiceTags_Public_20251028.json">fork</a>
        <a href="\(Self.base)ServiceTags_Public_Latest.json">latest</a>
        <a href="\(Self.base)ServiceTags_Public_20251399.json">bad date</a>
        """
        #expect(Self.links(page).isEmpty)
        #expect(Self.links(page, .usgov).map(\.name.date) == ["20251028"])
    }

    @Test func relativeLinksOnlyAsAttributeValues() {
        let page = """
        <p>The file ServiceTags_Public_20251028.json is published weekly.</p>
        <a href='files/ServiceTags_Public_20251021.json'>last week</a>
        <a HREF = "/mirror/ServiceTags_Public_20251014.json?sv=1&amp;sig=x">two weeks ago</a>
        """
        let found = Self.links(page)
        #expect(found.map(\.url) == ["files/ServiceTags_Public_20251021.json", "/mirror/ServiceTags_Public_20251014.json?sv=1&sig=x"])
        #expect(found.allSatisfy { !$0.isAbsolute })
    }

    @Test func anAbsoluteLinkBeatsARelativeOneForTheSameDate() {
        let page = "<a href=\"ServiceTags_Public_20251028.json\">a</a> <a href=\"//cdn.test/ServiceTags_Public_20251028.json\">b</a>"
        let found = Self.links(page)
        #expect(found.count == 2)
        #expect(DownloadLinkScanner.newest(found)?.url == "//cdn.test/ServiceTags_Public_20251028.json")
    }

    @Test func noLinkAtAll() {
        #expect(Self.links("<html><body>We are updating this page.</body></html>").isEmpty)
        #expect(DownloadLinkScanner.newest([]) == nil)
        #expect(Self.links("ServiceTags_Public_2025").isEmpty)  // cut short at the end of the page
    }
}
