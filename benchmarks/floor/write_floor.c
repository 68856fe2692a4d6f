/* Stdin floor: writes BYTES zero bytes into `wc -c` through a pipe, WRITE_SIZE bytes per write(2), closes it,
 * reads wc's answer and reaps it; median of ROUNDS runs, in MB/s.
 * usage: write_floor [BYTES=268435456] [WRITE_SIZE=65536] [ROUNDS=3] */
#include "common.h"

int main(int argc, char **argv) {
  long bytes = argc > 1 ? atol(argv[1]) : 268435456L;
  int write_size = argc > 2 ? atoi(argv[2]) : 65536;
  int rounds = argc > 3 ? atoi(argv[3]) : 3;
  char *args[] = {"wc", "-c", NULL};
  char *buf = calloc(1, write_size);
  double *mbs = calloc(rounds, sizeof(double));
  for (int r = 0; r < rounds; r++) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) { perror("pipe2"); return 1; }
    double t0 = now_s();
    pid_t pid = spawn(args, in[0], out[1]);
    close(in[0]);
    close(out[1]);
    for (long left = bytes; left > 0;) {
      ssize_t n = write(in[1], buf, left < write_size ? left : write_size);
      if (n < 0) { if (errno == EINTR) continue; perror("write"); return 1; }
      left -= n;
    }
    close(in[1]);
    char answer[64] = {0};
    ssize_t n = read(out[0], answer, sizeof answer - 1);
    close(out[0]);
    wait_exit(pid);
    double s = now_s() - t0;
    if (n <= 0 || atol(answer) != bytes) { fprintf(stderr, "wc -c answered '%s'\n", answer); return 1; }
    mbs[r] = bytes / s / 1e6;
  }
  double m = median(mbs, rounds);
  printf("stdin floor: %ld bytes into wc -c, write size %d: median %.0f MB/s\n", bytes, write_size, m);
  printf("RESULT stdin %.1f MB/s\n", m);
  return 0;
}
