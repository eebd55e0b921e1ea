#!/bin/sh
# install.sh: build stag and stag-fetch as self-contained release binaries and install them with
# the man page and shell completions. Run from anywhere in a clone; see "Install" in README.md.
#
#   PREFIX=/usr/local docs/install.sh            # PREFIX defaults to /usr/local
#   PREFIX=$HOME/.local docs/install.sh
#   docs/install.sh --dry-run                    # print what would be done, build nothing
#
# Installs
#   $PREFIX/bin/stag, $PREFIX/bin/stag-fetch
#   $PREFIX/share/man/man1/stag.1                              (stag man)
#   $PREFIX/share/bash-completion/completions/stag             (stag completion bash)
#   $PREFIX/share/zsh/site-functions/_stag                     (stag completion zsh)
#   $PREFIX/share/fish/vendor_completions.d/stag.fish          (stag completion fish)
# under $DESTDIR if set (for packaging).
#
# stag is linked fully static, stag-fetch with the Swift runtime and Foundation static
# (--static-swift-stdlib), so the binaries need no Swift toolchain at run time: copy them to
# another Linux machine of the same architecture, or delete the clone. stag-fetch links FoundationNetworking statically, which needs
# curl's development files at build time (Debian/Ubuntu: apt-get install libcurl4-openssl-dev);
# at run time it needs libcurl, as ldd shows.
set -eu

dry_run=
case "${1:-}" in
    --dry-run) dry_run=1 ;;
    "") ;;
    *) echo "install.sh: unknown argument '$1' (usage: [PREFIX=DIR] docs/install.sh [--dry-run])" >&2; exit 2 ;;
esac

PREFIX=${PREFIX:-/usr/local}
case "$PREFIX" in
    /*) ;;
    *) echo "install.sh: PREFIX must be an absolute path, got '$PREFIX'" >&2; exit 2 ;;
esac
root=${DESTDIR:-}$PREFIX
cd "$(dirname "$0")/.."
command -v swift >/dev/null || { echo "install.sh: swift not found on PATH; install a Swift 6.2 or later toolchain (swift.org/install)" >&2; exit 1; }

# Each step, printed first; with --dry-run only printed.
run() {
    echo "+ $*"
    [ -n "$dry_run" ] || "$@"
}

build() {
    run swift build -c release --static-swift-stdlib --product "$1"
}

# stag needs nothing of the system at run time but the kernel (no Foundation, no name service, no
# dlopen of its own), so it is linked fully static (-static-executable): no dynamic loader at
# start-up, ~1 ms off every run. In a scratch folder of its own, as the flags differ from
# stag-fetch's; where the C library has no static archive, the runtime-only static build instead.
static_stag="--static-swift-stdlib -Xswiftc -static-executable --scratch-path .build-static"
if run swift build -c release $static_stag --product stag; then
    stag_bin_args=$static_stag
else
    echo "install.sh: a fully static stag did not link; linking only the Swift runtime statically" >&2
    stag_bin_args="--static-swift-stdlib --scratch-path .build-static"
    run swift build -c release $stag_bin_args --product stag || { echo "install.sh: building stag failed (see above)" >&2; exit 1; }
fi
if ! build stag-fetch; then
    cat >&2 <<'MSG'
install.sh: building or linking stag-fetch failed. Linked statically, FoundationNetworking needs
curl's development files: install them (Debian/Ubuntu: apt-get install libcurl4-openssl-dev;
Fedora: dnf install libcurl-devel) and run this script again.
MSG
    exit 1
fi

if [ -n "$dry_run" ]; then
    bin=.build/release
    stag_bin=.build-static/release
else
    bin=$(swift build -c release --static-swift-stdlib --show-bin-path)
    # shellcheck disable=SC2086 # the flags are words
    stag_bin=$(swift build -c release $stag_bin_args --show-bin-path)
    # A binary that still needs the toolchain's runtime would break once copied or the clone is gone.
    if command -v ldd >/dev/null && { ldd "$stag_bin/stag" 2>/dev/null; ldd "$bin/stag-fetch"; } | grep -E 'libswift|libFoundation|libdispatch|libBlocksRuntime'; then
        echo "install.sh: the binaries above still link Swift runtime libraries dynamically" >&2
        exit 1
    fi
fi

generated=$(mktemp -d)
trap 'rm -rf "$generated"' EXIT
# Generate from the freshly built stag: the page and scripts describe exactly this version.
generate() {  # FILE COMMAND...
    out=$1; shift
    echo "+ $* > $out"
    [ -n "$dry_run" ] || "$@" > "$out"
}
generate "$generated/stag.1" "$stag_bin/stag" man
generate "$generated/stag.bash" "$stag_bin/stag" completion bash
generate "$generated/_stag" "$stag_bin/stag" completion zsh
generate "$generated/stag.fish" "$stag_bin/stag" completion fish

run install -d "$root/bin" "$root/share/man/man1" "$root/share/bash-completion/completions" \
    "$root/share/zsh/site-functions" "$root/share/fish/vendor_completions.d"
run install -m 0755 "$stag_bin/stag" "$bin/stag-fetch" "$root/bin/"
run install -m 0644 "$generated/stag.1" "$root/share/man/man1/stag.1"
run install -m 0644 "$generated/stag.bash" "$root/share/bash-completion/completions/stag"
run install -m 0644 "$generated/_stag" "$root/share/zsh/site-functions/_stag"
run install -m 0644 "$generated/stag.fish" "$root/share/fish/vendor_completions.d/stag.fish"

[ -n "$dry_run" ] || echo "installed stag $("$root/bin/stag" --version | sed 's/^stag //') in $root"
