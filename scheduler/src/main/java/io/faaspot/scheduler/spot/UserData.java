package io.faaspot.scheduler.spot;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The boot script of an EC2 spot: installs what the agent needs unless the AMI has it (a JRE 21+
 * and python3 with venv and pip), fetches the agent jar from the server, and runs it under systemd
 * with the spot's one-time registration secret. Rendered per spot; tested as text.
 */
public final class UserData {
  private UserData() {}

  public static String render(String serverUrl, String registrationSecret, String spotId) {
    requireSafe(serverUrl, "server URL");
    requireSafe(registrationSecret, "registration secret");
    requireSafe(spotId, "spot id");
    return """
        #!/bin/bash
        # FaaSpot spot bootstrap for spot %3$s (rendered by the server; runs once, as root).
        set -euo pipefail
        exec > >(tee -a /var/log/faaspot-bootstrap.log) 2>&1

        FAASPOT_URL='%1$s'

        has_java() { command -v java >/dev/null && java -version 2>&1 | grep -Eq 'version "(2[1-9]|[3-9][0-9])'; }
        if ! has_java || ! command -v python3 >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
          if command -v apt-get >/dev/null; then
            export DEBIAN_FRONTEND=noninteractive
            apt-get update -y
            apt-get install -y --no-install-recommends openjdk-21-jre-headless python3 python3-venv python3-pip curl ca-certificates
          elif command -v dnf >/dev/null; then
            dnf install -y java-21-amazon-corretto-headless python3 python3-pip curl
          else
            echo "faaspot: no apt-get or dnf: use an AMI with Java 21+ and python3 (venv, pip)" >&2
            exit 1
          fi
        fi

        install -d -m 0755 /opt/faaspot /var/lib/faaspot
        curl -fsS --retry 30 --retry-delay 2 --retry-all-errors -o /opt/faaspot/faaspot-agent.jar "$FAASPOT_URL/agent/v1/agent.jar"

        umask 077
        cat > /etc/faaspot-agent.env <<EOF
        FAASPOT_URL=$FAASPOT_URL
        FAASPOT_REGISTRATION_SECRET=%2$s
        FAASPOT_AGENT_DIR=/var/lib/faaspot
        EOF
        umask 022

        cat > /etc/systemd/system/faaspot-agent.service <<'EOF'
        [Unit]
        Description=FaaSpot spot agent
        After=network-online.target
        Wants=network-online.target

        [Service]
        EnvironmentFile=/etc/faaspot-agent.env
        ExecStart=/usr/bin/env java -XX:+UseSerialGC -jar /opt/faaspot/faaspot-agent.jar
        Restart=on-failure
        RestartSec=2
        KillSignal=SIGTERM
        TimeoutStopSec=30

        [Install]
        WantedBy=multi-user.target
        EOF

        systemctl daemon-reload
        systemctl enable --now faaspot-agent.service
        """
        .formatted(serverUrl, registrationSecret, spotId);
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
