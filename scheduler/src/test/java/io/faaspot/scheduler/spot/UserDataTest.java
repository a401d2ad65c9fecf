package io.faaspot.scheduler.spot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDataTest {
  static final String AGENT_START = "systemctl enable --now faaspot-agent.service";

  @TempDir Path dir;

  static String render(boolean functionsMetadataAccess) {
    return UserData.render(
        "https://faas.example.com:8443",
        "fsr_abc-DEF_123",
        "7d3c0a4e-1111-2222-3333-444455556666",
        functionsMetadataAccess);
  }

  /** What {@code bash -n} says of the script: empty when it parses. */
  String bashSyntaxErrors(String script) throws Exception {
    Path file = dir.resolve("boot.sh");
    Files.writeString(file, script);
    Process bash =
        new ProcessBuilder("bash", "-n", file.toString()).redirectErrorStream(true).start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return bash.waitFor() == 0 ? "" : "exit " + bash.exitValue() + ": " + out;
  }

  @Test
  void theScriptFetchesTheAgentFromTheServerAndStartsItWithTheSecret() throws Exception {
    String script = render(false);

    assertThat(script).startsWith("#!/bin/bash\n");
    assertThat(script).contains("FAASPOT_URL='https://faas.example.com:8443'");
    assertThat(script).contains("curl -fsS").contains("\"$FAASPOT_URL/agent/v1/agent.jar\"");
    assertThat(script).contains("FAASPOT_REGISTRATION_SECRET=fsr_abc-DEF_123");
    assertThat(script).contains("openjdk-21-jre-headless").contains("python3-venv");
    assertThat(script).contains(AGENT_START);
    assertThat(bashSyntaxErrors(script)).isEmpty();
  }

  @Test
  void theAgentRunsFunctionsAsTheFunctionUidAndGetsBubblewrapOnAptAndDnf() throws Exception {
    for (boolean access : new boolean[] {false, true}) {
      String script = render(access);

      assertThat(script).contains("\nFAASPOT_RUN_AS=61000\n");
      assertThat(script)
          .contains("apt-get install -y --no-install-recommends bubblewrap")
          .contains("dnf install -y bubblewrap");
      assertThat(script.indexOf("bubblewrap")).isLessThan(script.indexOf(AGENT_START));
    }
  }

  @Test
  void byDefaultFunctionUidsAreBlockedFromTheMetadataServiceBeforeTheAgentStarts()
      throws Exception {
    String script = render(false);

    String v4 =
        "\"$tool\" -w -I OUTPUT 1 -d \"$address\" -m owner --uid-owner 61000-61999 -j REJECT";
    assertThat(script).contains(v4);
    assertThat(script)
        .contains("block iptables 169.254.169.254/32 || exit 1")
        .contains("block ip6tables fd00:ec2::254/128 || exit 1");
    assertThat(script).contains("apt_packages=\"$apt_packages iptables\"");
    assertThat(script).contains("dnf_packages=\"$dnf_packages iptables-nft\"");
    int block = script.indexOf("if ! /opt/faaspot/block-metadata.sh; then");
    assertThat(block).isPositive().isLessThan(script.indexOf(AGENT_START));
    assertThat(script.substring(block)).containsSubsequence("exit 1", AGENT_START);
    assertThat(script).contains("ExecStartPre=/opt/faaspot/block-metadata.sh\nExecStart=");
    assertThat(bashSyntaxErrors(script)).isEmpty();
  }

  @Test
  void theBlockScriptAddsEachRuleOnceAndFailsWhenARuleCannotBeAdded() throws Exception {
    // Given the block script, with fake iptables and ip6tables that log their calls and refuse
    // what the test says.
    String script = render(false);
    String blockScript =
        script.substring(
            script.indexOf("<<'EOF'\n") + "<<'EOF'\n".length(), script.indexOf("\nEOF\n"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path calls = dir.resolve("calls");
    for (String tool : new String[] {"iptables", "ip6tables"}) {
      Path fake = bin.resolve(tool);
      Files.writeString(
          fake,
          """
          #!/bin/bash
          echo "$(basename "$0") $*" >> "$CALLS"
          case "$*" in *-C*) exit "$CHECK_EXIT" ;; esac
          exit "$INSERT_EXIT"
          """);
      fake.toFile().setExecutable(true);
    }
    Path file = dir.resolve("block-metadata.sh");
    Files.writeString(file, blockScript);

    // When the rules are not there yet, then both are inserted (IPv6 where the kernel has it).
    assertThat(runBlock(file, bin, calls, 1, 0)).isZero();
    boolean ipv6 = Files.exists(Path.of("/proc/net/if_inet6"));
    assertThat(Files.readAllLines(calls))
        .contains(
            "iptables -w -I OUTPUT 1 -d 169.254.169.254/32 -m owner --uid-owner 61000-61999 -j"
                + " REJECT");
    assertThat(
            Files.readAllLines(calls).stream()
                .anyMatch(l -> l.startsWith("ip6tables -w -I OUTPUT 1 -d fd00:ec2::254/128")))
        .isEqualTo(ipv6);

    // When they are there, then nothing is inserted twice.
    Files.delete(calls);
    assertThat(runBlock(file, bin, calls, 0, 0)).isZero();
    assertThat(Files.readAllLines(calls)).noneMatch(l -> l.contains(" -I "));

    // When a rule cannot be inserted, then the script fails.
    assertThat(runBlock(file, bin, calls, 1, 2)).isNotZero();
  }

  int runBlock(Path file, Path bin, Path calls, int checkExit, int insertExit) throws Exception {
    ProcessBuilder pb = new ProcessBuilder("bash", file.toString()).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("CALLS", calls.toString());
    pb.environment().put("CHECK_EXIT", Integer.toString(checkExit));
    pb.environment().put("INSERT_EXIT", Integer.toString(insertExit));
    Process p = pb.start();
    p.getInputStream().readAllBytes();
    return p.waitFor();
  }

  @Test
  void withTheOperatorsOptInThereIsNoMetadataBlock() throws Exception {
    String script = render(true);

    assertThat(script)
        .doesNotContain("--uid-owner")
        .doesNotContain("$apt_packages iptables")
        .doesNotContain("iptables-nft")
        .doesNotContain("169.254.169.254")
        .doesNotContain("block-metadata")
        .doesNotContain("ExecStartPre");
    assertThat(script).contains(AGENT_START);
    assertThat(bashSyntaxErrors(script)).isEmpty();
  }

  @Test
  void base64IsWhatEc2Receives() {
    String script = UserData.render("http://127.0.0.1:8080", "fsr_x", "id", false);

    assertThat(
            new String(Base64.getDecoder().decode(UserData.base64(script)), StandardCharsets.UTF_8))
        .isEqualTo(script);
  }

  @Test
  void valuesAShellWouldInterpretAreRefused() {
    assertThatThrownBy(() -> UserData.render("http://x'; rm -rf / #", "fsr_x", "id", false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UserData.render("http://x", "$(reboot)", "id", false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
