package io.faaspot.scheduler.spot;

import java.net.URI;
import java.util.List;

/**
 * What the EC2 provider launches, and where.
 *
 * @param cluster the tag value that marks this installation's instances
 * @param region the AWS region
 * @param endpoint an EC2 endpoint override (a local emulator in tests), or null
 * @param imageId the AMI; any Linux with systemd, apt or dnf (the user data installs a JRE,
 *     python3, iptables and bubblewrap unless they are there)
 * @param instanceTypes the spot pools to choose from, cheapest-and-most-available first by AWS
 * @param subnetIds subnets (one per zone is typical); empty: the default VPC's
 * @param securityGroupIds security groups; the agent needs no inbound port
 * @param keyName an SSH key pair name, or null
 * @param instanceProfile an IAM instance profile name, or null
 * @param functionsMetadataAccess whether functions may reach the instance metadata service (and the
 *     instance role's credentials); false: the boot script blocks it for their uids
 */
public record Ec2Settings(
    String cluster,
    String region,
    URI endpoint,
    String imageId,
    List<String> instanceTypes,
    List<String> subnetIds,
    List<String> securityGroupIds,
    String keyName,
    String instanceProfile,
    boolean functionsMetadataAccess) {

  /** Small, cheap, widely available types across generations and vendors. */
  public static final List<String> DEFAULT_INSTANCE_TYPES =
      List.of(
          "t3.small",
          "t3a.small",
          "t2.small",
          "m5.large",
          "m5a.large",
          "m6i.large",
          "c5.large",
          "c6i.large");

  public Ec2Settings {
    instanceTypes =
        instanceTypes == null || instanceTypes.isEmpty()
            ? DEFAULT_INSTANCE_TYPES
            : List.copyOf(instanceTypes);
    subnetIds = subnetIds == null ? List.of() : List.copyOf(subnetIds);
    securityGroupIds = securityGroupIds == null ? List.of() : List.copyOf(securityGroupIds);
  }
}
