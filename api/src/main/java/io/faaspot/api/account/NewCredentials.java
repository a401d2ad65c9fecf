package io.faaspot.api.account;

/** What the admin API answers when it makes an account or a token: the token, shown only here. */
record NewCredentials(String username, String token, long tokenId) {}
