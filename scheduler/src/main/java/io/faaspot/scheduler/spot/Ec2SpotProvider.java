package io.faaspot.scheduler.spot;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.CreateFleetResponse;
import software.amazon.awssdk.services.ec2.model.DefaultTargetCapacityType;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateConfigRequest;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateOverridesRequest;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SpotAllocationStrategy;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

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
 */
public final class Ec2SpotProvider implements SpotProvider, AutoCloseable {
  public static final String TAG_CLUSTER = "faaspot:cluster";
  public static final String TAG_ACCOUNT = "faaspot:account";
  public static final String TAG_SPOT = "faaspot:spot";
  private static final Logger log = LoggerFactory.getLogger(Ec2SpotProvider.class);
  private static final Duration CACHE = Duration.ofSeconds(5);

  private final Ec2Client ec2;
  private final Ec2Settings settings;
  private final Clock clock;
  private final Ec2LaunchTemplate template;
  private final Object cacheLock = new Object();
  private Map<String, Instance> cached = Map.of();
  private Instant cachedAt = Instant.EPOCH;

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
    this.clock = clock;
    this.template = new Ec2LaunchTemplate(ec2, settings, templateName());
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
    String version;
    try {
      version =
          ec2.createLaunchTemplateVersion(
                  b ->
                      b.launchTemplateId(templateId)
                          .versionDescription("spot " + r.spotId())
                          // The whole configuration again, not just the user data on top of
                          // $Default: the version stands on its own whatever the default is.
                          .launchTemplateData(
                              template.data().toBuilder()
                                  .userData(
                                      UserData.base64(
                                          UserData.render(
                                              r.serverUrl(),
                                              r.registrationSecret(),
                                              r.spotId().toString(),
                                              settings.functionsMetadataAccess())))
                                  .build()))
              .launchTemplateVersion()
              .versionNumber()
              .toString();
    } catch (Ec2Exception e) {
      throw new LaunchFailed("cannot prepare the launch template: " + reason(e), e);
    }
    try {
      CreateFleetResponse fleet =
          ec2.createFleet(
              b ->
                  b.type(FleetType.INSTANT)
                      .targetCapacitySpecification(
                          t ->
                              t.totalTargetCapacity(1)
                                  .defaultTargetCapacityType(DefaultTargetCapacityType.SPOT))
                      .spotOptions(
                          s ->
                              s.allocationStrategy(SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED))
                      .launchTemplateConfigs(
                          FleetLaunchTemplateConfigRequest.builder()
                              .launchTemplateSpecification(
                                  l -> l.launchTemplateId(templateId).version(version))
                              .overrides(overrides(r.availabilityZone()))
                              .build())
                      .tagSpecifications(
                          TagSpecification.builder()
                              .resourceType(ResourceType.INSTANCE)
                              .tags(
                                  tag(TAG_CLUSTER, settings.cluster()),
                                  tag(TAG_ACCOUNT, Long.toString(r.accountId())),
                                  tag(TAG_SPOT, r.spotId().toString()),
                                  tag("Name", "faaspot-" + r.spotId()))
                              .build(),
                          TagSpecification.builder()
                              .resourceType(ResourceType.VOLUME)
                              .tags(
                                  tag(TAG_CLUSTER, settings.cluster()),
                                  tag(TAG_ACCOUNT, Long.toString(r.accountId())),
                                  tag(TAG_SPOT, r.spotId().toString()))
                              .build(),
                          TagSpecification.builder()
                              .resourceType(ResourceType.FLEET)
                              .tags(tag(TAG_CLUSTER, settings.cluster()))
                              .build()));
      List<String> ids = fleet.instances().stream().flatMap(i -> i.instanceIds().stream()).toList();
      if (ids.isEmpty()) {
        String reasons =
            fleet.errors().stream()
                .map(
                    e ->
                        (e.launchTemplateAndOverrides() != null
                                    && e.launchTemplateAndOverrides().overrides() != null
                                ? e.launchTemplateAndOverrides().overrides().instanceTypeAsString()
                                    + ": "
                                : "")
                            + e.errorCode()
                            + " "
                            + e.errorMessage())
                .collect(Collectors.joining("; "));
        throw new LaunchFailed(
            "no spot capacity in any pool: "
                + (reasons.isEmpty() ? "EC2 gave no reason" : reasons));
      }
      if (!fleet.errors().isEmpty()) {
        log.info("spot {}: some pools failed before one launched: {}", r.spotId(), fleet.errors());
      }
      String instanceId = ids.getFirst();
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
      invalidate();
      return new Launched(instanceId, ip, type, zone, spotPrice(type, zone).orElse(null));
    } catch (Ec2Exception e) {
      throw new LaunchFailed("EC2 refused the launch: " + reason(e), e);
    } finally {
      try {
        ec2.deleteLaunchTemplateVersions(b -> b.launchTemplateId(templateId).versions(version));
      } catch (Ec2Exception e) {
        log.debug("could not delete launch template version {}: {}", version, reason(e));
      }
    }
  }

  private List<FleetLaunchTemplateOverridesRequest> overrides(String zone) {
    List<FleetLaunchTemplateOverridesRequest> list = new ArrayList<>();
    for (String type : settings.instanceTypes()) {
      if (settings.subnetIds().isEmpty()) {
        var o = FleetLaunchTemplateOverridesRequest.builder().instanceType(type);
        if (zone != null) {
          o.availabilityZone(zone);
        }
        list.add(o.build());
      } else {
        for (String subnet : settings.subnetIds()) {
          list.add(
              FleetLaunchTemplateOverridesRequest.builder()
                  .instanceType(type)
                  .subnetId(subnet)
                  .build());
        }
      }
    }
    return list;
  }

  /** Creates the cluster's launch template, or a new default version when the config changed. */
  String ensureTemplate() throws LaunchFailed {
    return template.ensure();
  }

  /** The latest spot price for a type in a zone, per hour in USD. */
  Optional<BigDecimal> spotPrice(String type, String zone) {
    try {
      return ec2
          .describeSpotPriceHistory(
              b ->
                  b.instanceTypesWithStrings(type)
                      .availabilityZone(zone)
                      .productDescriptions("Linux/UNIX")
                      .maxResults(1))
          .spotPriceHistory()
          .stream()
          .findFirst()
          .map(p -> new BigDecimal(p.spotPrice()));
    } catch (Ec2Exception | NumberFormatException e) {
      log.debug("no spot price for {} in {}: {}", type, zone, e.getMessage());
      return Optional.empty();
    }
  }

  @Override
  public boolean isAlive(String instanceId) {
    Instance i = snapshot().get(instanceId);
    return i != null && (i.state().equals("pending") || i.state().equals("running"));
  }

  @Override
  public List<Instance> instances() {
    return List.copyOf(snapshot().values());
  }

  /** All of the cluster's instances, by tag, re-read at most every few seconds. */
  private Map<String, Instance> snapshot() {
    synchronized (cacheLock) {
      if (Duration.between(cachedAt, clock.instant()).compareTo(CACHE) < 0) {
        return cached;
      }
      Map<String, Instance> found = new HashMap<>();
      ec2.describeInstancesPaginator(
              b ->
                  b.filters(
                      Filter.builder()
                          .name("tag:" + TAG_CLUSTER)
                          .values(settings.cluster())
                          .build()))
          .reservations()
          .forEach(
              res ->
                  res.instances()
                      .forEach(
                          i -> {
                            UUID spot =
                                i.tags().stream()
                                    .filter(t -> t.key().equals(TAG_SPOT))
                                    .findFirst()
                                    .map(t -> UUID.fromString(t.value()))
                                    .orElse(null);
                            found.put(
                                i.instanceId(),
                                new Instance(i.instanceId(), spot, i.state().nameAsString()));
                          }));
      cached = found;
      cachedAt = clock.instant();
      return cached;
    }
  }

  private void invalidate() {
    synchronized (cacheLock) {
      cachedAt = Instant.EPOCH;
    }
  }

  @Override
  public void terminate(String instanceId) {
    try {
      ec2.terminateInstances(b -> b.instanceIds(instanceId));
      releaseAddresses(instanceId, null);
    } catch (Ec2Exception e) {
      if (!"InvalidInstanceID.NotFound".equals(e.awsErrorDetails().errorCode())) {
        throw e;
      }
    } finally {
      invalidate();
    }
  }

  /**
   * A new public address: allocate an Elastic IP, associate it (replacing the current one), then
   * disassociate and release the instance's previous Elastic IP, if it had one of ours.
   */
  @Override
  public Optional<String> refreshIp(String instanceId) throws LaunchFailed {
    try {
      var fresh =
          ec2.allocateAddress(
              b ->
                  b.domain(DomainType.VPC)
                      .tagSpecifications(
                          TagSpecification.builder()
                              .resourceType(ResourceType.ELASTIC_IP)
                              .tags(tag(TAG_CLUSTER, settings.cluster()))
                              .build()));
      ec2.associateAddress(
          b ->
              b.allocationId(fresh.allocationId()).instanceId(instanceId).allowReassociation(true));
      releaseAddresses(instanceId, fresh.allocationId());
      invalidate();
      return Optional.of(fresh.publicIp());
    } catch (Ec2Exception e) {
      throw new LaunchFailed("EC2 refused the new address: " + reason(e), e);
    }
  }

  /** Releases the cluster's Elastic IPs that belonged to the instance, except {@code keep}. */
  private void releaseAddresses(String instanceId, String keep) {
    for (Address a :
        ec2.describeAddresses(
                b ->
                    b.filters(
                        Filter.builder()
                            .name("tag:" + TAG_CLUSTER)
                            .values(settings.cluster())
                            .build()))
            .addresses()) {
      boolean ours = instanceId.equals(a.instanceId()) || a.instanceId() == null;
      if (!ours || a.allocationId().equals(keep)) {
        continue;
      }
      if (a.associationId() != null) {
        ec2.disassociateAddress(b -> b.associationId(a.associationId()));
      }
      ec2.releaseAddress(b -> b.allocationId(a.allocationId()));
    }
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
