package io.faaspot.api.testing;

import io.faaspot.scheduler.testing.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * EC2 as the tests have it: the emulator (moto), a client of it, and a server's settings for it.
 */
public final class MotoEc2 {
  /** What the tests look at and change behind the server's back. */
  public static final Ec2Client CLIENT =
      Ec2Client.builder()
          .region(Region.US_EAST_1)
          .endpointOverride(MotoServer.endpoint())
          .credentialsProvider(
              StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
          .httpClientBuilder(UrlConnectionHttpClient.builder())
          .build();

  private MotoEc2() {}

  /** An image moto has, for the server's faaspot.ec2.image-id. */
  public static String imageId() {
    return CLIENT.describeImages(b -> b.owners("amazon")).images().getFirst().imageId();
  }

  /**
   * A server whose spots are moto's instances: a data directory of its own (named from {@code
   * dataPrefix}), the admin token, its cluster, and a reconciler that looks every 200 ms.
   */
  public static void server(
      DynamicPropertyRegistry r, String dataPrefix, String adminToken, String cluster)
      throws IOException {
    System.setProperty("aws.accessKeyId", "test");
    System.setProperty("aws.secretAccessKey", "test");
    Path data = Files.createTempDirectory(dataPrefix);
    r.add("faaspot.data-dir", data::toString);
    r.add("faaspot.admin-token", () -> adminToken);
    r.add("faaspot.spots.provider", () -> "ec2");
    r.add("faaspot.ec2.endpoint", () -> MotoServer.endpoint().toString());
    r.add("faaspot.ec2.region", () -> "us-east-1");
    r.add("faaspot.ec2.cluster", () -> cluster);
    r.add("faaspot.ec2.image-id", MotoEc2::imageId);
    r.add("faaspot.spots.reconcile-interval", () -> "200ms");
  }
}
