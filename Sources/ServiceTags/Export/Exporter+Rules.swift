/// The rule half of planning: which rule a format writes around its objects, and in which chain.
extension Exporter {
    /// Refuses rule options `format` cannot write, before any data is read (the CLI calls it with
    /// the parsed options; `plan` calls it again for library callers).
    /// - Throws: `.ruleNotApplicable` naming the first such option (in `FirewallRule.Option`
    ///   order) and the formats that take it, `.invalidName` for a `--chain` the target rejects.
    public static func checkRule(_ rule: FirewallRule, for format: any ExportFormat) throws(ExportError) {
        let traits = format.traits
        for option in FirewallRule.Option.allCases where rule.given.contains(option) && !traits.ruleOptions.contains(option) {
            let writers = ExportFormats.all.filter { $0.traits.ruleOptions.contains(option) }.map(\.id)
            throw ExportError.ruleNotApplicable(option: option.flag, format: format.id, writers: writers, writesRules: !traits.ruleOptions.isEmpty)
        }
        if let chain = rule.chain, let chainRule = traits.chainRule, let problem = chainRule.problem(with: chain) {
            throw ExportError.invalidName(chain, format: format.id + " chain", rule: problem)
        }
    }

    /// The rule and chain of a plan whose objects are named from `base`.
    ///
    /// The derived chain is `BASE_out` or `BASE_in` (so both directions over the same sets can be
    /// loaded side by side), shortened with a hash by `ExportNaming` where the target's chain
    /// names are shorter.
    static func ruleAndChain(for list: ExportList, base: String?, format: any ExportFormat,
                     options: ExportOptions) throws(ExportError) -> (rule: FirewallRule?, chain: String?) {
        let traits = format.traits
        if let given = options.rule { try checkRule(given, for: format) }
        guard let rule = options.rule ?? (traits.rulesByDefault ? FirewallRule() : nil) else { return (nil, nil) }
        if rule.transport == .icmp && traits.families == .mixed && list.families == .both {
            throw ExportError.icmpNeedsOneFamily(format: format.id)
        }
        guard let chainRule = traits.chainRule else { return (rule, nil) }
        let derived = (base ?? "stag") + (rule.direction == .outbound ? "_out" : "_in")
        let chain = try ExportNaming.base(explicit: rule.chain, tags: [derived], rule: chainRule, suffixLength: 0, format: format.id + " chain")
        return (rule, chain)
    }
}
