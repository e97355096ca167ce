#!/usr/bin/env bash
# mpi_bundle_run.sh — run gilpy under the bundled Open MPI (tools/make_mpi_bundle.sh) on a
# machine that has no MPI of its own:
#   tools/mpi_bundle_run.sh BUNDLE [MPIRUN OPTIONS] [--] [GILPY ARGS: script.py args... | -c CODE | -m MOD]
#   tools/mpi_bundle_run.sh devrun/mpi -np 4 bench/mpi/pi.py 2000000
#   tools/mpi_bundle_run.sh devrun/mpi -np 2 -- -c "from mpi4py import MPI; print(MPI.COMM_WORLD.rank)"
#   tools/mpi_bundle_run.sh devrun/mpi --check        # glibc check only: prints versions, exit 0/3
# MPIRUN OPTIONS are the leading -np/-n N, --mca KEY VALUE, -x VAR, --map-by/--bind-to/
# --rank-by X, --host/--hostfile H, --timeout S, and flags such as --oversubscribe,
# --report-bindings, --tag-output; the first other word (a script, or a gilpy option like -c,
# -m, --gil=none) starts gilpy's arguments; `--` ends mpirun's options explicitly.
# --exe PROGRAM runs PROGRAM instead of the bundled gilpy (e.g. BUNDLE/bin/allreduce_lat_c).
# MPIRUN_ARGS (env) adds mpirun options. Defaults come from BUNDLE/etc/openmpi-mca-params.conf:
# one host, btl self,vader, pml ob1, no binding, oversubscription and root allowed, no ssh.
# Before anything starts it checks that this machine's glibc is at least BUNDLE/GLIBC_REQUIRED
# and fails with exit 3 and a message if not.
set -uo pipefail
[ $# -ge 1 ] || { head -n 16 "$0" | tail -n +2; exit 2; }
B=$1; shift
# a copy that lost its execute bits (some transfers do) gets them back
[ -f "$B/bin/mpirun" ] && [ ! -x "$B/bin/mpirun" ] && chmod u+x "$B"/bin/* 2>/dev/null
[ -f "$B/env.sh" ] && [ -x "$B/bin/mpirun" ] || { echo "mpi_bundle_run: $B is not a bundle made by tools/make_mpi_bundle.sh (no env.sh or bin/mpirun)" >&2; exit 2; }
B=$(cd "$B" && pwd)

# This machine's glibc version, by whatever is there (getconf and ldd are glibc's own).
host_glibc() {  # coreutils and bash only: no awk or grep needed
  local v="" w
  w=$(getconf GNU_LIBC_VERSION 2>/dev/null)
  [[ $w =~ ^glibc\ ([0-9]+\.[0-9]+) ]] && v=${BASH_REMATCH[1]}
  if [ -z "$v" ]; then
    w=$(ldd --version 2>/dev/null | head -1)
    [[ $w =~ ([0-9]+\.[0-9]+)$ ]] && v=${BASH_REMATCH[1]}
  fi
  if [ -z "$v" ]; then
    w=$(/lib64/ld-linux-x86-64.so.2 --version 2>/dev/null | head -1)
    [[ $w =~ ([0-9]+\.[0-9]+) ]] && v=${BASH_REMATCH[1]}
  fi
  [ -n "$v" ] || v=$(python3 -c 'import platform; l, v = platform.libc_ver(); print(v if l == "glibc" else "")' 2>/dev/null)
  echo "$v"
}
need=$(cat "$B/GLIBC_REQUIRED" 2>/dev/null || echo 2.34)
have=$(host_glibc)
if [ -z "$have" ]; then
  echo "mpi_bundle_run: cannot tell this machine's glibc version (no getconf, ldd, ld.so or python3 answered); the bundle needs glibc >= $need — trying anyway" >&2
elif [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -1)" != "$need" ]; then
  echo "mpi_bundle_run: this machine has glibc $have, the bundle needs glibc >= $need ($(head -n 1 "$B/VERSION" 2>/dev/null)); rebuild the bundle on a distribution with an older glibc" >&2
  exit 3
fi
if [ "${1:-}" = --check ]; then
  echo "glibc $have (bundle needs >= $need); $(head -n 3 "$B/VERSION" 2>/dev/null | tail -n 1)"
  exit 0
fi

# shellcheck source=/dev/null
source "$B/env.sh"
# Shared-memory segments go to /dev/shm; a small one (containers: 64 MiB) or a missing one
# (under 256 MiB free) could fail 16 ranks, so fall back to the temporary folder.
if [ -z "${OMPI_MCA_btl_vader_backing_directory:-}" ]; then
  shm_kib=0
  w=$(df -Pk /dev/shm 2>/dev/null | tail -n 1)
  read -r _ _ _ shm_kib _ <<<"$w"
  [[ $shm_kib =~ ^[0-9]+$ ]] || shm_kib=0
  if [ ! -w /dev/shm ] || [ "$shm_kib" -lt 262144 ]; then
    export OMPI_MCA_btl_vader_backing_directory=${TMPDIR:-/tmp}
  fi
fi

exe=$B/bin/gilpy
mpiargs=()
while [ $# -gt 0 ]; do
  case $1 in
    --) shift; break ;;
    --exe) exe=$2; shift 2 ;;
    -np|-n|--np|-N|--npernode|-npernode|--map-by|-map-by|--bind-to|-bind-to|--rank-by|-rank-by|-x|--host|-host|-H|--hostfile|-hostfile|--machinefile|--timeout|-timeout|--wdir|-wdir|--output-filename|--cpu-set|--cpus-per-proc|--cpus-per-rank|--display-devel-map)
      [ $# -ge 2 ] || { echo "mpi_bundle_run: $1 needs a value" >&2; exit 2; }
      mpiargs+=("$1" "$2"); shift 2 ;;
    --mca|-mca|--gmca|-gmca)
      [ $# -ge 3 ] || { echo "mpi_bundle_run: $1 needs KEY VALUE" >&2; exit 2; }
      mpiargs+=("$1" "$2" "$3"); shift 3 ;;
    --oversubscribe|--nooversubscribe|--allow-run-as-root|--report-bindings|--tag-output|--timestamp-output|--display-map|--display-allocation|-v|--verbose|-q|--quiet|--debug-daemons|--merge-stderr-to-stdout|--use-hwthread-cpus|--report-uri)
      mpiargs+=("$1"); shift ;;
    --map-by=*|--bind-to=*|--rank-by=*|-np=*|--np=*)
      mpiargs+=("$1"); shift ;;
    *) break ;;
  esac
done
case $exe in /*) ;; *) exe=$(cd "$(dirname "$exe")" && pwd)/$(basename "$exe") ;; esac
# shellcheck disable=SC2086
exec "$B/bin/mpirun" "${mpiargs[@]}" ${MPIRUN_ARGS:-} "$exe" "$@"
