#!/usr/bin/env bash
# make_mpi_bundle.sh — a self-contained folder that runs `mpirun -np N gilpy script.py` on a
# machine with no Open MPI and none of our libraries (the lent device machines), built from
# this machine's Debian 12 Open MPI 4.1 (openmpi-bin libopenmpi-dev, external PMIx in
# /usr/lib/x86_64-linux-gnu/pmix2) and an MPI-enabled gilpy (docs/distributed.md).
#
#   usage: tools/make_mpi_bundle.sh [GILPY] [OUT]     defaults: build/gilpy devrun/mpi
#   then:  tools/mpi_bundle_run.sh devrun/mpi -np 4 script.py args...
#          tools/mpi_device.sh devrun/mpi SHARED_BENCH ["1 2 4 8 16"]
#
# GILPY must be the dynamically linked build (`cmake --build build --target gilpy` with
# libopenmpi-dev installed: its NEEDED list has libmpi.so.40); the static devrun/gilpy has no
# MPI. A fully static MPI build is not possible (Open MPI dlopens its plugins), so the bundle
# is a dynamically linked gilpy plus every shared library it, mpirun and the plugins need.
# glibc itself is NOT bundled (a bundled loader would have to wrap every exec that mpirun
# makes): the bundle needs the target's glibc to be at least the newest GLIBC_x.y symbol
# version its files use, written to OUT/GLIBC_REQUIRED (2.34 on Debian 12), and checked by
# tools/mpi_bundle_run.sh before anything starts.
#
# Layout of OUT (no symbolic links, so it travels as a plain carried folder):
#   bin/      gilpy, mpirun (= orterun), orterun, orted, allreduce_lat_c (tests/mpi, mpicc)
#   lib/      every non-glibc shared library, named by its soname (libmpi.so.40, libpmix.so.2,
#             libhwloc, libevent, libgc, libgmp, libstdc++, ...)
#   lib/openmpi/          Open MPI's MCA plugins (OPAL_PKGLIBDIR), without the ones that need
#                         UCX, libfabric, verbs, PSM, CUDA, libnl or OpenSHMEM (one host, shared
#                         memory: btl self,vader, pml ob1 need none of them)
#   share/openmpi/        Open MPI's help texts (mpirun prints its errors from them)
#   etc/                  openmpi-mca-params.conf (the defaults for one host, see below),
#                         openmpi-default-hostfile
#   pmix/lib/pmix/, pmix/share/   PMIx's plugins, help texts and pmix-mca-params.conf
#   env.sh    `source`d by tools/mpi_bundle_run.sh: OPAL_* / PMIX_* install directories,
#             OMPI_MCA_* / PMIX_MCA_*, LD_LIBRARY_PATH, all relative to where OUT lies
#   GLIBC_REQUIRED, MANIFEST (what was copied from where), VERSION
# Every ELF file's RUNPATH is rewritten with patchelf to $ORIGIN-relative paths (apt-get
# install patchelf; without it LD_LIBRARY_PATH from env.sh alone does the job), so
# OUT/bin/gilpy also runs by itself, and nothing points back into /usr/lib.
# Env knobs: OMPI_BINDIR (default: where orterun is), OMPI_PKGLIBDIR, OMPI_PKGDATADIR,
# OMPI_SYSCONFDIR (default: from `ompi_info --path all`), PMIX_SRC (default
# /usr/lib/x86_64-linux-gnu/pmix2), MAX_MIB (default 40: fail when the bundle is bigger).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
GILPY=${1:-build/gilpy}
OUT=${2:-devrun/mpi}
MAX_MIB=${MAX_MIB:-40}

die() { echo "make_mpi_bundle: $*" >&2; exit 1; }
[ -x "$GILPY" ] || die "$GILPY not found or not executable (build gilpy with libopenmpi-dev installed)"
readelf -d "$GILPY" | grep -q 'NEEDED.*libmpi\.so' ||
  die "$GILPY does not link libmpi (a static or non-MPI build); configure with libopenmpi-dev installed and build the gilpy target"
command -v orterun >/dev/null || command -v mpirun >/dev/null || die "Open MPI not installed here (apt-get install openmpi-bin libopenmpi-dev)"
command -v ompi_info >/dev/null || die "ompi_info missing (openmpi-bin)"

