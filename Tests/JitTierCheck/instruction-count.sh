#!/usr/bin/env bash
# Prints the JIT's disassembly of one generated kernel method and its instruction count, to compare emitted-code
# changes that should not change the machine code. Usage:
#   Tests/JitTierCheck/instruction-count.sh <class, e.g. N768> <method, e.g. Forward256> [env assignments...]
#   Tests/JitTierCheck/instruction-count.sh N768 Forward256 DOTNET_EnableAVX512=0
# Tiering is off, so the method is compiled once, fully optimized.
set -euo pipefail
cd "$(dirname "$0")/../.."
class="$1"; method="$2"; shift 2
dll=Tests/JitTierCheck/bin/Release/net10.0/JitTierCheck.dll
[ -f "$dll" ] || dotnet build Tests/JitTierCheck -c Release -v quiet >/dev/null
out="$(mktemp)"
env "$@" DOTNET_TieredCompilation=0 DOTNET_JitStdOutFile="$out" DOTNET_JitDisasm="$method" dotnet "$dll" >/dev/null
# One listing: from its header (the file class of Kernels.<class>) to the next header.
listing="$(awk -v cls="<Kernels_${class}_" -v m=":${method}(" '
  /^; Assembly listing for method/ { on = index($0, cls) > 0 && index($0, m) > 0 }
  on' "$out")"
rm -f "$out"
[ -n "$listing" ] || { echo "no listing for Kernels.$class $method" >&2; exit 1; }
printf '%s\n' "$listing"
# Instructions: indented lines that are neither comments, labels nor alignment padding.
echo "instructions: $(grep -E '^ +[a-z]' <<<"$listing" | grep -vcE '^ +(align)')"
