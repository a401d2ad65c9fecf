package io.faaspot.api.deployment;

/**
 * A line of a requirements file as pip acts on it ({@link RequirementLines}), numbered by its first
 * physical line (pip's numbering too).
 */
record RequirementLine(int number, String text) {}
