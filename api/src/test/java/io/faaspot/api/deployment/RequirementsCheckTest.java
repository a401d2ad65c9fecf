package io.faaspot.api.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.config.DeploymentsProperties;
import io.faaspot.api.deployment.RequirementsCheck.Refusal;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The check of requirements on its own, line by line, with the operator's policy off (the default)
 * and on. RequirementsContractTest shows the same over HTTP for the representative cases.
 */
class RequirementsCheckTest {
  static final String SHA =
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  final RequirementsCheck strict = new RequirementsCheck(new DeploymentsProperties(false, false));
  final RequirementsCheck open = new RequirementsCheck(new DeploymentsProperties(true, true));

  // ---------------------------------------------------------------- accepted

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "six",
        "sh==1.12.14",
        "requests[socks]>=2.0,<3 ; python_version >= \"3.8\"",
        "requests [socks, security] >= 2.0, < 3",
        "Django==4.*",
        "zope.interface~=5.4",
        "my_pkg-name.x!=1.0.post1",
        "pkg===1.0+local.7",
        "pkg (>=1.0, <2)",
        "pkg; sys_platform == 'linux' and (python_version < '3.12' or os_name != \"nt\")",
        "pkg ; extra == 'test' or platform_machine not in 'x86_64 aarch64'",
        "pkg ; python_full_version in \"3.11.7, 3.12.0\"",
        "# a comment\nsix\n\n   # indented comment\nsh  # trailing comment\n",
        "requests \\\n  >=2.0 \\\n  ; python_version >= '3'",
        "six==1.16.0 --hash=" + SHA,
        "six==1.16.0 \\\n    --hash=" + SHA + " \\\n    --hash " + SHA,
        "requests>=2.0 # caf\u00e9 \ud83d\udca1",
        "\uFEFFsix",
        "# -*- coding: utf-8 -*-\nsix",
        "six\r\nsh\rrequests\n",
        "six # \\\n-r /etc/shadow",
      })
  void plainSpecifiersCommentsContinuationsAndHashesAreAccepted(String requirements) {
    assertThat(strict.refusal(requirements)).isEmpty();
  }

  // ---------------------------------------------------------------- refused, whatever the policy

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-r /srv/faaspot-data/admin-token",
        "-r /etc/shadow",
        "-r/etc/shadow",
        "--requirement=x",
        "--requirement x",
        "-c constraints.txt",
        "--constraint=/etc/passwd",
        "-e .",
        "--editable=git+https://example.com/x.git#egg=x",
        "--no-index",
      })
  void optionsThatReadFilesAreRefused(String line) {
    for (RequirementsCheck check : new RequirementsCheck[] {strict, open}) {
      assertRefused(check.refusal("six\n" + line + "\nsh"), 2, RequirementsCheck.READS_FILES);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/tmp/evil",
        "./pkg",
        "../x",
        "~/x",
        "pkg/sub",
        "pkg.tar.gz",
        "evil-1.0.whl",
        "pkg.zip[extra]",
        "pkg==1.0.tar.gz",
        "file:///tmp/x",
        "name @ file:///tmp/x",
        "name@FILE:/tmp/x",
        "git+https://example.com/x.git",
        "name @ git+https://example.com/x.git",
        "svn+https://example.com/x",
        "ftp://example.com/x.tar.gz",
        "name @ /tmp/evil",
        "name @ https://example.com/../../../../tmp/evil",
        "name @ https://example.com/x?y=/../../tmp/evil",
        "name @ https://../tmp/evil",
        "--pre",
        "--prefer-binary",
        "--only-binary=:all:",
        "--no-binary :all:",
        "--use-feature=truststore",
        "--require-hashes",
        "--config-settings=x=y",
        "--req /etc/shadow",
        "-",
        "six --index-url https://evil.example.com/simple",
        "six -r /etc/shadow",
        "six --hash=md5:abc",
        "six --hash=sha256:'abc'",
        "six\t--hash=" + SHA,
        "six==${ADMIN_TOKEN}",
        "six ; os_name == '$HOME'",
        "six\u00a0-r /etc/shadow",
        "s\u0131x",
        "six ; os_name == 'posix' -r /etc/shadow",
        "not a requirement",
        "six ==",
        "six ; bogus_variable == '1'",
      })
  void pathsFileUrlsOtherSchemesAndOtherOptionsAreRefusedEvenWhenTheOperatorAllowsUrls(
      String line) {
    for (RequirementsCheck check : new RequirementsCheck[] {strict, open}) {
      Optional<Refusal> refused = check.refusal(line);
      assertThat(refused).as(line).isPresent();
      assertThat(refused.get().line()).isEqualTo(1);
    }
  }

  @Test
  void aLineBreakPythonSeesButJavaDoesNotCannotHideAnOption() {
    // given a "comment" that Python's splitlines cuts in two at \x1c and \x85
    for (String brk : new String[] {"\u001c", "\u001d", "\u001e", "\u0085", "\u2028", "\f"}) {
      // when
      Optional<Refusal> refused = strict.refusal("six # comment" + brk + "-r /etc/shadow");

      // then
      assertRefused(refused, 2, RequirementsCheck.READS_FILES);
    }
  }

  @Test
  void aContinuationJoinsTheNextLineAsPipDoesAndTheRefusalNamesItsFirstLine() {
    // given: pip strips the backslashes of a continued line from both ends
    String requirements = "six\n\\\n-r /etc/shadow\nsh";

    // then
    assertRefused(strict.refusal(requirements), 2, RequirementsCheck.READS_FILES);
  }

  @Test
  void anEncodingDeclarationOtherThanUtf8IsRefused() {
    // given: in UTF-7, +AAo- is a line break pip would see
    String requirements = "# coding: utf-7\nsix ; os_name == '+AAo--r /etc/shadow'";

    // then
    Optional<Refusal> refused = strict.refusal(requirements);
    assertThat(refused).isPresent();
    assertThat(refused.get().line()).isEqualTo(1);
    assertThat(refused.get().reason()).contains("encoding");
  }

  // ---------------------------------------------------------------- the operator's policy

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--index-url https://pypi.example.com/simple",
        "--index-url=https://pypi.example.com/simple",
        "-i https://pypi.example.com/simple",
        "--extra-index-url https://user:secret@pypi.example.com:8443/simple/",
        "--trusted-host pypi.example.com",
        "--trusted-host pypi.example.com:8080",
        "--find-links https://downloads.example.com/wheels/",
        "-f http://downloads.example.com/wheels/",
      })
  void indexOptionsAreAcceptedOnlyWhenTheOperatorAllowsThem(String line) {
    assertRefused(strict.refusal(line + "\nsix"), 1, RequirementsCheck.READS_FILES);
    assertThat(open.refusal(line + "\nsix")).isEmpty();
    assertThat(new RequirementsCheck(new DeploymentsProperties(true, false)).refusal(line))
        .isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "-f /tmp",
        "--find-links=/tmp/wheels",
        "--find-links file:///tmp/wheels",
        "--index-url file:///tmp/simple",
        "--extra-index-url ./simple",
        "-i git+https://example.com/x",
        "--trusted-host /tmp",
        "--index-url",
      })
  void indexOptionsNamingFilesAreRefusedEvenWhenTheOperatorAllowsIndexOptions(String line) {
    assertThat(open.refusal(line)).as(line).isPresent();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "pkg @ https://example.com/pkg-1.0-py3-none-any.whl",
        "pkg[extra] @ https://example.com/pkg-1.0.tar.gz#sha256=abc ; python_version >= '3.8'",
        "pkg@http://example.com:8080/pkg.zip",
      })
  void httpsUrlReferencesAreAcceptedOnlyWhenTheOperatorAllowsThem(String line) {
    Optional<Refusal> refused = strict.refusal(line);
    assertThat(refused).isPresent();
    assertThat(refused.get().reason()).contains("direct URL references");
    assertThat(open.refusal(line)).isEmpty();
    assertThat(new RequirementsCheck(new DeploymentsProperties(false, true)).refusal(line))
        .isEmpty();
  }

  // ---------------------------------------------------------------- the message

  @Test
  void theMessageNamesTheLineAndItsTextCutWhenLong() {
    // given
    String longPath = "/tmp/" + "x".repeat(200);

    // when
    String message = strict.refusal("six\n\n" + longPath).orElseThrow().message();

    // then
    assertThat(message)
        .startsWith("requirements line 3: \"/tmp/xxx")
        .contains("...\": local paths");
    assertThat(message.length()).isLessThan(200);
  }

  @Test
  void theMessageOfAnIncludedFileIsTheOneTheIssueQuotes() {
    assertThat(strict.refusal("six\nsh\n-r /etc/passwd").orElseThrow().message())
        .isEqualTo(
            "requirements line 3: \"-r /etc/passwd\": options that read files or change the"
                + " index are not allowed");
  }

  static void assertRefused(Optional<Refusal> refused, int line, String reason) {
    assertThat(refused).isPresent();
    assertThat(refused.get().line()).as(refused.get().message()).isEqualTo(line);
    assertThat(refused.get().reason()).as(refused.get().message()).isEqualTo(reason);
  }
}
