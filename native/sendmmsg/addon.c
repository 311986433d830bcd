/*
 * udpchat's native addon (Linux only; every user has a JavaScript fallback):
 *   send-batch.c   sendBatch, packAddress: a fan-out in one sendmmsg(2) on the event loop's thread.
 *   send-threads.c startSendThreads, ...: the same fan-out handed to sender threads, for more than one core.
 *   receive-poll.c openClientSocket, ...: the bench's client sockets, read with recvmmsg(2).
 */
#include "common.h"

static napi_value init(napi_env env, napi_value exports) {
  init_send_batch(env, exports);
  init_send_threads(env, exports);
  init_receive_poll(env, exports);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
