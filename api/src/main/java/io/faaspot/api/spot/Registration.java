package io.faaspot.api.spot;

import java.time.Instant;
import java.util.UUID;

/** What the admin API answers when it issues a manual spot's one-time registration secret. */
record Registration(UUID spotId, String registrationSecret, String state, Instant created) {}