ompi_path() { ompi_info --path all 2>/dev/null | awk -F': ' -v k="$1" '$1 ~ "^ *"k"$" {print $2; exit}'; }
ORTERUN=$(readlink -f "$(command -v orterun || command -v mpirun)")
OMPI_BINDIR=${OMPI_BINDIR:-$(dirname "$ORTERUN")}
OMPI_PKGLIBDIR=${OMPI_PKGLIBDIR:-$(ompi_path Pkglibdir)}
OMPI_PKGDATADIR=${OMPI_PKGDATADIR:-$(ompi_path Pkgdatadir)}
OMPI_SYSCONFDIR=${OMPI_SYSCONFDIR:-$(ompi_path Sysconfdir)}
PMIX_SRC=${PMIX_SRC:-/usr/lib/x86_64-linux-gnu/pmix2}
for d in "$OMPI_PKGLIBDIR" "$OMPI_PKGDATADIR"; do [ -d "$d" ] || die "Open MPI folder '$d' missing"; done
[ -x "$OMPI_BINDIR/orted" ] || die "$OMPI_BINDIR/orted missing"

# glibc's own libraries stay behind: the target's loader and libc must match each other.
GLIBC_RE='^(ld-linux-x86-64\.so\.2|libc\.so\.6|libm\.so\.6|libmvec\.so\.1|libpthread\.so\.0|libdl\.so\.2|librt\.so\.1|libutil\.so\.1|libresolv\.so\.2|libanl\.so\.1|libnsl\.so\.1|libBrokenLocale\.so\.1|libthread_db\.so\.1|libc_malloc_debug\.so\.0|libnss_[a-z]+\.so\.2|linux-vdso\.so\.1)$'
# Plugins whose dependencies name one of these are left out: fabrics and GPUs that one
# host with shared memory does not use, and OpenSHMEM (gilpy is MPI only).
HEAVY_RE='libuc[pstm]\.|libfabric|libibverbs|librdmacm|libpsm|libcuda|libnvidia|libnl-|liboshmem|libmca_common_(ucx|ofi|verbs)|libOpenCL|libxml2|libpciaccess'
SKIP_PLUGIN_RE='_(ucx|ofi|psm|psm2|openib|verbs)\.so$'

rm -rf "$OUT"
mkdir -p "$OUT"/{bin,lib/openmpi,share/openmpi,etc,pmix/lib/pmix,pmix/share/pmix}
OUT=$(cd "$OUT" && pwd)
MANIFEST=$OUT/MANIFEST
: >"$MANIFEST"

declare -A SEEN=()
# deps FILE: the resolved non-glibc libraries FILE needs (ldd's transitive closure).
deps() {
  local out
  out=$(ldd "$1" 2>&1) || true
  if echo "$out" | grep -q 'not found'; then
    echo "NOTFOUND $(echo "$out" | grep 'not found' | awk '{print $1}' | tr '\n' ' ')"
    return
  fi
  echo "$out" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' | while read -r name path; do
    [[ $name =~ $GLIBC_RE ]] || echo "$name $path"
  done
}
add_lib() {  # add_lib SONAME PATH
  [ -n "${SEEN[$1]:-}" ] && return
  SEEN[$1]=1
  cp -L "$2" "$OUT/lib/$1"
  chmod u+w "$OUT/lib/$1"
  echo "lib/$1 <- $(readlink -f "$2")" >>"$MANIFEST"
}
add_elf() {  # add_elf SRC DEST_RELATIVE: copy an executable or plugin and its libraries
  local d
  d=$(deps "$1")
  if [[ $d == NOTFOUND* ]]; then die "$1 needs libraries not installed here: ${d#NOTFOUND }"; fi
  cp -L "$1" "$OUT/$2"
  chmod u+w "$OUT/$2"
  echo "$2 <- $(readlink -f "$1")" >>"$MANIFEST"
  [ -z "$d" ] && return
  while read -r name path; do add_lib "$name" "$path"; done <<<"$d"
}

echo "make_mpi_bundle: gilpy $GILPY, Open MPI $(ompi_info --version 2>/dev/null | head -1 | awk '{print $NF}'), PMIx from $PMIX_SRC -> $OUT"
add_elf "$GILPY" bin/gilpy
add_elf "$ORTERUN" bin/orterun
cp "$OUT/bin/orterun" "$OUT/bin/mpirun"
add_elf "$OMPI_BINDIR/orted" bin/orted
if command -v mpicc >/dev/null && [ -f tests/mpi/allreduce_lat.c ]; then
  tmpc=$(mktemp -d)
  if mpicc -O2 -o "$tmpc/allreduce_lat_c" tests/mpi/allreduce_lat.c; then
    add_elf "$tmpc/allreduce_lat_c" bin/allreduce_lat_c
  else
    echo "make_mpi_bundle: mpicc failed; no C allreduce figure in the bundle"
  fi
  rm -rf "$tmpc"
fi

