@_exported import ServiceTags
