package io.faaspot.api.account;

import io.faaspot.api.web.ConsoleController;
import java.util.List;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The admin's Accounts page: the admin API's operations (create an account, set or remove its
 * password, a new token, revoke a token) through {@link ManageAccounts}. The security rules let
 * only the admin in. A new token is shown once, on the page that answers its creation.
 */
@ConsoleController
class AccountPages {
  private final AccountRepository accounts;
  private final ApiTokenRepository tokens;
  private final ManageAccounts manage;

  AccountPages(AccountRepository accounts, ApiTokenRepository tokens, ManageAccounts manage) {
    this.accounts = accounts;
    this.tokens = tokens;
    this.manage = manage;
  }

  record AccountRow(
      String username, boolean admin, boolean password, int spots, List<TokenView> tokens) {}

  record NewToken(String username, String token) {}

  @GetMapping("/console/accounts")
  String list(Model model) {
    List<AccountRow> rows =
        accounts.allByUsername().stream()
            .map(
                a ->
                    new AccountRow(
                        a.username(),
                        a.admin(),
                        a.passwordHash() != null,
                        a.desiredSpots(),
                        tokens.ofAccount(a.id()).stream().map(TokenView::of).toList()))
            .toList();
    model.addAttribute("accounts", rows);
    return "console/accounts";
  }

  @PostMapping("/console/accounts")
  String create(
      @RequestParam String username, @RequestParam(required = false) String password, Model model) {
    String pw = password == null || password.isEmpty() ? null : password;
    IssuedToken issued = manage.create(username.strip(), pw);
    model.addAttribute("created", new NewToken(username.strip(), issued.token()));
    return list(model);
  }

  /** Sets the password, or with {@code remove} removes it: sessions opened with the old one end. */
  @PostMapping("/console/accounts/{username}/password")
  String password(
      @PathVariable String username,
      @RequestParam(required = false) String password,
      @RequestParam(required = false) String remove) {
    manage.setPassword(username, remove != null ? null : password == null ? "" : password);
    return "redirect:/console/accounts";
  }

  @PostMapping("/console/accounts/{username}/tokens")
  String newToken(
      @PathVariable String username, @RequestParam(required = false) String label, Model model) {
    IssuedToken issued =
        manage.newToken(username, label == null || label.isBlank() ? null : label.strip());
    model.addAttribute("created", new NewToken(username, issued.token()));
    return list(model);
  }

  @PostMapping("/console/accounts/tokens/{id}/revoke")
  String revoke(@PathVariable long id) {
    manage.revoke(id);
    return "redirect:/console/accounts";
  }
}
