/* Stdout floor: drains `head -c BYTES /dev/zero` through a pipe whose capacity is set with F_SETPIPE_SZ
 * (0 keeps the kernel default, 64 KiB) with read(2) calls of READ_SIZE bytes; median of ROUNDS runs, in MB/s
 * (10^6 bytes per second) from spawn to reap.
 * usage: read_floor [BYTES=268435456] [PIPE_SIZE=0] [READ_SIZE=65536] [ROUNDS=3] */
#include "common.h"

int main(int argc, char **argv) {
  long bytes = argc > 1 ? atol(argv[1]) : 268435456L;
  int pipe_size = argc > 2 ? atoi(argv[2]) : 0;
  int read_size = argc > 3 ? atoi(argv[3]) : 65536;
  int rounds = argc > 4 ? atoi(argv[4]) : 3;
  char count[32];
  snprintf(count, sizeof count, "%ld", bytes);
  char *args[] = {"head", "-c", count, "/dev/zero", NULL};
  char *buf = malloc(read_size);
  double *mbs = calloc(rounds, sizeof(double));
  for (int r = 0; r < rounds; r++) {
    int p[2];
    if (pipe2(p, O_CLOEXEC)) { perror("pipe2"); return 1; }
    if (pipe_size && fcntl(p[0], F_SETPIPE_SZ, pipe_size) < 0) perror("F_SETPIPE_SZ");
    double t0 = now_s();
    pid_t pid = spawn(args, -1, p[1]);
    close(p[1]);
    long total = 0;
    ssize_t n;
    while ((n = read(p[0], buf, read_size)) > 0) total += n;
    close(p[0]);
    wait_exit(pid);
    double s = now_s() - t0;
    if (total != bytes) { fprintf(stderr, "read %ld bytes, expected %ld\n", total, bytes); return 1; }
    mbs[r] = total / s / 1e6;
  }
  double m = median(mbs, rounds);
  printf("stdout floor: %ld bytes from head, pipe size %d, read size %d: median %.0f MB/s\n", bytes,
         pipe_size, read_size, m);
  printf("RESULT stdout_pipe%d %.1f MB/s\n", pipe_size, m);
  return 0;
}
