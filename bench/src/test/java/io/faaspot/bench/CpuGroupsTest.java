package io.faaspot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * bench/baselines/cpu_usage.py, which run.sh uses for the CPU each process group spends: the
 * server's embedded PostgreSQL is one of its children, so the agents' group ("below" the server)
 * must leave PostgreSQL's tree out, or its CPU is counted twice.
 */
class CpuGroupsTest {
  /**
   * Burns about 0.3 s of CPU, says so with a file named after its pid in the directory it is given,
   * then waits to be killed, so that its ticks stay to be read.
   */
  private static final String BURN =
      """
      import os, sys, time
      t = time.process_time()
      while time.process_time() - t < 0.3:
          pass
      open(os.path.join(sys.argv[1], "%d.burned" % os.getpid()), "w").close()
      time.sleep(60)
      """;

  @Test
  void aGroupBelowAProcessCanLeaveOneChildsTreeOut(@TempDir Path dir) throws Exception {
    // given a parent whose two children burned CPU, one of them a shell with two burners below it
    Path burn = Files.writeString(dir.resolve("burn.py"), BURN);
    Path burned = Files.createDirectory(dir.resolve("burned"));
    String b = "python3 " + burn + " " + burned;
    Process parent =
        new ProcessBuilder("sh", "-c", b + " & sh -c '" + b + " & " + b + " & wait' & wait")
            .start();
    try {
      assertThat(awaitFiles(burned, 3, 30)).as("burners done").isEqualTo(3);
      List<ProcessHandle> children = parent.children().toList();
      assertThat(children).hasSize(2);
      ProcessHandle shell =
          children.stream()
              .filter(c -> c.info().command().orElse("").endsWith("sh"))
              .findFirst()
              .orElseThrow();

      // when the groups are taken: all below the parent, and all below it but the shell's tree
      Path out = dir.resolve("snap.json");
      cpuUsage(
          "snap",
          out.toString(),
          "all=below:" + parent.pid(),
          "but=below:" + parent.pid() + "/" + shell.pid(),
          "shell=tree:" + shell.pid());
      JsonNode groups = new ObjectMapper().readTree(out.toFile()).get("groups");

      // then the second is the first without the shell's tree: one burner's CPU, not three
      double all = groups.get("all").asDouble();
      double but = groups.get("but").asDouble();
      double shellTree = groups.get("shell").asDouble();
      assertThat(all).isGreaterThanOrEqualTo(0.9);
      assertThat(but).isGreaterThanOrEqualTo(0.3).isLessThan(all / 2);
      assertThat(shellTree).isGreaterThan(but);
      assertThat(but + shellTree).isCloseTo(all, Offset.offset(0.02));
    } finally {
      parent.descendants().forEach(ProcessHandle::destroyForcibly);
      parent.destroyForcibly();
    }
  }

  /**
   * A Java program that keeps its JIT compilers busy (a loop over a method, hot enough for both
   * tiers), says so with a file named after its pid, then waits to be killed.
   */
  private static final String COMPILE =
      """
      import java.nio.file.*;
      class Compile {
        static long step(long x) { return x * 31 + (x >>> 7) ^ (x << 3); }
        public static void main(String[] a) throws Exception {
          long x = 1;
          for (int i = 0; i < 200_000_000; i++) x = step(x);
          Files.writeString(Path.of(a[0], ProcessHandle.current().pid() + ".burned"), "" + x);
          Thread.sleep(60_000);
        }
      }
      """;

