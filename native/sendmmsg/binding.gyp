{
  "targets": [
    {
      "target_name": "sendmmsg",
      "sources": ["sendmmsg.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE"]
    }
  ]
}
