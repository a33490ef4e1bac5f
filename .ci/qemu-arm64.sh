# Sourced by .ci/arm64.sh and .ci/consumer.sh: what running a linux-arm64 .NET app under qemu user emulation needs.
#
# qemu_arm64_ready LOGDIR  checks for qemu-aarch64-static and the arm64 libraries that a self-contained .NET app loads:
#   libc6, libstdc++6, libgcc-s1, zlib1g; libssl3 (without it the xunit.v3 runner aborts with "No usable version of
#   libssl was found"); ICU (the runtime's globalization; some tests format numbers in a named culture). When one is
#   missing it installs them with apt-get (as root: `dpkg --add-architecture arm64`, apt-get update, then
#   qemu-user-static and the :arm64 packages, with no recommends), or prints what to install and returns 1.
#   Debian's multiarch archive serves arm64 from the usual sources; Ubuntu serves it from ports.ubuntu.com, which
#   its sources must name first.
#
# run_arm64 PROGRAM [ARGS...]  runs a linux-arm64 executable under qemu-aarch64-static, with
#   DOTNET_EnableWriteXorExecute=0: with W^X the runtime writes code through one mapping and runs it through another,
#   and qemu, which caches its translation of guest code, misses those writes; stubs that the runtime rewrites then
#   run stale (seen here: NullReferenceExceptions inside reflection invoke stubs, then a SIGSEGV).

qemu_arm64_libdir=/usr/lib/aarch64-linux-gnu

qemu_arm64_missing() {
  local d="$qemu_arm64_libdir" missing=()
  command -v qemu-aarch64-static >/dev/null || missing+=(qemu-aarch64-static)
  [ -e /lib/ld-linux-aarch64.so.1 ] && [ -e "$d/libc.so.6" ] || missing+=(libc6:arm64)
  [ -e "$d/libstdc++.so.6" ] || missing+=(libstdc++6:arm64)
  [ -e "$d/libgcc_s.so.1" ] || missing+=(libgcc-s1:arm64)
  [ -e "$d/libz.so.1" ] || missing+=(zlib1g:arm64)
  [ -e "$d/libssl.so.3" ] || missing+=(libssl3:arm64)
  compgen -G "$d/libicuuc.so.[0-9]*" >/dev/null || missing+=(libicu:arm64)
  echo "${missing[*]}"
}

qemu_arm64_install() {
  local libssl libicu
  export DEBIAN_FRONTEND=noninteractive
  dpkg --add-architecture arm64 && apt-get update || return 1
  # The package names that vary between releases: libssl3 or libssl3t64, libicu72, libicu74, ...
  libssl="$(apt-cache show libssl3t64:arm64 >/dev/null 2>&1 && echo libssl3t64 || echo libssl3)"
  libicu="$(apt-cache search --names-only '^libicu[0-9]+$' | cut -d' ' -f1 | sort -V | tail -n 1)"
  [ -n "$libicu" ] || { echo "no libicuNN package found"; return 1; }
  apt-get install -y --no-install-recommends qemu-user-static \
    libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 zlib1g:arm64 "$libssl:arm64" "$libicu:arm64"
}

qemu_arm64_ready() {
  local logs="$1" missing
  missing="$(qemu_arm64_missing)"
  if [ -n "$missing" ]; then
    echo "qemu arm64: missing $missing"
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
      echo "qemu arm64: install them as root; on Debian 12: dpkg --add-architecture arm64 && apt-get update &&" \
        "apt-get install qemu-user-static libc6:arm64 libstdc++6:arm64 libgcc-s1:arm64 zlib1g:arm64 libssl3:arm64 libicu72:arm64" >&2
      return 1
    fi
    echo "qemu arm64: installing with apt-get (log: $logs/apt-arm64.log)"
    qemu_arm64_install >"$logs/apt-arm64.log" 2>&1
    missing="$(qemu_arm64_missing)"
    if [ -n "$missing" ]; then
      echo "---- last lines of $logs/apt-arm64.log ----" >&2; tail -n 30 "$logs/apt-arm64.log" >&2
      echo "qemu arm64: still missing after apt-get: $missing" >&2
      return 1
    fi
    echo "qemu arm64: installed qemu-user-static and the arm64 libraries"
  fi
  echo "qemu arm64: $(qemu-aarch64-static --version | head -n 1)"
}

run_arm64() {
  DOTNET_EnableWriteXorExecute=0 qemu-aarch64-static "$@"
}
