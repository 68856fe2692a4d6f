/* Launch latency as a distribution, the C counterpart of LaunchLatency.java: N launches of PROGRAM doing the
 * library's work (posix_spawn with the signal mask and dispositions reset and every fd above 2 closed, a pidfd,
 * poll, waitid(P_PIDFD); in "pipes" mode a stdout and a stderr pipe, drained), each timed; prints the 10th
 * percentile and the median in microseconds. With LIVE, that many `sleep 3600` children, each with its three
 * streams piped and a pidfd (the four descriptors a live child of the library holds), stay alive meanwhile.
 * usage: launch_latency [inherit|pipes] [N=2000] [PROGRAM=/bin/true] [LIVE=0] */
#include "common.h"
#include <poll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static int cmp_long(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return (x > y) - (x < y);
}

static void drain(int fd) { char buf[4096]; while (read(fd, buf, sizeof buf) > 0) {} close(fd); }

/* Starts a `sleep 3600` whose three streams are pipes; keeps this side of them and a pidfd; returns the pidfd. */
static int start_sleeper(void) {
  char *args[] = {"sleep", "3600", NULL};
  int io[3][2];
  posix_spawn_file_actions_t fa; posix_spawn_file_actions_init(&fa);
  for (int s = 0; s < 3; s++) {
    if (pipe2(io[s], O_CLOEXEC)) { perror("pipe2"); exit(1); }
    posix_spawn_file_actions_adddup2(&fa, io[s][s == 0 ? 0 : 1], s);
  }
  pid_t pid; int e = posix_spawnp(&pid, "sleep", &fa, NULL, args, environ);
  if (e) { fprintf(stderr, "posix_spawn sleep: %s\n", strerror(e)); exit(1); }
  posix_spawn_file_actions_destroy(&fa);
  for (int s = 0; s < 3; s++) close(io[s][s == 0 ? 0 : 1]);
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (pidfd < 0) { perror("pidfd_open"); kill(pid, SIGKILL); waitpid(pid, NULL, 0); exit(1); }
  return pidfd;
}

static int *sleepers, sleeping;

/* Kills and reaps the sleepers, at the end and at every exit before it: none outlives this program by an hour. */
static void stop_sleepers(void) {
  for (; sleeping > 0; sleeping--) {
    siginfo_t si;
    syscall(SYS_pidfd_send_signal, sleepers[sleeping - 1], SIGKILL, NULL, 0);
    waitid((idtype_t)P_PIDFD, (id_t)sleepers[sleeping - 1], &si, WEXITED);
    close(sleepers[sleeping - 1]);
  }
}

int main(int argc, char **argv) {
  int pipes = argc > 1 && strcmp(argv[1], "pipes") == 0;
  int n = argc > 2 ? atoi(argv[2]) : 2000;
  char *prog = argc > 3 ? argv[3] : "/bin/true";
  int live = argc > 4 ? atoi(argv[4]) : 0;
  sleepers = calloc(live > 0 ? live : 1, sizeof(int));
  atexit(stop_sleepers);
  if (live > 0) {
    /* Four descriptors per sleeper: lift the soft limit to the hard one, as the JVM does at its start. */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
      rl.rlim_cur = rl.rlim_max;
      setrlimit(RLIMIT_NOFILE, &rl);
    }
  }
  while (sleeping < live) { sleepers[sleeping] = start_sleeper(); sleeping++; }
  char *args[] = {prog, NULL};
  long *us = calloc(n, sizeof(long));
  sigset_t none, all; sigemptyset(&none); sigfillset(&all);
  for (int i = -n / 4; i < n; i++) {
    double t0 = now_s();
    int out[2], err[2];
    posix_spawn_file_actions_t fa; posix_spawn_file_actions_init(&fa);
    if (pipes) {
      if (pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC)) { perror("pipe2"); return 1; }
      posix_spawn_file_actions_adddup2(&fa, out[1], 1);
      posix_spawn_file_actions_adddup2(&fa, err[1], 2);
    }
    posix_spawn_file_actions_addclosefrom_np(&fa, 3);
    posix_spawnattr_t at; posix_spawnattr_init(&at);
    posix_spawnattr_setsigmask(&at, &none); posix_spawnattr_setsigdefault(&at, &all);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid; int e = posix_spawn(&pid, prog, &fa, &at, args, environ);
    if (e) { fprintf(stderr, "posix_spawn: %s\n", strerror(e)); return 1; }
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) { perror("pidfd_open"); return 1; }
    if (pipes) { close(out[1]); close(err[1]); drain(out[0]); drain(err[0]); }
    struct pollfd pf = {pidfd, POLLIN, 0}; poll(&pf, 1, -1);
    siginfo_t si; if (waitid((idtype_t)P_PIDFD, (id_t)pidfd, &si, WEXITED)) { perror("waitid"); return 1; }
    close(pidfd);
    posix_spawn_file_actions_destroy(&fa); posix_spawnattr_destroy(&at);
    if (i >= 0) us[i] = (long)((now_s() - t0) * 1e6);
  }
  stop_sleepers();
  qsort(us, n, sizeof(long), cmp_long);
  printf("c-%s live %d p10 %ld p50 %ld\n", pipes ? "pipes" : "inherit", live, us[n / 10], us[n / 2]);
  return 0;
}