skipped=()
for p in "$OMPI_PKGLIBDIR"/mca_*.so; do
  b=$(basename "$p")
  if [[ $b =~ $SKIP_PLUGIN_RE ]]; then skipped+=("$b"); continue; fi
  d=$(deps "$p")
  if [[ $d == NOTFOUND* ]] || echo "$d" | grep -Eq "$HEAVY_RE"; then skipped+=("$b"); continue; fi
  add_elf "$p" "lib/openmpi/$b"
done
echo "left out plugins: ${skipped[*]}" >>"$MANIFEST"

# PMIx (external in Debian: libpmix.so.2 came in above with mca_pmix_ext3x.so).
if [ -d "$PMIX_SRC/lib/pmix" ]; then
  for p in "$PMIX_SRC"/lib/pmix/*.so; do
    d=$(deps "$p")
    if [[ $d == NOTFOUND* ]] || echo "$d" | grep -Eq "$HEAVY_RE"; then continue; fi
    add_elf "$p" "pmix/lib/pmix/$(basename "$p")"
  done
  cp "$PMIX_SRC"/share/pmix/help-*.txt "$OUT/pmix/share/pmix/" 2>/dev/null || true
  [ -f "$PMIX_SRC/share/pmix-mca-params.conf" ] && cp "$PMIX_SRC/share/pmix-mca-params.conf" "$OUT/pmix/share/"
  echo "pmix/ <- $PMIX_SRC" >>"$MANIFEST"
fi

cp "$OMPI_PKGDATADIR"/help-*.txt "$OUT/share/openmpi/"
echo "share/openmpi/help-*.txt <- $OMPI_PKGDATADIR" >>"$MANIFEST"
if [ -f "$OMPI_SYSCONFDIR/openmpi-default-hostfile" ]; then
  cp "$OMPI_SYSCONFDIR/openmpi-default-hostfile" "$OUT/etc/"
else
  : >"$OUT/etc/openmpi-default-hostfile"
fi
cat >"$OUT/etc/openmpi-mca-params.conf" <<'EOF'
# Open MPI defaults for the bundle (tools/make_mpi_bundle.sh): one host, shared memory,
# no ssh, root allowed, more ranks than cores allowed, no binding (ranks float like the
# independent processes of the capacity measurement). mpirun's --mca flags override these.
plm = isolated
btl = self,vader
pml = ob1
osc = ^pt2pt
btl_base_warn_component_unused = 0
btl_vader_single_copy_mechanism = none
rmaps_base_oversubscribe = 1
hwloc_base_binding_policy = none
EOF

cat >"$OUT/env.sh" <<'EOF'
# Sourced by tools/mpi_bundle_run.sh (bash): point Open MPI, PMIx, hwloc and the loader at
# this folder, wherever it lies. Written by tools/make_mpi_bundle.sh.
MPI_BUNDLE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export MPI_BUNDLE
export OPAL_PREFIX=$MPI_BUNDLE OPAL_EXEC_PREFIX=$MPI_BUNDLE OPAL_BINDIR=$MPI_BUNDLE/bin \
  OPAL_SBINDIR=$MPI_BUNDLE/bin OPAL_LIBEXECDIR=$MPI_BUNDLE/bin OPAL_LIBDIR=$MPI_BUNDLE/lib \
  OPAL_PKGLIBDIR=$MPI_BUNDLE/lib/openmpi OPAL_DATAROOTDIR=$MPI_BUNDLE/share \
  OPAL_DATADIR=$MPI_BUNDLE/share OPAL_PKGDATADIR=$MPI_BUNDLE/share/openmpi \
  OPAL_SYSCONFDIR=$MPI_BUNDLE/etc OPAL_INCLUDEDIR=$MPI_BUNDLE/include \
  OPAL_PKGINCLUDEDIR=$MPI_BUNDLE/include
export OMPI_MCA_mca_base_component_path=$MPI_BUNDLE/lib/openmpi
export OMPI_MCA_mca_base_param_files=$MPI_BUNDLE/etc/openmpi-mca-params.conf
export OMPI_MCA_orte_default_hostfile=$MPI_BUNDLE/etc/openmpi-default-hostfile
export OMPI_MCA_plm_rsh_agent=
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export PMIX_PREFIX=$MPI_BUNDLE/pmix PMIX_INSTALL_PREFIX=$MPI_BUNDLE/pmix \
  PMIX_EXEC_PREFIX=$MPI_BUNDLE/pmix PMIX_LIBDIR=$MPI_BUNDLE/pmix/lib \
  PMIX_PKGLIBDIR=$MPI_BUNDLE/pmix/lib/pmix PMIX_DATAROOTDIR=$MPI_BUNDLE/pmix/share \
  PMIX_DATADIR=$MPI_BUNDLE/pmix/share PMIX_PKGDATADIR=$MPI_BUNDLE/pmix/share/pmix \
  PMIX_SYSCONFDIR=$MPI_BUNDLE/pmix/share
export PMIX_MCA_mca_base_component_path=$MPI_BUNDLE/pmix/lib/pmix
export PMIX_MCA_mca_base_param_files=$MPI_BUNDLE/pmix/share/pmix-mca-params.conf
# hash store and native security: nothing that needs munged or shared-memory locks
export PMIX_MCA_gds=hash PMIX_MCA_psec=native
# hwloc: no plugins (the system's PCI/GL/OpenCL ones are not needed and not bundled)
export HWLOC_PLUGINS_PATH=$MPI_BUNDLE/lib/hwloc
export LD_LIBRARY_PATH=$MPI_BUNDLE/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export PATH=$MPI_BUNDLE/bin:$PATH
EOF

# Strip, and point every ELF file's RUNPATH into the bundle.
for f in "$OUT"/bin/* "$OUT"/lib/*.so* "$OUT"/lib/openmpi/*.so "$OUT"/pmix/lib/pmix/*.so; do
  [ -f "$f" ] || continue
  strip --strip-unneeded "$f" 2>/dev/null || true
done
if command -v patchelf >/dev/null; then
  for f in "$OUT"/bin/*; do patchelf --set-rpath '$ORIGIN/../lib' "$f"; done
  for f in "$OUT"/lib/*.so*; do patchelf --set-rpath '$ORIGIN' "$f"; done
  for f in "$OUT"/lib/openmpi/*.so; do patchelf --set-rpath '$ORIGIN/..' "$f"; done
  for f in "$OUT"/pmix/lib/pmix/*.so; do patchelf --set-rpath '$ORIGIN/../../../lib' "$f"; done
else
  echo "make_mpi_bundle: patchelf not installed: RUNPATHs left as they are (env.sh's LD_LIBRARY_PATH finds the libraries)"
fi

# Every NEEDED of every file must be in lib/ or be glibc.
missing=0
for f in "$OUT"/bin/* "$OUT"/lib/*.so* "$OUT"/lib/openmpi/*.so "$OUT"/pmix/lib/pmix/*.so; do
  [ -f "$f" ] || continue
  for n in $(readelf -d "$f" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p'); do
    [[ $n =~ $GLIBC_RE ]] && continue
    [ -f "$OUT/lib/$n" ] || { echo "make_mpi_bundle: ${f#$OUT/} needs $n, not in the bundle" >&2; missing=1; }
  done
done
[ $missing = 0 ] || die "the bundle is not closed"

# The newest glibc symbol version any file asks for: the floor for the target machine.
need=$(for f in "$OUT"/bin/* "$OUT"/lib/*.so* "$OUT"/lib/openmpi/*.so "$OUT"/pmix/lib/pmix/*.so; do
  objdump -p "$f" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*'; done | sort -u -V | tail -1)
echo "${need#GLIBC_}" >"$OUT/GLIBC_REQUIRED"
need_by=$(for f in "$OUT"/bin/* "$OUT"/lib/*.so* "$OUT"/lib/openmpi/*.so "$OUT"/pmix/lib/pmix/*.so; do
  if objdump -p "$f" 2>/dev/null | grep -c "$need\b" >/dev/null; then echo "${f#$OUT/}"; fi; done | tr '\n' ' ' || true)
{
  echo "built $(date -u +%Y-%m-%dT%H:%MZ) on $(. /etc/os-release && echo "$PRETTY_NAME"), glibc $(getconf GNU_LIBC_VERSION | awk '{print $2}')"
  echo "repo HEAD when bundled: $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown) (gilpy: ${GILPY_COMMIT:-built from its own tree})"
  echo "$(ompi_info --version 2>/dev/null | head -1)"
  echo "needs glibc >= ${need#GLIBC_} (for $need_by)"
} >"$OUT/VERSION"

size=$(du -sb "$OUT" | awk '{print $1}')
mib=$(awk -v s="$size" 'BEGIN {printf "%.1f", s / 1048576}')
echo "make_mpi_bundle: $OUT: ${mib} MiB, $(find "$OUT" -type f | wc -l) files, $(ls "$OUT/lib/openmpi" | wc -l) MCA plugins, $(ls "$OUT"/lib/*.so* | wc -l) libraries; needs glibc >= ${need#GLIBC_}"
awk -v s="$size" -v m="$MAX_MIB" 'BEGIN {exit !(s > m * 1048576)}' && die "bundle is ${mib} MiB, over MAX_MIB=$MAX_MIB"
exit 0
