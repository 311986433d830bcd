/*
 * The least a v1 relay can do, for `udpchat bench` to measure against (docs/BENCHMARKS.md): one UDP
 * socket, recvmmsg(2) for up to 64 datagrams per call, and each chat line fanned out with sendmmsg(2) in
 * batches of 64. `/join <nick>` is welcomed, `/ping` answered, any other line from a joined client relayed
 * as `<nick> line` to every other client. Nothing else: no sanitising, no limits, no reaper, no leaves. It is
 * a floor for the CPU a delivery costs on this kernel, not a relay to run.
 *
 *   cc -O2 -o /tmp/minimal-relay scripts/minimal-relay.c
 *   udpchat bench --relay-cmd "/tmp/minimal-relay 0" --clients 100 ...
 *
 * It binds 127.0.0.1 on the port given (0: the kernel picks one) and prints "relay listening on udp/<port>".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BATCH 64
#define MAX_CLIENTS 65536
#define MAX_DATAGRAM 2048
#define MAX_NICK 32

struct client {
  struct sockaddr_in addr;
  char nick[MAX_NICK + 1];
};

static struct client clients[MAX_CLIENTS];
static int client_count;

static int same(const struct sockaddr_in *a, const struct sockaddr_in *b) {
  return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
}

static int find(const struct sockaddr_in *addr) {
  for (int i = 0; i < client_count; i++)
    if (same(&clients[i].addr, addr)) return i;
  return -1;
}

static void reply(int fd, const struct sockaddr_in *to, const char *text, size_t length) {
  sendto(fd, text, length, 0, (const struct sockaddr *)to, sizeof *to);
}

/* Sends `payload` to every client but `except`, BATCH datagrams per sendmmsg. */
static void fan_out(int fd, int except, const char *payload, size_t length) {
  static struct mmsghdr out[BATCH];
  static struct iovec iov;
  iov.iov_base = (void *)payload;
  iov.iov_len = length;
  int n = 0;
  for (int i = 0; i < client_count; i++) {
    if (i == except) continue;
    memset(&out[n].msg_hdr, 0, sizeof out[n].msg_hdr);
    out[n].msg_hdr.msg_name = &clients[i].addr;
    out[n].msg_hdr.msg_namelen = sizeof clients[i].addr;
    out[n].msg_hdr.msg_iov = &iov;
    out[n].msg_hdr.msg_iovlen = 1;
    if (++n == BATCH) {
      sendmmsg(fd, out, n, 0);
      n = 0;
    }
  }
  if (n > 0) sendmmsg(fd, out, n, 0);
}

static void handle(int fd, const struct sockaddr_in *from, char *line, size_t length) {
  while (length > 0 && line[length - 1] == '\n') length--;
  line[length] = '\0';
  if (length == 0) return;
  char text[MAX_DATAGRAM + 64];
  if (strncmp(line, "/join ", 6) == 0) {
    int index = find(from);
    if (index < 0) {
      if (client_count == MAX_CLIENTS) return;
      index = client_count++;
      clients[index].addr = *from;
    }
    snprintf(clients[index].nick, sizeof clients[index].nick, "%s", line + 6);
    int n = snprintf(text, sizeof text, "*** welcome, %s ***\n", clients[index].nick);
    reply(fd, from, text, (size_t)n);
    return;
  }
  int index = find(from);
  if (index < 0) {
    static const char please[] = "*** please /join <nickname> first ***\n";
    reply(fd, from, please, sizeof please - 1);
    return;
  }
  if (strcmp(line, "/ping") == 0) {
    reply(fd, from, "/pong\n", 6);
    return;
  }
  int n = snprintf(text, sizeof text, "<%s> %s\n", clients[index].nick, line);
  if (n > 0 && (size_t)n < sizeof text) fan_out(fd, index, text, (size_t)n);
}

int main(int argc, char **argv) {
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  int buffer = 4 * 1024 * 1024;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
  struct sockaddr_in local = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argc > 1 ? argv[1] : "0"))};
  local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&local, sizeof local) != 0) {
    perror("bind");
    return 1;
  }
  socklen_t size = sizeof local;
  getsockname(fd, (struct sockaddr *)&local, &size);
  printf("relay listening on udp/%d\n", ntohs(local.sin_port));
  fflush(stdout);

  static char data[BATCH][MAX_DATAGRAM + 1];
  static struct sockaddr_in from[BATCH];
  static struct iovec iov[BATCH];
  static struct mmsghdr in[BATCH];
  for (;;) {
    for (int i = 0; i < BATCH; i++) {
      iov[i].iov_base = data[i];
      iov[i].iov_len = MAX_DATAGRAM;
      memset(&in[i].msg_hdr, 0, sizeof in[i].msg_hdr);
      in[i].msg_hdr.msg_name = &from[i];
      in[i].msg_hdr.msg_namelen = sizeof from[i];
      in[i].msg_hdr.msg_iov = &iov[i];
      in[i].msg_hdr.msg_iovlen = 1;
    }
    int got = recvmmsg(fd, in, BATCH, MSG_WAITFORONE, NULL);
    for (int i = 0; i < got; i++) handle(fd, &from[i], data[i], in[i].msg_len);
  }
}
