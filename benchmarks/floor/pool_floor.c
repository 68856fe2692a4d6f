/* Worker round-trip floor: what a C parent pays to send one request to a long-lived `sed -u s/^/ok:/` and read
 * its answer, on one pipe pair (write "request-N\n", read up to the answer's '\n'). The same round trip that a
 * WorkerPool makes per request, without a pool or a JVM.
 * usage: pool_floor ROUND_TRIPS ROUNDS
 * Prints the median over ROUNDS of the mean microseconds per round trip, and the round trips per second. */
#include "common.h"

static void write_all(int fd, const char *b, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, b, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      perror("write");
      exit(1);
    }
    b += w;
    n -= (size_t)w;
  }
}

/* Reads until the answer's '\n' and checks that it is "ok:" + the request. */
static void read_answer(int fd, const char *request, size_t request_len) {
  char buf[256];
  size_t got = 0;
  for (;;) {
    ssize_t r = read(fd, buf + got, sizeof buf - got);
    if (r < 0) {
      if (errno == EINTR) continue;
      perror("read");
      exit(1);
    }
    if (r == 0) { fprintf(stderr, "sed closed its stdout\n"); exit(1); }
    got += (size_t)r;
    if (buf[got - 1] == '\n') break;
    if (got == sizeof buf) { fprintf(stderr, "answer too long\n"); exit(1); }
  }
  if (got != request_len + 4 || memcmp(buf, "ok:", 3) != 0 || memcmp(buf + 3, request, request_len) != 0) {
    fprintf(stderr, "unexpected answer: %.*s\n", (int)got, buf);
    exit(1);
  }
}

int main(int argc, char **argv) {
  long n = argc > 1 ? atol(argv[1]) : 20000;
  int rounds = argc > 2 ? atoi(argv[2]) : 5;
  int to_child[2], from_child[2];
  if (pipe2(to_child, O_CLOEXEC) || pipe2(from_child, O_CLOEXEC)) { perror("pipe2"); return 1; }
  char *argv_sed[] = {"sed", "-u", "s/^/ok:/", NULL};
  pid_t pid = spawn(argv_sed, to_child[0], from_child[1]);
  close(to_child[0]);
  close(from_child[1]);
  double per_trip[64];
  if (rounds > 64) rounds = 64;
  char request[64];
  for (int r = 0; r < rounds; r++) {
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
      int len = snprintf(request, sizeof request, "request-%ld\n", i);
      write_all(to_child[1], request, (size_t)len);
      read_answer(from_child[0], request, (size_t)len - 1);
    }
    per_trip[r] = (now_s() - t0) / n * 1e6;
  }
  close(to_child[1]);
  int code = wait_exit(pid);
  close(from_child[0]);
  if (code != 0) { fprintf(stderr, "sed exited with %d\n", code); return 1; }
  double us = median(per_trip, rounds);
  printf("pool floor: %.1f us per round trip through sed -u on one pipe pair (%.0f round trips/s), median of %d"
         " rounds of %ld\n", us, 1e6 / us, rounds, n);
  printf("RESULT pool_roundtrip_us %.3f us\n", us);
  return 0;
}
