package io.faaspot.api.account;

/** An account's password as the admin API tells it: set or not, never the password itself. */
record PasswordView(String username, boolean passwordSet) {}
