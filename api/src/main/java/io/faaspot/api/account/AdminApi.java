package io.faaspot.api.account;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;

/**
 * The OpenAPI description of {@link AdminController}'s routes, with the old client's quirks it must
 * keep (springdoc reads the annotations from this interface). The controller keeps each route's
 * mapping and bindings beside its logic; a route's summary, body and answers are described here.
 */
@Tag(
    name = "Admin",
    description =
        "For the admin account only (its token is printed at the first start and written to"
            + " `faaspot-data/admin-token`); everyone else gets 403. Tokens are shown once, when"
            + " they are made.")
interface AdminApi {
  @Operation(
      operationId = "createAccount",
      summary = "Create an account",
      description =
          "Makes an account and its first token. Usernames: 1 to 64 letters, digits, `_ . @ -`,"
              + " starting with a letter or digit. The password is optional (only for Basic"
              + " auth), 8 to 72 characters and 72 bytes at most in UTF-8. 409 when the name is"
              + " taken.",
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
  NewCredentials createAccount(HttpServletRequest request);

  @Operation(operationId = "listAccounts", summary = "List the accounts")
  List<AccountView> listAccounts();

  @Operation(
      operationId = "setPassword",
      summary = "Set or remove an account's password",
      description =
          "The new password (8 to 72 characters and 72 bytes at most in UTF-8, for Basic auth"
              + " and the console's sign-in), or null for none (tokens only). Basic logins and"
              + " console sessions with the old password end; tokens are unchanged. 404 for an"
              + " unknown account.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              content =
                  @Content(
                      mediaType = "application/json",
                      schemaProperties = {
                        @SchemaProperty(
                            name = "password",
                            schema =
                                @Schema(
                                    type = "string",
                                    nullable = true,
                                    requiredMode = Schema.RequiredMode.REQUIRED,
                                    minLength = 8,
                                    maxLength = 72))
                      },
                      examples = @ExampleObject(value = "{\"password\": \"a-new-long-secret\"}"))))
  PasswordView setPassword(String username, HttpServletRequest request);

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
  NewCredentials createToken(String username, HttpServletRequest request);

  @Operation(
      operationId = "listTokens",
      summary = "List an account's tokens",
      description = "Labels and dates only: tokens are stored as digests.")
  List<TokenView> listTokens(String username);

  @Operation(
      operationId = "revokeToken",
      summary = "Revoke a token",
      description = "Answers the token, with its `revoked` time.")
  TokenView revoke(long id);
}
