package io.faaspot.scheduler.spot;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The boot script of an EC2 spot: installs what the agent needs unless the AMI has it (a JRE 21+,
 * python3 with venv and pip, bubblewrap, iptables), fetches the agent jar from the server, and runs
 * it under systemd with the spot's one-time registration secret. Functions run as the uid {@link
 * #FUNCTION_UID}; unless the operator allows it, the uids {@link #FUNCTION_UIDS} cannot reach the
 * instance metadata service, where the instance role's credentials are. Rendered per spot; tested
 * as text.
 */
public final class UserData {
  /** The uid the agent runs functions and their environments' builds as. */
  public static final int FUNCTION_UID = 61000;

  /**
   * The uids the metadata block covers: room for a uid per worker later, far above the uids a
   * distribution gives its users (from 1000) and its system services (below 1000).
   */
  public static final String FUNCTION_UIDS = "61000-61999";

  /** The instance metadata service, over IPv4 and (on Nitro instances) IPv6. */
  static final String METADATA_V4 = "169.254.169.254";

  static final String METADATA_V6 = "fd00:ec2::254";

  private static final String HEAD =
      """
      #!/bin/bash
      # FaaSpot spot bootstrap for spot %2$s (rendered by the server; runs once, as root).
      set -euo pipefail
      exec > >(tee -a /var/log/faaspot-bootstrap.log) 2>&1

      FAASPOT_URL='%1$s'

      has_java() { command -v java >/dev/null && java -version 2>&1 | grep -Eq 'version "(2[1-9]|[3-9][0-9])'; }
      apt_packages=''
      dnf_packages=''
      if ! has_java || ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        apt_packages="$apt_packages openjdk-21-jre-headless python3 python3-venv python3-pip curl ca-certificates"
        dnf_packages="$dnf_packages java-21-amazon-corretto-headless python3 python3-pip curl"
      fi
      # The agent sandboxes functions with bubblewrap when it is there: wanted, not required.
      want_bwrap=''
      command -v bwrap >/dev/null || want_bwrap=bubblewrap
      """;

  private static final String IPTABLES_PACKAGE =
      """
      if ! command -v iptables >/dev/null || ! command -v ip6tables >/dev/null; then
        apt_packages="$apt_packages iptables"
        dnf_packages="$dnf_packages iptables-nft"
      fi
      """;

  private static final String INSTALL =
      """
      if command -v apt-get >/dev/null; then
        export DEBIAN_FRONTEND=noninteractive
        if [ -n "$apt_packages$want_bwrap" ]; then
          apt-get update -y
        fi
        if [ -n "$apt_packages" ]; then
          apt-get install -y --no-install-recommends $apt_packages
        fi
        if [ -n "$want_bwrap" ]; then
          apt-get install -y --no-install-recommends bubblewrap \\
            || echo "faaspot: bubblewrap is not available: functions run without its sandbox" >&2
        fi
      elif command -v dnf >/dev/null; then
        if [ -n "$dnf_packages" ]; then
          dnf install -y $dnf_packages
        fi
        if [ -n "$want_bwrap" ]; then
          dnf install -y bubblewrap \\
            || echo "faaspot: bubblewrap is not available: functions run without its sandbox" >&2
        fi
      elif [ -n "$apt_packages$dnf_packages" ]; then
        echo "faaspot: no apt-get or dnf: use an AMI with Java 21+, python3 (venv, pip) and iptables" >&2
        exit 1
      fi

      install -d -m 0755 /opt/faaspot /var/lib/faaspot
      curl -fsS --retry 30 --retry-delay 2 --retry-all-errors -o /opt/faaspot/faaspot-agent.jar "$FAASPOT_URL/agent/v1/agent.jar"

      """;

  /**
   * Rejects the function uids' packets to the metadata service. A script of its own, run here and
   * again before every start of the agent, since the rules do not survive a reboot; idempotent.
   * When it fails the boot stops before the agent starts: a spot must not run functions with the
   * instance role's credentials within their reach because, say, the kernel lacks the owner match.
   */
  private static final String METADATA_BLOCK =
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

  private static final String AGENT =
      """
      umask 077
      cat > /etc/faaspot-agent.env <<EOF
      FAASPOT_URL=$FAASPOT_URL
      FAASPOT_REGISTRATION_SECRET=%1$s
      FAASPOT_AGENT_DIR=/var/lib/faaspot
      FAASPOT_RUN_AS=%2$d
      EOF
      umask 022

      cat > /etc/systemd/system/faaspot-agent.service <<'EOF'
      [Unit]
      Description=FaaSpot spot agent
      After=network-online.target
      Wants=network-online.target

      [Service]
      EnvironmentFile=/etc/faaspot-agent.env
      %3$sExecStart=/usr/bin/env java -XX:+UseSerialGC -jar /opt/faaspot/faaspot-agent.jar
      Restart=on-failure
      RestartSec=2
      KillSignal=SIGTERM
      TimeoutStopSec=30

      [Install]
      WantedBy=multi-user.target
      EOF

      systemctl daemon-reload
      systemctl enable --now faaspot-agent.service
      """;

  private UserData() {}

  /**
   * The script for one spot.
   *
   * @param functionsMetadataAccess true: functions may reach the instance metadata service (the
   *     operator's opt-in, {@code faaspot.ec2.functions-metadata-access}); false: they may not, and
   *     the agent does not start where that cannot be enforced
   */
  public static String render(
      String serverUrl, String registrationSecret, String spotId, boolean functionsMetadataAccess) {
    requireSafe(serverUrl, "server URL");
    requireSafe(registrationSecret, "registration secret");
    requireSafe(spotId, "spot id");
    return HEAD.formatted(serverUrl, spotId)
        + (functionsMetadataAccess ? "" : IPTABLES_PACKAGE)
        + INSTALL
        + (functionsMetadataAccess ? "" : METADATA_BLOCK)
        + AGENT.formatted(
            registrationSecret,
            FUNCTION_UID,
            // Again before every start: a reboot loses the rules, and a start without them fails.
            functionsMetadataAccess ? "" : "ExecStartPre=/opt/faaspot/block-metadata.sh\n");
  }

  public static String base64(String script) {
    return Base64.getEncoder().encodeToString(script.getBytes(StandardCharsets.UTF_8));
  }

  /** Everything put in the script is a URL or a token: refuse anything a shell would interpret. */
  private static void requireSafe(String value, String what) {
    if (value == null || !value.matches("[A-Za-z0-9:/._~%+=@-]+")) {
      throw new IllegalArgumentException("unsafe " + what + " for the boot script: " + value);
    }
  }
}
