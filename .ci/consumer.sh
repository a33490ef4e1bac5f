#!/usr/bin/env bash
# The NormGen package tested as a user consumes it.
#
#   1. `dotnet pack Runtime -c Release` into a temporary local feed, and a check of the package layout:
#      lib/net10.0/NormGen.Runtime.dll, analyzers/dotnet/cs/NormGen.Generator.dll, README.md, LICENSE, a .snupkg,
#      and no dependency on Roslyn (Microsoft.CodeAnalysis) or the generator in the nuspec.
#   2. A consumer project made from scratch in a temporary folder outside the repository (so nothing of the
#      repository's Directory.Build.props / Directory.Packages.props applies), from the templates in Tests/Consumer:
#      PackageReference NormGen only (no ProjectReference), no AllowUnsafeBlocks, TreatWarningsAsErrors.
#      Its own nuget.config adds the local feed to the machine's usual sources, maps the NormGen id to the local
#      feed alone, and restores into an empty packages folder (NUGET_PACKAGES), so a stale cached NormGen is never used.
#   3. Build and run it on the JIT: generated kernels vs LayerNormReference, forward and backward, 1e-5 relative.
#      The project sets NormGenInterceptCalls, so GenericCalls.cs's constant-size calls of the generic path are
#      intercepted: the generated interceptor files must exist and name those calls, and the run checks that they
#      give the same bits as the attributed kernels.
#   4. `dotnet publish -r linux-x64 -p:PublishAot=true`, with no warnings (trim, AOT or any other), run the native
#      binary, and compare its stdout with the JIT run's, line for line.
#   5. `dotnet publish -r linux-arm64 --self-contained`, run under qemu user emulation (qemu-aarch64-static, see
#      .ci/qemu-arm64.sh): the Vector128 path on AdvSimd. The same checks: no warnings, exit 0, the same stdout as the
#      JIT run line for line, and the info line on stderr shows Vector128 accelerated and Vector256 not.
#   6. The upgrade path: a copy of the consumer without NormGenInterceptCalls, where
#      `dotnet format analyzers --diagnostics NG1001 --severity info` must rewrite GenericCalls.cs's generic calls to
#      generated classes (reusing Hidden512 and Rms384, declaring one for the 64-feature call); the copy must then
#      build with warnings as errors and print the same lines as the JIT run.
#
# NativeAOT links with the platform C toolchain. When neither clang nor gcc is on PATH the script installs
# clang with apt-get (as root), or stops and says what to install. Likewise qemu-user-static and the arm64 libraries
# for step 5 (.ci/qemu-arm64.sh).
#
# Usage: bash .ci/consumer.sh        Exit 0 when everything passed; non-zero, with the failing step named, otherwise.
#        KEEP=1 bash .ci/consumer.sh keeps the temporary folder (it is always kept on failure).
set -uo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
templates="$repo/Tests/Consumer"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

start=$SECONDS
work="$(mktemp -d "${TMPDIR:-/tmp}/normgen-consumer.XXXXXX")"
feed="$work/feed"; app="$work/app"; logs="$work/logs"
mkdir -p "$feed" "$app" "$logs"
summary=()

step() { echo; echo "==> consumer: $* ($((SECONDS - start)) s)"; }
ok()   { summary+=("ok    $*"); echo "ok: $*"; }
fail() {
  summary+=("FAIL  $*")
  echo; echo "consumer: FAIL: $*" >&2
  echo "consumer: logs and project kept in $work" >&2
  print_summary; echo "consumer: FAILED after $((SECONDS - start)) s"
  exit 1
}
print_summary() { echo; echo "consumer summary:"; printf '  %s\n' "${summary[@]}"; }
# Show the tail of a log when a step fails.
show() { echo "---- last lines of $1 ----" >&2; tail -n 40 "$1" >&2; echo "----" >&2; }

# Zip listing and extraction: unzip where present, else Python's zipfile.
zip_list() {
  if command -v unzip >/dev/null; then unzip -Z1 "$1"
  elif command -v python3 >/dev/null; then python3 -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$1"
  else return 2; fi
}
zip_cat() {
  if command -v unzip >/dev/null; then unzip -p "$1" "$2"
  elif command -v python3 >/dev/null; then python3 -c 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode("utf-8-sig"))' "$1" "$2"
  else return 2; fi
}

