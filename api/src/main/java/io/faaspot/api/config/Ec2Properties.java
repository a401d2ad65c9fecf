package io.faaspot.api.config;

import java.net.URI;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The EC2 spot provider ({@code faaspot.spots.provider=ec2}). Credentials come from the AWS SDK's
 * default chain (environment, profile, instance role).
 *
 * @param region the AWS region
 * @param endpoint an EC2 endpoint override, e.g. a local emulator
 * @param cluster the tag value that marks this installation's instances and launch template
 * @param imageId the AMI to launch (required)
 * @param instanceTypes spot pools to choose from; default a list of small general types
 * @param subnetIds subnets to launch in (one per zone); empty: the default VPC
 * @param securityGroupIds security groups (no inbound port is needed)
 * @param keyName an SSH key pair, optional
 * @param instanceProfile an IAM instance profile name, optional
 * @param functionsMetadataAccess true lets functions on a spot reach the instance metadata service
 *     and so the instance role's credentials; false (the default) blocks it for their uids
 */
@ConfigurationProperties("faaspot.ec2")
public record Ec2Properties(
    @DefaultValue("us-east-1") String region,
    URI endpoint,
    @DefaultValue("faaspot") String cluster,
    String imageId,
    List<String> instanceTypes,
    List<String> subnetIds,
    List<String> securityGroupIds,
    String keyName,
    String instanceProfile,
    @DefaultValue("false") boolean functionsMetadataAccess) {}
