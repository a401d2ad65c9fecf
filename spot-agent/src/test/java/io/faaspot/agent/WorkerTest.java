package io.faaspot.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Warm workers with real python3: framing, logs, failures, timeouts, crashes. */
class WorkerTest {
  @TempDir Path dir;
  Path bootstrap;

  @BeforeEach
  void copyBootstrap() throws Exception {
    bootstrap = dir.resolve("bootstrap.py");
    try (InputStream in = Agent.class.getResourceAsStream("bootstrap.py")) {
      Files.copy(in, bootstrap, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  Worker start(String code, String context) throws Exception {
    Path fn = dir.resolve("function.py");
    Files.writeString(fn, code);
    Path ctx = dir.resolve("context.txt");
    Files.writeString(ctx, context);
    var spec = new WorkerSpec(1, 1, Path.of("/usr/bin/python3"), fn, ctx, "test");
    return Worker.start(spec, bootstrap, Sandbox.unconfined(dir), 1024, Duration.ofSeconds(30));
  }

  static JsonNode args(String json) {
    return ServerClient.JSON.readTree(json);
  }

  @Test
  void printsOfEveryKindNeitherBreakTheFramingNorGetLost() throws Exception {
    String code =
        """
        import os, sys, subprocess
        print("imported")
        def main(args, context):
            print("to stdout")
            print("to stderr", file=sys.stderr)
            os.write(1, b"\\x00\\x00\\x00\\x05raw bytes on fd 1\\n")
            subprocess.run(["echo", "from a child"])
            return {"echo": args}
        """;
    try (Worker w = start(code, "")) {
      Answer a = w.call(args("{\"x\": \"1\"}"), Duration.ofSeconds(10));
      Answer again = w.call(args("{\"x\": \"2\"}"), Duration.ofSeconds(10));

      assertThat(a.status()).isEqualTo("Success");
      assertThat(a.output().get("echo").get("x").asString()).isEqualTo("1");
      assertThat(a.logs()).contains("to stdout").contains("to stderr");
      assertThat(again.output().get("echo").get("x").asString()).isEqualTo("2");
    }
  }

  @Test
  void anAnsweredCallLeavesNothingWatched() throws Exception {
    // given a warm worker
    try (Worker w = start("def main(args, context):\n    return args\n", "")) {
      // when it answers many calls, each with a minute's timeout
      for (int i = 0; i < 200; i++) {
        assertThat(w.call(args("{\"i\": " + i + "}"), Duration.ofMinutes(1)).status())
            .isEqualTo("Success");
      }

      // then no call is left watched for its minute
      assertThat(Watchdog.CALLS.watching()).isZero();
    }
  }

  @Test
  void contextLinesAreParsedWithSpacesAndQuotesTolerated() throws Exception {
    try (Worker w =
        start(
            "def main(args, context):\n    return context\n",
            "a = \"XYZ\"\nb='q'\n# comment\nc=plain = x\n")) {
      JsonNode out = w.call(args("{}"), Duration.ofSeconds(10)).output();

      assertThat(out.get("a").asString()).isEqualTo("XYZ");
      assertThat(out.get("b").asString()).isEqualTo("q");
      assertThat(out.get("c").asString()).isEqualTo("plain = x");
    }
  }

  @Test
  void aNonJsonReturnValueBecomesItsString() throws Exception {
    try (Worker w =
        start("def main(args, context):\n    return {1, 2} if args else float('nan')\n", "")) {
      assertThat(w.call(args("{\"a\": 1}"), Duration.ofSeconds(10)).output().asString())
          .isEqualTo("{1, 2}");
      assertThat(w.call(args("{}"), Duration.ofSeconds(10)).output().asString()).isEqualTo("nan");
    }
  }

  @Test
  void aReturnValueThatCannotBeSentIsTheCallsFailureAndTheWorkerLivesOn() throws Exception {
    String code =
        """
        class Odd:
            def __str__(self):
                raise RuntimeError("no string for you")

        def main(args, context):
            print("before")
            return Odd() if args else [1]
        """;
    try (Worker w = start(code, "")) {
      Answer odd = w.call(args("{\"a\": 1}"), Duration.ofSeconds(10));
      Answer ok = w.call(args("{}"), Duration.ofSeconds(10));

      assertThat(odd.status()).isEqualTo("Failure");
      assertThat(odd.output().asString()).contains("RuntimeError: no string for you");
      assertThat(odd.logs()).isEqualTo("before\n");
      assertThat(ok.status()).isEqualTo("Success");
      assertThat(ok.output().get(0).asInt()).isEqualTo(1);
    }
  }

  @Test
  void anExceptionIsAFailureWithTheTracebackAndTheWorkerLivesOn() throws Exception {
    try (Worker w =
        start("def main(args, context):\n    if args: raise KeyError('k')\n    return 1\n", "")) {
      Answer failed = w.call(args("{\"x\": 1}"), Duration.ofSeconds(10));
      Answer ok = w.call(args("{}"), Duration.ofSeconds(10));

      assertThat(failed.status()).isEqualTo("Failure");
      assertThat(failed.output().asString())
          .contains("Traceback")
          .contains("KeyError: 'k'")
          .doesNotContain("bootstrap.py");
      assertThat(ok.output().asInt()).isEqualTo(1);
    }
  }

  @Test
  void anImportErrorIsReportedWithItsTraceback() {
    assertThatThrownBy(() -> start("import no_such_module_here\n", ""))
        .isInstanceOf(ImportFailed.class)
        .satisfies(e -> assertThat(((ImportFailed) e).traceback).contains("ModuleNotFoundError"));
  }

  @Test
  void aFileWithoutMainIsRefusedAtImport() {
    assertThatThrownBy(() -> start("x = 1\n", ""))
        .isInstanceOf(ImportFailed.class)
        .satisfies(e -> assertThat(((ImportFailed) e).traceback).contains("main(args, context)"));
  }

  @Test
  void aCallPastItsTimeoutKillsTheWorker() throws Exception {
    Worker w = start("import time\ndef main(args, context):\n    time.sleep(30)\n", "");

    assertThatThrownBy(() -> w.call(args("{}"), Duration.ofSeconds(1)))
        .isInstanceOf(TimedOut.class);
    assertThat(w.alive()).isFalse();
  }

  @Test
  void aCrashIsReportedWithTheEndOfStderr() throws Exception {
    Worker w =
        start(
            "import os, sys\ndef main(args, context):\n    sys.__stderr__.write('dying now\\n'); sys.__stderr__.flush()\n    os._exit(3)\n",
            "");

    assertThatThrownBy(() -> w.call(args("{}"), Duration.ofSeconds(10)))
        .isInstanceOf(Crashed.class)
        .hasMessageContaining("exit code 3")
        .hasMessageContaining("dying now");
  }

  @Test
  void memoryIsLimitedPerWorker() throws Exception {
    Path fn = dir.resolve("function.py");
    Files.writeString(
        fn, "def main(args, context):\n    b = bytearray(512 * 1024 * 1024)\n    return len(b)\n");
    Path ctx = dir.resolve("context.txt");
    Files.writeString(ctx, "");
    var spec = new WorkerSpec(1, 1, Path.of("/usr/bin/python3"), fn, ctx, "test");
    try (Worker w =
        Worker.start(spec, bootstrap, Sandbox.unconfined(dir), 200, Duration.ofSeconds(30))) {
      Answer a = w.call(args("{}"), Duration.ofSeconds(10));

      assertThat(a.status()).isEqualTo("Failure");
      assertThat(a.output().asString()).contains("MemoryError");
    }
  }

  @Test
  void functionsSeeNoneOfTheAgentsSecrets() throws Exception {
    Map<String, String> env =
        new java.util.HashMap<>(Map.of("PATH", "/usr/bin:/bin", "LANG", "C.UTF-8"));
    env.put("FAASPOT_REGISTRATION_SECRET", "fsr_secret");
    env.put("AWS_SECRET_ACCESS_KEY", "shh");
    env.put("SPRING_DATASOURCE_PASSWORD", "db");
    env.put("PIP_INDEX_URL", "file:///x");

    CleanEnvironment.forFunctions(env);

    assertThat(env).containsOnlyKeys("PATH", "LANG");
  }

  @Test
  void pipKeepsItsOwnSettingsButNoSecrets() {
    Map<String, String> env =
        new java.util.HashMap<>(Map.of("PATH", "/usr/bin", "PIP_INDEX_URL", "file:///x"));
    env.put("HTTPS_PROXY", "http://proxy:3128");
    env.put("FAASPOT_REGISTRATION_SECRET", "fsr_secret");
    env.put("AWS_ACCESS_KEY_ID", "id");

    CleanEnvironment.forPip(env);

    assertThat(env).containsOnlyKeys("PATH", "PIP_INDEX_URL", "HTTPS_PROXY");
  }
}
