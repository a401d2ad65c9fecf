package io.faaspot.api.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.boot.web.server.Ssl;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * The server image's entry point ({@code docker/server-entrypoint.sh}), run with bash outside
 * Docker: the certificate it makes on first start, the settings it hands the server, the trust
 * local spots' agents get, and the secrets it keeps out of the environment that functions inherit.
 * It never starts the server: {@code --print-env} prints instead, and elsewhere {@code JAVA_HOME}
 * names a fake JDK whose {@code java} records how it was called.
 */
class EntrypointScriptTest {
  static Path script;

  @TempDir Path dir;

  @BeforeAll
  static void findTheScript() {
    Path here = Path.of("").toAbsolutePath();
    while (here != null && !Files.isRegularFile(here.resolve("docker/server-entrypoint.sh"))) {
      here = here.getParent();
    }
    assertThat(here).as("docker/server-entrypoint.sh above the working directory").isNotNull();
    script = here.resolve("docker/server-entrypoint.sh");
    assertThat(run(List.of("openssl", "version"), Map.of()).exitCode())
        .as("openssl is needed, as in the image")
        .isZero();
  }

  @Test
  void selfSignedModeMakesACertificateForLoopbackAndThePublicNameAndServesHttpsOn8443()
      throws Exception {
    Result r =
        entrypoint(
            Map.of(
                "FAASPOT_TLS", "self-signed",
                "FAASPOT_PUBLIC_URL", "https://faas.example.com/",
                "FAASPOT_TLS_HOSTNAMES", "203.0.113.7, spots.internal"),
            "--print-env");

    assertThat(r.exitCode()).as(r.output()).isZero();
    Map<String, String> printed = r.printed();
    Path tls = dir.resolve("data/tls");
    assertThat(printed)
        .containsEntry("SERVER_SSL_ENABLED", "true")
        .containsEntry("SERVER_PORT", "8443")
        .containsEntry("SERVER_SSL_CERTIFICATE", "file:" + tls.resolve("cert.pem"))
        .containsEntry("SERVER_SSL_CERTIFICATE_PRIVATE_KEY", "file:" + tls.resolve("key.pem"))
        .containsEntry("FAASPOT_DATA_DIR", dir.resolve("data").toString());
    assertThat(printed.get("COMMAND")).endsWith(" -jar /opt/faaspot/server/faaspot-server.jar");
    Result x509 = run(List.of("openssl", "x509", "-noout", "-in", tls + "/cert.pem"), Map.of());
    assertThat(x509.exitCode()).as(x509.output()).isZero();
    Result pkey = run(List.of("openssl", "pkey", "-noout", "-in", tls + "/key.pem"), Map.of());
    assertThat(pkey.exitCode()).as(pkey.output()).isZero();
    assertThat(Files.getPosixFilePermissions(tls.resolve("key.pem")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    X509Certificate cert = PemContent.load(tls.resolve("cert.pem")).getCertificates().getFirst();
    assertThat(cert.getSubjectAlternativeNames())
        .extracting(name -> name.get(1).toString())
        .contains("localhost", "127.0.0.1", "faas.example.com", "203.0.113.7", "spots.internal");
    assertThat(cert.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
    assertThat(cert.getBasicConstraints()).as("not a CA").isEqualTo(-1);
  }

  @Test
  void theCertificateIsMadeOnceAndKeptAcrossRestarts() throws Exception {
    assertThat(entrypoint(Map.of(), "--print-env").exitCode()).isZero();
    byte[] first = Files.readAllBytes(dir.resolve("data/tls/cert.pem"));

    Result again = entrypoint(Map.of(), "--print-env");

    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(Files.readAllBytes(dir.resolve("data/tls/cert.pem"))).isEqualTo(first);
  }

  @Test
  void localSpotsAgentsTrustTheSelfSignedCertificateOnLoopbackAndOnlyThroughTheirTrustStore()
      throws Exception {
    Result r = entrypoint(Map.of("FAASPOT_TLS", "self-signed"), "--print-env");
    assertThat(r.exitCode()).as(r.output()).isZero();
    Path tls = dir.resolve("data/tls");
    HttpsServer server = httpsServer(tls.resolve("cert.pem"), tls.resolve("key.pem"), 200);
    try {
      URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
      HttpRequest get = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
      // What an agent started with JDK_JAVA_OPTIONS gets as its default SSL context.
      SSLContext agentDefault = fromJavaOptions(r.printed().get("JDK_JAVA_OPTIONS"));

      HttpResponse<String> answer;
      try (HttpClient agent = HttpClient.newBuilder().sslContext(agentDefault).build()) {
        answer = agent.send(get, HttpResponse.BodyHandlers.ofString());
      }

      assertThat(answer.statusCode()).isEqualTo(200);
      try (HttpClient plainJre = HttpClient.newBuilder().sslContext(jreDefaults()).build()) {
        assertThatThrownBy(() -> plainJre.send(get, HttpResponse.BodyHandlers.ofString()))
            .isInstanceOf(SSLHandshakeException.class);
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theServerGetsTlsAndSecretsAsSpringReadsThemWhileTheEnvironmentKeepsNoSecret()
      throws Exception {
    Path passwordFile = Files.writeString(dir.resolve("db-password"), "pg-s3cret\n");
    Map<String, String> env = new HashMap<>();
    env.put("SPRING_DATASOURCE_PASSWORD_FILE", passwordFile.toString());
    env.put("FAASPOT_ADMIN_TOKEN", "fst_compose-admin");
    Path keyFile = Files.writeString(dir.resolve("secrets-key"), "a2V5LW9mLTMyLWJ5dGVz\n");
    env.put("FAASPOT_SECRETS_KEY_FILE", keyFile.toString());
    env.put("AWS_SECRET_ACCESS_KEY", "not-for-local-spots");
    env.put("PIP_INDEX_URL", "");
    env.put("FAASPOT_PUBLIC_URL", "");

    Result r = entrypoint(env, "--spring.main.banner-mode=off");

    assertThat(r.exitCode()).as(r.output()).isZero();
    Map<String, String> serverEnv = environmentOf(dir.resolve("java-call"));
    List<String> serverArgs = argumentsOf(dir.resolve("java-call"));
    assertThat(serverArgs)
        .containsExactly(
            "-Dspring.aot.enabled=true",
            "-jar",
            "/opt/faaspot/server/faaspot-server.jar",
            "--spring.main.banner-mode=off");
    assertThat(serverEnv)
        .doesNotContainKeys(
            "SPRING_DATASOURCE_PASSWORD",
            "SPRING_DATASOURCE_PASSWORD_FILE",
            "FAASPOT_ADMIN_TOKEN",
            "FAASPOT_SECRETS_KEY",
            "FAASPOT_SECRETS_KEY_FILE",
            "AWS_SECRET_ACCESS_KEY",
            "PIP_INDEX_URL",
            "FAASPOT_PUBLIC_URL");
    Path secrets = dir.resolve("secrets");
    assertThat(serverEnv)
        .containsEntry("SPRING_CONFIG_IMPORT", "optional:configtree:" + secrets + "/");
    assertThat(Files.getPosixFilePermissions(secrets))
        .isEqualTo(PosixFilePermissions.fromString("rwx------"));
    assertThat(Files.getPosixFilePermissions(secrets.resolve("spring.datasource.password")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));

    StandardEnvironment spring = springEnvironment(serverEnv);
    Binder binder = Binder.get(spring);
    Ssl ssl = binder.bind("server.ssl", Ssl.class).get();
    assertThat(ssl.isEnabled()).isTrue();
    assertThat(ssl.getCertificate()).isEqualTo("file:" + dir.resolve("data/tls/cert.pem"));
    assertThat(ssl.getCertificatePrivateKey()).isEqualTo("file:" + dir.resolve("data/tls/key.pem"));
    assertThat(binder.bind("server.port", Integer.class).get()).isEqualTo(8443);
    assertThat(spring.getProperty("spring.datasource.password")).isEqualTo("pg-s3cret");
    assertThat(spring.getProperty("faaspot.admin-token")).isEqualTo("fst_compose-admin");
    assertThat(spring.getProperty("faaspot.secrets-key")).isEqualTo("a2V5LW9mLTMyLWJ5dGVz");
  }

  @Test
  void offServesPlainHttpOn8080AndMakesNoCertificate() {
    Result r = entrypoint(Map.of("FAASPOT_TLS", "off"), "--print-env");

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.printed())
        .containsEntry("SERVER_SSL_ENABLED", "false")
        .containsEntry("SERVER_PORT", "8080")
        .doesNotContainKeys("SERVER_SSL_CERTIFICATE", "JDK_JAVA_OPTIONS");
    assertThat(dir.resolve("data/tls")).doesNotExist();
  }

  @Test
  void pemServesTheOperatorsCertificateAndRefusesToStartWithoutIt() throws Exception {
    Path cert = dir.resolve("operator/fullchain.pem");
    Path key = dir.resolve("operator/privkey.pem");
    Files.createDirectories(cert.getParent());
    Result made =
        run(
            List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=faas.example.com",
                "-addext",
                "subjectAltName=DNS:faas.example.com",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString()),
            Map.of());
    assertThat(made.exitCode()).as(made.output()).isZero();

    Result r =
        entrypoint(
            Map.of(
                "FAASPOT_TLS",
                "pem",
                "FAASPOT_TLS_CERT",
                cert.toString(),
                "FAASPOT_TLS_KEY",
                key.toString()),
            "--print-env");
    Result missing =
        entrypoint(
            Map.of("FAASPOT_TLS", "pem", "FAASPOT_TLS_CERT", dir.resolve("nope.pem").toString()),
            "--print-env");

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.printed())
        .containsEntry("SERVER_SSL_CERTIFICATE", "file:" + cert)
        .containsEntry("SERVER_SSL_CERTIFICATE_PRIVATE_KEY", "file:" + key)
        .containsEntry("SERVER_PORT", "8443");
    assertThat(dir.resolve("data/tls/cert.pem")).doesNotExist();
    assertThat(r.output())
        .as("local spots reach 127.0.0.1, which it does not name")
        .contains("warning");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.output()).contains("FAASPOT_TLS=pem needs a readable certificate and key");
  }

  @Test
  void anUnknownTlsModeIsRefused() {
    Result r = entrypoint(Map.of("FAASPOT_TLS", "yes"), "--print-env");

    assertThat(r.exitCode()).isNotZero();
    assertThat(r.output()).contains("FAASPOT_TLS must be self-signed, pem or off, not 'yes'");
  }

  @Test
  void theHealthCheckAsksForReadinessOverHttpsWithoutVerifying() throws Exception {
    assertThat(run(List.of("curl", "--version"), Map.of()).exitCode()).as("curl").isZero();
    assertThat(entrypoint(Map.of(), "--print-env").exitCode()).isZero();
    Path tls = dir.resolve("data/tls");
    HttpsServer ready = httpsServer(tls.resolve("cert.pem"), tls.resolve("key.pem"), 200);
    HttpsServer starting = httpsServer(tls.resolve("cert.pem"), tls.resolve("key.pem"), 503);
    try {
      Result healthy =
          entrypoint(
              Map.of("SERVER_PORT", Integer.toString(ready.getAddress().getPort())),
              "--healthcheck");
      Result unhealthy =
          entrypoint(
              Map.of("SERVER_PORT", Integer.toString(starting.getAddress().getPort())),
              "--healthcheck");

      assertThat(healthy.exitCode()).as(healthy.output()).isZero();
      assertThat(unhealthy.exitCode()).isNotZero();
    } finally {
      ready.stop(0);
      starting.stop(0);
    }
  }

  @Test
  void anAheadOfTimeCacheBesideTheServerJarIsGivenToTheJvmBeforeTheJar() throws Exception {
    Path jar = serverJar();
    Path cache = Files.writeString(jar.resolveSibling("faaspot-server.aot"), "cache");

    Result r = entrypoint(Map.of("FAASPOT_SERVER_JAR", jar.toString(), "FAASPOT_TLS", "off"), "x");

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(argumentsOf(dir.resolve("java-call")))
        .containsExactly(
            "-XX:AOTCache=" + cache, "-Dspring.aot.enabled=true", "-jar", jar.toString(), "x");
    assertThat(r.output()).contains("ahead-of-time cache used: " + cache);
  }

  @Test
  void withoutACacheBesideTheServerJarTheJvmGetsNone() throws Exception {
    Path jar = serverJar();

    Result r = entrypoint(Map.of("FAASPOT_SERVER_JAR", jar.toString(), "FAASPOT_TLS", "off"), "x");

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(argumentsOf(dir.resolve("java-call")))
        .containsExactly("-Dspring.aot.enabled=true", "-jar", jar.toString(), "x");
    assertThat(r.output()).contains("ahead-of-time cache not used: there is no ");
  }

  @Test
  void anOperatorTurnsTheCacheOffWithFaaspotAotCacheOff() throws Exception {
    Path jar = serverJar();
    Files.writeString(jar.resolveSibling("faaspot-server.aot"), "cache");

    Result r =
        entrypoint(
            Map.of(
                "FAASPOT_SERVER_JAR",
                jar.toString(),
                "FAASPOT_TLS",
                "off",
                "FAASPOT_AOT_CACHE",
                "off"),
            "x");
    Result unknown =
        entrypoint(
            Map.of("FAASPOT_SERVER_JAR", jar.toString(), "FAASPOT_AOT_CACHE", "no"), "--print-env");

    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(argumentsOf(dir.resolve("java-call")))
        .containsExactly("-Dspring.aot.enabled=true", "-jar", jar.toString(), "x");
    assertThat(r.output()).contains("ahead-of-time cache not used: FAASPOT_AOT_CACHE=off");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.output()).contains("FAASPOT_AOT_CACHE must be auto or off, not 'no'");
  }

  @Test
  void theServerRunsOnSpringsAotProcessedBeansUnlessFaaspotSpringAotIsOff() throws Exception {
    Path jar = serverJar();

    Result off =
        entrypoint(
            Map.of(
                "FAASPOT_SERVER_JAR",
                jar.toString(),
                "FAASPOT_TLS",
                "off",
                "FAASPOT_SPRING_AOT",
                "off"),
            "x");
    List<String> offArguments = argumentsOf(dir.resolve("java-call"));
    Result unknown =
        entrypoint(
            Map.of("FAASPOT_SERVER_JAR", jar.toString(), "FAASPOT_SPRING_AOT", "yes"),
            "--print-env");

    assertThat(off.exitCode()).as(off.output()).isZero();
    assertThat(offArguments).containsExactly("-jar", jar.toString(), "x");
    assertThat(off.output())
        .contains("Spring's AOT-processed beans not used: FAASPOT_SPRING_AOT=off");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.output()).contains("FAASPOT_SPRING_AOT must be on or off, not 'yes'");
  }