# ---------------------------------------------------------------------------------------------------------
step "prerequisites"
command -v dotnet >/dev/null || fail "dotnet is not on PATH (the .NET 10 SDK is needed)"
for f in Kernels.cs Program.cs GenericCalls.cs Consumer.csproj.in; do
  [ -f "$templates/$f" ] || fail "template $templates/$f is missing"
done
if ! command -v unzip >/dev/null && ! command -v python3 >/dev/null; then
  fail "neither unzip nor python3 is installed; one is needed to read the .nupkg (apt-get install unzip)"
fi
# The consumer must not inherit MSBuild files from any folder above it.
case "$work/" in "$repo/"*) fail "temporary folder $work is inside the repository";; esac
d="$work"
while [ "$d" != "/" ]; do
  d="$(dirname "$d")"
  for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
    [ -e "$d/$f" ] && fail "$d/$f would be imported by the consumer project; set TMPDIR to a folder with no MSBuild files above it"
  done
done
# NativeAOT links with the platform C toolchain: clang by default, gcc when clang is missing, through GNU ld
# (bfd), plus objcopy to strip symbols. zlib is not needed: the .NET 10 NativeAOT runtime pack ships libz.a.
# Probe for real: link an empty C program the way the SDK does.
probe_toolchain() {
  local cc
  cc="$(command -v clang || command -v gcc)" || return 1
  command -v objcopy >/dev/null || command -v llvm-objcopy >/dev/null || return 1
  printf 'int main(void) { return 0; }\n' >"$work/probe.c"
  "$cc" -fuse-ld=bfd "$work/probe.c" -o "$work/probe" >"$logs/toolchain-probe.log" 2>&1 && "$work/probe"
}
if ! probe_toolchain; then
  echo "no working C toolchain for NativeAOT (a C compiler that links with GNU ld, libc headers, objcopy)"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing clang (it brings binutils and libc6-dev) with apt-get"
    { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang; } \
      >"$logs/apt.log" 2>&1 || { show "$logs/apt.log"; fail "apt-get install clang failed"; }
    probe_toolchain || { show "$logs/toolchain-probe.log"; fail "installed clang, but a C program still does not link"; }
    ok "installed clang with apt-get for the NativeAOT link"
  else
    fail "NativeAOT needs a C toolchain: clang (or gcc), binutils (GNU ld, objcopy) and libc headers. On Debian/Ubuntu: sudo apt-get install clang"
  fi
fi
. "$repo/.ci/qemu-arm64.sh"
qemu_arm64_ready "$logs" || fail "qemu user emulation for linux-arm64 is not ready (above)"
ok "prerequisites: dotnet $(dotnet --version), C toolchain $(command -v clang || command -v gcc), qemu-aarch64-static, work folder $work"

# ---------------------------------------------------------------------------------------------------------
step "pack"
dotnet pack "$repo/Runtime" -c Release -o "$feed" >"$logs/pack.log" 2>&1 || { show "$logs/pack.log"; fail "dotnet pack Runtime"; }
nupkg="$(find "$feed" -maxdepth 1 -name 'NormGen.*.nupkg' ! -name '*.symbols.nupkg' | head -n 1)"
[ -n "$nupkg" ] || fail "dotnet pack made no NormGen.*.nupkg in $feed"
version="$(basename "$nupkg" .nupkg)"; version="${version#NormGen.}"
[ -f "$feed/NormGen.$version.snupkg" ] || fail "no symbols package NormGen.$version.snupkg"
ok "packed $(basename "$nupkg") and NormGen.$version.snupkg"

step "package layout"
zip_list "$nupkg" >"$logs/nupkg.txt" || fail "cannot list $nupkg"
zip_cat "$nupkg" NormGen.nuspec >"$logs/nuspec.xml" || fail "no NormGen.nuspec in $nupkg"
sed 's/^/  /' "$logs/nupkg.txt"
for f in lib/net10.0/NormGen.Runtime.dll lib/net10.0/NormGen.Runtime.xml analyzers/dotnet/cs/NormGen.Generator.dll \
         analyzers/dotnet/cs/NormGen.CodeFixes.dll build/NormGen.props build/NormGen.targets \
         buildTransitive/NormGen.props buildTransitive/NormGen.targets README.md LICENSE; do
  grep -qx "$f" "$logs/nupkg.txt" || fail "the package has no $f"
