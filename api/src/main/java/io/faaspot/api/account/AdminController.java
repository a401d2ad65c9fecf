package io.faaspot.api.account;

import io.faaspot.api.web.ApiException;
import io.faaspot.api.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.security.crypto.password.PasswordEncoder;
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
class AdminController implements AdminApi {
  static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}");

  private final AccountRepository accounts;
  private final ApiTokenRepository tokens;
  private final IssueToken issueToken;
  private final PasswordEncoder passwords;
  private final RequestBodies bodies;
  private final Clock clock;

  private final AuthenticateCaller authenticate;

  AdminController(
      AccountRepository accounts,
      ApiTokenRepository tokens,
      IssueToken issueToken,
      PasswordEncoder passwords,
      RequestBodies bodies,
      Clock clock,
      AuthenticateCaller authenticate) {
    this.authenticate = authenticate;
    this.accounts = accounts;
    this.tokens = tokens;
    this.issueToken = issueToken;
    this.passwords = passwords;
    this.bodies = bodies;
    this.clock = clock;
  }

  @PostMapping("/accounts")
  @Transactional
  @Override
  public NewCredentials createAccount(HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    String username = RequestBodies.optionalString(body, "username");
    if (username == null || !USERNAME.matcher(username).matches()) {
      throw ApiException.badRequest(
          "username is required: 1 to 64 letters, digits, '_', '.', '@' or '-', starting with a"
              + " letter or digit");
    }
    String password = RequestBodies.optionalString(body, "password");
    if (password != null && (password.length() < 8 || password.length() > 72)) {
      throw ApiException.badRequest("password must be 8 to 72 characters long");
    }
    if (accounts.findByUsername(username).isPresent()) {
      throw ApiException.conflict("account '" + username + "' already exists");
    }
    Account account =
        accounts.save(
            new Account(
                username,
                password == null ? null : passwords.encode(password),
                false,
                clock.instant()));
    IssueToken.Issued issued = issueToken.issue(account, "created with the account");
    return new NewCredentials(username, issued.token(), issued.id());
  }

  @GetMapping("/accounts")
  @Override
  public List<AccountView> listAccounts() {
    return accounts.findAll().stream()
        .map(a -> new AccountView(a.username(), a.admin(), a.desiredSpots(), a.createdAt()))
        .toList();
  }

  @PostMapping("/accounts/{username}/tokens")
  @Transactional
  @Override
  public NewCredentials createToken(@PathVariable String username, HttpServletRequest request) {
    ObjectNode body = bodies.object(request);
    Account account = account(username);
    String label = RequestBodies.optionalString(body, "label");
    IssueToken.Issued issued = issueToken.issue(account, label);
    return new NewCredentials(username, issued.token(), issued.id());
  }

  @GetMapping("/accounts/{username}/tokens")
  @Override
  public List<TokenView> listTokens(@PathVariable String username) {
    return tokens.findByAccountIdOrderByIdAsc(account(username).id()).stream()
        .map(t -> new TokenView(t.id(), t.label(), t.createdAt(), t.revokedAt()))
        .toList();
  }

  @DeleteMapping("/tokens/{id}")
  @Transactional
  @Override
  public TokenView revoke(@PathVariable long id) {
    ApiToken token =
        tokens.findById(id).orElseThrow(() -> ApiException.notFound("no token with id " + id));
    token.revoke(clock.instant());
    authenticate.forgetCredentials();
    return new TokenView(token.id(), token.label(), token.createdAt(), token.revokedAt());
  }

  private Account account(String username) {
    return accounts
        .findByUsername(username)
        .orElseThrow(() -> ApiException.notFound("no account named '" + username + "'"));
  }
}
