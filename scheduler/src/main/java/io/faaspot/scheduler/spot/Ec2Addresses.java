package io.faaspot.scheduler.spot;

import static io.faaspot.scheduler.spot.Ec2SpotProvider.TAG_CLUSTER;
import static io.faaspot.scheduler.spot.Ec2SpotProvider.reason;
import static io.faaspot.scheduler.spot.Ec2SpotProvider.tag;

import io.faaspot.scheduler.spot.SpotProvider.LaunchFailed;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.DomainType;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The Elastic IPs that give a spot a new public address. Each is tagged with the cluster when it is
 * allocated, and released once its instance has another or is terminated, so none is left to pay
 * for.
 */
final class Ec2Addresses {
  private final Ec2Client ec2;
  private final String cluster;

  Ec2Addresses(Ec2Client ec2, String cluster) {
    this.ec2 = ec2;
    this.cluster = cluster;
  }

  /**
   * A new public address: allocate an Elastic IP, associate it (replacing the current one), then
   * disassociate and release the instance's previous Elastic IP, if it had one of ours.
   */
  String refresh(String instanceId) throws LaunchFailed {
    try {
      var fresh =
          ec2.allocateAddress(
              b ->
                  b.domain(DomainType.VPC)
                      .tagSpecifications(
                          TagSpecification.builder()
                              .resourceType(ResourceType.ELASTIC_IP)
                              .tags(tag(TAG_CLUSTER, cluster))
                              .build()));
      ec2.associateAddress(
          b ->
              b.allocationId(fresh.allocationId()).instanceId(instanceId).allowReassociation(true));
      release(instanceId, fresh.allocationId());
      return fresh.publicIp();
    } catch (Ec2Exception e) {
      throw new LaunchFailed("EC2 refused the new address: " + reason(e), e);
    }
  }

  /** Releases the cluster's Elastic IPs that belonged to the instance, except {@code keep}. */
  void release(String instanceId, String keep) {
    for (Address a :
        ec2.describeAddresses(
                b -> b.filters(Filter.builder().name("tag:" + TAG_CLUSTER).values(cluster).build()))
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
}