done
if grep -v '^analyzers/' "$logs/nupkg.txt" >"$logs/nupkg-not-analyzers.txt"; grep -q 'NormGen.\(Generator\|CodeFixes\).dll' "$logs/nupkg-not-analyzers.txt"; then
  fail "NormGen.Generator.dll or NormGen.CodeFixes.dll is in the package outside analyzers/ (they must not be runtime references)"
fi
if grep -q 'Microsoft\.CodeAnalysis' "$logs/nupkg.txt"; then fail "the package carries a Microsoft.CodeAnalysis assembly"; fi
if grep -qi '<dependency[^>]*id="\(Microsoft\.CodeAnalysis[^"]*\|NormGen\.Generator\)"' "$logs/nuspec.xml"; then
  fail "the nuspec declares a dependency on Roslyn or the generator: $(grep -io '<dependency[^>]*>' "$logs/nuspec.xml" | tr '\n' ' ')"
fi
grep -q '<readme>README.md</readme>' "$logs/nuspec.xml" || fail "the nuspec names no readme"
grep -q '<license type="expression">MIT</license>' "$logs/nuspec.xml" || fail "the nuspec has no MIT license expression"
grep -q '<repository ' "$logs/nuspec.xml" || fail "the nuspec has no repository element"
zip_list "$feed/NormGen.$version.snupkg" >"$logs/snupkg.txt" || fail "cannot list NormGen.$version.snupkg"
grep -qx 'lib/net10.0/NormGen.Runtime.pdb' "$logs/snupkg.txt" || fail "the .snupkg has no lib/net10.0/NormGen.Runtime.pdb"
deps="$(grep -io '<dependency [^>]*>' "$logs/nuspec.xml" | sed 's/.*id="\([^"]*\)".*/\1/' | tr '\n' ' ')"
ok "layout: lib/net10.0 runtime + xml docs, analyzers/dotnet/cs generator + code fixes, build(Transitive) props/targets, README, LICENSE, snupkg; dependencies: ${deps:-none}"

# ---------------------------------------------------------------------------------------------------------
step "consumer project in $app"
cp "$templates/Kernels.cs" "$templates/Program.cs" "$templates/GenericCalls.cs" "$app/"
sed "s/@NORMGEN_VERSION@/$version/" "$templates/Consumer.csproj.in" >"$app/Consumer.csproj"
grep -q 'ProjectReference\|AllowUnsafeBlocks' "$app/Consumer.csproj" && fail "the consumer project must have no ProjectReference and no AllowUnsafeBlocks"
# The machine's usual package sources, read before the consumer's nuget.config exists.
mapfile -t upstream < <(cd "$work" && dotnet nuget list source --format short 2>/dev/null | awk '$1 ~ /^E/ { print $2 }')
[ "${#upstream[@]}" -gt 0 ] || fail "'dotnet nuget list source' shows no enabled package source"
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<configuration>'
  echo '  <packageSources>'
  echo '    <clear />'
  echo "    <add key=\"normgen-local\" value=\"$feed\" />"
  i=0; for u in "${upstream[@]}"; do i=$((i + 1)); echo "    <add key=\"upstream$i\" value=\"$u\" />"; done
  echo '  </packageSources>'
  echo '  <packageSourceMapping>'
  echo '    <packageSource key="normgen-local"><package pattern="NormGen" /></packageSource>'
  i=0; for u in "${upstream[@]}"; do i=$((i + 1)); echo "    <packageSource key=\"upstream$i\"><package pattern=\"*\" /></packageSource>"; done
  echo '  </packageSourceMapping>'
  echo '</configuration>'
} >"$app/nuget.config"
# An empty packages folder: NormGen $version is restored from the feed just packed, never from a cache.
export NUGET_PACKAGES="$work/packages"
ok "consumer project: PackageReference NormGen $version, local feed + ${#upstream[@]} usual source(s), NUGET_PACKAGES=$NUGET_PACKAGES"

step "build (JIT)"
# --disable-build-servers: nothing outlives this script, and no compiler server caches the packed generator.
(cd "$app" && dotnet build -c Release --disable-build-servers) >"$logs/build.log" 2>&1 || { show "$logs/build.log"; fail "dotnet build of the consumer"; }
grep -q ': warning ' "$logs/build.log" && { grep ': warning ' "$logs/build.log" | sort -u >&2; fail "the consumer build has warnings"; }
source_of_normgen="$(grep -o '"source": *"[^"]*"' "$NUGET_PACKAGES/normgen/$version/.nupkg.metadata" 2>/dev/null | sed 's/.*: *"//; s/"$//')"
[ "${source_of_normgen%/}" = "$feed" ] || fail "NormGen $version was restored from '$source_of_normgen', not from the local feed $feed"
if [ -n "$(find "$NUGET_PACKAGES" -maxdepth 1 -iname 'microsoft.codeanalysis*' -print -quit)" ]; then fail "restoring the consumer brought Microsoft.CodeAnalysis packages in"; fi
gen="$app/obj/generated/NormGen.Generator/NormGen.Generator.LayerNormGenerator"
[ -f "$gen/NormGen.Consumer.Hidden512.LayerNorm.g.cs" ] && [ -f "$gen/Outer.Inner.LayerNorm.g.cs" ] \
  || { ls -R "$app/obj/generated" >&2 2>/dev/null; fail "EmitCompilerGeneratedFiles wrote no generated source for both kernels under $gen"; }
# The generator reports its version: Version 0.1.0 (any prerelease label dropped) is assembly version 0.1.0.0.
core="${version%%-*}"; assembly_version="$core"
while [ "$(tr -cd . <<<"$assembly_version" | wc -c)" -lt 3 ]; do assembly_version="$assembly_version.0"; done
attr="[global::System.CodeDom.Compiler.GeneratedCode(\"NormGen.Generator\", \"$assembly_version\")]"
grep -qF "$attr" "$gen/NormGen.Consumer.Hidden512.LayerNorm.g.cs" || fail "the generated code has no $attr"
grep -q 'unsafe' "$gen"/*.g.cs && fail "the generated code uses 'unsafe'"
ok "built from the local feed with warnings as errors; generated code carries $attr"

# NormGenInterceptCalls: one interceptor file per hidden kernel, each naming the GenericCalls.cs calls it takes over.
for k in LayerNorm512:3 RmsNorm384Eps1em6:1 LayerNormNoBias64:1; do
  file="$gen/Interception.${k%%:*}.g.cs"
  [ -f "$file" ] || { ls "$gen" >&2; fail "NormGenInterceptCalls is on, but there is no interceptor file $file"; }
  calls="$(grep -c '^ *// GenericCalls\.cs([0-9]*,[0-9]*)$' "$file")"
  attrs="$(grep -c '\[InterceptsLocation(1, ' "$file")"
  [ "$calls" = "${k##*:}" ] && [ "$attrs" = "$calls" ] \
    || fail "$file intercepts $calls GenericCalls.cs calls ($attrs [InterceptsLocation]), expected ${k##*:}"
done
if grep -l 'InterceptsLocation' "$gen"/*.g.cs | grep -v '/Interception\.'; then fail "interceptors outside the Interception.*.g.cs files"; fi
ok "NormGenInterceptCalls: 5 constant-size generic calls intercepted (Interception.LayerNorm512/RmsNorm384Eps1em6/LayerNormNoBias64.g.cs)"

step "run (JIT)"
(cd "$app" && dotnet "bin/Release/net10.0/Consumer.dll") >"$work/jit.out" 2>"$work/jit.err"; rc=$?
cat "$work/jit.out" "$work/jit.err"
[ $rc -eq 0 ] || fail "the consumer failed on the JIT (exit $rc)"
ok "JIT run: generated kernels match LayerNormReference"

# ---------------------------------------------------------------------------------------------------------
step "publish (NativeAOT, linux-x64)"
(cd "$app" && dotnet publish -c Release -r linux-x64 -p:PublishAot=true --disable-build-servers -o "$work/aot") \
  >"$logs/publish.log" 2>&1 || {
    show "$logs/publish.log"
    grep -q 'error IL[0-9]' "$logs/publish.log" && fail "dotnet publish -p:PublishAot=true: trim/AOT warnings (errors under TreatWarningsAsErrors): $(grep -o 'error IL[0-9]*' "$logs/publish.log" | sort -u | tr '\n' ' ')"
    fail "dotnet publish -p:PublishAot=true"
  }
if grep -q 'warning' "$logs/publish.log"; then
  grep 'warning' "$logs/publish.log" | sort -u >&2; fail "the NativeAOT publish has warnings (trim, AOT or other)"
fi
[ -x "$work/aot/Consumer" ] || fail "the publish made no native executable $work/aot/Consumer"
ls "$work/aot"/*.dll >/dev/null 2>&1 && fail "the NativeAOT output has managed assemblies: $(ls "$work/aot"/*.dll | tr '\n' ' ')"
ok "NativeAOT publish with no warnings: $(du -h "$work/aot/Consumer" | cut -f1) native executable"

step "run (NativeAOT)"
"$work/aot/Consumer" >"$work/aot.out" 2>"$work/aot.err"; rc=$?
cat "$work/aot.out" "$work/aot.err"
[ $rc -eq 0 ] || fail "the native consumer failed (exit $rc)"
diff -u "$work/jit.out" "$work/aot.out" >"$logs/jit-vs-aot.diff" || { cat "$logs/jit-vs-aot.diff" >&2; fail "the native binary printed other results than the JIT run"; }
ok "NativeAOT run prints the same results as the JIT run ($(wc -l <"$work/jit.out") lines)"

# ---------------------------------------------------------------------------------------------------------
step "publish (self-contained, linux-arm64)"
(cd "$app" && dotnet publish -c Release -r linux-arm64 --self-contained --disable-build-servers -o "$work/arm64") \
  >"$logs/publish-arm64.log" 2>&1 || { show "$logs/publish-arm64.log"; fail "dotnet publish -r linux-arm64 --self-contained"; }
if grep -q 'warning' "$logs/publish-arm64.log"; then
  grep 'warning' "$logs/publish-arm64.log" | sort -u >&2; fail "the linux-arm64 publish has warnings"
fi
[ -x "$work/arm64/Consumer" ] || fail "the publish made no linux-arm64 executable $work/arm64/Consumer"
ok "linux-arm64 self-contained publish with no warnings"

step "run (linux-arm64, under qemu-aarch64-static)"
(cd "$work/arm64" && run_arm64 ./Consumer) >"$work/arm64.out" 2>"$work/arm64.err"; rc=$?
cat "$work/arm64.out" "$work/arm64.err"
[ $rc -eq 0 ] || fail "the consumer failed on linux-arm64 under qemu (exit $rc)"
grep -q '^info: Vector512=False Vector256=False Vector128=True ' "$work/arm64.err" \
  || fail "under qemu the consumer did not report Vector128 as the widest accelerated vector (AdvSimd): $(grep '^info: Vector512' "$work/arm64.err")"
diff -u "$work/jit.out" "$work/arm64.out" >"$logs/jit-vs-arm64.diff" || { cat "$logs/jit-vs-arm64.diff" >&2; fail "the linux-arm64 run printed other results than the JIT run"; }
ok "linux-arm64 run under qemu (Vector128 on AdvSimd) prints the same results as the JIT run ($(wc -l <"$work/jit.out") lines)"

# ---------------------------------------------------------------------------------------------------------
step "upgrade path: dotnet format applies the NG1001 fix"
fmt="$work/app-format"
mkdir -p "$fmt"
cp "$app/Kernels.cs" "$app/Program.cs" "$app/GenericCalls.cs" "$app/nuget.config" "$fmt/"
# Without the property: the calls are not intercepted, so NG1001 reports them (it is quiet where they are).
sed '/<NormGenInterceptCalls>/d' "$app/Consumer.csproj" >"$fmt/Consumer.csproj"
grep -q 'NormGenInterceptCalls>' "$fmt/Consumer.csproj" && fail "the format copy still sets NormGenInterceptCalls"
# Calls of the generic members (the printed verdict lines name them too, and are not calls).
generic_calls() { grep -vF 'Console.WriteLine' "$1" | grep -cE '(^|[^A-Za-z0-9_.])(LayerNorm|RmsNorm)\.(Forward|Backward)[A-Za-z]*\('; }
[ "$(generic_calls "$fmt/GenericCalls.cs")" -ge 5 ] || fail "GenericCalls.cs has fewer than 5 generic calls before dotnet format"
(cd "$fmt" && dotnet restore) >"$logs/format-restore.log" 2>&1 || { show "$logs/format-restore.log"; fail "restore of the format copy"; }
(cd "$fmt" && dotnet format analyzers Consumer.csproj --diagnostics NG1001 --severity info --no-restore -v normal) \
  >"$logs/format.log" 2>&1 || { show "$logs/format.log"; fail "dotnet format analyzers --diagnostics NG1001 --severity info"; }
diff -u "$app/GenericCalls.cs" "$fmt/GenericCalls.cs" >"$logs/format.diff" && { show "$logs/format.log"; fail "dotnet format changed nothing in GenericCalls.cs"; }
cat "$logs/format.diff"
[ "$(generic_calls "$fmt/GenericCalls.cs")" = 0 ] || fail "generic calls left after dotnet format: $(grep -vF 'Console.WriteLine' "$fmt/GenericCalls.cs" | grep -E '(^|[^A-Za-z0-9_.])(LayerNorm|RmsNorm)\.(Forward|Backward)' | tr '\n' ' ')"
grep -q 'Hidden512\.Forward(x, gamma, beta, y, mean, rstd)' "$fmt/GenericCalls.cs" || fail "the fix did not reuse Hidden512 for the 512-feature forward call"
grep -q 'Rms384\.Forward(xr, gr, yr, rstdr)' "$fmt/GenericCalls.cs" || fail "the fix did not reuse Rms384 for the RMSNorm call"
grep -q '^\[LayerNorm(64, Bias = false)\]$' "$fmt/GenericCalls.cs" && grep -q '^internal static partial class LayerNormNoBias64;$' "$fmt/GenericCalls.cs" \
  || fail "the fix did not declare [LayerNorm(64, Bias = false)] internal static partial class LayerNormNoBias64;"
for f in Kernels.cs Program.cs; do cmp -s "$app/$f" "$fmt/$f" || fail "dotnet format changed $f, which has no NG1001 call"; done
(cd "$fmt" && dotnet build -c Release --disable-build-servers) >"$logs/format-build.log" 2>&1 || { show "$logs/format-build.log"; fail "the formatted consumer does not build"; }
grep -q ': warning ' "$logs/format-build.log" && { grep ': warning ' "$logs/format-build.log" | sort -u >&2; fail "the formatted consumer's build has warnings"; }
[ -z "$(find "$fmt/obj/generated" -name 'Interception.*' -print -quit 2>/dev/null)" ] || fail "the format copy (no NormGenInterceptCalls) has interceptors"
(cd "$fmt" && dotnet "bin/Release/net10.0/Consumer.dll") >"$work/format.out" 2>"$work/format.err"; rc=$?
cat "$work/format.out"
[ $rc -eq 0 ] || { cat "$work/format.err" >&2; fail "the formatted consumer failed (exit $rc)"; }
diff -u "$work/jit.out" "$work/format.out" >"$logs/jit-vs-format.diff" || { cat "$logs/jit-vs-format.diff" >&2; fail "the formatted consumer printed other results than the intercepted JIT run"; }
ok "dotnet format applied NG1001 (Hidden512 and Rms384 reused, LayerNormNoBias64 declared); it builds and prints the same $(wc -l <"$work/format.out") lines"

print_summary
digest="$(grep -c 'reference-fnv' "$work/jit.out") kernels, $(sha256sum <"$work/jit.out" | cut -c1-16)"
echo "consumer: PASS in $((SECONDS - start)) s (results digest: $digest)"
[ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
exit 0
