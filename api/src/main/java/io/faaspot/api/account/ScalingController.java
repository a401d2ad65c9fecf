package io.faaspot.api.account;

import io.faaspot.api.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** API.md section 8: the caller's autoscaling limits (also under {@code /v1/}). */
@RestController
@RequestMapping("/api/account/scaling")
class ScalingController {
  private final ChangeScaling scaling;
  private final RequestBodies bodies;

  ScalingController(ChangeScaling scaling, RequestBodies bodies) {
    this.scaling = scaling;
    this.bodies = bodies;
  }

  @GetMapping
  Scaling get(@AuthenticationPrincipal Caller caller) {
    return scaling.current(caller.accountId());
  }

  /**
   * Any of {@code autoscale}, {@code min_spots}, {@code max_spots}, {@code idle_minutes}, {@code
   * budget_per_day}.
   */
  @PatchMapping
  Scaling change(@AuthenticationPrincipal Caller caller, HttpServletRequest request) {
    return scaling.change(caller.accountId(), bodies.object(request));
  }
}
