/* stop.h — a run's answer to SIGINT and SIGTERM (Slurm sends SIGTERM before
 * it pre-empts a job), and to SIGHUP, SIGUSR1 (Slurm's --signal) and
 * SIGXFSZ, which stop a run the same way.
 *
 * stop_start() blocks SIGINT and SIGTERM in the calling thread — and so in
 * every thread started after it (OpenMP's, MPI's), which inherit the mask —
 * and starts one watcher thread that waits for them with sigwait(). The
 * first signal only raises a flag: the runner polls stop_requested() between
 * blocks of replications, stops claiming new work, keeps what has finished
 * and writes the result with complete = 0. A second signal exits the
 * process at once (exit status 1) after removing the temporary file named
 * by stop_cleanup(), so an earlier result under the target name is never
 * touched and no half-written file is left.
 *
 * No global state: the watcher's context is the stop_watch it was given.
 * Ownership: stop_start / stop_end. Thread-safety: stop_requested and
 * stop_cleanup may be called from any thread.
 */
#ifndef REASSURE_STOP_H
#define REASSURE_STOP_H

typedef struct stop_watch stop_watch;

/* Blocks SIGINT/SIGTERM and watches for them; NULL when a thread cannot be
 * started (the run then goes on without interrupt handling). */
stop_watch *stop_start(void);

/* The same for another command: `effect` (a string that outlives the
 * watch) says what a first signal does, in its message ("finished
 * replications are kept" for a run). */
stop_watch *stop_start_saying(const char *effect);

/* 0, or the first signal received (SIGINT or SIGTERM). NULL-safe. */
int stop_requested(const stop_watch *w);

/* The files to remove if a second signal ends the process (NULL: none):
 * the temporary result and its lock. The names are copied: the strings may
 * be freed as soon as this returns. NULL-safe. */
void stop_cleanup(stop_watch *w, const char *path, const char *lock);

/* "SIGTERM", "SIGINT", "SIGHUP", "SIGUSR1", "SIGXFSZ": every signal that
 * stops a run. */
const char *stop_signal_name(int sig);

/* Stops watching, for a process about to exit: SIGINT and SIGTERM stay
 * blocked, so one arriving now leaves the run's exit status as it is.
 * NULL-safe. */
void stop_end(stop_watch *w);

#endif
