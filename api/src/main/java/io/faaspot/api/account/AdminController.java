package io.faaspot.api.account;

import io.faaspot.api.web.RequestBodies;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * Accounts and tokens, for the admin account only (the security rules refuse everyone else). See
 * the README's "Accounts" section.
 */
@RestController
@RequestMapping("/api/admin")
@Tag(
    name = "Admin",
    description =
        "For the admin account only (its token is printed at the first start and written to"
            + " `faaspot-data/admin-token`); everyone else gets 403. Tokens are shown once, when"
            + " they are made.")
class AdminController {
  private final AccountRepository accounts;
  private final ApiTokenRepository tokens;
  private final ManageAccounts manage;
  private final RequestBodies bodies;

  AdminController(
      AccountRepository accounts,
      ApiTokenRepository tokens,
      ManageAccounts manage,
      RequestBodies bodies) {
    this.accounts = accounts;
    this.tokens = tokens;
    this.manage = manage;
    this.bodies = bodies;
  }

  record NewCredentials(String username, String token, long tokenId) {}

  record AccountView(String username, boolean admin, int desiredSpots, Instant created) {}

  record TokenView(long id, String label, Instant created, Instant revoked) {}

  @PostMapping("/accounts")
  @Transactional
  @Operation(
      operationId = "createAccount",
      summary = "Create an account",
      description =
          "Makes an account and its first token. Usernames: 1 to 64 letters, digits, `_ . @ -`,"
              + " starting with a letter or digit. The password is optional (only for Basic"
              + " auth), 8 to 72 characters. 409 when the name is taken.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      mediaType = "application/json",
                      schemaProperties = {
                        @SchemaProperty(
                            name = "username",
                            schema =
                                @Schema(
                                    type = "string",
                                    requiredMode = Schema.RequiredMode.REQUIRED,
                                    pattern = "[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")),
                        @SchemaProperty(
                            name = "password",
                            schema = @Schema(type = "string", minLength = 8, maxLength = 72))
                      },
                      examples =
                          @ExampleObject(
                              value =
                                  "{\"username\": \"alice\", \"password\": \"a-long-secret\"}"))))
  NewCredentials createAccount(HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    String username = RequestBodies.optionalString(body, "username");
    String password = RequestBodies.optionalString(body, "password");
    IssueToken.Issued issued = manage.create(username, password);
    return new NewCredentials(username, issued.token(), issued.id());
  }

  @GetMapping("/accounts")
  @Operation(operationId = "listAccounts", summary = "List the accounts")
  List<AccountView> listAccounts() {
    return accounts.findAll().stream()
        .map(a -> new AccountView(a.username(), a.admin(), a.desiredSpots(), a.createdAt()))
        .toList();
  }

  @PostMapping("/accounts/{username}/tokens")
  @Transactional
  @Operation(
      operationId = "createToken",
      summary = "Make a new token for an account",
      description = "The token is in the answer, and only there.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      mediaType = "application/json",
                      schemaProperties = {
                        @SchemaProperty(
                            name = "label",
                            schema = @Schema(type = "string", description = "Optional."))
                      },
                      examples = @ExampleObject(value = "{\"label\": \"laptop\"}"))))
  NewCredentials createToken(@PathVariable String username, HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    String label = RequestBodies.optionalString(body, "label");
    IssueToken.Issued issued = manage.newToken(username, label);
    return new NewCredentials(username, issued.token(), issued.id());
  }

  @GetMapping("/accounts/{username}/tokens")
  @Operation(
      operationId = "listTokens",
      summary = "List an account's tokens",
      description = "Labels and dates only: tokens are stored as digests.")
  List<TokenView> listTokens(@PathVariable String username) {
    return tokens.findByAccountIdOrderByIdAsc(manage.find(username).id()).stream()
        .map(t -> new TokenView(t.id(), t.label(), t.createdAt(), t.revokedAt()))
        .toList();
  }

  @DeleteMapping("/tokens/{id}")
  @Transactional
  @Operation(
      operationId = "revokeToken",
      summary = "Revoke a token",
      description = "Answers the token, with its `revoked` time.")
  TokenView revoke(@PathVariable long id) {
    ApiToken token = manage.revoke(id);
    return new TokenView(token.id(), token.label(), token.createdAt(), token.revokedAt());
  }
}
