package io.faaspot.api.deployment;

/**
 * The console's create form's fields, kept when a create is refused so that nothing typed is lost;
 * empty, the form offers a function that runs as it is.
 */
record DeploymentDraft(
    String name, String code, String requirements, String context, String timeout) {
  static DeploymentDraft empty() {
    return new DeploymentDraft(
        "",
        "def main(args, context):\n    return \"Hello \" + args.get(\"name\", \"world\")\n",
        "",
        "",
        "");
  }
}
