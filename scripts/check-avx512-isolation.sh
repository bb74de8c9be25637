#!/bin/bash
# LuxKernelsAVX512 is compiled for AVX-512 and must only run after the CPU check. Code it defines
# with a name another module could also define (weak/shared symbols: generic specialisations,
# runtime helpers) could be merged by the linker into the AVX2 modules' calls, and crash a CPU
# without AVX-512. This checks that every code symbol the module's object defines names one of
# its own types (every such mangled name contains "AVX512"). Release builds only (debug builds compile
# the module for Haswell, see Package.swift). Run by scripts/demo.sh after its release build.
set -euo pipefail
cd "$(dirname "$0")/.."
conf=release
objs=$(ls .build/"$conf"/LuxKernelsAVX512.build/*.o)
bad=$(nm $objs | awk '$2 ~ /^[TWiu]$/ {print $3}' | grep -v 'AVX512' || true)
if [ -n "$bad" ]; then
    echo "LuxKernelsAVX512 defines code symbols other modules may share:" >&2
    echo "$bad" >&2
    exit 1
fi
echo "LuxKernelsAVX512 (release build): $(nm $objs | awk '$2 ~ /^[TW]$/' | wc -l) code symbols, all its own"

# And in the linked binary: no function outside LuxKernelsAVX512's own uses an AVX-512-only register
# or instruction (zmm, xmm/ymm16-31, opmasks, vpternlog, vpermi2/vpermt2).
bin=.build/$conf/lux
if [ -x "$bin" ]; then
    evex=$(objdump -d --no-show-raw-insn -M intel "$bin" | awk '/^[0-9a-f]+ <.*>:$/ {fn=$2}
        /zmm|[xy]mm(1[6-9]|2[0-9]|3[01])([^0-9]|$)|\{k[1-7]\}|vpternlog|vperm[it]2|[ \t]k(mov|and|or|not|test|shift)/ {c[fn]++}
        END {for (f in c) print f}')
    outside=$(echo "$evex" | grep -v -e '^$' -e 'AVX512' || true)
    if [ -n "$outside" ]; then
        echo "AVX-512 instructions outside LuxKernelsAVX512 in $bin:" >&2
        echo "$outside" >&2
        exit 1
    fi
    echo "$bin: AVX-512 instructions only in $(echo "$evex" | grep -c AVX512) LuxKernelsAVX512 functions"
fi
