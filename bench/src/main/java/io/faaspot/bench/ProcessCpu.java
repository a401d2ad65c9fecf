package io.faaspot.bench;

import java.lang.management.ManagementFactory;

/**
 * The load generator's own CPU time: it shares the machine with the server it measures, so the
 * async scenarios report how much of the machine it took while they waited.
 */
final class ProcessCpu {
  private ProcessCpu() {}

  /** The CPU time this JVM has used, all its threads, in nanoseconds (-1 if unknown). */
  static long nanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : -1;
  }
}
