package io.faaspot.scheduler.spot;

import static io.faaspot.scheduler.spot.Ec2SpotProvider.TAG_ACCOUNT;
import static io.faaspot.scheduler.spot.Ec2SpotProvider.TAG_CLUSTER;
import static io.faaspot.scheduler.spot.Ec2SpotProvider.TAG_SPOT;
import static io.faaspot.scheduler.spot.Ec2SpotProvider.tag;

import io.faaspot.scheduler.spot.SpotProvider.LaunchFailed;
import io.faaspot.scheduler.spot.SpotProvider.LaunchRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.CreateFleetError;
import software.amazon.awssdk.services.ec2.model.CreateFleetResponse;
import software.amazon.awssdk.services.ec2.model.DefaultTargetCapacityType;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateConfigRequest;
import software.amazon.awssdk.services.ec2.model.FleetLaunchTemplateOverridesRequest;
import software.amazon.awssdk.services.ec2.model.FleetType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SpotAllocationStrategy;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * One spot's {@code CreateFleet} of type {@code instant}: the request (one spot instance, {@code
 * price-capacity-optimized} over every configured instance type and subnet, with the tags of
 * everything it creates) and its answer, an instance or EC2's reasons why none launched.
 */
final class Ec2Fleet {
  private static final Logger log = LoggerFactory.getLogger(Ec2Fleet.class);

  private final Ec2Client ec2;
  private final Ec2Settings settings;

  Ec2Fleet(Ec2Client ec2, Ec2Settings settings) {
    this.ec2 = ec2;
    this.settings = settings;
  }

  /** Launches the spot's instance from its template version and answers its id. */
  String launch(LaunchRequest r, String templateId, String version) throws LaunchFailed {
    CreateFleetResponse fleet =
        ec2.createFleet(
            b ->
                b.type(FleetType.INSTANT)
                    .targetCapacitySpecification(
                        t ->
                            t.totalTargetCapacity(1)
                                .defaultTargetCapacityType(DefaultTargetCapacityType.SPOT))
                    .spotOptions(
                        s -> s.allocationStrategy(SpotAllocationStrategy.PRICE_CAPACITY_OPTIMIZED))
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
      String reasons = reasons(fleet.errors());
      throw new LaunchFailed(
          "no spot capacity in any pool: " + (reasons.isEmpty() ? "EC2 gave no reason" : reasons));
    }
    if (!fleet.errors().isEmpty()) {
      log.info("spot {}: some pools failed before one launched: {}", r.spotId(), fleet.errors());
    }
    return ids.getFirst();
  }

  /** Every configured type, in the given zone or in each configured subnet. */
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

  /** Why each pool failed, by instance type where EC2 says which. */
  private static String reasons(List<CreateFleetError> errors) {
    return errors.stream()
        .map(
            e ->
                (e.launchTemplateAndOverrides() != null
                            && e.launchTemplateAndOverrides().overrides() != null
                        ? e.launchTemplateAndOverrides().overrides().instanceTypeAsString() + ": "
                        : "")
                    + e.errorCode()
                    + " "
                    + e.errorMessage())
        .collect(Collectors.joining("; "));
  }
}
