/// The three clouds Microsoft publishes weekly Service Tags files for, and their three names:
/// the command-line name, the stem in the file name, and the file's `cloud` value.
///
/// The names were checked against published files: Public files say `"cloud": "Public"`,
/// AzureGovernment files `"cloud": "AzureGovernment"`, and China files (`ServiceTags_China_*.json`)
/// `"cloud": "China"` (not `AzureChinaCloud`, the name Azure SDKs use for that cloud).
public enum ServiceTagsCloud: String, CaseIterable, Sendable, Comparable {
    case `public`
    case usgov
    case china

    /// The name used on the command line (`--cloud usgov`).
    public var optionName: String { rawValue }

    /// The middle part of `ServiceTags_<stem>_YYYYMMDD.json`.
    public var fileStem: String {
        switch self {
        case .public: "Public"
        case .usgov: "AzureGovernment"
        case .china: "China"
        }
    }

    /// The top-level `cloud` value inside the file.
    public var cloudField: String { fileStem }

    /// The Microsoft Download Center id of the page that links to the weekly file.
    public var downloadCenterID: Int {
        switch self {
        case .public: 56519
        case .usgov: 57063
        case .china: 57062
        }
    }

    /// The Download Center details page, which lists the current file(s).
    public var detailsPage: String { "https://www.microsoft.com/en-us/download/details.aspx?id=\(downloadCenterID)" }

    /// The Download Center confirmation page, which links to (or refreshes to) the file.
    public var confirmationPage: String { "https://www.microsoft.com/en-us/download/confirmation.aspx?id=\(downloadCenterID)" }

    /// Parses a command-line name (`public`, `usgov`, `china`), case-insensitively.
    public init?(optionName: String) {
        guard let cloud = ServiceTagsCloud(rawValue: optionName.lowercased()) else { return nil }
        self = cloud
    }

    /// The cloud whose file stem is `stem` (exact).
    public init?(fileStem stem: some StringProtocol) {
        guard let cloud = ServiceTagsCloud.allCases.first(where: { $0.fileStem == stem }) else { return nil }
        self = cloud
    }

    /// The cloud whose file says `"cloud": value` (exact).
    public init?(cloudField value: String) {
        guard let cloud = ServiceTagsCloud.allCases.first(where: { $0.cloudField == value }) else { return nil }
        self = cloud
    }

    /// Public first: it is the default everywhere.
    public static func < (a: Self, b: Self) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
