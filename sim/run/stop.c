/* stop.c — SIGINT and SIGTERM as a request to stop (see stop.h).
 *
 * Why a watcher thread and not a signal handler: a handler can only touch
 * global state, and this program has none. With the signals blocked in
 * every thread, the kernel keeps them pending until the watcher's sigwait()
 * takes them, in an ordinary thread with an ordinary context pointer.
 * stop_end() raises `quit` and sends the watcher itself a SIGTERM
 * (pthread_kill), which its sigwait() takes; no thread cancellation, which
 * sanitizers and some C libraries handle badly.
 *
 * The files a second signal removes are the watcher's own copies, taken
 * under its mutex: the caller's strings (an out_file's paths) are freed by
 * out_commit/out_abort, and a second signal may come between that and the
 * next stop_cleanup (issue 17: the watcher unlinked freed strings).
 */
#include "stop.h"

#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct stop_watch {
    pthread_t thread;
    sigset_t set;       /* SIGINT, SIGTERM */
    atomic_int signal;  /* first signal, 0 = none */
    atomic_int quit;    /* stop_end: the next signal is ours, leave */
    const char *effect; /* what a first signal does, for its message; set before the thread */
    pthread_mutex_t files; /* guards cleanup and lock */
    char cleanup[PATH_MAX]; /* "" = none */
    char lock[PATH_MAX];
};

static void say(const char *text)
{
    ssize_t rc = write(STDERR_FILENO, text, strlen(text));
    (void)rc;
}

static void *watch(void *arg)
{
    stop_watch *w = arg;
    for (;;) {
        int sig = 0;
        if (sigwait(&w->set, &sig) != 0)
            continue;
        if (atomic_load(&w->quit))
            return NULL;
        int expected = 0;
        if (atomic_compare_exchange_strong(&w->signal, &expected, sig)) {
            char line[512];
            snprintf(line, sizeof line, "%sreassure: %s: stopping; %s (a second signal exits "
                     "at once)\n", sig == SIGINT ? "\n" : "",
                     sig == SIGINT ? "interrupted" : stop_signal_name(sig), w->effect);
            say(line);
            continue;
        }
        /* A second signal: leave nothing half-written, and go. The mutex
         * is never released: nothing may change the names before _exit. */
        pthread_mutex_lock(&w->files);
        int any = w->cleanup[0] != '\0';
        if (any)
            unlink(w->cleanup);
        if (w->lock[0] != '\0')
            unlink(w->lock);
        say(any ? "reassure: second signal: exiting now; the result file is not written\n"
                : "reassure: second signal: exiting now\n");
        _exit(1);
    }
    return NULL;
}

stop_watch *stop_start(void)
{
    return stop_start_saying("finished replications are kept");
}

stop_watch *stop_start_saying(const char *effect)
{
    stop_watch *w = calloc(1, sizeof *w);
    if (w == NULL)
        return NULL;
    w->effect = effect;
    sigemptyset(&w->set);
    /* SIGHUP (a closed terminal), SIGUSR1 (Slurm's --signal) and SIGXFSZ
     * (a file-size limit: the write then fails with an error) stop a run as
     * SIGTERM does; none kills it with the finished work unwritten. */
    sigaddset(&w->set, SIGINT);
    sigaddset(&w->set, SIGTERM);
    sigaddset(&w->set, SIGHUP);
    sigaddset(&w->set, SIGUSR1);
    sigaddset(&w->set, SIGXFSZ);
    atomic_init(&w->signal, 0);
    atomic_init(&w->quit, 0);
    if (pthread_mutex_init(&w->files, NULL) != 0) {
        free(w);
        return NULL;
    }
    sigset_t old;
    if (pthread_sigmask(SIG_BLOCK, &w->set, &old) != 0) {
        pthread_mutex_destroy(&w->files);
        free(w);
        return NULL;
    }
    if (pthread_create(&w->thread, NULL, watch, w) != 0) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        pthread_mutex_destroy(&w->files);
        free(w);
        return NULL;
    }
    return w;
}

int stop_requested(const stop_watch *w)
{
    return w == NULL ? 0 : atomic_load(&((stop_watch *)w)->signal);
}

/* A name too long for the copy is not kept (it could not name a file
 * either: PATH_MAX is the system's limit). */
static void copy_name(char *to, const char *from)
{
    if (from == NULL || snprintf(to, PATH_MAX, "%s", from) >= PATH_MAX)
        to[0] = '\0';
}

void stop_cleanup(stop_watch *w, const char *path, const char *lock)
{
    if (w == NULL)
        return;
    pthread_mutex_lock(&w->files);
    copy_name(w->cleanup, path);
    copy_name(w->lock, lock);
    pthread_mutex_unlock(&w->files);
}

const char *stop_signal_name(int sig)
{
    switch (sig) {
    case SIGINT: return "SIGINT";
    case SIGTERM: return "SIGTERM";
    case SIGHUP: return "SIGHUP";
    case SIGUSR1: return "SIGUSR1";
    case SIGXFSZ: return "SIGXFSZ";
    default: return "a signal";
    }
}

void stop_end(stop_watch *w)
{
    if (w == NULL)
        return;
    atomic_store(&w->quit, 1);
    pthread_kill(w->thread, SIGTERM);
    pthread_join(w->thread, NULL);
    pthread_mutex_destroy(&w->files);
    /* The signals stay blocked: the run is over and the process is on its
     * way out with the run's own exit status; a signal that comes now
     * (a second Ctrl-C just as the file was written) must not turn that
     * into death by signal. It stays pending, and dies with the process. */
    free(w);
}
