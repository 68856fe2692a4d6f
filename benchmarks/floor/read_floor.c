/* Stdout floor: drains a producer's output through a pipe whose capacity is set with F_SETPIPE_SZ (0 keeps the
 * kernel default, 64 KiB), with read(2) calls of READ_SIZE bytes, spawn to reap, in MB/s (10^6 bytes per second).
 * Producers: `head -c BYTES /dev/zero` (4 KiB writes) and `dd if=/dev/zero bs=1M` (1 MiB writes).
 *
 * Several reading strategies run interleaved, ROUNDS times each; the floor is the best median:
 *   read   read(2) into one buffer as soon as anything is in the pipe;
 *   yield  the same, but after a read that brought less than half the buffer, sched_yield(2) before the next:
 *          a reader on the writer's CPU lets it fill the pipe first, so reads are large and few;
 *   fill   reads until the buffer is full or FIONREAD says the pipe is empty, as java.io.BufferedInputStream
 *          does under ProcessBuilder's stream (what makes a ProcessBuilder loop get ~62 KB per read() call);
 *   splice splice(2) to /dev/null: the bytes never reach user space (a bound, not a reader).
 * A reader that reads at once gets about 8 KB per call from head (two of its 4 KiB writes): it keeps up with the
 * writer, so every call pays the system call and a wake-up for little data.
 * usage: read_floor [BYTES=268435456] [PIPE_SIZE=0] [READ_SIZE=65536] [ROUNDS=3] [PRODUCER=head] */
#include "common.h"
#include <sched.h>
#include <sys/ioctl.h>

static const char *strategies[] = {"read", "yield", "fill", "splice"};
#define NSTRATEGIES 4

static double run(char *const args[], long bytes, int pipe_size, int read_size, int strategy, char *buf,
                  double *per_read) {
  int p[2];
  if (pipe2(p, O_CLOEXEC)) { perror("pipe2"); exit(1); }
  if (pipe_size && fcntl(p[0], F_SETPIPE_SZ, pipe_size) < 0) perror("F_SETPIPE_SZ");
  double t0 = now_s();
  pid_t pid = spawn(args, -1, p[1]);
  close(p[1]);
  long total = 0, reads = 0;
  ssize_t n;
  if (strategy == 3) {
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    while ((n = splice(p[0], NULL, devnull, NULL, read_size, SPLICE_F_MOVE)) > 0) { total += n; reads++; }
    close(devnull);
  } else {
    for (;;) {
      n = read(p[0], buf, read_size);
      if (n <= 0) break;
      total += n;
      reads++;
      if (strategy == 1 && n < read_size / 2) {
        sched_yield();
      } else if (strategy == 2) {
        int have = (int)n, avail;
        while (have < read_size && ioctl(p[0], FIONREAD, &avail) == 0 && avail > 0) {
          n = read(p[0], buf + have, read_size - have);
          if (n <= 0) break;
          total += n;
          have += (int)n;
        }
      }
    }
  }
  close(p[0]);
  wait_exit(pid);
  double s = now_s() - t0;
  if (total != bytes) { fprintf(stderr, "read %ld bytes, expected %ld\n", total, bytes); exit(1); }
  *per_read = (double)total / reads;
  return total / s / 1e6;
}

int main(int argc, char **argv) {
  long bytes = argc > 1 ? atol(argv[1]) : 268435456L;
  int pipe_size = argc > 2 ? atoi(argv[2]) : 0;
  int read_size = argc > 3 ? atoi(argv[3]) : 65536;
  int rounds = argc > 4 ? atoi(argv[4]) : 3;
  const char *producer = argc > 5 ? argv[5] : "head";
  char count[32];
  char *head[] = {"head", "-c", count, "/dev/zero", NULL};
  char *dd[] = {"dd", "if=/dev/zero", "bs=1M", count, "status=none", NULL};
  int is_dd = strcmp(producer, "dd") == 0;
  if (is_dd) snprintf(count, sizeof count, "count=%ld", bytes >> 20); else snprintf(count, sizeof count, "%ld", bytes);
  char *buf = malloc(read_size);
  memset(buf, 1, read_size);
  double mbs[NSTRATEGIES][rounds], per[NSTRATEGIES][rounds];
  for (int r = 0; r < rounds; r++)
    for (int s = 0; s < NSTRATEGIES; s++)
      mbs[s][r] = run(is_dd ? dd : head, bytes, pipe_size, read_size, s, buf, &per[s][r]);
  int best = 0;
  double bestv = 0;
  printf("stdout floor: %ld bytes from %s, pipe size %d, read size %d, medians of %d:", bytes, producer,
         pipe_size, read_size, rounds);
  for (int s = 0; s < NSTRATEGIES; s++) {
    double m = median(mbs[s], rounds), b = median(per[s], rounds);
    printf(" %s %.0f MB/s (%.0f B/call)", strategies[s], m, b);
    if (s != 3 && m > bestv) { bestv = m; best = s; }
  }
  printf("; best reader: %s\n", strategies[best]);
  printf("RESULT stdout_%spipe%d %.1f MB/s\n", is_dd ? "dd_" : "", pipe_size, bestv);
  return 0;
}
