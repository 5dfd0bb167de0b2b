/*
 * A test tool for what crosses a bridge: sends raw Ethernet frames, or counts the frames that
 * carry a token. Built static by test/support/l2-tool.ts, so it also runs inside a busybox
 * appliance, where it is what a tenant could bring along: any frame, with any MAC and address.
 *
 *   l2-tool send IFACE HEXFRAME [COUNT]     sends the frame COUNT times (default 1), 20 ms apart
 *   l2-tool sniff IFACE HEXTOKEN MILLIS     prints "ready", then, after MILLIS, the number of
 *                                           frames received on IFACE that contain the token
 *
 * Exit status: 0 done; 3 the packet socket was refused (stdout: "socket: <reason>"); 2 usage;
 * 1 anything else (stderr says what).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static size_t unhex(const char *s, unsigned char *out, size_t max) {
  size_t n = strlen(s);
  if (n % 2 != 0 || n / 2 > max) return 0;
  for (size_t i = 0; i < n / 2; i++) {
    unsigned int b;
    if (sscanf(s + 2 * i, "%2x", &b) != 1) return 0;
    out[i] = (unsigned char)b;
  }
  return n / 2;
}

static long long now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

int main(int argc, char **argv) {
  static unsigned char frame[65536], token[256];
  if (argc < 4) {
    fprintf(stderr, "usage: l2-tool send IFACE HEXFRAME [COUNT] | sniff IFACE HEXTOKEN MILLIS\n");
    return 2;
  }
  int sending = strcmp(argv[1], "send") == 0;
  if (!sending && (strcmp(argv[1], "sniff") != 0 || argc < 5)) return 2;
  unsigned int ifindex = if_nametoindex(argv[2]);
  if (ifindex == 0) {
    fprintf(stderr, "no interface %s\n", argv[2]);
    return 1;
  }
  int fd = socket(AF_PACKET, SOCK_RAW, sending ? 0 : htons(ETH_P_ALL));
  if (fd < 0) {
    printf("socket: %s\n", strerror(errno));
    return 3;
  }
  struct sockaddr_ll sll;
  memset(&sll, 0, sizeof sll);
  sll.sll_family = AF_PACKET;
  sll.sll_ifindex = (int)ifindex;
  sll.sll_protocol = sending ? 0 : htons(ETH_P_ALL);
  if (bind(fd, (struct sockaddr *)&sll, sizeof sll) != 0) {
    perror("bind");
    return 1;
  }
  if (sending) {
    size_t len = unhex(argv[3], frame, sizeof frame);
    int count = argc > 4 ? atoi(argv[4]) : 1;
    if (len < 14 || count < 1 || count > 1000) return 2;
    for (int i = 0; i < count; i++) {
      if (send(fd, frame, len, 0) != (ssize_t)len) {
        perror("send");
        return 1;
      }
      if (i + 1 < count) usleep(20000);
    }
    printf("sent %d\n", count);
    return 0;
  }
  size_t tlen = unhex(argv[3], token, sizeof token);
  long long ms = atoll(argv[4]);
  if (tlen == 0 || ms < 1 || ms > 60000) return 2;
  printf("ready\n");
  fflush(stdout);
  int seen = 0;
  for (long long deadline = now_ms() + ms;;) {
    long long left = deadline - now_ms();
    if (left <= 0) break;
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, (int)left) <= 0) continue;
    struct sockaddr_ll from;
    socklen_t fromlen = sizeof from;
    ssize_t n = recvfrom(fd, frame, sizeof frame, 0, (struct sockaddr *)&from, &fromlen);
    if (n <= 0 || from.sll_pkttype == PACKET_OUTGOING) continue;
    if (memmem(frame, (size_t)n, token, tlen) != NULL) seen++;
  }
  printf("%d\n", seen);
  return 0;
}
