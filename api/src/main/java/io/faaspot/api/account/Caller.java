package io.faaspot.api.account;

import java.io.Serializable;

/**
 * The authenticated user behind a request to the public API, or of a console session (which is why
 * it is serializable: sessions may be stored).
 */
public record Caller(long accountId, String username, boolean admin) implements Serializable {}
