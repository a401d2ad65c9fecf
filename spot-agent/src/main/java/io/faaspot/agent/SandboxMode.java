package io.faaspot.agent;

/**
 * How the agent confines what it runs (see {@link Sandbox}), chosen once at start by {@link
 * SandboxSetup}. In both confined modes the processes of the spot's uid are limited in number (a
 * fork bomb stops at the limit, and only this spot's uid counts against it), in open files and in
 * file size.
 */
enum SandboxMode {
  /**
   * Each process runs in a bubblewrap sandbox (own PID, IPC and mount namespaces; the system
   * read-only; only its own deployment, environment and scratch space visible; a private,
   * size-bounded {@code /tmp}) under the spot's own uid, with no capabilities and no way to gain
   * any.
   */
  BWRAP,

  /**
   * Where bubblewrap is missing or cannot make namespaces (a container without {@code
   * CAP_SYS_ADMIN}), the spot's own uid alone: files of other spots and of the server are closed to
   * it by their permissions, and other uids' processes cannot be signalled or traced, but the
   * machine's other processes can be listed and its world-writable directories written.
   */
  UID,

  /**
   * The agent does not run as root, so it cannot switch users: what it runs is as privileged as the
   * agent itself. It says so in its log.
   */
  NONE
}
