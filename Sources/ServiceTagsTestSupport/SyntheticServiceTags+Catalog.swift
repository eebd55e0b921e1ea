/// Names for synthetic tags: real Azure region and service names (public knowledge, not taken from
/// any ServiceTags file), then numbered synthetic names once a catalog runs out.
///
/// Region IDs are made up (catalog position + 1); they do not match Microsoft's.
extension SyntheticServiceTags {
    /// A region as it appears in tags: `AzureCloud.<name>` and `<Service>.<display>`.
    public struct Region: Hashable, Sendable {
        /// Lower case, as in `"region"` and `AzureCloud.westeurope`.
        public var name: String
        /// As in `Storage.WestEurope`.
        public var display: String
        public var id: Int
    }

    /// A service with a global tag and one tag per region (`Storage` and `Storage.WestEurope`).
    public struct Service: Hashable, Sendable {
        public var name: String
        public var systemService: String
    }

    /// `westeurope` comes first so that every generated file with a region has `AzureCloud.westeurope`,
    /// and `Storage` first among services so that it also has `Storage.WestEurope`.
    static let regionCatalog: [(String, String)] = [
        ("westeurope", "WestEurope"), ("northeurope", "NorthEurope"), ("eastus", "EastUS"),
        ("westus2", "WestUS2"), ("southeastasia", "SoutheastAsia"), ("uksouth", "UKSouth"),
        ("eastus2", "EastUS2"), ("centralus", "CentralUS"), ("francecentral", "FranceCentral"),
        ("germanywestcentral", "GermanyWestCentral"), ("japaneast", "JapanEast"),
        ("australiaeast", "AustraliaEast"), ("swedencentral", "SwedenCentral"), ("norwaye", "NorwayEast"),
        ("switzerlandn", "SwitzerlandNorth"), ("canadacentral", "CanadaCentral"), ("brazilsouth", "BrazilSouth"),
        ("koreacentral", "KoreaCentral"), ("centralindia", "CentralIndia"), ("southcentralus", "SouthCentralUS"),
        ("westus", "WestUS"), ("ukwest", "UKWest"), ("eastasia", "EastAsia"), ("japanwest", "JapanWest"),
        ("canadaeast", "CanadaEast"), ("uaenorth", "UAENorth"), ("southafricanorth", "SouthAfricaNorth"),
        ("polandcentral", "PolandCentral"), ("italynorth", "ItalyNorth"), ("westus3", "WestUS3"),
    ]

    static let serviceCatalog: [(String, String)] = [
        ("Storage", "AzureStorage"), ("Sql", "AzureSQL"), ("AzureMonitor", "AzureMonitor"),
        ("AppService", "AzureAppService"), ("EventHub", "AzureEventHub"), ("ServiceBus", "AzureServiceBus"),
        ("AzureKeyVault", "AzureKeyVault"), ("AzureCosmosDB", "AzureCosmosDB"),
        ("ApiManagement", "AzureApiManagement"), ("ActionGroup", "ActionGroup"), ("DataFactory", "DataFactory"),
        ("AzureContainerRegistry", "AzureContainerRegistry"), ("AzureMachineLearning", "AzureMachineLearning"),
        ("BatchNodeManagement", "BatchNodeManagement"), ("LogicApps", "LogicApps"), ("AzureBackup", "AzureBackup"),
        ("AzureSiteRecovery", "AzureSiteRecovery"), ("HDInsight", "HDInsight"), ("AzureIoTHub", "AzureIoTHub"),
        ("AzureSignalR", "AzureSignalR"), ("AzureDatabricks", "AzureDatabricks"), ("AzureEventGrid", "AzureEventGrid"),
        ("AppServiceManagement", "AzureAppServiceManagement"), ("AzureArcInfrastructure", "AzureArcInfrastructure"),
    ]

    /// Tags with no regional variants; some have a dot in the name but region `""`, some no system service.
    static let globalCatalog: [(String, String)] = [
        ("AzureFrontDoor.Frontend", ""), ("AzureActiveDirectory", "AzureAD"),
        ("AzureTrafficManager", "AzureTrafficManager"), ("AzureFrontDoor.Backend", ""),
        ("AzurePortal", "AzurePortal"), ("AzureResourceManager", "AzureResourceManager"),
        ("GatewayManager", "GatewayManager"), ("PowerBI", "PowerBI"), ("AzureFrontDoor.FirstParty", ""),
        ("MicrosoftContainerRegistry", "MicrosoftContainerRegistry"), ("Marketplace", "Marketplace"),
        ("WindowsVirtualDesktop", "WindowsVirtualDesktop"), ("AzureUpdateDelivery", "AzureUpdateDelivery"),
        ("PowerPlatformInfra", "PowerPlatformInfra"), ("Grafana", "Grafana"), ("AzureDevOps", "AzureDevOps"),
    ]

    static func region(_ i: Int) -> Region {
        if i < regionCatalog.count {
            return Region(name: regionCatalog[i].0, display: regionCatalog[i].1, id: i + 1)
        }
        return Region(name: "synthregion\(i + 1)", display: "SynthRegion\(i + 1)", id: i + 1)
    }

    static func service(_ i: Int) -> Service {
        if i < serviceCatalog.count { return Service(name: serviceCatalog[i].0, systemService: serviceCatalog[i].1) }
        return Service(name: "SynthService\(i + 1)", systemService: "AzureSynthService\(i + 1)")
    }

    static func globalService(_ i: Int) -> Service {
        if i < globalCatalog.count { return Service(name: globalCatalog[i].0, systemService: globalCatalog[i].1) }
        return Service(name: "SynthGlobal\(i + 1)", systemService: "SynthGlobal\(i + 1)")
    }

    /// The shapes seen in real files, with roughly their frequencies (about half the tags have none).
    static let featureChoices: [(weight: Int, features: [String]?)] = [
        (50, nil), (30, ["API", "NSG", "UDR", "FW"]), (11, ["API", "NSG"]), (7, ["NSG"]),
        (1, ["NSG", "API", "UDR", "FW"]), (1, ["API", "NSG", "FW"]),
    ]
}
