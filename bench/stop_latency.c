// Build: gcc -O2 -pthread bench/stop_latency.c -o /tmp/stop_latency; run: /tmp/stop_latency
// How long it takes to stop a running thread, the two ways the collector can ask
// (docs/gc.md, "Stopping"): a signal whose handler acknowledges (what libgc does for
// every stop), or a flag the thread polls at its check points (the eval breaker).
// The thread spins; the stopper asks, waits for the acknowledgement, then lets it go.
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>

static sem_t ack, resume;
static atomic_int flag, stop;
static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec * 1e-3;
}
static void handler(int sig) {
  (void)sig;
  sem_post(&ack);
  sem_wait(&resume);
}
static void* spinner(void* arg) {
  (void)arg;
  while (!atomic_load_explicit(&stop, memory_order_relaxed))
    if (atomic_load_explicit(&flag, memory_order_relaxed)) {  // a check point
      atomic_store(&flag, 0);
      sem_post(&ack);
      sem_wait(&resume);
    }
  return 0;
}
int main(void) {
  sem_init(&ack, 0, 0);
  sem_init(&resume, 0, 0);
  signal(SIGPWR, handler);
  pthread_t t;
  pthread_create(&t, 0, spinner, 0);
  const struct timespec gap = {0, 2000000};
  for (int mode = 0; mode < 2; mode++) {
    double total = 0, worst = 0;
    const int n = 200;
    for (int i = 0; i < n; i++) {
      nanosleep(&gap, 0);
      double t0 = now_us();
      if (mode == 0) pthread_kill(t, SIGPWR);
      else atomic_store(&flag, 1);
      sem_wait(&ack);
      double d = now_us() - t0;
      total += d;
      if (d > worst) worst = d;
      sem_post(&resume);
    }
    printf("%-12s mean %6.1f us, worst %6.1f us\n", mode ? "polled flag:" : "signal:", total / n, worst);
  }
  atomic_store(&stop, 1);
  pthread_join(t, 0);
  return 0;
}
