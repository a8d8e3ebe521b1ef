/*
 * mboxos bench anchor for W1, in C: one sending process and one receiving process through one
 * POSIX message queue of DEPTH messages of BYTES bytes: the kernel's own queue, with a system
 * call per send and per receive, which is what the mboxos kernel is measured against.
 *
 *   posix_mq_w1 MESSAGES DEPTH BYTES WARMUP ROUNDS
 *
 * Prints one JSON object per line on stdout: {"note": ...} when the queue had to be shallower
 * than asked, then one {"round": R, ...} per round, round 0 being the untimed-for-the-result
 * warm-up of WARMUP messages. A round's time runs from the sender's first mq_send to the
 * receiver's last mq_receive (CLOCK_MONOTONIC is one clock for both processes).
 * Exit status 0 when every round moved every byte.
 *
 * A depth above /proc/sys/fs/mqueue/msg_max (10 unless raised) needs CAP_SYS_RESOURCE (root)
 * or a raised limit; without either, mq_open fails with EINVAL and the program falls back to
 * msg_max, saying so in the note.
 */
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static long system_msg_max(void) {
    long v = 10;
    FILE *f = fopen("/proc/sys/fs/mqueue/msg_max", "r");
    if (f) {
        if (fscanf(f, "%ld", &v) != 1) v = 10;
        fclose(f);
    }
    return v;
}

static mqd_t open_queue(const char *name, long depth, long bytes) {
    struct mq_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.mq_maxmsg = depth;
    attr.mq_msgsize = bytes;
    return mq_open(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
}

/* One round of n messages; returns its nanoseconds, or -1 after printing why on stderr. */
static long long run_round(mqd_t q, long n, long bytes) {
    int done[2];
    if (pipe(done) < 0) { perror("pipe"); return -1; }
    pid_t receiver = fork();
    if (receiver < 0) { perror("fork"); return -1; }
    if (receiver == 0) {
        close(done[0]);
        char *buf = malloc(bytes);
        long long got = 0;
        for (long i = 0; i < n; i++) {
            ssize_t r = mq_receive(q, buf, bytes, NULL);
            if (r < 0) { perror("mq_receive"); _exit(1); }
            got += r;
        }
        long long end = now_ns();
        if (write(done[1], &end, sizeof end) != sizeof end) _exit(1);
        _exit(got == (long long)n * bytes ? 0 : 2);
    }
    close(done[1]);
    char *payload = calloc(1, bytes);
    long long start = now_ns();
    for (long i = 0; i < n; i++) {
        payload[0] = (char)i;
        if (mq_send(q, payload, bytes, 0) < 0) { perror("mq_send"); kill(receiver, SIGKILL); return -1; }
    }
    long long end = -1;
    ssize_t r = read(done[0], &end, sizeof end);
    close(done[0]);
    free(payload);
    int status = 0;
    waitpid(receiver, &status, 0);
    if (r != sizeof end || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "receiver failed (status %d)\n", status);
        return -1;
    }
    return end - start;
}

int main(int argc, char **argv) {
    if (argc != 6) {
        fprintf(stderr, "usage: %s MESSAGES DEPTH BYTES WARMUP ROUNDS\n", argv[0]);
        return 2;
    }
    long n = atol(argv[1]), depth = atol(argv[2]), bytes = atol(argv[3]);
    long warmup = atol(argv[4]), rounds = atol(argv[5]);
    char name[64];
    snprintf(name, sizeof name, "/mboxos-w1-%d", (int)getpid());
    mqd_t q = open_queue(name, depth, bytes);
    if (q == (mqd_t)-1 && errno == EINVAL) {
        long max = system_msg_max();
        if (depth > max) {
            printf("{\"note\":\"mq_open refused depth %ld (fs.mqueue.msg_max is %ld; a deeper queue needs root or"
                   " sysctl -w fs.mqueue.msg_max=%ld): ran at depth %ld\"}\n", depth, max, depth, max);
            depth = max;
            q = open_queue(name, depth, bytes);
        }
    }
    if (q == (mqd_t)-1) { perror("mq_open"); return 1; }
    mq_unlink(name); /* the name goes now; the queue lives while the descriptors do */
    for (long r = 0; r <= rounds; r++) {
        long count = r == 0 ? warmup : n;
        long long ns = run_round(q, count, bytes);
        if (ns < 0) return 1;
        printf("{\"round\":%ld,\"messages\":%ld,\"depth\":%ld,\"bytes\":%ld,\"nanos\":%lld}\n", r, count, depth,
               bytes, ns);
        fflush(stdout);
    }
    mq_close(q);
    return 0;
}
