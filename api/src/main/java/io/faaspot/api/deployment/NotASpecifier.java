package io.faaspot.api.deployment;

/**
 * Text that does not follow PEP 508's grammar: thrown by the grammar's parts at the first character
 * that does not fit, and turned into "not a specifier" by {@link RequirementSpecifier#parse}. No
 * message or stack trace: it is control flow, thrown for every line that is not a specifier.
 */
final class NotASpecifier extends Exception {
  NotASpecifier() {
    super(null, null, false, false);
  }
}
