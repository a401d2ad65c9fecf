package io.faaspot.api.spot;

import static io.faaspot.api.spot.LocalSpotsTest.addSpotAndWait;
import static io.faaspot.api.spot.LocalSpotsTest.awaitFinal;
import static io.faaspot.api.spot.LocalSpotsTest.deploy;
import static io.faaspot.api.spot.LocalSpotsTest.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.Http;
import io.faaspot.scheduler.spot.LocalSpotProvider;
import io.faaspot.scheduler.spot.SpotProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;

/**
 * Real attacks by a hostile function, on the real server with two accounts, each with a local spot
 * of real agent processes and real Python: the attacker's functions try to reach the database, the
 * other account's files and the server's, the other processes, and the machine's limits, and pip's
 * builds try the same. Run once per sandbox mode (the subclasses); what differs between the modes
 * is asserted where it differs, and said in the README's threat model.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class HostileFunctionsTest {
  static final String ADMIN_TOKEN = "fst_hostile-functions-test-admin-token";
  static final int MAX_PROCESSES = 64;
  static final int SCRATCH_MB = 32;
  static final int MAX_FILE_MB = 48;

  @LocalServerPort int port;
  @Autowired SpotProvider provider;

  Http.User attacker;
  Http.User victim;
  Path data;
  Path victimSpot;
  Path attackerSpot;
  int attackerUid;
  int victimUid;
  String victimSecret = "victim-secret-" + UUID.randomUUID();

  /** The server's data directory, made by the subclass's property source. */
  abstract Path dataDir();

  static Path newDataDir(String prefix) {
    try {
      return LocalSpotsTest.dataDir(prefix);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether this server's spots run functions in bubblewrap. */
  abstract boolean bubblewrap();

  /**
   * @param firstUid uids of this server's spots: other servers of the test run (Spring keeps them)
   *     have local spots at the same addresses, and must not share their uids
   */
  static void hostileServer(DynamicPropertyRegistry r, Path data, String sandbox, int firstUid) {
    LocalSpotsTest.localSpots(r, data, ADMIN_TOKEN);
    r.add("faaspot.spots.local.sandbox", () -> sandbox);
    r.add("faaspot.spots.local.first-uid", () -> Integer.toString(firstUid));
    r.add("faaspot.spots.local.agent-environment.FAASPOT_MAX_PROCESSES", () -> "" + MAX_PROCESSES);
    r.add("faaspot.spots.local.agent-environment.FAASPOT_SCRATCH_MB", () -> "" + SCRATCH_MB);
    r.add("faaspot.spots.local.agent-environment.FAASPOT_MAX_FILE_MB", () -> "" + MAX_FILE_MB);
    r.add(
        "faaspot.spots.local.agent-environment.PIP_FIND_LINKS",
        () -> evilPackageDir(data).toUri().toString());
  }

  @BeforeAll
  void twoAccountsEachWithASpot() throws Exception {
    data = dataDir();
    Http http = new Http("http://127.0.0.1:" + port);
    victim = http.newUser(ADMIN_TOKEN, "victim");
    attacker = http.newUser(ADMIN_TOKEN, "attacker");
    String victimIp = addSpotAndWait(victim).get("ip").asString();
    String attackerIp = addSpotAndWait(attacker).get("ip").asString();
    victimUid = ((LocalSpotProvider) provider).uidOf(victimIp);
    attackerUid = ((LocalSpotProvider) provider).uidOf(attackerIp);
    JsonNode vault = deploy(victim, "vault", VAULT, "six\n", "SECRET=" + victimSecret + "\n", 30);
    assertThat(vault.get("status").asString()).as(vault.toString()).isEqualTo("Success");
    assertThat(victim.get("/api/sync/deployments/vault/rpc/").json().get("SECRET").asString())
        .isEqualTo(victimSecret);
    JsonNode probe = deploy(attacker, "probe", PROBE, "", "MINE=attacker\n", 60);
    assertThat(probe.get("status").asString()).as(probe.toString()).isEqualTo("Success");
    victimSpot = spotDirOf(victimUid);
    attackerSpot = spotDirOf(attackerUid);
  }

  @Test
  void theModeIsTheOneAskedFor() throws IOException {
    String log = Files.readString(attackerSpot.resolve("agent.log"));

    assertThat(log).contains("functions and pip run as uid " + attackerUid);
    assertThat(log.contains("in a bubblewrap sandbox")).isEqualTo(bubblewrap());
  }

  @Test
  void noListeningLoopbackPortTakesADatabaseLoginWithoutAPassword() {
    JsonNode ports = attack("{\"action\": \"db\"}");

    assertThat(ports.size()).as("the attacker saw the listening ports").isGreaterThan(1);
    assertThat(ports.get(Integer.toString(embeddedPostgresPort())).asString())
        .as("the embedded PostgreSQL asks for a password")
        .startsWith("PASSWORD");
    // Every port was tried. The test run's own fixtures (the shared test database of the other
    // test classes, which trusts loopback) may answer too; none of this server's may.
    List<String> trusting = new ArrayList<>();
    ports
        .properties()
        .forEach(
            e -> {
              if (e.getValue().asString().equals("TRUSTED")) {
                trusting.add(e.getKey() + " (" + ownerOf(Integer.parseInt(e.getKey())) + ")");
              }
            });
    assertThat(trusting)
        .as("ports that took a login without a password")
        .allSatisfy(t -> assertThat(t).doesNotContain(data.toString()));
  }

  @Test
  void theOtherAccountsFilesAndTheServersAreClosed() throws IOException {
    Path victimDeployment = onlyChild(victimSpot.resolve("deployments"));
    Path victimEnv = onlyChild(victimSpot.resolve("envs"));
    List<Path> reads =
        List.of(
            data.resolve("admin-token"),
            data.resolve("secrets-key"),
            data.resolve("postgres-password"),
            data.resolve("postgres/PG_VERSION"),
            data.resolve("postgres/postgresql.conf"),
            data.resolve("tls/key.pem"),
            victimSpot.resolve("credential"),
            victimSpot.resolve("agent.log"),
            victimDeployment.resolve("context.txt"),
            victimDeployment.resolve("function.py"),
            victimEnv.resolve("pyvenv.cfg"),
            attackerSpot.resolve("credential"),
            attackerSpot.resolve("agent.log"));
    List<Path> lists =
        List.of(
            data,
            data.resolve("spots"),
            victimSpot,
            victimSpot.resolve("deployments"),
            victimSpot.resolve("envs"),
            victimSpot.resolve("requirements"),
            victimSpot.resolve("home"),
            data.resolve("postgres"));
    List<Path> writes =
        List.of(
            data.resolve("planted"),
            victimSpot.resolve("planted"),
            victimDeployment.resolve("function.py"),
            victimEnv.resolve("planted"),
            victimSpot.resolve("home/planted"),
            attackerSpot.resolve("deployments/planted"),
            attackerSpot.resolve("envs/planted"));
    Path ownFunction = onlyChild(attackerSpot.resolve("deployments")).resolve("function.py");

    JsonNode r =
        attack(
            "{\"action\": \"files\", \"read\": "
                + json(reads)
                + ", \"list\": "
                + json(lists)
                + ", \"write\": "
                + json(writes)
                + ", \"control\": \""
                + ownFunction
                + "\"}");

    assertThat(r.get("control").asString())
        .as("a function can read its own deployment: the probe works")
        .startsWith("READ:");
    for (Path p : reads) {
      assertThat(r.get("read").get(p.toString()).asString())
          .as("read " + p)
          .doesNotStartWith("READ");
    }
    for (Path p : lists) {
      // In a sandbox, the directories leading to the spot's own are there, holding only the way
      // to it; nothing else of the machine's may be listed.
      String listed = r.get("list").get(p.toString()).asString();
      if (listed.startsWith("LISTED:")) {
        assertThat(bubblewrap()).as("list " + p + ": " + listed).isTrue();
        assertThat(List.of(listed.substring("LISTED:".length()).split(",")))
            .as("list " + p)
            .allSatisfy(name -> assertThat(wayToOwnSpot()).contains(name));
      }
    }
    for (Path p : writes) {
      assertThat(r.get("write").get(p.toString()).asString())
          .as("write " + p)
          .isNotEqualTo("WROTE");
    }
    assertThat(r.toString()).doesNotContain(victimSecret).doesNotContain(ADMIN_TOKEN);
    assertThat(Files.readString(victimDeployment.resolve("function.py"))).isEqualTo(VAULT);
  }

  @Test
  void otherProcessesCannotBeSignalledTracedOrRead() throws Exception {
    victim.get("/api/sync/deployments/vault/rpc/");
    UnderAgent victimProcess = underAgent(victimUid);
    long victimWorker = victimProcess.pid();
    long victimAgent = victimProcess.agent();
    attack("{\"action\": \"noop\"}");
    long ownAgent = underAgent(attackerUid).agent();
    Map<String, Long> targets =
        Map.of(
            "server",
            ProcessHandle.current().pid(),
            "postgres",
            postmasterPid(),
            "victim worker",
            victimWorker,
            "victim agent",
            victimAgent,
            "attacker's own agent",
            ownAgent);

    JsonNode r =
        attack("{\"action\": \"procs\", \"pids\": " + targets.values().stream().toList() + "}");

    targets.forEach(
        (what, pid) -> {
          JsonNode seen = r.get(Long.toString(pid));
          assertThat(seen.get("signal").asString())
              .as("kill(0) of the " + what)
              .isIn("EPERM", "INVISIBLE");
          assertThat(seen.get("environ").asString())
              .as("/proc environ of the " + what)
              .doesNotStartWith("READ");
          assertThat(seen.get("ptrace").asString())
              .as("ptrace of the " + what)
              .isNotEqualTo("TRACED");
          if (bubblewrap()) {
            assertThat(seen.get("visible").asBoolean()).as("the " + what + " is seen").isFalse();
          }
        });
    assertThat(r.get("own_uid").asInt()).isEqualTo(attackerUid);
    assertThat(victim.get("/api/sync/deployments/vault/rpc/").status()).isEqualTo(200);
  }

  @Test
  void aForkBombStopsAtTheLimitAndTheOtherAccountGoesOn() {
    JsonNode bomb =
        awaitFinal(
            attacker, id(attacker.post("/api/deployments/probe/rpc/", "{\"action\": \"fork\"}")));
    Instant after = Instant.now();
    Http.Response victimCall = victim.get("/api/sync/deployments/vault/rpc/");

    assertThat(bomb.get("status").asString()).isEqualTo("Failure");
    String said = bomb.get("output").asString();
    assertThat(said).contains("forked ");
    int forked = Integer.parseInt(said.replaceAll("(?s).*forked (\\d+).*", "$1"));
    assertThat(forked).as(said).isLessThan(MAX_PROCESSES);
    assertThat(said).containsAnyOf("Resource temporarily unavailable", "BlockingIOError");
    assertThat(victimCall.status()).as(victimCall.body()).isEqualTo(200);
    assertThat(victimCall.json().get("SECRET").asString()).isEqualTo(victimSecret);
    // The bomb's children outlive its worker only briefly: the sandbox ends with the worker, and
    // the agent kills what detached itself.
    Instant deadline = after.plus(Duration.ofSeconds(30));
    while (processesOf(attackerUid).count() > 8 && Instant.now().isBefore(deadline)) {
      LocalSpotsTest.pause();
    }
    assertThat(processesOf(attackerUid).count()).isLessThanOrEqualTo(8);
    assertThat(attacker.post("/api/sync/deployments/probe/rpc/", "{\"action\": \"noop\"}").status())
        .as("the attacker's own next call runs again")
        .isEqualTo(200);
  }

  @Test
  void aDiskFillerIsStoppedAndTheOtherAccountGoesOn() {
    JsonNode r = attack("{\"action\": \"fill\"}");
    Http.Response victimCall = victim.get("/api/sync/deployments/vault/rpc/");

    long mb = 1024L * 1024L;
    JsonNode files = r.get("files");
    assertThat(files.get(0).get("bytes").asLong()).isLessThanOrEqualTo(MAX_FILE_MB * mb);
    assertThat(files.get(0).get("error").asString()).containsAnyOf("No space", "too large");
    if (bubblewrap()) {
      assertThat(r.get("total").asLong())
          .as("the private /tmp is bounded in total")
          .isLessThanOrEqualTo(SCRATCH_MB * mb);
    }
    assertThat(victimCall.status()).isEqualTo(200);
  }

  @Test
  void aFunctionReturningAndPrintingNulCharactersFinishesAndItsSpotGoesOn() {
    JsonNode sync = attack("{\"action\": \"nul\"}");
    JsonNode async =
        awaitFinal(
            attacker, id(attacker.post("/api/deployments/probe/rpc/", "{\"action\": \"nul\"}")));

    // PostgreSQL stores no NUL: each is the replacement character, and nothing is lost.
    assertThat(sync.get("k\uFFFD").asString()).isEqualTo("returned \uFFFD nul");
    assertThat(async.get("status").asString()).as(async.toString()).isEqualTo("Success");
    assertThat(async.get("logs").asString()).contains("printed \uFFFD nul");
    assertThat(attacker.post("/api/sync/deployments/probe/rpc/", "{\"action\": \"noop\"}").status())
        .isEqualTo(200);
  }

  @Test
  void openFilesStopAtTheLimit() {
    JsonNode r = attack("{\"action\": \"open\"}");

    assertThat(r.get("opened").asInt()).isLessThan(1024);
    assertThat(r.get("error").asString()).contains("Too many open files");
  }

  @Test
  void requirementsThatReadFilesAreRefusedAtTheApi() throws IOException {
    Path victimContext = onlyChild(victimSpot.resolve("deployments")).resolve("context.txt");
    for (String requirements :
        List.of(
            "-r " + data.resolve("admin-token"),
            "-r " + victimContext,
            "--requirement=/etc/shadow",
            evilPackageDir(data).toString(),
            "file://" + evilPackageDir(data))) {
      Http.Response r =
          attacker.put(
              "/api/deployments/",
              "{\"name\": \"reqs\", \"code\": \""
                  + LocalSpotsTest.quote(LocalSpotsTest.HELLO)
                  + "\", \"requirements\": \""
                  + LocalSpotsTest.quote(requirements)
                  + "\"}");

      assertThat(r.status()).as(requirements + ": " + r.body()).isEqualTo(400);
      assertThat(r.body()).doesNotContain(ADMIN_TOKEN).doesNotContain(victimSecret);
    }
  }

  @Test
  void aPackagesBuildRunsAsTheSpotsUidAndReachesNothingElse() throws IOException {
    Path hostMarker = Path.of("/tmp", "faaspot-evil-" + UUID.randomUUID());
    Files.writeString(evilPackageDir(data).resolve("target"), hostMarker + "\n" + data + "\n");

    JsonNode built =
        deploy(attacker, "evil", LocalSpotsTest.HELLO, "faaspot-evil-probe\n", "", null);

    String said = built.get("output").asString();
    assertThat(built.get("status").asString()).as(said).isEqualTo("Failure");
    assertThat(said).contains("EVIL-REPORT").contains("uid=" + attackerUid);
    assertThat(said).doesNotContain("admin-token=READ").doesNotContain(ADMIN_TOKEN);
    assertThat(said).doesNotContain("data-write=WROTE");
    assertThat(said).doesNotContain(victimSpot.getFileName().toString());
    if (bubblewrap()) {
      assertThat(hostMarker).as("the build's /tmp is its own").doesNotExist();
    } else if (Files.exists(hostMarker)) {
      assertThat(Files.getAttribute(hostMarker, "unix:uid")).isEqualTo(attackerUid);
    }
    Files.deleteIfExists(hostMarker);
  }

  // --- helpers ---

  /** The names of the directories from the data directory down to the attacker's spot. */
  List<String> wayToOwnSpot() {
    List<String> names = new ArrayList<>();
    data.relativize(attackerSpot).forEach(p -> names.add(p.toString()));
    return names;
  }

  JsonNode attack(String args) {
    Http.Response r = attacker.post("/api/sync/deployments/probe/rpc/", args);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static String json(List<Path> paths) {
    return paths.stream().map(p -> "\"" + p + "\"").toList().toString();
  }

  Path spotDirOf(int uid) throws IOException {
    try (Stream<Path> spots = Files.list(data.resolve("spots"))) {
      return spots
          .filter(p -> uidOf(p.resolve("home")) == uid)
          .findFirst()
          .orElseThrow(() -> new AssertionError("no spot directory of uid " + uid));
    }
  }

  static int uidOf(Path p) {
    try {
      return (Integer) Files.getAttribute(p, "unix:uid");
    } catch (IOException e) {
      return -1;
    }
  }

  static Path onlyChild(Path dir) throws IOException {
    try (Stream<Path> children = Files.list(dir)) {
      return children.filter(Files::isDirectory).findFirst().orElseThrow();
    }
  }

  int embeddedPostgresPort() {
    try {
      return Integer.parseInt(
          Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(3).strip());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** The command line of the process listening on a loopback TCP port (as root, from /proc). */
  static String ownerOf(int port) {
    try {
      String inode = null;
      for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        for (String line : Files.readAllLines(Path.of(table))) {
          String[] f = line.strip().split("\\s+");
          if (f.length > 9
              && f[3].equals("0A")
              && f[1].endsWith(":" + String.format("%04X", port))) {
            inode = f[9];
          }
        }
      }
      String socket = "socket:[" + inode + "]";
      try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
        for (Path proc : procs.toList()) {
          try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            if (fds.anyMatch(fd -> link(fd).equals(socket))) {
              return Files.readString(proc.resolve("cmdline")).replace('\0', ' ').strip();
            }
          } catch (IOException | RuntimeException e) {
            // Not a process, or gone.
          }
        }
      }
    } catch (IOException e) {
      return "unknown: " + e;
    }
    return "unknown";
  }

  private static String link(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException e) {
      return "";
    }
  }

  long postmasterPid() throws IOException {
    return Long.parseLong(
        Files.readAllLines(data.resolve("postgres/postmaster.pid")).get(0).strip());
  }

  /** Processes whose real uid is this one (host pids). */
  static Stream<Long> processesOf(int uid) {
    List<Long> pids = new ArrayList<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
      for (Path p : entries.toList()) {
        String name = p.getFileName().toString();
        if (name.chars().allMatch(Character::isDigit) && realUid(p) == uid) {
          pids.add(Long.parseLong(name));
        }
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return pids.stream();
  }

  static int realUid(Path proc) {
    try {
      for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.substring(4).strip().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Gone meanwhile.
    }
    return -1;
  }

  /** A process and the agent it runs under. */
  record UnderAgent(long pid, long agent) {}

  /**
   * A live process of the uid that runs under an agent, and that agent. Not simply the uid's first
   * process: one left by an earlier test (a fork bomb's child, an orphan reparented to init) may be
   * exiting or have no agent above it any more, so each is tried, for up to 10 s.
   */
  static UnderAgent underAgent(int uid) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(10);
    while (true) {
      List<Long> seen = processesOf(uid).toList();
      for (long pid : seen) {
        Optional<Long> agent = agentOf(pid);
        if (agent.isPresent()) {
          return new UnderAgent(pid, agent.get());
        }
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("no process of uid " + uid + " under an agent among " + seen);
      }
      Thread.sleep(50);
    }
  }

  static Optional<Long> agentOf(long pid) {
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    while (h.isPresent()) {
      String command = h.get().info().command().orElse("");
      if (command.endsWith("/java")) {
        return Optional.of(h.get().pid());
      }
      h = h.get().parent();
    }
    return Optional.empty();
  }

  /**
   * A find-links directory holding an sdist whose setup.py, run by pip while it builds, tries to
   * read and write what it should not, and fails the build with what it found.
   */
  static Path evilPackageDir(Path data) {
    Path dir = data.getParent().resolve(data.getFileName() + "-evil-index");
    try {
      if (!Files.exists(dir.resolve("faaspot_evil_probe-1.0.tar.gz"))) {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("target"), "/tmp/none\n" + data + "\n");
        Process p =
            new ProcessBuilder(
                    "python3", "-c", MAKE_SDIST, dir.toString(), dir.resolve("target").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
          throw new IllegalStateException("cannot make the evil sdist: " + out);
        }
        // Readable by every spot's uid: it stands for a package on the index.
        for (Path f :
            List.of(dir, dir.resolve("target"), dir.resolve("faaspot_evil_probe-1.0.tar.gz"))) {
          f.toFile().setReadable(true, false);
          f.toFile().setExecutable(Files.isDirectory(f), false);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return dir;
  }

  static final String VAULT =
      """
      import os

      def main(args, context):
          return dict(context, pid=os.getpid())
      """;

  /** The attacker's function: each action tries something, and says what came of it. */
  static final String PROBE =
      """
      import ctypes, os, signal, socket, struct, sys, time

      def try_read(p):
          try:
              with open(p, "rb") as f:
                  return "READ:" + f.read(100).decode("utf-8", "replace")
          except Exception as e:
              return type(e).__name__

      def try_list(p):
          try:
              return "LISTED:" + ",".join(os.listdir(p)[:5])
          except Exception as e:
              return type(e).__name__

      def try_write(p):
          try:
              with open(p, "a") as f:
                  f.write("x")
              return "WROTE"
          except Exception as e:
              return type(e).__name__

      def pg_login(port):
          # A PostgreSQL startup message as user postgres: AuthenticationOk (R, 0) means trusted.
          try:
              s = socket.create_connection(("127.0.0.1", port), timeout=1)
              params = b"user\\x00postgres\\x00database\\x00postgres\\x00\\x00"
              s.sendall(struct.pack("!ii", 8 + len(params), 196608) + params)
              head = s.recv(9)
              s.close()
              if len(head) >= 9 and head[:1] == b"R":
                  code = struct.unpack("!i", head[5:9])[0]
                  return "TRUSTED" if code == 0 else "PASSWORD(%d)" % code
              return "OTHER:" + repr(head[:1])
          except Exception as e:
              return type(e).__name__

      def listening_ports():
          ports = set()
          for table in ("/proc/net/tcp", "/proc/net/tcp6"):
              try:
                  for line in open(table).read().splitlines()[1:]:
                      fields = line.split()
                      if fields[3] == "0A":
                          ports.add(int(fields[1].split(":")[1], 16))
              except Exception:
                  pass
          return sorted(ports)

      def signal_of(pid):
          try:
              os.kill(pid, 0)
              return "SIGNALLABLE"
          except ProcessLookupError:
              return "INVISIBLE"
          except PermissionError:
              return "EPERM"

      def ptrace_of(pid):
          libc = ctypes.CDLL(None, use_errno=True)
          libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
          if libc.ptrace(16, pid, None, None) == 0:
              libc.ptrace(17, pid, None, None)
              return "TRACED"
          return os.strerror(ctypes.get_errno())

      def fork_bomb():
          n, error = 0, None
          while n < 10000:
              try:
                  pid = os.fork()
              except OSError as e:
                  error = e
                  break
              if pid == 0:
                  time.sleep(600)
                  os._exit(0)
              n += 1
          os.write(2, ("forked %d, then %r: %s\\n" % (n, error, error)).encode())
          os._exit(3)

      def fill():
          directory = os.environ.get("TMPDIR", "/tmp")
          files, total = [], 0
          for i in range(6):
              path = os.path.join(directory, "fill-%d" % i)
              written, error = 0, None
              try:
                  with open(path, "wb") as f:
                      chunk = b"x" * (4 << 20)
                      while total + written < (200 << 20):
                          f.write(chunk)
                          f.flush()
                          written += len(chunk)
              except OSError as e:
                  error = str(e)
              files.append({"bytes": written, "error": error or ""})
              total += written
              if error is None:
                  break
          for i in range(6):
              try:
                  os.remove(os.path.join(directory, "fill-%d" % i))
              except OSError:
                  pass
          return {"files": files, "total": total}

      def open_many():
          held, error = [], None
          try:
              while len(held) < 100000:
                  held.append(open("/dev/null"))
          except OSError as e:
              error = str(e)
          count = len(held)
          for f in held:
              f.close()
          return {"opened": count, "error": error or ""}

      def main(args, context):
          action = args.get("action")
          if action == "open":
              return open_many()
          if action == "db":
              return {str(p): pg_login(p) for p in listening_ports()}
          if action == "files":
              return {
                  "read": {p: try_read(p) for p in args["read"]},
                  "list": {p: try_list(p) for p in args["list"]},
                  "write": {p: try_write(p) for p in args["write"]},
                  "control": try_read(args["control"]),
              }
          if action == "procs":
              out = {"own_uid": os.getuid()}
              for pid in args["pids"]:
                  out[str(pid)] = {
                      "visible": os.path.exists("/proc/%d" % pid),
                      "signal": signal_of(pid),
                      "environ": try_read("/proc/%d/environ" % pid),
                      "ptrace": ptrace_of(pid),
                  }
              return out
          if action == "fork":
              fork_bomb()
          if action == "fill":
              return fill()
          if action == "nul":
              print("printed \\x00 nul")
              return {"k\\x00": "returned \\x00 nul"}
          return "noop"
      """;

  /** Writes the evil sdist: argv[1] the directory, argv[2] the file naming its targets. */
  static final String MAKE_SDIST =
      """
      import io, sys, tarfile
      directory, target = sys.argv[1], sys.argv[2]
      setup = '''
      import os
      lines = open(%r).read().split()
      marker, data = lines[0], lines[1]
      def attempt(what, f):
          try:
              return what + "=" + f()
          except Exception as e:
              return what + "=" + type(e).__name__
      def read(p):
          with open(p) as f:
              return "READ:" + f.read(40)
      def write(p):
          with open(p, "w") as f:
              f.write("planted")
          return "WROTE"
      report = [
          "uid=%%d" %% os.getuid(),
          attempt("admin-token", lambda: read(os.path.join(data, "admin-token"))),
          attempt("data-write", lambda: write(os.path.join(data, "planted-by-setup"))),
          attempt("spots-list", lambda: "LISTED:" + ",".join(os.listdir(os.path.join(data, "spots")))),
          attempt("host-tmp", lambda: write(marker)),
      ]
      raise SystemExit("EVIL-REPORT " + " ".join(report))
      ''' % target
      pkg_info = "Metadata-Version: 2.1\\nName: faaspot-evil-probe\\nVersion: 1.0\\n"
      with tarfile.open(directory + "/faaspot_evil_probe-1.0.tar.gz", "w:gz") as tar:
          for name, text in (("setup.py", setup), ("PKG-INFO", pkg_info)):
              data = text.encode()
              info = tarfile.TarInfo("faaspot_evil_probe-1.0/" + name)
              info.size = len(data)
              tar.addfile(info, io.BytesIO(data))
      """;
}
