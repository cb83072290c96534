/*
 * test_telemetry.c - the telemetry block describes itself correctly: magic,
 * ABI version, sizes and offsets, capacities, the online cores (each with its
 * own APIC id), and the global record's policy, TSC rate and hypervisor, as the
 * host decoder will validate them.
 */
#include "selftest.h"
#include "telemetry.h"
#include "x86.h"

void test_telemetry_header(struct test_result *result)
{
    const struct toro_telemetry_header *header = &toro_telemetry.header;
    EXPECT(result, header->magic == TORO_TELEMETRY_MAGIC, "magic %llx", (unsigned long long)header->magic);
    EXPECT(result, header->abi_version == TORO_TELEMETRY_ABI_VERSION, "abi_version %u", header->abi_version);
    EXPECT(result, header->total_size == sizeof toro_telemetry, "total_size %u", header->total_size);
    EXPECT(result, header->cores_offset == __builtin_offsetof(struct toro_telemetry, cores), "cores_offset");
    EXPECT(result,
           header->threads_offset + header->thread_record_size * header->thread_capacity ==
               header->trace_offset,
           "the trace section does not follow threads[]");
    EXPECT(result, toro_telemetry.trace.magic == TORO_TRACE_MAGIC, "trace magic %llx",
           (unsigned long long)toro_telemetry.trace.magic);
    EXPECT(result, ((uintptr_t)&toro_telemetry & 4095) == 0, "block not page aligned (%p)",
           (void *)&toro_telemetry);

    struct toro_global_record global;
    telemetry_read_record(&toro_telemetry.global, &global, sizeof global);
    EXPECT(result, global.cores_online == (uint32_t)core_count(), "cores_online %u, core_count %d",
           global.cores_online, core_count());
    EXPECT(result, global.idle_policy == idle_policy(), "idle_policy %u", global.idle_policy);
    EXPECT(result, global.tsc_hz == time_tsc_hz() && global.tsc_hz > 0, "tsc_hz %llu",
           (unsigned long long)global.tsc_hz);
    EXPECT(result, global.ready_tsc >= global.boot_tsc && global.ready_tsc > 0, "ready_tsc before boot_tsc");
    EXPECT(result, global.panic_flag == 0 && global.panic_core == -1, "panic recorded without a panic");

    /* CPUID leaf 1 ECX bit 31 says whether there is a hypervisor; the record must agree. */
    int under_hypervisor = (cpuid(1, 0).ecx & CPUID_1_ECX_HYPERVISOR) != 0;
    EXPECT(result, (global.hypervisor != TORO_HYPERVISOR_NONE) == under_hypervisor,
           "hypervisor %u, CPUID hypervisor bit %d", global.hypervisor, under_hypervisor);
    EXPECT(result, !under_hypervisor || global.hypervisor_max_leaf >= CPUID_HYPERVISOR_BASE,
           "hypervisor max leaf %#x", global.hypervisor_max_leaf);
    EXPECT(result, global.apic_mode == TORO_APIC_XAPIC || global.apic_mode == TORO_APIC_X2APIC,
           "apic_mode %u", global.apic_mode);

    static uint32_t apic_ids[TORO_MAX_CPUS];
    for (int core = 0; core < core_count(); core++) {
        struct toro_core_record record;
        telemetry_core_snapshot(core, &record);
        EXPECT(result, record.online == 1, "core %d not online", core);
        EXPECT(result, record.state != TORO_CORE_OFFLINE, "core %d OFFLINE", core);
        apic_ids[core] = record.apic_id;
        for (int other = 0; other < core; other++)
            EXPECT(result, apic_ids[other] != record.apic_id, "cores %d and %d both have APIC id %u", other,
                   core, record.apic_id);
    }
    struct toro_core_record self;
    telemetry_core_snapshot(current_core(), &self);
    EXPECT(result, self.current_thread == current_thread(), "core record says thread %d runs, we are %d",
           self.current_thread, current_thread());
    const struct toro_thread_record *mine = 0;
    for (int slot = 0; slot < TORO_MAX_THREADS; slot++)
        if (toro_telemetry.threads[slot].id == current_thread())
            mine = &toro_telemetry.threads[slot];
    EXPECT(result, mine && mine->state == TORO_THREAD_RUNNING && mine->core == current_core(),
           "no RUNNING thread record for us");
    test_note(result, "%u bytes, %d cores online, tsc %llu Hz, hypervisor %u, %s", header->total_size,
              core_count(), (unsigned long long)global.tsc_hz, global.hypervisor,
              global.apic_mode == TORO_APIC_X2APIC ? "x2APIC" : "xAPIC");
}
