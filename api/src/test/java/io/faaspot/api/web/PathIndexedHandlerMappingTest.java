package io.faaspot.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.faaspot.api.testing.ServerTest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExecutionChain;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The server's own mapping finds, for every request, what Spring's would: each of the server's
 * mappings is registered again in a plain {@link RequestMappingHandlerMapping}, and both are asked
 * for the same requests (every mapped path with each method, content type and accepted type, twice
 * so that the second asks the index) and must answer the same handler, path variables and error.
 */
class PathIndexedHandlerMappingTest extends ServerTest {
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

  @Autowired ApplicationContext context;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  @Test
  void theServersMappingIsThePathIndexedOne() {
    assertThat(mapping).isInstanceOf(PathIndexedHandlerMapping.class);
  }

  @Test
  void everyRequestFindsWhatSpringsOwnMappingFinds() throws Exception {
    RequestMappingHandlerMapping spring = new RequestMappingHandlerMapping();
    spring.setApplicationContext(context);
    Map<RequestMappingInfo, HandlerMethod> methods = mapping.getHandlerMethods();
    for (var e : methods.entrySet()) {
      spring.registerMapping(e.getKey(), e.getValue().getBean(), e.getValue().getMethod());
    }
    Set<String> paths = new LinkedHashSet<>();
    for (RequestMappingInfo info : methods.keySet()) {
      for (PathPattern p : info.getPathPatternsCondition().getPatterns()) {
        paths.add(sample(p.getPatternString(), "x1"));
        paths.add(sample(p.getPatternString(), "bulk"));
      }
    }
    paths.addAll(List.of("/api/nothing/here", "/api/deployments/a/b/c/d", "/", "/api"));
    assertThat(paths).hasSizeGreaterThan(40);

    int compared = 0;
    int found = 0;
    for (int round = 0; round < 2; round++) {
      for (String path : paths) {
        for (String method : METHODS) {
          for (String type : new String[] {null, "application/json", "text/plain"}) {
            for (String accept : new String[] {null, "application/json", "text/html"}) {
              String ours = answer(mapping, path, method, type, accept);
              String theirs = answer(spring, path, method, type, accept);
              assertThat(ours)
                  .as("%s %s (Content-Type %s, Accept %s)", method, path, type, accept)
                  .isEqualTo(theirs);
              compared++;
              if (ours.startsWith("handler")) {
                found++;
              }
            }
          }
        }
      }
    }
    assertThat(found).as("requests that found a handler").isGreaterThan(200);
    assertThat(compared).isGreaterThan(found);
  }

  @Test
  void aLiteralPathWinsOverAPatternThatAlsoMatchesIt() throws Exception {
    // POST /api/executions/bulk is its own endpoint; GET /api/executions/bulk is execution "bulk".
    assertThat(answer(mapping, "/api/executions/bulk", "POST", "application/json", null))
        .contains("ExecutionController")
        .doesNotContain("id=bulk");
    assertThat(answer(mapping, "/api/executions/bulk", "GET", null, null)).contains("id=bulk");
  }

  @Test
  void theIndexKeepsAtMostItsLimitOfPaths() throws Exception {
    for (int i = 0; i < PathIndexedHandlerMapping.MAX_PATHS + 10; i++) {
      String path = "/api/deployments/f" + i + "/rpc";
      assertThat(answer(mapping, path, "POST", "application/json", null)).contains("name=f" + i);
    }
    assertThat(((PathIndexedHandlerMapping) mapping).indexedPaths())
        .isLessThanOrEqualTo(PathIndexedHandlerMapping.MAX_PATHS);
  }

  /** A path the pattern matches: each variable and wildcard replaced by {@code value}. */
  private static String sample(String pattern, String value) {
    return pattern
        .replaceAll("\\{\\*[^}]+}", value)
        .replaceAll("\\{[^}]+}", value)
        .replace("**", value)
        .replace("*", value);
  }

  /** What the mapping answers: the handler and its path variables, or the exception it threw. */
  private static String answer(
      RequestMappingHandlerMapping m, String path, String method, String type, String accept) {
    MockHttpServletRequest request = new MockHttpServletRequest(method, path);
    if (type != null) {
      request.setContentType(type);
      request.setContent("{}".getBytes());
    }
    if (accept != null) {
      request.addHeader("Accept", accept);
    }
    try {
      HandlerExecutionChain chain = m.getHandler(request);
      if (chain == null) {
        return "none";
      }
      List<String> parts = new ArrayList<>();
      parts.add("handler " + chain.getHandler());
      parts.add(
          String.valueOf(request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE)));
      parts.add(
          String.valueOf(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE)));
      parts.add(
          String.valueOf(request.getAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE)));
      return String.join(" ", parts);
    } catch (Exception e) {
      return "error " + e.getClass().getName() + ": " + e.getMessage();
    }
  }
}
