package io.faaspot.api.web;

import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.condition.PathPatternsRequestCondition;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Spring MVC's mapping of requests to controller methods, with the methods that can match a path
 * looked up by that path. Spring finds a path with a variable in it ({@code
 * /api/deployments/{name}/rpc}: every function call) by testing the request against every mapping
 * of the server, about a hundred, on every call; here those tests run once per distinct path, and
 * each call tests only the few mappings whose path patterns match it (by method, content type and
 * the rest, as Spring does).
 *
 * <p>The result is Spring's: the mappings whose paths equal the path come first, and the others are
 * tried only if none of those matches; the best match is chosen by Spring's own comparator.
 * Anything else (no match, which Spring answers with a 404, 405 or 415; two equally good matches;
 * CORS preflight requests) goes to Spring's own lookup.
 */
final class PathIndexedHandlerMapping extends RequestMappingHandlerMapping {
  /** Distinct paths remembered at most; past it the index starts again (deployment names vary). */
  static final int MAX_PATHS = 4096;

  /** The mappings that can match one path: equal to it, else with a pattern that matches it. */
  private record Candidates(List<Candidate> direct, List<Candidate> patterns) {}

  private record Candidate(RequestMappingInfo mapping, HandlerMethod method) {}

  private final Map<String, Candidates> byPath = new ConcurrentHashMap<>();

  @Override
  protected HandlerMethod lookupHandlerMethod(String lookupPath, HttpServletRequest request)
      throws Exception {
    if (CorsUtils.isPreFlightRequest(request)) {
      return super.lookupHandlerMethod(lookupPath, request);
    }
    Candidates candidates = byPath.get(lookupPath);
    if (candidates == null) {
      candidates = candidates(lookupPath, request);
      if (byPath.size() >= MAX_PATHS) {
        byPath.clear();
      }
      byPath.put(lookupPath, candidates);
    }
    List<Candidate> matches = matching(candidates.direct(), request);
    if (matches.isEmpty()) {
      matches = matching(candidates.patterns(), request);
    }
    if (matches.isEmpty()) {
      return super.lookupHandlerMethod(lookupPath, request);
    }
    Candidate best = matches.getFirst();
    if (matches.size() > 1) {
      Comparator<RequestMappingInfo> order = getMappingComparator(request);
      matches.sort((a, b) -> order.compare(a.mapping(), b.mapping()));
      best = matches.getFirst();
      if (order.compare(best.mapping(), matches.get(1).mapping()) == 0) {
        return super.lookupHandlerMethod(lookupPath, request); // Spring's ambiguity error
      }
    }
    request.setAttribute(HandlerMapping.BEST_MATCHING_HANDLER_ATTRIBUTE, best.method());
    handleMatch(best.mapping(), lookupPath, request);
    return best.method();
  }

  /** Each candidate as it matches this request (its conditions narrowed to it), in order. */
  private List<Candidate> matching(List<Candidate> candidates, HttpServletRequest request) {
    List<Candidate> matches = new ArrayList<>(2);
    for (Candidate c : candidates) {
      RequestMappingInfo match = getMatchingMapping(c.mapping(), request);
      if (match != null) {
        matches.add(new Candidate(match, c.method()));
      }
    }
    return matches;
  }

  /** The mappings equal to the path, and those whose patterns match it, found by testing each. */
  private Candidates candidates(String lookupPath, HttpServletRequest request) {
    List<Candidate> direct = new ArrayList<>();
    List<Candidate> patterns = new ArrayList<>();
    for (Map.Entry<RequestMappingInfo, HandlerMethod> e : getHandlerMethods().entrySet()) {
      RequestMappingInfo mapping = e.getKey();
      Candidate c = new Candidate(mapping, e.getValue());
      PathPatternsRequestCondition paths = mapping.getPathPatternsCondition();
      if (paths == null) {
        // A mapping without parsed patterns (not made here): tested on every request, as Spring's.
        patterns.add(c);
        continue;
      }
      if (getDirectPaths(mapping).contains(lookupPath)) {
        direct.add(c);
      }
      if (paths.getMatchingCondition(request) != null) {
        patterns.add(c);
      }
    }
    return new Candidates(List.copyOf(direct), List.copyOf(patterns));
  }

  @Override
  public void registerMapping(RequestMappingInfo mapping, Object handler, Method method) {
    super.registerMapping(mapping, handler, method);
    forget();
  }

  @Override
  public void unregisterMapping(RequestMappingInfo mapping) {
    super.unregisterMapping(mapping);
    forget();
  }

  /** How many distinct paths the index holds now. */
  int indexedPaths() {
    return byPath.size();
  }

  private void forget() {
    byPath.clear();
  }
}
