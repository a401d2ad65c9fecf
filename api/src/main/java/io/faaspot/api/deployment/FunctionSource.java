package io.faaspot.api.deployment;

/** A deployment's content, decoded: the Python file, its pip requirements and its context file. */
record FunctionSource(String code, String requirements, String context) {
  FunctionSource with(String newCode, String newRequirements, String newContext) {
    return new FunctionSource(
        newCode == null ? code : newCode,
        newRequirements == null ? requirements : newRequirements,
        newContext == null ? context : newContext);
  }
}
