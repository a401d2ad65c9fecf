package io.faaspot.api.account;

import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * Accounts and tokens, for the admin account only (the security rules refuse everyone else). See
 * the README's "Accounts" section.
 */
@RestController
@RequestMapping("/api/admin")
class AdminController implements AdminApi {
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

  @PostMapping("/accounts")
  @Transactional
  @Override
  public NewCredentials createAccount(HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    String username = RequestBodies.optionalString(body, "username");
    String password = RequestBodies.optionalString(body, "password");
    IssuedToken issued = manage.create(username, password);
    return new NewCredentials(username, issued.token(), issued.id());
  }

  @GetMapping("/accounts")
  @Override
  public List<AccountView> listAccounts() {
    return accounts.all().stream()
        .map(
            a ->
                new AccountView(
                    a.username(),
                    a.admin(),
                    a.desiredSpots(),
                    a.createdAt(),
                    a.passwordHash() != null))
        .toList();
  }

  @PutMapping("/accounts/{username}/password")
  @Transactional
  @Override
  public PasswordView setPassword(@PathVariable String username, HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    if (!body.has("password")) {
      throw ApiException.badRequest(
          "password is required: the new password, or null for none (tokens only)");
    }
    Account account = manage.setPassword(username, RequestBodies.optionalString(body, "password"));
    return new PasswordView(account.username(), account.passwordHash() != null);
  }

  @PostMapping("/accounts/{username}/tokens")
  @Transactional
  @Override
  public NewCredentials createToken(@PathVariable String username, HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    String label = RequestBodies.optionalString(body, "label");
    IssuedToken issued = manage.newToken(username, label);
    return new NewCredentials(username, issued.token(), issued.id());
  }

  @GetMapping("/accounts/{username}/tokens")
  @Override
  public List<TokenView> listTokens(@PathVariable String username) {
    return tokens.ofAccount(manage.find(username).id()).stream().map(TokenView::of).toList();
  }

  @DeleteMapping("/tokens/{id}")
  @Transactional
  @Override
  public TokenView revoke(@PathVariable long id) {
    return TokenView.of(manage.revoke(id));
  }
}
