package io.faaspot.agent;

/** A worker could not import the function: the traceback is the call's answer. */
final class ImportFailed extends Exception {
  final String traceback;
  final String logs;

  ImportFailed(String traceback, String logs) {
    super("the function could not be imported");
    this.traceback = traceback;
    this.logs = logs;
  }
}
