"""The Celery baseline: Redis as broker and result backend, one task that echoes its argument.

The worker is started from this directory as
    BENCH_REDIS_PORT=6390 python3 -m celery -A celery_app worker --concurrency 2 --pool prefork
and the client (celery_bench.py) imports the same app with the same port.
"""

import os

from celery import Celery

PORT = int(os.environ.get("BENCH_REDIS_PORT", "6379"))
URL = "redis://127.0.0.1:%d/0" % PORT

app = Celery("faaspot_bench", broker=URL, backend=URL)
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)


@app.task(name="echo")
def echo(args):
    return args