  /** An extracted server's jar in the test's directory (the fake java never opens it). */
  private Path serverJar() throws IOException {
    Path server = Files.createDirectories(dir.resolve("opt/server"));
    return Files.writeString(server.resolve("faaspot-server.jar"), "jar");
  }

  // --- Running the script. ---

  record Result(int exitCode, String output) {
    /** The KEY=value lines of --print-env. */
    Map<String, String> printed() {
      Map<String, String> values = new LinkedHashMap<>();
      for (String line : output.split("\n")) {
        Matcher m = Pattern.compile("^([A-Z_]+)=(.*)$").matcher(line);
        if (m.matches()) {
          values.put(m.group(1), m.group(2));
        }
      }
      return values;
    }
  }

  /**
   * Runs the entry point with a clean environment: the data and secrets directories in the test's
   * directory, JAVA_HOME a fake JDK (real keytool and CA certificates, a {@code java} that records
   * its environment and arguments in {@code java-call}), and {@code extra} on top.
   */
  Result entrypoint(Map<String, String> extra, String... args) {
    Map<String, String> env = new HashMap<>();
    env.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    env.put("JAVA_HOME", fakeJdk().toString());
    env.put("FAASPOT_DATA_DIR", dir.resolve("data").toString());
    env.put("FAASPOT_SECRETS_DIR", dir.resolve("secrets").toString());
    env.putAll(extra);
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(Arrays.asList(args));
    return run(command, env);
  }

