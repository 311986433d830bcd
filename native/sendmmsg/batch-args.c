/*
 * The arguments every batched send takes (sendBatch, sendThreaded): `payloads` (one Uint8Array per
 * datagram, or one for all), `addresses` (`count` packed addresses of ADDRESS_SIZE bytes) and `count`.
 */
#include "common.h"

const char *read_batch(napi_env env, napi_value payloads, napi_value addresses, napi_value count,
                       batch_args *out) {
  bool is_array = false;
  size_t addresses_length = 0;
  void *packed = NULL;
  out->array = NULL;
  out->single = NULL;
  out->single_length = 0;
  if (napi_get_value_int32(env, count, &out->count) != napi_ok || out->count < 0) return "count";
  if (!bytes_of(env, addresses, &packed, &addresses_length)) return "addresses: a Uint8Array";
  if ((size_t)out->count * ADDRESS_SIZE > addresses_length) return "addresses: too short for count";
  out->addresses = packed;
  napi_is_array(env, payloads, &is_array);
  if (is_array) {
    uint32_t length = 0;
    napi_get_array_length(env, payloads, &length);
    if ((uint32_t)out->count > length) return "payloads: shorter than count";
    out->array = payloads;
  } else if (!bytes_of(env, payloads, &out->single, &out->single_length)) {
    return "payloads: an array of Uint8Array, or one Uint8Array";
  }
  return NULL;
}

int batch_payload(napi_env env, const batch_args *batch, uint32_t index, void **data, size_t *length) {
  if (batch->array == NULL) {
    *data = batch->single;
    *length = batch->single_length;
    return 1;
  }
  napi_value element;
  return napi_get_element(env, batch->array, index, &element) == napi_ok &&
         bytes_of(env, element, data, length);
}
