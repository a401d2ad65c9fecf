package io.faaspot.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (countFiles(burned) < 3 && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertThat(countFiles(burned)).as("burners done").isEqualTo(3);
      List<ProcessHandle> children = parent.children().toList();
      assertThat(children).hasSize(2);
      ProcessHandle shell =
          children.stream()
              .filter(c -> c.info().command().orElse("").endsWith("sh"))
              .findFirst()
              .orElseThrow();

      // when the groups are taken: all below the parent, and all below it but the shell's tree
      Path out = dir.resolve("snap.json");
      Process snap =
          new ProcessBuilder(
                  "python3",
                  "baselines/cpu_usage.py",
                  "snap",
                  out.toString(),
                  "all=below:" + parent.pid(),
                  "but=below:" + parent.pid() + "/" + shell.pid(),
                  "shell=tree:" + shell.pid())
              .inheritIO()
              .start();
      assertThat(snap.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(snap.exitValue()).isZero();
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

  private static long countFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.count();
    }
  }
}
