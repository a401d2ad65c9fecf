package io.faaspot.api.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/** docs/configuration.md names every property the code binds and every variable the agent reads. */
class ConfigurationReferenceTest {
  static final Path DOC = Path.of("../docs/configuration.md");

  @Test
  void everyServerPropertyIsDocumented() throws Exception {
    var scanner = new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
    List<String> properties = new ArrayList<>();
    for (var candidate : scanner.findCandidateComponents("io.faaspot.api.config")) {
      Class<?> type = Class.forName(candidate.getBeanClassName());
      String prefix = type.getAnnotation(ConfigurationProperties.class).value();
      collect(prefix, type, properties);
    }
    String doc = Files.readString(DOC);

    assertThat(properties).as("properties found in the code").hasSizeGreaterThan(25);
    assertThat(properties.stream().filter(p -> !doc.contains("`" + p + "`")).toList())
        .as("properties missing from docs/configuration.md")
        .isEmpty();
  }

  @Test
  void everyAgentVariableIsDocumented() throws Exception {
    String source =
        Files.readString(Path.of("../spot-agent/src/main/java/io/faaspot/agent/AgentConfig.java"));
    Matcher m = Pattern.compile("\"(FAASPOT_[A-Z_]+)\"").matcher(source);
    TreeSet<String> variables = new TreeSet<>();
    while (m.find()) {
      variables.add(m.group(1));
    }
    String doc = Files.readString(DOC);

    assertThat(variables).hasSizeGreaterThan(8);
    assertThat(variables.stream().filter(v -> !doc.contains("`" + v + "`")).toList())
        .as("agent variables missing from docs/configuration.md")
        .isEmpty();
  }

  private static void collect(String prefix, Class<?> type, List<String> into) {
    for (RecordComponent c : type.getRecordComponents()) {
      String name = prefix + "." + kebab(c.getName());
      if (c.getType().isRecord() && c.getType().getName().startsWith("io.faaspot")) {
        collect(name, c.getType(), into);
      } else {
        into.add(name);
      }
    }
  }

  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
  }
}
