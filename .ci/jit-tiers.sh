#!/usr/bin/env bash
# Checks that the JIT compiles every generated kernel method fully optimized (no fallback to MinOpts
# because a method is too large), on every path: runs Tests/JitTierCheck, which calls LayerNorm and RMSNorm
# kernels (forward, fused residual forward, backward) for N = 17 … 65536 (the generator's maximum), under DOTNET_JitDisasmSummary in each ISA configuration,
# with tiering off so each method is compiled once, straight to the optimizing JIT.
set -uo pipefail
cd "$(dirname "$0")/.."
dll=Tests/JitTierCheck/bin/Release/net10.0/JitTierCheck.dll
[ -f "$dll" ] || dotnet build Tests/JitTierCheck -c Release -v quiet || exit 1

status=0
for config in "" DOTNET_EnableAVX512=0 DOTNET_EnableAVX2=0 DOTNET_EnableHWIntrinsic=0; do
  out="$(mktemp)"
  env $config DOTNET_TieredCompilation=0 DOTNET_JitStdOutFile="$out" DOTNET_JitDisasmSummary=1 \
    dotnet "$dll" >/dev/null || { echo "jit-tiers: the check program failed (${config:-as is})"; status=1; continue; }
  kernels="$(grep -c '__\(LayerNorm\|RmsNorm\)Kernels:' "$out")"
  full="$(grep '__\(LayerNorm\|RmsNorm\)Kernels:' "$out" | grep -c '\[FullOpts')"
  # 5 hidden sizes × 2 norms × (forward, fused residual forward, backward) = 30 row-kernel methods per configuration;
  # on the vector paths + the non-temporal forward and backward of N = 768 and 65536 (the tail-free streaming sizes)
  # and the non-temporal fused residual forward of N = 768, for both norms = 40.
  want=40; [ "$config" = DOTNET_EnableHWIntrinsic=0 ] && want=30
  if [ "$kernels" -lt "$want" ] || [ "$kernels" -ne "$full" ]; then
    echo "jit-tiers: ${config:-as is}: $full of $kernels kernel methods FullOpts (want all, at least $want):"
    grep '__\(LayerNorm\|RmsNorm\)Kernels:' "$out" | grep -v '\[FullOpts' | sed -E 's/.*__(LayerNorm|RmsNorm)Kernels:/  /'
    status=1
  else
    echo "jit-tiers: ${config:-as is}: all $kernels kernel methods compiled FullOpts" \
      "(largest IL: $(grep -o 'IL size=[0-9]*' <(grep '__\(LayerNorm\|RmsNorm\)Kernels:' "$out") | cut -d= -f2 | sort -n | tail -1) bytes)"
  fi
  rm -f "$out"
done
exit $status
