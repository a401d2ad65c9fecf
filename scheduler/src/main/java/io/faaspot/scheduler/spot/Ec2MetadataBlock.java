package io.faaspot.scheduler.spot;

import static io.faaspot.scheduler.spot.UserData.FUNCTION_UIDS;

/**
 * The parts of the boot script ({@link UserData}) that keep functions away from the instance
 * metadata service, where the instance role's credentials are: the firewall tools to install, the
 * script that rejects the function uids' packets to it, and the unit line that runs that script
 * again before every start of the agent. Left out when the operator allows the access ({@code
 * faaspot.ec2.functions-metadata-access}).
 */
final class Ec2MetadataBlock {
  /** The instance metadata service, over IPv4 and (on Nitro instances) IPv6. */
  static final String METADATA_V4 = "169.254.169.254";

  static final String METADATA_V6 = "fd00:ec2::254";

  static final String PACKAGES =
      """
      if ! command -v iptables >/dev/null || ! command -v ip6tables >/dev/null; then
        apt_packages="$apt_packages iptables"
        dnf_packages="$dnf_packages iptables-nft"
      fi
      """;

  /**
   * Rejects the function uids' packets to the metadata service. A script of its own, run here and
   * again before every start of the agent, since the rules do not survive a reboot; idempotent.
   * When it fails the boot stops before the agent starts: a spot must not run functions with the
   * instance role's credentials within their reach because, say, the kernel lacks the owner match.
   */
  static final String SCRIPT =
      """
      cat > /opt/faaspot/block-metadata.sh <<'EOF'
      #!/bin/bash
      # Functions (uids @UIDS@) must not reach the instance metadata service.
      block() {
        local tool=$1 address=$2
        "$tool" -w -C OUTPUT -d "$address" -m owner --uid-owner @UIDS@ -j REJECT 2>/dev/null \\
          || "$tool" -w -I OUTPUT 1 -d "$address" -m owner --uid-owner @UIDS@ -j REJECT
      }
      block iptables @V4@/32 || exit 1
      # A kernel without IPv6 has no IPv6 metadata address to reach.
      if [ -e /proc/net/if_inet6 ]; then
        block ip6tables @V6@/128 || exit 1
      fi
      EOF
      chmod 0755 /opt/faaspot/block-metadata.sh
      if ! /opt/faaspot/block-metadata.sh; then
        echo "faaspot: cannot block the instance metadata service for the function uids @UIDS@;" \\
          "not starting the agent (faaspot.ec2.functions-metadata-access=true runs it without)" >&2
        exit 1
      fi

      """
          .replace("@UIDS@", FUNCTION_UIDS)
          .replace("@V4@", METADATA_V4)
          .replace("@V6@", METADATA_V6);

  /** Again before every start: a reboot loses the rules, and a start without them fails. */
  static final String EXEC_START_PRE = "ExecStartPre=/opt/faaspot/block-metadata.sh\n";

  private Ec2MetadataBlock() {}
}
