package io.faaspot.api.account;

/** A token just made by {@link IssueToken}: its id, and the plain token, which is never stored. */
record IssuedToken(long id, String token) {}