  private Path fakeJdk() {
    Path jdk = dir.resolve("jdk");
    if (Files.isDirectory(jdk)) {
      return jdk;
    }
    Path real = Path.of(System.getProperty("java.home"));
    try {
      Files.createDirectories(jdk.resolve("bin"));
      Files.createDirectories(jdk.resolve("lib/security"));
      Files.createSymbolicLink(jdk.resolve("bin/keytool"), real.resolve("bin/keytool"));
      Files.createSymbolicLink(
          jdk.resolve("lib/security/cacerts"), real.resolve("lib/security/cacerts"));
      Path java = jdk.resolve("bin/java");
      Files.writeString(
          java,
          "#!/bin/sh\n"
              + "{ env -0; printf 'ARGS\\0'; for a in \"$@\"; do printf '%s\\0' \"$a\"; done; } > '"
              + dir.resolve("java-call")
              + "'\n");
      Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new AssertionError("cannot make the fake JDK", e);
    }
    return jdk;
  }

  private static Map<String, String> environmentOf(Path call) throws IOException {
    Map<String, String> env = new HashMap<>();
    for (String entry : recorded(call)) {
      if (entry.equals("ARGS")) {
        break;
      }
      int eq = entry.indexOf('=');
      env.put(entry.substring(0, eq), entry.substring(eq + 1));
    }
    return env;
  }