  @Test
  void aJvmsJitCompilersArePartOfItsCpuAndOfNoTotal(@TempDir Path dir) throws Exception {
    // given a shell with a JVM that compiled hot code and a Python burner below it
    Path burn = Files.writeString(dir.resolve("burn.py"), BURN);
    Path compile = Files.writeString(dir.resolve("Compile.java"), COMPILE);
    Path burned = Files.createDirectory(dir.resolve("burned"));
    String java = ProcessHandle.current().info().command().orElseThrow();
    Process parent =
        new ProcessBuilder(
                "sh",
                "-c",
                "python3 "
                    + burn
                    + " "
                    + burned
                    + " & "
                    + java
                    + " "
                    + compile
                    + " "
                    + burned
                    + " & wait")
            .start();
    try {
      assertThat(awaitFiles(burned, 2, 60)).as("both done").isEqualTo(2);
      List<ProcessHandle> children = parent.children().toList();
      ProcessHandle jvm =
          children.stream()
              .filter(c -> c.info().command().orElse("").endsWith("java"))
              .findFirst()
              .orElseThrow();
      ProcessHandle python = children.stream().filter(c -> c != jvm).findFirst().orElseThrow();

      // when the groups are taken twice, a snapshot before anything ran standing for the first
      Path before = dir.resolve("before.json");
      Path after = dir.resolve("after.json");
      cpuUsage(
          "snap",
          after.toString(),
          "jvm=self:" + jvm.pid(),
          "jvm_jit=jit:" + jvm.pid(),
          "python_jit=jit:" + python.pid(),
          "below_jit=jit-below:" + parent.pid(),
          "python=self:" + python.pid());
      JsonNode groups = new ObjectMapper().readTree(after.toFile()).get("groups");
      Files.writeString(
          before,
          "{\"time\": 0, \"groups\": " + groups.toString().replaceAll("[0-9.]+", "0") + "}");
      Path diff = dir.resolve("diff.json");
      cpuUsage("diff", before.toString(), after.toString(), diff.toString(), "--executions", "1");
      JsonNode used = new ObjectMapper().readTree(diff.toFile());

      // then the JVM's compilers took some of its CPU, Python has none, and no total counts them
      double jvmCpu = groups.get("jvm").asDouble();
      double jit = groups.get("jvm_jit").asDouble();
      assertThat(jit).isGreaterThan(0).isLessThan(jvmCpu);
      assertThat(groups.get("python_jit").asDouble()).isZero();
      assertThat(groups.get("below_jit").asDouble()).isCloseTo(jit, Offset.offset(0.02));
      assertThat(used.get("cpu_s_total").asDouble())
          .isCloseTo(jvmCpu + groups.get("python").asDouble(), Offset.offset(0.002));
    } finally {
      parent.descendants().forEach(ProcessHandle::destroyForcibly);
      parent.destroyForcibly();
    }
  }

  /**
   * Waits a second (for the first snapshot), then sleeps 1 ms 300 times, each a voluntary context
   * switch, says so with a file named after its pid, then waits to be killed.
   */
  private static final String SLEEP =
      """
      import os, sys, time
      time.sleep(1)
      for _ in range(300):
          time.sleep(0.001)
      open(os.path.join(sys.argv[1], "%d.slept" % os.getpid()), "w").close()
      time.sleep(60)
      """;

  @Test
  void contextSwitchesAreCountedForLiveProcessesAndNotForReapedOnes(@TempDir Path dir)
      throws Exception {
    // given a shell with a Python process below it that will sleep 300 times
    Path sleep = Files.writeString(dir.resolve("sleep.py"), SLEEP);
    Path slept = Files.createDirectory(dir.resolve("slept"));
    Process shell =
        new ProcessBuilder("sh", "-c", "python3 " + sleep + " " + slept + " & wait").start();
    try {
      ProcessHandle python = awaitChild(shell);
      String[] groups = {
        "python=self:" + python.pid(),
        "shell=tree:" + shell.pid(),
        "shell_alone=self:" + shell.pid(),
        "reaped=reaped:" + shell.pid()
      };
      Path before = dir.resolve("before.json");
      Path after = dir.resolve("after.json");
      cpuUsage(concat("snap", before.toString(), groups));

      // when it has slept, and the groups are taken again, over 100 executions
      assertThat(awaitFiles(slept, 1, 30)).as("slept").isEqualTo(1);
      cpuUsage(concat("snap", after.toString(), groups));
      Path diff = dir.resolve("diff.json");
      cpuUsage("diff", before.toString(), after.toString(), diff.toString(), "--executions", "100");
      JsonNode made = new ObjectMapper().readTree(diff.toFile()).get("switches_per_execution");

      // then its 300 waits are there, in its own group and in its shell's tree but not in the
      // shell's own (which only waited for it), and a group of reaped children, whose switches
      // /proc does not keep, has none
      assertThat(made.get("python").asDouble()).isBetween(3.0, 6.0);
      assertThat(made.get("shell").asDouble())
          .isGreaterThanOrEqualTo(made.get("python").asDouble());
      assertThat(made.get("shell_alone").asDouble()).isLessThan(1.0);
      assertThat(made.has("reaped")).isFalse();
    } finally {
      shell.descendants().forEach(ProcessHandle::destroyForcibly);
      shell.destroyForcibly();
    }
  }

  private static String[] concat(String a, String b, String[] rest) {
    List<String> all = new ArrayList<>(List.of(a, b));
    all.addAll(List.of(rest));
    return all.toArray(String[]::new);
  }

  /** The first child of {@code parent}, once it has one. */
  private static ProcessHandle awaitChild(Process parent) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < until) {
      var child = parent.children().findFirst();
      if (child.isPresent()) {
        return child.get();
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no child process started");
  }

  /** Runs cpu_usage.py with these arguments, and expects it to succeed. */
  private static void cpuUsage(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("python3", "baselines/cpu_usage.py"));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).inheritIO().start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
  }

  /** How many files {@code dir} holds once it holds {@code n}, or after {@code seconds}. */
  private static long awaitFiles(Path dir, int n, int seconds) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (countFiles(dir) < n && System.nanoTime() < until) {
      Thread.sleep(20);
    }
    return countFiles(dir);
  }

  private static long countFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    }
  }
}
