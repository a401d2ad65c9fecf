package io.faaspot.scheduler.spot;

import static io.faaspot.scheduler.spot.Ec2SpotProvider.TAG_CLUSTER;
import static io.faaspot.scheduler.spot.Ec2SpotProvider.reason;
import static io.faaspot.scheduler.spot.Ec2SpotProvider.tag;

import io.faaspot.scheduler.spot.SpotProvider.LaunchFailed;
import io.faaspot.scheduler.spot.SpotProvider.LaunchRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * take). A change of configuration makes a new default version, found by its fingerprint; each spot
 * launches from a version of its own, which adds its boot script.
 */
final class Ec2LaunchTemplate {
  private static final Logger log = LoggerFactory.getLogger(Ec2LaunchTemplate.class);

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

  /**
   * A version of the template for one spot, answering its number: the spot's boot script on the
   * whole configuration again, not just the user data on top of $Default, so that the version
   * stands on its own whatever the default is.
   */
  String spotVersion(String templateId, LaunchRequest r) throws LaunchFailed {
    try {
      return ec2.createLaunchTemplateVersion(
              b ->
                  b.launchTemplateId(templateId)
                      .versionDescription("spot " + r.spotId())
                      .launchTemplateData(
                          data().toBuilder()
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
  }

  /** Deletes a spot's version once its fleet request is over, launched or not. */
  void deleteVersion(String templateId, String version) {
    try {
      ec2.deleteLaunchTemplateVersions(b -> b.launchTemplateId(templateId).versions(version));
    } catch (Ec2Exception e) {
      log.debug("could not delete launch template version {}: {}", version, reason(e));
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