  private static List<String> argumentsOf(Path call) throws IOException {
    List<String> all = recorded(call);
    return all.subList(all.indexOf("ARGS") + 1, all.size());
  }

  private static List<String> recorded(Path call) throws IOException {
    String text = Files.readString(call);
    return List.of(text.substring(0, text.length() - 1).split("\0", -1));
  }

  static Result run(List<String> command, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      if (!env.isEmpty()) {
        pb.environment().clear();
        pb.environment().putAll(env);
      }
      Process p = pb.start();
      String out;
      try (InputStream in = p.getInputStream()) {
        out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " did not finish: " + out);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  // --- TLS on both ends. ---

  /** An HTTPS server on loopback with that certificate and key, answering every request so. */
  private static HttpsServer httpsServer(Path cert, Path key, int status) throws Exception {
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    keyStore.load(null, null);
    keyStore.setKeyEntry(
        "server",
        PemContent.load(key).getPrivateKey(),
        new char[0],
        PemContent.load(cert).getCertificates().toArray(new X509Certificate[0]));
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, new char[0]);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(keys.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
    server.start();
    return server;
  }

  /** The SSL context a JVM gets from the javax.net.ssl.trustStore* options in that string. */
  private static SSLContext fromJavaOptions(String options) throws Exception {
    assertThat(options).as("JDK_JAVA_OPTIONS").isNotNull();
    Map<String, String> props = new HashMap<>();
    for (String option : options.trim().split("\\s+")) {
      Matcher m = Pattern.compile("^-D(javax\\.net\\.ssl\\.[A-Za-z]+)=(.*)$").matcher(option);
      if (m.matches()) {
        props.put(m.group(1), m.group(2));
      }
    }
    KeyStore store = KeyStore.getInstance(props.get("javax.net.ssl.trustStoreType"));
    try (InputStream in = Files.newInputStream(Path.of(props.get("javax.net.ssl.trustStore")))) {
      store.load(in, props.get("javax.net.ssl.trustStorePassword").toCharArray());
    }
    assertThat(store.size()).as("the JRE's CAs are kept").isGreaterThan(50);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trust.getTrustManagers(), null);
    return ssl;
  }

  private static SSLContext jreDefaults() throws Exception {
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init((KeyStore) null);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trust.getTrustManagers(), null);
    return ssl;
  }

  /** Spring Boot's view of a process environment, config tree imports included. */
  private static StandardEnvironment springEnvironment(Map<String, String> env) {
    StandardEnvironment spring = new StandardEnvironment();
    spring
        .getPropertySources()
        .replace(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new HashMap<String, Object>(env)));
    ConfigDataEnvironmentPostProcessor.applyTo(spring);
    return spring;
  }
}
