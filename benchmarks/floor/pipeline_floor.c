/* Pipeline floor: `dd if=/dev/zero bs=1M count=MIB | wc -c` joined by a C parent with one pipe, wc's stdout
 * read by the parent, both reaped; median of ROUNDS runs, in seconds per pipeline.
 * usage: pipeline_floor [MIB=256] [ROUNDS=3] */
#include "common.h"

int main(int argc, char **argv) {
  long mib = argc > 1 ? atol(argv[1]) : 256;
  int rounds = argc > 2 ? atoi(argv[2]) : 3;
  char count[32];
  snprintf(count, sizeof count, "count=%ld", mib);
  char *dd[] = {"dd", "if=/dev/zero", "bs=1M", count, "status=none", NULL};
  char *wc[] = {"wc", "-c", NULL};
  double *sec = calloc(rounds, sizeof(double));
  for (int r = 0; r < rounds; r++) {
    int mid[2], out[2];
    if (pipe2(mid, O_CLOEXEC) || pipe2(out, O_CLOEXEC)) { perror("pipe2"); return 1; }
    double t0 = now_s();
    pid_t a = spawn(dd, -1, mid[1]);
    pid_t b = spawn(wc, mid[0], out[1]);
    close(mid[0]);
    close(mid[1]);
    close(out[1]);
    char answer[64] = {0};
    ssize_t n = read(out[0], answer, sizeof answer - 1);
    close(out[0]);
    wait_exit(a);
    wait_exit(b);
    sec[r] = now_s() - t0;
    if (n <= 0 || atol(answer) != mib << 20) { fprintf(stderr, "wc -c answered '%s'\n", answer); return 1; }
  }
  double m = median(sec, rounds);
  printf("pipeline floor: dd bs=1M count=%ld | wc -c: median %.3f s\n", mib, m);
  printf("RESULT pipeline %.4f s/op\n", m);
  return 0;
}
