/*
 * http-server - the seed's HTTP stress experiment: serve a small page (`/`)
 * and per-core counters as JSON (`/stats`) over the kernel's own TCP/IP
 * stack, with one event-driven worker thread per core, so that under load
 * every core is busy and after it every core halts again. See README.md.
 *
 * Arguments (-append): port= (80), backlog= (128), keepalive= (1; 0 closes
 * after every response), request_timeout_ms= (5000), write_timeout_ms=
 * (2000), defer_ms= (5000: a connection reaches a worker only once it sent
 * something), plus the stack's ip=, netmask=, gateway=, timewait_ms=,
 * finwait_ms=, steer= (kernel/README.md "Network").
 */
#include "http.h"
#include "net.h"
#include "toro.h"

uint64_t requests_served[TORO_MAX_CPUS];

static struct server_settings settings;
static struct tcp_listener *listener;

static void worker(void *unused)
{
    (void)unused;
    server_run(listener, &settings);
}

void main(void)
{
    uint16_t port = (uint16_t)app_argument_number("port", 80);
    int backlog = (int)app_argument_number("backlog", 128);
    uint64_t defer_ms = app_argument_number("defer_ms", 5000);
    settings.request_timeout_ms = app_argument_number("request_timeout_ms", 5000);
    settings.write_timeout_ms = app_argument_number("write_timeout_ms", 2000);
    settings.keep_alive = app_argument_number("keepalive", 1) != 0;

    if (net_start(0) != 0) {
        kprintf("http-server: no network; add -netdev user,id=net0,hostfwd=tcp:127.0.0.1:8080-:80 "
                "-device virtio-net-pci,netdev=net0,disable-legacy=on\n");
        return;
    }
    const char *gateway_text = app_argument("gateway") ? app_argument("gateway") : "10.0.2.2";
    uint32_t gateway;
    if (net_parse_address(gateway_text, &gateway) == 0) {
        int64_t round_trip_us = net_ping(gateway, 1000);
        if (round_trip_us >= 0)
            kprintf("http-server: ping %s: reply in %lld us\n", gateway_text, (long long)round_trip_us);
        else
            kprintf("http-server: ping %s: no reply\n", gateway_text);
    }

    int error;
    listener = tcp_listen(port, backlog, defer_ms, &error);
    if (!listener) {
        kprintf("http-server: cannot listen on port %u (error %d)\n", port, error);
        return;
    }
    int workers = 0;
    for (int core = 0; core < core_count(); core++)
        if (thread_create(core, "http-worker", worker, 0) > 0)
            workers++;
    char address[16];
    net_format_address(net_address(), address);
    kprintf("http-server: listening on %s:%u, %d workers (one per core), keep-alive %s\n", address, port,
            workers, settings.keep_alive ? "on" : "off");
}
