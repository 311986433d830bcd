{
  "targets": [
    {
      "target_name": "sendmmsg",
      "sources": ["addon.c", "common.c", "batch-args.c", "send-batch.c", "send-threads.c", "receive-poll.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE"],
      "libraries": ["-lpthread"]
    }
  ]
}
