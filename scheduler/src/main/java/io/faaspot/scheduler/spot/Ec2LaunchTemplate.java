package io.faaspot.scheduler.spot;

import static io.faaspot.scheduler.spot.Ec2SpotProvider.TAG_CLUSTER;
import static io.faaspot.scheduler.spot.Ec2SpotProvider.reason;
import static io.faaspot.scheduler.spot.Ec2SpotProvider.tag;

import io.faaspot.scheduler.spot.SpotProvider.LaunchFailed;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateHttpTokensState;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The cluster's launch template: what every spot's fleet launches from (image, IMDSv2, security
 * groups, key, instance profile, and the tags a launch's network interfaces and spot requests
 * take). A change of configuration makes a new default version, found by its fingerprint.
 */
final class Ec2LaunchTemplate {
  private final Ec2Client ec2;
  private final Ec2Settings settings;
  private final String name;

  Ec2LaunchTemplate(Ec2Client ec2, Ec2Settings settings, String name) {
    this.ec2 = ec2;
    this.settings = settings;
    this.name = name;
  }

  /** Creates the template, or a new default version of it when the configuration changed. */
  String ensure() throws LaunchFailed {
    RequestLaunchTemplateData data = data();
    String fingerprint = Integer.toHexString(data.hashCode());
    try {
      var found =
          ec2.describeLaunchTemplates(
                  b ->
                      b.filters(Filter.builder().name("launch-template-name").values(name).build()))
              .launchTemplates();
      if (found.isEmpty()) {
        return ec2.createLaunchTemplate(
                b ->
                    b.launchTemplateName(name)
                        .launchTemplateData(data)
                        .versionDescription("config " + fingerprint)
                        .tagSpecifications(
                            TagSpecification.builder()
                                .resourceType(ResourceType.LAUNCH_TEMPLATE)
                                .tags(tag(TAG_CLUSTER, settings.cluster()))
                                .build()))
            .launchTemplate()
            .launchTemplateId();
      }
      String id = found.getFirst().launchTemplateId();
      var current =
          ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(id).versions("$Default"))
              .launchTemplateVersions();
      if (current.isEmpty()
          || !("config " + fingerprint).equals(current.getFirst().versionDescription())) {
        Long v =
            ec2.createLaunchTemplateVersion(
                    b ->
                        b.launchTemplateId(id)
                            .launchTemplateData(data)
                            .versionDescription("config " + fingerprint))
                .launchTemplateVersion()
                .versionNumber();
        ec2.modifyLaunchTemplate(b -> b.launchTemplateId(id).defaultVersion(v.toString()));
      }
      return id;
    } catch (Ec2Exception e) {
      throw new LaunchFailed("cannot create or update the launch template: " + reason(e), e);
    }
  }

  /** The configuration part of every version (a spot's adds its user data). */
  RequestLaunchTemplateData data() {
    var d =
        RequestLaunchTemplateData.builder()
            .imageId(settings.imageId())
            // IMDSv2 only: the agent polls it for interruption notices with a session token. One
            // hop: the token's reply dies at the first router, so a container on the spot (one hop
            // behind the host's bridge) cannot get one, nor the instance role behind it.
            .metadataOptions(
                m ->
                    m.httpTokens(LaunchTemplateHttpTokensState.REQUIRED).httpPutResponseHopLimit(1))
            // The fleet's request tags only its fleet, instances and volumes; a launch's network
            // interfaces and spot requests take theirs from the template.
            .tagSpecifications(
                LaunchTemplateTagSpecificationRequest.builder()
                    .resourceType(ResourceType.NETWORK_INTERFACE)
                    .tags(tag(TAG_CLUSTER, settings.cluster()))
                    .build(),
                LaunchTemplateTagSpecificationRequest.builder()
                    .resourceType(ResourceType.SPOT_INSTANCES_REQUEST)
                    .tags(tag(TAG_CLUSTER, settings.cluster()))
                    .build());
    if (!settings.securityGroupIds().isEmpty()) {
      d.securityGroupIds(settings.securityGroupIds());
    }
    if (settings.keyName() != null && !settings.keyName().isBlank()) {
      d.keyName(settings.keyName());
    }
    if (settings.instanceProfile() != null && !settings.instanceProfile().isBlank()) {
      d.iamInstanceProfile(p -> p.name(settings.instanceProfile()));
    }
    return d.build();
  }
}
