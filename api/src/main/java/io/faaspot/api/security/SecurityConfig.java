package io.faaspot.api.security;

import io.faaspot.api.account.ApiAuthenticationFilter;
import io.faaspot.api.account.AuthThrottle;
import io.faaspot.api.account.AuthenticateCaller;
import io.faaspot.api.account.ConsoleSessionFilter;
import io.faaspot.api.account.ConsoleSignIn;
import io.faaspot.api.agentapi.AgentAuthenticationFilter;
import io.faaspot.api.spot.SpotRegistrations;
import io.faaspot.api.web.ErrorBody;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.HeaderWriterFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what: {@code /api/admin/**} the admin account only, {@code /api/**} any account,
 * {@code /agent/v1/**} registered agents (registration itself takes the one-time secret instead);
 * the OpenAPI description and its UI ({@code /v3/api-docs}, {@code /swagger-ui.html}) anyone.
 * Stateless: no sessions, no cookies, so no CSRF; refusals are JSON like every other error. The web
 * console ({@code /console/**}) has a chain of its own: a session cookie, CSRF tokens, a sign-in
 * page, and credentials asked again on every request.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {
  private static final ObjectPostProcessor<HeaderWriterFilter> WRITE_HEADERS_FIRST =
      new ObjectPostProcessor<>() {
        @Override
        public <O extends HeaderWriterFilter> O postProcess(O filter) {
          filter.setShouldWriteHeadersEagerly(true);
          return filter;
        }
      };

  /**
   * Spring Security's own observations wrap every filter of every request (agents' included) and
   * cost more than the filters do; the HTTP request metrics ({@code http.server.requests}) stay.
   */
  @Bean
  SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }

  /**
   * A request Spring Security's firewall refuses (a {@code ..}, {@code ;} or encoded slash in its
   * path, say) gets the API's JSON error body, as every other refusal does, not Spring's default.
   */
  @Bean
  RequestRejectedHandler requestRejectedHandler(JsonMapper json) {
    return (request, response, e) ->
        ErrorBody.write(
            response,
            json,
            HttpStatus.BAD_REQUEST,
            "rejected",
            "the request was refused: " + e.getMessage());
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return new BCryptPasswordEncoder();
  }

  /**
   * The agent protocol's own chain, consulted first: agents poll and report many times a second, so
   * it holds only what they need (their credential, the rules, JSON refusals), not the headers,
   * sessions and anonymous handling that browsers and users get.
   */
  @Bean
  @Order(1)
  SecurityFilterChain agentFilterChain(
      HttpSecurity http, SpotRegistrations registrations, AuthThrottle throttle, JsonMapper json) {
    http.securityMatcher("/agent/v1/**")
        .csrf(c -> c.disable())
        .httpBasic(b -> b.disable())
        .formLogin(f -> f.disable())
        .logout(l -> l.disable())
        .requestCache(r -> r.disable())
        .headers(h -> h.disable())
        .anonymous(a -> a.disable())
        .sessionManagement(s -> s.disable())
        .securityContext(c -> c.disable())
        .addFilterBefore(
            new AgentAuthenticationFilter(registrations, throttle, json), AuthorizationFilter.class)
        .authorizeHttpRequests(
            a ->
                a.requestMatchers("/agent/v1/register", "/agent/v1/agent.jar")
                    .permitAll()
                    .anyRequest()
                    .hasRole("AGENT"));
    JsonRefusals.apply(http, json);
    return http.build();
  }

  /**
   * The web console: sessions (the cookie is HttpOnly and SameSite=Strict by the server's settings,
   * Secure whenever the request came over HTTPS), CSRF tokens on every form (Thymeleaf adds them),
   * sign-out as a POST, the API's own roles, and a strict content policy (the pages load only their
   * own script and style).
   */
  @Bean
  @Order(2)
  SecurityFilterChain consoleFilterChain(HttpSecurity http, ConsoleSignIn signIn) {
    http.securityMatcher("/console", "/console/**")
        .httpBasic(b -> b.disable())
        .formLogin(f -> f.disable())
        .requestCache(r -> r.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
        .securityContext(
            c -> c.securityContextRepository(new HttpSessionSecurityContextRepository()))
        .logout(
            l ->
                l.logoutUrl("/console/sign-out")
                    .logoutSuccessUrl("/console/sign-in?signed-out")
                    .invalidateHttpSession(true)
                    .deleteCookies("JSESSIONID"))
        .headers(
            h ->
                h.contentSecurityPolicy(
                    c ->
                        c.policyDirectives(
                            "default-src 'self'; img-src 'self' data:; object-src 'none';"
                                + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'")))
        .addFilterAfter(new ConsoleSessionFilter(signIn), SecurityContextHolderFilter.class)
        .authorizeHttpRequests(
            a ->
                a.requestMatchers("/console/sign-in", "/console/assets/**")
                    .permitAll()
                    .requestMatchers("/console/accounts", "/console/accounts/**")
                    .hasRole("ADMIN")
                    .anyRequest()
                    .hasRole("USER"))
        .exceptionHandling(
            e ->
                e.authenticationEntryPoint(
                    new LoginUrlAuthenticationEntryPoint("/console/sign-in")));
    return http.build();
  }

  @Bean
  @Order(3)
  SecurityFilterChain securityFilterChain(
      HttpSecurity http, AuthenticateCaller authenticate, JsonMapper json) {
    http.csrf(c -> c.disable())
        .httpBasic(b -> b.disable())
        .formLogin(f -> f.disable())
        .logout(l -> l.disable())
        .requestCache(r -> r.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // The security headers are written before the request goes on, not when the answer is
        // committed, so the request and the answer are not wrapped for it: the filters after it,
        // the routing and the controllers call them directly (the routing alone asks the method
        // of the request once per mapping it tries).
        .headers(h -> h.addObjectPostProcessor(WRITE_HEADERS_FIRST))
        .addFilterBefore(
            new ApiAuthenticationFilter(authenticate, json), AnonymousAuthenticationFilter.class)
        .authorizeHttpRequests(
            a ->
                a.requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/info")
                    .permitAll()
                    .requestMatchers("/v3/api-docs/**", "/swagger-ui/**", "/swagger-ui.html")
                    .permitAll()
                    .requestMatchers("/api/admin/**", "/actuator/prometheus")
                    .hasRole("ADMIN")
                    .requestMatchers("/api/**")
                    .hasRole("USER")
                    .requestMatchers("/error")
                    .permitAll()
                    .anyRequest()
                    .denyAll());
    // Nothing here asks the servlet request who the caller is (controllers take it from the
    // security context), so the request is not wrapped to answer that either.
    http.servletApi(a -> a.disable());
    JsonRefusals.apply(http, json);
    return http.build();
  }
}
