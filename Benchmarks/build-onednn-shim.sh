#!/usr/bin/env bash
# Builds the benchmark-only oneDNN shim (NormGen.Benchmarks/OneDnn/shim.cpp) into
# NormGen.Benchmarks/OneDnn/build/libnormgen_onednn.so, where the suite looks for it.
# Needs g++ and Debian's oneDNN:  apt-get install libdnnl-dev g++
# Without them it says what is missing and exits 1; the suite then runs without the oneDNN contender and says so.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source="$here/NormGen.Benchmarks/OneDnn/shim.cpp"
output_dir="$here/NormGen.Benchmarks/OneDnn/build"
output="$output_dir/libnormgen_onednn.so"
cxx="${CXX:-g++}"

if ! command -v "$cxx" >/dev/null 2>&1; then
    echo "build-onednn-shim: $cxx not found. Install it: apt-get install g++" >&2
    exit 1
fi
if ! echo '#include <oneapi/dnnl/dnnl.hpp>' | "$cxx" -std=c++17 -fsyntax-only -x c++ - >/dev/null 2>&1; then
    echo "build-onednn-shim: oneDNN's headers (oneapi/dnnl/dnnl.hpp) not found." \
        "Install them: apt-get install libdnnl-dev" >&2
    exit 1
fi

mkdir -p "$output_dir"
# -fopenmp: the shim calls omp_set_num_threads on the same libgomp that Debian's libdnnl uses.
"$cxx" -std=c++17 -O2 -Wall -Wextra -Werror -fPIC -shared -fopenmp "$source" -ldnnl -o "$output"
echo "build-onednn-shim: wrote $output"
