/// `aws-prefix-list`: a POSIX shell script of AWS CLI calls for EC2 managed prefix lists.
///
/// One family per list (`--address-family IPv4|IPv6`), at most 1,000 entries per list, and at most
/// 100 entries per create or modify call (EC2 API CreateManagedPrefixList / ModifyManagedPrefixList).
/// So a chunk is created with its first 100 entries and grown by `modify-managed-prefix-list`
/// calls of 100, each after the list has settled (`stag_wait` polls its state) and with its current
/// version (the API's optimistic lock). `--max-entries` of each list is the chunk limit, so a chunk
/// can grow to it without a resize.
///
/// Delta: per changed chunk, `modify-managed-prefix-list` calls with up to 100 `--add-entries`
/// and 100 `--remove-entries` each; new chunks are created, vanished ones deleted. Lists are found
/// by name (`stag_id`). Not idempotent: adding an entry twice fails, so apply a delta once, on top
/// of the full list it follows. Names: at most 255 characters, not starting with `com.amazonaws`.
struct AWSPrefixListFormat: ExportFormat {
    var id: String { "aws-prefix-list" }
    var summary: String { "AWS CLI script for EC2 managed prefix lists, 1,000 entries per list" }
    var traits: ExportTraits {
        ExportTraits(families: .split(suffix: true), entryLimit: 1_000, nameRule: Self.names, supportsDelta: true, writesScript: true)
    }

    static let batch = 100
    static let names = ExportNameRule(maxLength: 255, allowed: .safeName, allowedFirst: .alphanumerics.union(ASCIISet("_")),
                                      reservedPrefixes: ["com.amazonaws"],
                                      summary: "1-255 characters from A-Z a-z 0-9 _ . -, not starting with com.amazonaws")

    static let helpers = """
    stag_wait() {
      while :; do
        state=$(aws ec2 describe-managed-prefix-lists --prefix-list-ids "$1" --query 'PrefixLists[0].State' --output text)
        case "$state" in
          *-complete) return 0 ;;
          *-in-progress) sleep 2 ;;
          *) echo "prefix list $1: $state" >&2; return 1 ;;
        esac
      done
    }
    stag_version() {
      aws ec2 describe-managed-prefix-lists --prefix-list-ids "$1" --query 'PrefixLists[0].Version' --output text
    }
    stag_id() {
      aws ec2 describe-managed-prefix-lists --filters "Name=prefix-list-name,Values=$1" --query 'PrefixLists[0].PrefixListId' --output text
    }
    """

    func preamble(to out: inout ExportText) {
        out.line("set -eu")
        out.line(Self.helpers)
    }

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        out.line("#!/bin/sh")
        ExportComments.full(plan.list, marker: "# ", to: &out)
        preamble(to: &out)
        let limit = plan.options.maxEntries ?? traits.entryLimit ?? 1_000
        for object in plan.objects { create(object, limit: limit, to: &out) }
    }

    func create(_ object: ExportObject, limit: Int, to out: inout ExportText) {
        let family = object.family == .ipv6 ? "IPv6" : "IPv4"
        let v4 = Array(object.v4), v6 = Array(object.v6)
        let batches = max(v4.count, v6.count).divided(into: Self.batch)
        out.write("id=$(aws ec2 create-managed-prefix-list --prefix-list-name '\(object.name)' --address-family \(family) --max-entries ")
        out.write(number: max(limit, object.count))
        entries(" --entries", v4, v6, batch: 0, to: &out)
        out.line(" --query 'PrefixList.PrefixListId' --output text)")
        out.line("stag_wait \"$id\"")
        for k in batches.dropFirst() {
            modify(v4, v6, [], [], batch: k, to: &out)
        }
    }

    /// One `modify-managed-prefix-list` call with batch `k` of the additions and removals.
    func modify(_ add4: [IPv4Prefix], _ add6: [IPv6Prefix], _ remove4: [IPv4Prefix], _ remove6: [IPv6Prefix], batch k: Int,
                to out: inout ExportText) {
        out.write("aws ec2 modify-managed-prefix-list --prefix-list-id \"$id\" --current-version \"$(stag_version \"$id\")\"")
        entries(" --add-entries", add4, add6, batch: k, to: &out)
        entries(" --remove-entries", remove4, remove6, batch: k, to: &out)
        out.line(" >/dev/null")
        out.line("stag_wait \"$id\"")
    }

    /// `OPTION Cidr=p Cidr=q ...` for entries `k*100 ..< (k+1)*100` (one family is always empty).
    func entries(_ option: String, _ v4: [IPv4Prefix], _ v6: [IPv6Prefix], batch k: Int, to out: inout ExportText) {
        let lo = k * Self.batch
        if lo >= v4.count && lo >= v6.count { return }
        out.write(option)
        for p in v4[min(lo, v4.count)..<min(lo + Self.batch, v4.count)] { out.write(" Cidr="); out.write(p) }
        for p in v6[min(lo, v6.count)..<min(lo + Self.batch, v6.count)] { out.write(" Cidr="); out.write(p) }
    }

    func writeDelta(_ delta: ExportDeltaPlan, to out: inout ExportText) {
        out.line("#!/bin/sh")
        ExportComments.delta(delta, marker: "# ", to: &out)
        preamble(to: &out)
        let limit = delta.new.options.maxEntries ?? traits.entryLimit ?? 1_000
        for change in delta.changes {
            switch change.kind {
            case .created:
                if let object = change.new { create(object, limit: limit, to: &out) }
            case .deleted:
                out.line("aws ec2 delete-managed-prefix-list --prefix-list-id \"$(stag_id '\(change.name)')\" >/dev/null")
            case .changed:
                out.line("id=$(stag_id '\(change.name)')")
                let most = max(change.added4.count, change.added6.count, change.removed4.count, change.removed6.count)
                for k in most.divided(into: Self.batch) {
                    modify(change.added4, change.added6, change.removed4, change.removed6, batch: k, to: &out)
                }
            }
        }
    }
}

extension Int {
    /// `0..<ceil(self / size)`, at least one batch.
    func divided(into size: Int) -> Range<Int> { 0..<Swift.max(1, (self + size - 1) / size) }
}
