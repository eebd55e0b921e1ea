/// `ipset`: `ipset restore` input, one `hash:net` set per family (`family inet` / `inet6`).
///
/// Full list (`man ipset` 7.17; verified here). `ipset restore` is not atomic, so the new entries
/// go into a temporary set `NAME_n` that is swapped in, which is:
///
///     create AzureCloud_v4 hash:net family inet hashsize 1024 maxelem 65536 -exist
///     destroy AzureCloud_v4_n -exist
///     create AzureCloud_v4_n hash:net family inet hashsize 1024 maxelem 65536
///     add AzureCloud_v4_n 20.33.0.0/16
///     swap AzureCloud_v4_n AzureCloud_v4
///     destroy AzureCloud_v4_n
///
/// The first line creates the live set on a first install and is a no-op afterwards (`-exist`
/// accepts an identical set); all of them come first, so a mismatch fails before anything changes.
/// `maxelem` is 65,536 (ipset's default) up to 32,768 entries and else the next power of two above
/// twice the count, so it stays the same from week to week. A live set created with another
/// `maxelem` makes the first line fail: destroy or rename it once.
///
/// Delta (`ipset restore -f FILE`): `add NAME p -exist` for every new prefix, then
/// `del NAME p -exist`; `-exist` makes each line idempotent, and adding first means the set is
/// never smaller than both versions' intersection while the file runs. A set that becomes empty
/// is `create ... -exist`ed and `flush`ed, so the delta also runs where it was never loaded.
/// Names: at most 31 characters including the `_n` of the temporary set. `hash:net` rejects `/0`, so `/0` becomes
/// two `/1`.
struct IpsetFormat: ExportFormat {
    var id: String { "ipset" }
    var summary: String { "ipset restore file (hash:net per family), swapped in atomically" }
    var traits: ExportTraits {
        ExportTraits(families: .split(suffix: true), nameRule: Self.names, supportsDelta: true, keepsEmptyObjects: true,
                     rejectsZeroLength: true, writesScript: true, lineLimit: Self.lineLimit)
    }

    static let temporarySuffix = "_n"
    /// `ipset restore` (7.17) reads each line into a 1,024-byte buffer and runs the rest of a longer
    /// line as the next command (verified here: a 1,024-byte comment line ran its last byte, and a
    /// tag name ending in `destroy` destroyed another set). One byte spare below that.
    static let lineLimit = 1_022
    static let names = ExportNameRule(maxLength: 31, allowed: .safeName, allowedFirst: .alphanumerics.union(ASCIISet("_")),
                                      reserve: temporarySuffix.utf8.count,
                                      summary: "at most 31 characters including the temporary set's _n, from A-Z a-z 0-9 _ . -")

    static func maxelem(_ count: Int) -> Int {
        if count <= 32_768 { return 65_536 }
        var m = 65_536
        while m < 2 * count { m *= 2 }
        return m
    }

    func create(_ name: String, _ object: ExportObject, exist: Bool, to out: inout ExportText) {
        out.write("create \(name) hash:net family \(object.family == .ipv6 ? "inet6" : "inet") hashsize 1024 maxelem ")
        out.write(number: Self.maxelem(object.count))
        out.line(exist ? " -exist" : "")
    }

    func writeFull(_ plan: ExportPlan, to out: inout ExportText) {
        ExportComments.full(plan.list, marker: "# ", to: &out)
        for object in plan.objects { create(object.name, object, exist: true, to: &out) }
        for object in plan.objects {
            let temporary = object.name + Self.temporarySuffix
            out.line("destroy \(temporary) -exist")
            create(temporary, object, exist: false, to: &out)
            for p in object.v4 { entry("add", temporary, p, exist: false, to: &out) }
            for p in object.v6 { entry("add", temporary, p, exist: false, to: &out) }
            out.line("swap \(temporary) \(object.name)")
            out.line("destroy \(temporary)")
        }
    }

    func writeDelta(_ delta: ExportDeltaPlan, to out: inout ExportText) {
        ExportComments.delta(delta, marker: "# ", to: &out)
        for change in delta.changes where change.kind == .created {
            if let object = change.new { create(change.name, object, exist: true, to: &out) }
        }
        for change in delta.changes where change.kind != .deleted {
            for p in change.added4 { entry("add", change.name, p, exist: true, to: &out) }
            for p in change.added6 { entry("add", change.name, p, exist: true, to: &out) }
        }
        for change in delta.changes where change.kind == .changed {
            if let object = change.new, object.isEmpty {
                // Emptied (a tag gone from the new file): also where the set was never loaded.
                create(change.name, object, exist: true, to: &out)
                out.line("flush \(change.name)")
                continue
            }
            for p in change.removed4 { entry("del", change.name, p, exist: true, to: &out) }
            for p in change.removed6 { entry("del", change.name, p, exist: true, to: &out) }
        }
        for change in delta.changes where change.kind == .deleted {
            out.line("destroy \(change.name) -exist")
        }
    }

    func entry<A>(_ verb: String, _ name: String, _ p: Prefix<A>, exist: Bool, to out: inout ExportText) {
        out.write(verb)
        out.write(" ")
        out.write(name)
        out.write(" ")
        out.write(p)
        out.line(exist ? " -exist" : "")
    }
}
