package io.faaspot.api.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.FaaspotServer;
import io.faaspot.api.testing.ServerTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * HTTPS from a PEM certificate and key, as operators configure it ({@code server.ssl.*}), with a
 * client that does not verify the certificate, like the old {@code fas} client by default.
 */
class TlsTest {
  @TempDir Path dir;

  @Test
  void theServerAnswersTheContractOverHttpsWithAGeneratedCertificate() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=DNS:localhost,IP:127.0.0.1",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(openssl.getInputStream().readAllBytes());
    assertThat(openssl.waitFor()).as(out).isZero();

    try (ConfigurableApplicationContext ctx =
        new SpringApplicationBuilder(FaaspotServer.class)
            .run(
                "--server.port=0",
                // The temporary directory itself, 0700: the embedded PostgreSQL's user could
                // not search a directory below it.
                "--faaspot.data-dir=" + dir,
                "--faaspot.embedded-db.binaries-dir=" + ServerTest.PG_BINARIES,
                "--faaspot.admin-token=fst_tls-test-admin-token",
                "--faaspot.spots.provider=manual",
                "--server.ssl.enabled=true",
                "--server.ssl.certificate=file:" + cert,
                "--server.ssl.certificate-private-key=file:" + key)) {
      int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
      HttpClient client = HttpClient.newBuilder().sslContext(trustAll()).build();

      HttpResponse<String> created =
          client.send(
              HttpRequest.newBuilder(
                      URI.create("https://localhost:" + port + "/api/admin/accounts/"))
                  .header("Authorization", "Token fst_tls-test-admin-token")
                  .header("Content-type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"username\": \"tls-user\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String token = created.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
      HttpResponse<String> list =
          client.send(
              HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/api/deployments/"))
                  .header("Authorization", "Token " + token)
                  .header("Content-type", "application/json")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
      assertThat(list.statusCode()).isEqualTo(200);
      assertThat(list.body()).isEqualTo("[]");
      assertThat(list.sslSession()).isPresent();
      // The console's session cookie is Secure over HTTPS (and the API set none).
      HttpResponse<String> signIn =
          client.send(
              HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/console/sign-in"))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(signIn.statusCode()).isEqualTo(200);
      assertThat(signIn.headers().firstValue("Set-Cookie"))
          .hasValueSatisfying(c -> assertThat(c).contains("Secure", "HttpOnly", "SameSite=Strict"));
      assertThat(list.headers().firstValue("Set-Cookie")).isEmpty();
    }
  }

  private static SSLContext trustAll() throws Exception {
    TrustManager[] trustEverything = {
      new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }
    };
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, trustEverything, new SecureRandom());
    return ssl;
  }
}
