/* Launch floor: THREADS callers each loop { pipe2, posix_spawn PROGRAM with stdout on the pipe, drain the pipe,
 * waitpid }. Prints the median over ROUNDS rounds of the time one launch takes for one caller (microseconds),
 * which is what JMH's average time reports with that many benchmark threads.
 * usage: launch_floor [ITERATIONS_PER_THREAD=1000] [THREADS=1] [PROGRAM=/bin/true] [ROUNDS=5] */
#include "common.h"
#include <pthread.h>

static int iterations;
static char *program;

static void *caller(void *unused) {
  (void)unused;
  char *argv[] = {program, NULL};
  char buf[256];
  for (int i = 0; i < iterations; i++) {
    int p[2];
    if (pipe2(p, O_CLOEXEC)) { perror("pipe2"); exit(1); }
    pid_t pid = spawn(argv, -1, p[1]);
    close(p[1]);
    while (read(p[0], buf, sizeof buf) > 0) {}
    close(p[0]);
    wait_exit(pid);
  }
  return NULL;
}

int main(int argc, char **argv) {
  iterations = argc > 1 ? atoi(argv[1]) : 1000;
  int threads = argc > 2 ? atoi(argv[2]) : 1;
  program = argc > 3 ? argv[3] : "/bin/true";
  int rounds = argc > 4 ? atoi(argv[4]) : 5;
  double *us = calloc(rounds, sizeof(double));
  pthread_t *t = calloc(threads, sizeof(pthread_t));
  for (int r = 0; r < rounds; r++) {
    double t0 = now_s();
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, caller, NULL);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    us[r] = (now_s() - t0) / iterations * 1e6;
  }
  double m = median(us, rounds);
  printf("launch floor: %s, %d caller(s): median %.1f us per launch per caller (%.0f launches/s in all)\n",
         program, threads, m, threads / m * 1e6);
  printf("RESULT launch_t%d %.2f us/op\n", threads, m);
  return 0;
}
