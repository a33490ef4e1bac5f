#!/usr/bin/env bash
# The numerics tests (every source of Tests/NormGen.Tests) on linux-arm64, under qemu user emulation: the Vector128
# paths on AdvSimd, Arm's fused multiply-add, and the Arm branches of the x86-only instructions (non-temporal stores
# are STNP there; prefetch does nothing). Correctness only: emulated timings say nothing about Arm hardware.
#
#   1. Prerequisites (.ci/qemu-arm64.sh): qemu-aarch64-static and the arm64 libraries a self-contained .NET app
#      loads, installed with apt-get when missing.
#   2. `dotnet publish Tests/NormGen.Tests.Arm64 -r linux-arm64 --self-contained`: NormGen.Tests compiled as an
#      xunit.v3 executable that runs its tests in process (the runtime pack comes from NuGet).
#   3. Run it with qemu-aarch64-static, writing a TRX file, which .ci/run adds to its closing count.
#      (run_arm64 in .ci/qemu-arm64.sh: qemu-aarch64-static with DOTNET_EnableWriteXorExecute=0).
#
# Usage: bash .ci/arm64.sh [results-folder]   (default: a temporary folder; the TRX file is results-folder/arm64.trx)
# Exit 0 when every test passed; non-zero, with the failing step named, otherwise.
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

start=$SECONDS
results="${1:-$(mktemp -d "${TMPDIR:-/tmp}/normgen-arm64-results.XXXXXX")}"
mkdir -p "$results"
results="$(cd "$results" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/normgen-arm64.XXXXXX")"
logs="$work/logs"; mkdir -p "$logs"

step() { echo; echo "==> arm64: $* ($((SECONDS - start)) s)"; }
fail() { echo "arm64: FAIL: $* (logs in $work)" >&2; echo "arm64: FAILED after $((SECONDS - start)) s"; exit 1; }
show() { echo "---- last lines of $1 ----" >&2; tail -n 40 "$1" >&2; echo "----" >&2; }

# ---------------------------------------------------------------------------------------------------------
step "prerequisites"
. "$repo/.ci/qemu-arm64.sh"
qemu_arm64_ready "$logs" || fail "qemu user emulation for linux-arm64 is not ready (above)"

# ---------------------------------------------------------------------------------------------------------
step "publish Tests/NormGen.Tests.Arm64 for linux-arm64 (self-contained)"
dotnet publish "$repo/Tests/NormGen.Tests.Arm64" -c Release -r linux-arm64 --self-contained -o "$work/publish" \
  >"$logs/publish.log" 2>&1 || { show "$logs/publish.log"; fail "dotnet publish -r linux-arm64"; }
[ -x "$work/publish/NormGen.Tests" ] || fail "the publish made no executable $work/publish/NormGen.Tests"
echo "published $(du -sh "$work/publish" | cut -f1) to $work/publish"

# ---------------------------------------------------------------------------------------------------------
step "run the numerics tests under qemu-aarch64-static"
run_start=$SECONDS
(cd "$work/publish" && run_arm64 ./NormGen.Tests \
  -noColor -noLogo -trx "$results/arm64.trx") 2>&1 | tee "$logs/tests.log"
rc=${PIPESTATUS[0]}
echo "arm64: tests ran for $((SECONDS - run_start)) s under emulation (exit $rc)"
[ -f "$results/arm64.trx" ] || fail "the runner wrote no TRX file (exit $rc)"
grep -o '<Counters [^>]*>' "$results/arm64.trx" | head -n 1
[ "$rc" -eq 0 ] || fail "tests failed under emulation (exit $rc)"
echo "arm64: PASS in $((SECONDS - start)) s"
[ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
exit 0
