/*
 * pages.c - what the server answers: `/` is a small HTML page that polls
 * `/stats` once a second and shows it; `/stats` is JSON with every core's
 * counters (from the telemetry block, the same data the host reads) and the
 * network stack's counters. Pairs with http.h; server.c sends the result.
 */
#include <stdarg.h>
#include "http.h"
#include "memory.h"
#include "net.h"
#include "string.h"
#include "toro.h"

static const char index_page[] =
    "<!doctype html>\n"
    "<html><head><meta charset=\"utf-8\"><title>Toro http-server</title>\n"
    "<style>body{font:14px monospace;margin:2em}td,th{padding:2px 10px;text-align:right}</style></head>\n"
    "<body><h1>Toro http-server</h1>\n"
    "<p>Served by a Toro kernel: one worker thread per core, a TCP/IP stack of its own, virtio-net.</p>\n"
    "<table id=\"cores\"></table><p id=\"net\"></p>\n"
    "<script>\n"
    "const states=['offline','running','idle-spin','halted','lock-spin','interrupt','polling'];\n"
    "async function refresh(){const s=await (await fetch('/stats')).json();\n"
    "let rows='<tr><th>core</th><th>state</th><th>requests</th><th>halts</th><th>interrupts</th>"
    "<th>wakeups</th><th>busy ms</th><th>halted ms</th></tr>';\n"
    "for(const c of s.cores)rows+=`<tr><td>${c.core}</td><td>${states[c.state]}</td><td>${c.requests}</td>"
    "<td>${c.halts}</td><td>${c.interrupts}</td><td>${c.wakeups}</td><td>${c.busy_ms}</td>"
    "<td>${c.halted_ms}</td></tr>`;\n"
    "document.getElementById('cores').innerHTML=rows;\n"
    "document.getElementById('net').textContent=JSON.stringify(s.net);}\n"
    "refresh();setInterval(refresh,1000);\n"
    "</script></body></html>\n";

_Static_assert(sizeof index_page - 1 <= HTTP_MAX_BODY, "the page must fit a worker's output buffer");

/* Appends to a fixed buffer; stops (and remembers it) when full. */
struct text {
    char *buffer;
    size_t size;
    size_t length;
    int overflow;
};

static void append(struct text *text, const char *format, ...) __attribute__((format(printf, 2, 3)));

static void append(struct text *text, const char *format, ...)
{
    if (text->overflow)
        return;
    va_list arguments;
    va_start(arguments, format);
    int written = kvsnprintf(text->buffer + text->length, text->size - text->length, format, arguments);
    va_end(arguments);
    if (written < 0 || (size_t)written >= text->size - text->length)
        text->overflow = 1;
    else
        text->length += (size_t)written;
}

static unsigned long long cycles_ms(uint64_t cycles)
{
    return (unsigned long long)(time_tsc_to_ns(cycles) / 1000000);
}

