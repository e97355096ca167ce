// Build: gcc -O2 bench/gc_thread_local_alloc.c -lgc -lpthread -o /tmp/tla; run: /tmp/tla THREADS GLOBAL(0|1)
// Boehm thread-local allocation check: N threads each allocate M 16-byte objects with
// GC_MALLOC (thread-local free lists when built with THREAD_LOCAL_ALLOC) vs through the
// global-lock path GC_malloc_kind_global. Prints wall seconds.
#define GC_THREADS
#include <gc/gc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
void* GC_malloc_kind_global(size_t, int);
static int use_global; static long M = 20000000;
static void* work(void* a) { void* volatile p; for (long i = 0; i < M; i++) p = use_global ? GC_malloc_kind_global(16, 1) : GC_MALLOC(16); (void)p; return 0; }
static double now() { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
int main(int argc, char** argv) {
  GC_INIT(); GC_allow_register_threads(); GC_expand_hp(64 << 20);
  int n = atoi(argv[1]); use_global = atoi(argv[2]);
  pthread_t t[16]; double t0 = now();
  for (int i = 0; i < n; i++) pthread_create(&t[i], 0, work, 0);
  for (int i = 0; i < n; i++) pthread_join(t[i], 0);
  printf("threads=%d %s: %.3f s for %ld allocs each\n", n, use_global ? "global-lock" : "GC_MALLOC", now() - t0, M);
}
