/*
 * harness.c - helpers shared by the self-tests (selftest.h): result messages,
 * busy waiting, choosing a second core, telemetry reads.
 */
#include <stdarg.h>
#include "selftest.h"

static void set_message(struct test_result *result, const char *format, va_list arguments)
{
    kvsnprintf(result->message, sizeof result->message, format, arguments);
}

void test_fail(struct test_result *result, const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    result->failed = 1;
    set_message(result, format, arguments);
    va_end(arguments);
}

void test_skip(struct test_result *result, const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    result->skipped = 1;
    set_message(result, format, arguments);
    va_end(arguments);
}

void test_note(struct test_result *result, const char *format, ...)
{
    va_list arguments;
    va_start(arguments, format);
    set_message(result, format, arguments);
    va_end(arguments);
}

void busy_for_us(uint64_t microseconds)
{
    uint64_t end = time_now_us() + microseconds;
    while (time_now_us() < end)
        ;
}

int other_core(void) { return core_count() - 1; }

uint64_t core_halts(int core)
{
    struct toro_core_record record;
    telemetry_core_snapshot(core, &record);
    return record.halts;
}

uint64_t core_poll_halts(int core)
{
    struct toro_core_record record;
    telemetry_core_snapshot(core, &record);
    return record.poll_halts;
}
