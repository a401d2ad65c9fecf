package io.faaspot.api.account;

/**
 * A console sign-in that succeeded: who signed in, and what the session keeps to check it later.
 */
public record SignedIn(Caller caller, SessionCredential credential) {}
