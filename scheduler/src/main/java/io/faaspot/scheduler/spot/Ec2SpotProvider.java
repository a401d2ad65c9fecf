package io.faaspot.scheduler.spot;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * Spots on EC2 spot capacity. Each spot is one {@code CreateFleet} of type {@code instant}: spot
 * capacity, {@code price-capacity-optimized} over every configured instance type and subnet, no
 * maximum price, from this cluster's launch template (created or updated from configuration) with
 * the spot's own boot script as a new template version. Instances are tagged with the cluster,
 * account and spot, and found again by those tags.
 *
 * <p>Everything it creates (launch template, fleet, instance, volumes, network interfaces, spot
 * requests, Elastic IPs) carries the cluster tag from the request that creates it, never by a later
 * {@code CreateTags}: the IAM policy in docs/iam-policy.json allows creating only what is tagged
 * so, and changing only what already is.
 *
 * <p>Each part has a class of its own: {@link Ec2LaunchTemplate}, {@link Ec2Fleet}, {@link
 * Ec2Instances} (the cluster's instances as last described), {@link Ec2Addresses} (Elastic IPs) and
 * {@link Ec2SpotPrice}.
 */
public final class Ec2SpotProvider implements SpotProvider, AutoCloseable {
  public static final String TAG_CLUSTER = "faaspot:cluster";
  public static final String TAG_ACCOUNT = "faaspot:account";
  public static final String TAG_SPOT = "faaspot:spot";

  private final Ec2Client ec2;
  private final Ec2Settings settings;
  private final Ec2LaunchTemplate template;
  private final Ec2Fleet fleet;
  private final Ec2Instances instances;
  private final Ec2Addresses addresses;

  public Ec2SpotProvider(Ec2Settings settings, AwsCredentialsProvider credentials, Clock clock) {
    this(settings, credentials, clock, List.of());
  }

  /** With SDK interceptors: a test records every EC2 operation the provider calls. */
  Ec2SpotProvider(
      Ec2Settings settings,
      AwsCredentialsProvider credentials,
      Clock clock,
      List<ExecutionInterceptor> interceptors) {
    var builder =
        Ec2Client.builder()
            .region(Region.of(settings.region()))
            .httpClientBuilder(UrlConnectionHttpClient.builder());
    if (!interceptors.isEmpty()) {
      builder.overrideConfiguration(o -> o.executionInterceptors(interceptors));
    }
    if (credentials != null) {
      builder.credentialsProvider(credentials);
    }
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    this.ec2 = builder.build();
    this.settings = settings;
    this.template = new Ec2LaunchTemplate(ec2, settings, templateName());
    this.fleet = new Ec2Fleet(ec2, settings);
    this.instances = new Ec2Instances(ec2, settings.cluster(), clock);
    this.addresses = new Ec2Addresses(ec2, settings.cluster());
  }

  @Override
  public String name() {
    return "ec2";
  }

  String templateName() {
    return "faaspot-" + settings.cluster();
  }

  @Override
  public Launched launch(LaunchRequest r) throws LaunchFailed {
    if (settings.imageId() == null || settings.imageId().isBlank()) {
      throw new LaunchFailed("faaspot.ec2.image-id is not set");
    }
    String templateId = ensureTemplate();
    String version = template.spotVersion(templateId, r);
    try {
      String instanceId = fleet.launch(r, templateId, version);
      var instance =
          ec2.describeInstances(b -> b.instanceIds(instanceId))
              .reservations()
              .getFirst()
              .instances()
              .getFirst();
      String type = instance.instanceTypeAsString();
      String zone = instance.placement().availabilityZone();
      String ip =
          instance.publicIpAddress() != null
              ? instance.publicIpAddress()
              : instance.privateIpAddress();
      instances.invalidate();
      return new Launched(
          instanceId, ip, type, zone, Ec2SpotPrice.of(ec2, type, zone).orElse(null));
    } catch (Ec2Exception e) {
      throw new LaunchFailed("EC2 refused the launch: " + reason(e), e);
    } finally {
      template.deleteVersion(templateId, version);
    }
  }

  /** Creates the cluster's launch template, or a new default version when the config changed. */
  String ensureTemplate() throws LaunchFailed {
    return template.ensure();
  }

  @Override
  public boolean isAlive(String instanceId) {
    Instance i = instances.snapshot().get(instanceId);
    return i != null && (i.state().equals("pending") || i.state().equals("running"));
  }

  @Override
  public List<Instance> instances() {
    return List.copyOf(instances.snapshot().values());
  }

  @Override
  public void terminate(String instanceId) {
    try {
      ec2.terminateInstances(b -> b.instanceIds(instanceId));
      addresses.release(instanceId, null);
    } catch (Ec2Exception e) {
      if (!"InvalidInstanceID.NotFound".equals(e.awsErrorDetails().errorCode())) {
        throw e;
      }
    } finally {
      instances.invalidate();
    }
  }

  /** A new public address, from a new Elastic IP (see {@link Ec2Addresses#refresh}). */
  @Override
  public Optional<String> refreshIp(String instanceId) throws LaunchFailed {
    String ip = addresses.refresh(instanceId);
    instances.invalidate();
    return Optional.of(ip);
  }

  static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }

  static String reason(Ec2Exception e) {
    return e.awsErrorDetails() != null
        ? e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage()
        : e.getMessage();
  }

  @Override
  public void close() {
    ec2.close();
  }
}
