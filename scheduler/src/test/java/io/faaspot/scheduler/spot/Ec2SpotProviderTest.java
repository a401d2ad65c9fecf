package io.faaspot.scheduler.spot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.faaspot.scheduler.testing.MotoServer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceAttributeName;

/** The EC2 provider against a real EC2 API emulator (moto) on loopback. */
class Ec2SpotProviderTest {
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));

  Ec2Client ec2;
  Ec2SpotProvider provider;
  String cluster;

  @BeforeEach
  void setUp() {
    ec2 =
        Ec2Client.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(MotoServer.endpoint())
            .credentialsProvider(CREDENTIALS)
            .httpClientBuilder(
                software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
            .build();
    cluster = "test-" + UUID.randomUUID().toString().substring(0, 8);
    String image = ec2.describeImages(b -> b.owners("amazon")).images().getFirst().imageId();
    provider =
        new Ec2SpotProvider(
            settings(image, List.of("t3.micro", "t3a.micro")), CREDENTIALS, Clock.systemUTC());
  }

  Ec2Settings settings(String image, List<String> types) {
    return new Ec2Settings(
        cluster,
        "us-east-1",
        MotoServer.endpoint(),
        image,
        types,
        List.of(),
        List.of(),
        null,
        null,
        false);
  }

  @AfterEach
  void tearDown() {
    provider.close();
    ec2.close();
  }

  SpotProvider.LaunchRequest request(UUID spot) {
    return new SpotProvider.LaunchRequest(
        spot, 7, "fsr_secret-" + spot, "http://127.0.0.1:8080", null, Set.of());
  }

  Instance describe(String id) {
    return ec2.describeInstances(b -> b.instanceIds(id))
        .reservations()
        .getFirst()
        .instances()
        .getFirst();
  }

  @Test
  void aSpotIsOneTaggedSpotInstanceBootingWithItsOwnScript() throws Exception {
    UUID spot = UUID.randomUUID();

    SpotProvider.Launched launched = provider.launch(request(spot));

    Instance i = describe(launched.instanceId());
    Map<String, String> tags =
        i.tags().stream().collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    assertThat(tags)
        .containsEntry(Ec2SpotProvider.TAG_CLUSTER, cluster)
        .containsEntry(Ec2SpotProvider.TAG_ACCOUNT, "7")
        .containsEntry(Ec2SpotProvider.TAG_SPOT, spot.toString());
    assertThat(i.instanceLifecycleAsString()).isEqualTo("spot");
    assertThat(List.of("t3.micro", "t3a.micro")).contains(launched.instanceType());
    assertThat(launched.availabilityZone()).startsWith("us-east-1");
    assertThat(launched.hourlyPrice()).isNotNull();
    String userData =
        ec2.describeInstanceAttribute(
                b -> b.instanceId(launched.instanceId()).attribute(InstanceAttributeName.USER_DATA))
            .userData()
            .value();
    assertThat(new String(Base64.getDecoder().decode(userData), StandardCharsets.UTF_8))
        .isEqualTo(
            UserData.render("http://127.0.0.1:8080", "fsr_secret-" + spot, spot.toString(), false));
  }

  @Test
  void instancesAreFoundByTheirTagsAndTerminated() throws Exception {
    UUID spot = UUID.randomUUID();
    String id = provider.launch(request(spot)).instanceId();

    assertThat(provider.instances())
        .extracting(SpotProvider.Instance::spotId)
        .containsExactly(spot);
    assertThat(provider.isAlive(id)).isTrue();

    provider.terminate(id);

    assertThat(provider.isAlive(id)).isFalse();
    assertThat(describe(id).state().nameAsString()).isIn("shutting-down", "terminated");
  }

  @Test
  void refreshIpGivesANewAddressAndReleasesTheOldOne() throws Exception {
    String id = provider.launch(request(UUID.randomUUID())).instanceId();

    String first = provider.refreshIp(id).orElseThrow();
    String second = provider.refreshIp(id).orElseThrow();

    assertThat(second).isNotEqualTo(first);
    var addresses =
        ec2.describeAddresses(
                b -> b.filters(f -> f.name("tag:" + Ec2SpotProvider.TAG_CLUSTER).values(cluster)))
            .addresses();
    assertThat(addresses)
        .as("the first address was released")
        .extracting(a -> a.publicIp())
        .containsExactly(second);
    assertThat(addresses.getFirst().instanceId()).isEqualTo(id);
  }

  @Test
  void theLaunchTemplateIsCreatedOnceAndUpdatedWhenTheConfigurationChanges() throws Exception {
    String first = provider.ensureTemplate();
    String again = provider.ensureTemplate();
    String image = ec2.describeImages(b -> b.owners("amazon")).images().get(1).imageId();
    Ec2SpotProvider changed =
        new Ec2SpotProvider(settings(image, List.of("t3.micro")), CREDENTIALS, Clock.systemUTC());
    String third = changed.ensureTemplate();

    assertThat(again).isEqualTo(first);
    assertThat(third).isEqualTo(first);
    var current =
        ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(first).versions("$Default"))
            .launchTemplateVersions();
    assertThat(current.getFirst().launchTemplateData().imageId()).isEqualTo(image);
    changed.close();
  }

  @Test
  void spotsRequireImdsV2WithOneHopSoNoContainerOnThemReachesTheMetadataService() throws Exception {
    String id = provider.ensureTemplate();

    var options =
        ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(id).versions("$Default"))
            .launchTemplateVersions()
            .getFirst()
            .launchTemplateData()
            .metadataOptions();
    assertThat(options.httpTokensAsString()).isEqualTo("required");
    assertThat(options.httpPutResponseHopLimit()).isEqualTo(1);
  }

  @Test
  void withoutAnImageNothingLaunchesAndTheReasonSaysSo() {
    Ec2SpotProvider noImage =
        new Ec2SpotProvider(settings(null, List.of()), CREDENTIALS, Clock.systemUTC());

    assertThatThrownBy(() -> noImage.launch(request(UUID.randomUUID())))
        .isInstanceOf(SpotProvider.LaunchFailed.class)
        .hasMessageContaining("image-id");
    noImage.close();
  }
}
