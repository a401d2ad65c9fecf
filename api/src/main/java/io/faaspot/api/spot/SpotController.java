package io.faaspot.api.spot;

import io.faaspot.api.account.Caller;
import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.JsonString;
import io.faaspot.api.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** API.md section 5: the caller's pool of spots, named by IP address. */
@RestController
@RequestMapping("/api/spots")
class SpotController implements SpotApi {
  private final SpotRepository spots;
  private final ManageSpots manage;
  private final RequestBodies bodies;

  SpotController(SpotRepository spots, ManageSpots manage, RequestBodies bodies) {
    this.spots = spots;
    this.manage = manage;
    this.bodies = bodies;
  }

  @GetMapping
  @Override
  public List<SpotView> list(@AuthenticationPrincipal Caller caller) {
    return spots.live(caller.accountId()).stream().map(SpotView::of).toList();
  }

  @GetMapping("/{ip}")
  @Override
  public SpotView get(@AuthenticationPrincipal Caller caller, @PathVariable String ip) {
    return SpotView.of(manage.byIp(caller.accountId(), ip));
  }

  /** No body, or {@code {"availability_zone": "..."}}; answers the create task's id. */
  @PutMapping
  @Override
  public JsonString add(@AuthenticationPrincipal Caller caller, HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    JsonNode zone = body.get("availability_zone");
    if (zone != null && !zone.isNull() && !zone.isString()) {
      throw ApiException.badRequest("availability_zone must be a string");
    }
    String az = zone == null || zone.isNull() || zone.asString().isBlank() ? null : zone.asString();
    return new JsonString(manage.add(caller.accountId(), az).toString());
  }

  @DeleteMapping
  @Override
  public JsonString removeAny(@AuthenticationPrincipal Caller caller) {
    return new JsonString(manage.remove(caller.accountId(), null).toString());
  }

  @DeleteMapping("/{ip}")
  @Override
  public JsonString remove(@AuthenticationPrincipal Caller caller, @PathVariable String ip) {
    return new JsonString(manage.remove(caller.accountId(), ip).toString());
  }

  /**
   * Either {@code {"refresh_ip": "IP"|"all"}} (JSON or form-encoded), answering the task id, or
   * {@code {"min_workers": "1", "max_workers": "3"}}, answering the new settings.
   */
  @PatchMapping
  @Override
  public Object update(@AuthenticationPrincipal Caller caller, HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    JsonNode refresh = body.get("refresh_ip");
    if (refresh != null && !refresh.isNull()) {
      if (!refresh.isString() || refresh.asString().isBlank()) {
        throw ApiException.badRequest("refresh_ip must be a spot's IP or \"all\"");
      }
      return new JsonString(
          manage.refreshIp(caller.accountId(), refresh.asString().strip()).toString());
    }
    Integer min = number(body, "min_workers");
    Integer max = number(body, "max_workers");
    if (min == null && max == null) {
      throw ApiException.badRequest(
          "expected refresh_ip, or min_workers and/or max_workers (numbers, as strings or not)");
    }
    return manage.changeWorkers(caller.accountId(), min, max);
  }

  @GetMapping("/replace/{ip}")
  @Override
  public JsonString replace(@AuthenticationPrincipal Caller caller, @PathVariable String ip) {
    return new JsonString(manage.replace(caller.accountId(), ip).toString());
  }

  private static Integer number(JsonNode body, String field) {
    JsonNode v = body.get(field);
    if (v == null || v.isNull() || (v.isString() && v.asString().isBlank())) {
      return null;
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.intValue();
    }
    if (v.isString()) {
      try {
        return Integer.parseInt(v.asString().strip());
      } catch (NumberFormatException e) {
        // Reported below.
      }
    }
    throw ApiException.badRequest(field + " must be a whole number");
  }
}
