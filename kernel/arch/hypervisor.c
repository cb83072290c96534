/*
 * hypervisor.c - hypervisor detection from CPUID: leaf 1 ECX bit 31 says
 * whether there is one; the signature at leaf 0x40000000 says which; leaf
 * 0x40000010, where offered, gives the TSC and LAPIC timer frequencies.
 * Read once on the boot core; pairs with include/hypervisor.h.
 *
 * A hypervisor that emulates Hyper-V's interface (KVM, Xen with viridian)
 * shows "Microsoft Hv" at 0x40000000 and its own signature at 0x40000100;
 * the second one wins, as Linux does.
 */
#include "hypervisor.h"
#include "console.h"
#include "string.h"
#include "x86.h"

#define SIGNATURE_LENGTH        12
#define HYPERVISOR_LEAF_STRIDE  0x100 /* a second interface sits 0x100 above the first */
#define HYPERVISOR_TIMING_LEAF  0x10  /* base + 0x10: TSC kHz in EAX, LAPIC timer kHz in EBX */
#define HYPERVISOR_LEAF_MAX_GAP 0xFF  /* a max leaf further than this from its base is garbage */

struct known_signature {
    const char *signature; /* up to 12 bytes; shorter ones are padded with NULs */
    enum toro_hypervisor kind;
    const char *name;
};

static const struct known_signature known_signatures[] = {
    { "KVMKVMKVM", TORO_HYPERVISOR_KVM, "KVM" },
    { "Linux KVM Hv", TORO_HYPERVISOR_KVM, "KVM" }, /* KVM's own Hyper-V interface */
    { "Microsoft Hv", TORO_HYPERVISOR_HYPERV, "Hyper-V" },
    { "VMwareVMware", TORO_HYPERVISOR_VMWARE, "VMware" },
    { "VBoxVBoxVBox", TORO_HYPERVISOR_VIRTUALBOX, "VirtualBox" },
    { "XenVMMXenVMM", TORO_HYPERVISOR_XEN, "Xen" },
    { "TCGTCGTCGTCG", TORO_HYPERVISOR_TCG, "TCG" },
    { "bhyve bhyve ", TORO_HYPERVISOR_BHYVE, "bhyve" },
    { " lrpepyh  vr", TORO_HYPERVISOR_PARALLELS, "Parallels" },
    { "ACRNACRNACRN", TORO_HYPERVISOR_ACRN, "ACRN" },
    { "QNXQVMBSQG", TORO_HYPERVISOR_QNX, "QNX" },
    { "Apple VZ", TORO_HYPERVISOR_APPLE, "Apple" },
};

/* Written once by hypervisor_detect on the boot core before any AP starts; read-only after. */
static struct {
    enum toro_hypervisor kind;
    const char *name;
    uint32_t max_leaf;
    char signature[SIGNATURE_LENGTH];
    uint32_t tsc_khz;
    uint32_t lapic_khz;
} found = { TORO_HYPERVISOR_NONE, "none", 0, { 0 }, 0, 0 };

/* The signature and highest leaf of the interface at `base`; 0 if the leaf is not there. */
static uint32_t read_interface(uint32_t base, char signature[SIGNATURE_LENGTH])
{
    struct cpuid_result result = cpuid(base, 0);
    memcpy(signature, &result.ebx, 4);
    memcpy(signature + 4, &result.ecx, 4);
    memcpy(signature + 8, &result.edx, 4);
    if (result.eax < base || result.eax > base + HYPERVISOR_LEAF_MAX_GAP)
        return 0; /* no such leaf: CPUs repeat their highest basic leaf here */
    return result.eax;
}

static const struct known_signature *lookup(const char signature[SIGNATURE_LENGTH])
{
    for (size_t index = 0; index < sizeof known_signatures / sizeof known_signatures[0]; index++) {
        char padded[SIGNATURE_LENGTH] = { 0 };
        const char *text = known_signatures[index].signature;
        memcpy(padded, text, strlen(text));
        if (memcmp(padded, signature, SIGNATURE_LENGTH) == 0)
            return &known_signatures[index];
    }
    return 0;
}

/* Printable copy of the signature for the boot line: NULs dropped, other bytes outside ASCII as '?'. */
static void printable_signature(char out[SIGNATURE_LENGTH + 1])
{
    size_t length = 0;
    for (size_t index = 0; index < SIGNATURE_LENGTH; index++) {
        char byte = found.signature[index];
        if (byte != 0)
            out[length++] = byte >= 0x20 && byte < 0x7F ? byte : '?';
    }
    out[length] = 0;
}

void hypervisor_detect(void)
{
    if (!(cpuid(1, 0).ecx & CPUID_1_ECX_HYPERVISOR)) {
        kprintf("toro: hypervisor none (CPUID: bare metal)\n");
        return;
    }
    found.kind = TORO_HYPERVISOR_UNKNOWN;
    found.name = "unknown";
    uint32_t base = CPUID_HYPERVISOR_BASE;
    found.max_leaf = read_interface(base, found.signature);
    const struct known_signature *known = found.max_leaf ? lookup(found.signature) : 0;
    if (known && known->kind == TORO_HYPERVISOR_HYPERV) {
        char second[SIGNATURE_LENGTH];
        uint32_t second_max = read_interface(base + HYPERVISOR_LEAF_STRIDE, second);
        const struct known_signature *beneath = second_max ? lookup(second) : 0;
        if (beneath && beneath->kind != TORO_HYPERVISOR_HYPERV) {
            base += HYPERVISOR_LEAF_STRIDE;
            found.max_leaf = second_max;
            memcpy(found.signature, second, SIGNATURE_LENGTH);
            known = beneath;
        }
    }
    if (known) {
        found.kind = known->kind;
        found.name = known->name;
    }
    /* The timing leaf is VMware's; KVM offers it too (tsc-frequency set); Hyper-V and Xen use the
     * range for other things. */
    int timing_leaf_is_vmware_style =
        found.kind != TORO_HYPERVISOR_HYPERV && found.kind != TORO_HYPERVISOR_XEN;
    if (timing_leaf_is_vmware_style && found.max_leaf >= base + HYPERVISOR_TIMING_LEAF) {
        struct cpuid_result timing = cpuid(base + HYPERVISOR_TIMING_LEAF, 0);
        found.tsc_khz = timing.eax;
        found.lapic_khz = timing.ebx;
    }
    char text[SIGNATURE_LENGTH + 1];
    printable_signature(text);
    kprintf("toro: hypervisor %s (signature \"%s\", max leaf %#x, tsc %u kHz, lapic %u kHz)\n", found.name,
            text, found.max_leaf, found.tsc_khz, found.lapic_khz);
}

enum toro_hypervisor hypervisor_kind(void) { return found.kind; }
const char *hypervisor_name(void) { return found.name; }
uint32_t hypervisor_max_leaf(void) { return found.max_leaf; }
const char *hypervisor_signature(void) { return found.signature; }
uint32_t hypervisor_tsc_khz(void) { return found.tsc_khz; }
uint32_t hypervisor_lapic_khz(void) { return found.lapic_khz; }
