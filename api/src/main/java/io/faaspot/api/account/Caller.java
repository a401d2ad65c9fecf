package io.faaspot.api.account;

/** The authenticated user behind a request to the public API. */
public record Caller(long accountId, String username, boolean admin) {}
