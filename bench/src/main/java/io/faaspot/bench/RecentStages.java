package io.faaspot.bench;

/**
 * For the sync scenarios, which never see execution objects: the deployment's most recent finished
 * executions (at most 1000, the server's list limit) summarised by stage.
 */
final class RecentStages {
  private static final int LIMIT = 1000;

  private RecentStages() {}

  static void report(Api api, String deployment, Result result) {
    try {
      Response r =
          api.get(
              "/api/executions/?include_completed=True&deployment="
                  + deployment
                  + "&limit="
                  + LIMIT);
      if (!r.ok()) {
        System.err.println("recent executions: " + r);
        return;
      }
      Stages stages = new Stages();
      long succeeded = 0;
      for (var e : r.json()) {
        if (e.path("status").asString("").equals("Success")) {
          stages.add(e);
          succeeded++;
        }
      }
      stages.reportStages(result);
      result.put("stages_of", "last " + succeeded + " successful executions");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      System.err.println("recent executions: " + e);
    }
  }
}
