package io.faaspot.api.web;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A bare JSON string body, such as an execution id: the old client parses {@code "..."} with its
 * quotes. (A plain {@code String} return value would be written as text without them.)
 */
public record JsonString(@JsonValue String value) {}
