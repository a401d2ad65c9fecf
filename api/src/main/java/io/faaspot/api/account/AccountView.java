package io.faaspot.api.account;

import java.time.Instant;

/** An account as the admin API lists it: whether it has a password, never the password. */
record AccountView(
    String username, boolean admin, int desiredSpots, Instant created, boolean passwordSet) {}
