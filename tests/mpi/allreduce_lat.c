/* allreduce_lat.c — the C MPI figure for bench/mpi/allreduce_lat.py: MPI_Allreduce of
 * one 8-byte integer (MPI_SUM), ITERS calls after 100 warm-up calls, microseconds per
 * call on rank 0. Built with mpicc at test/benchmark time (tools/mpi_scaling.sh). */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  int iters = argc > 1 ? atoi(argv[1]) : 1000;
  int rank, size;
  MPI_Init(&argc, &argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  long long in = rank, out = 0;
  for (int i = 0; i < 100; i++) MPI_Allreduce(&in, &out, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  MPI_Barrier(MPI_COMM_WORLD);
  double t0 = MPI_Wtime();
  for (int i = 0; i < iters; i++) MPI_Allreduce(&in, &out, 1, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
  double us = (MPI_Wtime() - t0) / iters * 1e6;
  if (out != (long long)size * (size - 1) / 2) {
    fprintf(stderr, "wrong sum %lld\n", out);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  if (rank == 0) printf("metric ranks %d\nmetric allreduce_c_us %.2f\n", size, us);
  MPI_Finalize();
  return 0;
}
