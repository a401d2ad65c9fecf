package io.faaspot.agent;

import java.nio.file.Path;
import java.time.Duration;

/** A usable Python environment ({@link Environments}); {@code built} when this use built it. */
record Environment(String key, Path dir, Path python, boolean built, Duration buildTime) {}
