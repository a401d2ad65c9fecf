package io.faaspot.agent;

/**
 * What the processes of a confined spot may use, applied with {@code prlimit} (and, for the scratch
 * space, bubblewrap's tmpfs size).
 *
 * @param processes most processes and threads the spot's uid may have at once (RLIMIT_NPROC)
 * @param openFiles most open files per process
 * @param fileBytes largest file a process may write
 * @param scratchBytes size of a worker's private /tmp (bubblewrap mode)
 */
record SandboxLimits(int processes, int openFiles, long fileBytes, long scratchBytes) {}
