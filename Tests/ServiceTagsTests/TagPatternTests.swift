import Testing
import ServiceTags

@Suite struct TagPatternTests {
    @Test(arguments: [
        ("AzureCloud", "AzureCloud", true),
        ("AzureCloud", "AzureCloud.westeurope", false),   // exact names are exact
        ("AzureCloud.*", "AzureCloud.westeurope", true),
        ("AzureCloud.*", "AzureCloud", false),
        ("Storage*", "Storage", true),
        ("Storage*", "StorageSyncService", true),
        ("*.WestEurope", "Storage.WestEurope", true),
        ("*.WestEurope", "Storage.westeurope", false),     // case-sensitive
        ("Sql.?astUS", "Sql.EastUS", true),
        ("Sql.[EW]*", "Sql.WestUS", true),
        ("Sql.[!EW]*", "Sql.WestUS", false),
        ("Sql.[A-F]*", "Sql.EastUS", true),
        ("Sql.[A-F]*", "Sql.WestUS", false),
        ("a*b*c", "aXbYbZc", true),
        ("a*b*c", "aXbYbZ", false),
        ("*", "", true),
        ("[", "[", true),                                   // unterminated bracket is literal
    ])
    func globMatching(pattern: String, name: String, expected: Bool) {
        #expect(TagPattern(pattern).matches(name) == expected)
    }
}
