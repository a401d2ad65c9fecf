package io.faaspot.scheduler.spot;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The boot script of an EC2 spot: installs what the agent needs unless the AMI has it (a JRE 21+,
 * python3 with venv and pip, bubblewrap, iptables), fetches the agent jar from the server, and runs
 * it under systemd with the spot's one-time registration secret. Functions run as the uid {@link
 * #FUNCTION_UID}; unless the operator allows it, the uids {@link #FUNCTION_UIDS} cannot reach the
 * instance metadata service, where the instance role's credentials are ({@link Ec2MetadataBlock}).
 * Rendered per spot; tested as text.
 */
public final class UserData {
  /** The uid the agent runs functions and their environments' builds as. */
  public static final int FUNCTION_UID = 61000;

  /**
   * The uids the metadata block covers: room for a uid per worker later, far above the uids a
   * distribution gives its users (from 1000) and its system services (below 1000).
   */
  public static final String FUNCTION_UIDS = "61000-61999";

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
        + (functionsMetadataAccess ? "" : Ec2MetadataBlock.PACKAGES)
        + INSTALL
        + (functionsMetadataAccess ? "" : Ec2MetadataBlock.SCRIPT)
        + AGENT.formatted(
            registrationSecret,
            FUNCTION_UID,
            functionsMetadataAccess ? "" : Ec2MetadataBlock.EXEC_START_PRE);
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