static void stats_json(struct text *text)
{
    uint64_t now = time_tsc();
    append(text, "{\"uptime_ms\":%llu,\"idle\":\"%s\",\"free_pages\":%zu,\"cores\":[",
           (unsigned long long)(time_now_us() / 1000), idle_policy_name(idle_policy()), memory_free_pages());
    for (int core = 0; core < core_count(); core++) {
        struct toro_core_record record;
        telemetry_core_snapshot(core, &record);
        /* Closed intervals plus the open one of the current state (telemetry_abi.h). */
        uint64_t open = now > record.state_since_tsc ? now - record.state_since_tsc : 0;
        uint64_t busy = record.cycles_busy + (record.state == TORO_CORE_RUNNING ? open : 0);
        uint64_t halted = record.cycles_halted + (record.state == TORO_CORE_HALTED ? open : 0);
        append(text,
               "%s{\"core\":%d,\"state\":%u,\"requests\":%llu,\"halts\":%llu,\"interrupts\":%llu,"
               "\"timer_interrupts\":%llu,\"ipis_received\":%llu,\"wakeups\":%llu,\"context_switches\":%llu,"
               "\"busy_ms\":%llu,\"halted_ms\":%llu,\"lock_spin_ms\":%llu,\"worst_wakeup_latency_us\":%llu,"
               "\"net_frames_in\":%llu,\"net_frames_out\":%llu,\"net_frames_dropped\":%llu,"
               "\"net_connections_open\":%u,\"net_time_wait\":%u}",
               core ? "," : "", core, record.state,
               (unsigned long long)__atomic_load_n(&requests_served[core], __ATOMIC_RELAXED),
               (unsigned long long)record.halts, (unsigned long long)record.interrupts,
               (unsigned long long)record.timer_interrupts, (unsigned long long)record.ipis_received,
               (unsigned long long)record.wakeups, (unsigned long long)record.context_switches,
               cycles_ms(busy), cycles_ms(halted), cycles_ms(record.cycles_lock_spin),
               (unsigned long long)(time_tsc_to_ns(record.worst_wakeup_latency_cycles) / 1000),
               (unsigned long long)record.net_frames_in, (unsigned long long)record.net_frames_out,
               (unsigned long long)record.net_frames_dropped, record.net_connections_open,
               record.net_time_wait);
    }
    struct net_statistics net;
    net_statistics_read(&net);
    append(text,
           "],\"net\":{\"interrupt_core\":%d,\"interrupts\":%llu,\"thread_wakeups\":%llu,\"frames_received\":"
           "%llu,"
           "\"frames_sent\":%llu,\"frames_dropped\":%llu,\"transmit_drops\":%llu,\"tcp_accepted\":%llu,"
           "\"tcp_open\":%u,\"tcp_time_wait\":%u,\"tcp_timers_armed\":%u,\"tcp_retransmissions\":%llu,"
           "\"tcp_resets_sent\":%llu,\"tcp_resets_received\":%llu,\"tcp_syns_dropped\":%llu,"
           "\"tcp_checksum_errors\":%llu,\"tcp_reads_without_lock\":%llu,\"tcp_writes_without_lock\":%llu,"
           "\"tcp_output_handoffs\":%llu}}\n",
           net.interrupt_core, (unsigned long long)net.interrupts, (unsigned long long)net.thread_wakeups,
           (unsigned long long)net.frames_received, (unsigned long long)net.frames_sent,
           (unsigned long long)net.frames_dropped, (unsigned long long)net.transmit_drops,
           (unsigned long long)net.tcp_connections_accepted, net.tcp_connections_open,
           net.tcp_connections_time_wait, net.tcp_timers_armed, (unsigned long long)net.tcp_retransmissions,
           (unsigned long long)net.tcp_resets_sent, (unsigned long long)net.tcp_resets_received,
           (unsigned long long)net.tcp_connections_dropped, (unsigned long long)net.tcp_checksum_errors,
           (unsigned long long)net.tcp_reads_without_lock, (unsigned long long)net.tcp_writes_without_lock,
           (unsigned long long)net.tcp_output_handoffs);
}

void http_error_response(int status, struct http_response *response)
{
    response->status = status;
    response->content_type = "text/plain; charset=utf-8";
    response->body = http_reason(status);
    response->body_length = strlen(response->body);
}

void http_route(const struct http_request *request, struct http_response *response, char *storage,
                size_t storage_size)
{
    if (request->method == HTTP_OTHER) {
        http_error_response(405, response);
        return;
    }
    if (strcmp(request->path, "/") == 0 || strcmp(request->path, "/index.html") == 0) {
        response->status = 200;
        response->content_type = "text/html; charset=utf-8";
        response->body = index_page;
        response->body_length = sizeof index_page - 1;
        return;
    }
    if (strcmp(request->path, "/stats") == 0) {
        struct text text = { .buffer = storage, .size = storage_size, .length = 0, .overflow = 0 };
        stats_json(&text);
        if (text.overflow) {
            http_error_response(500, response);
            return;
        }
        response->status = 200;
        response->content_type = "application/json";
        response->body = storage;
        response->body_length = text.length;
        return;
    }
    http_error_response(404, response);
}
