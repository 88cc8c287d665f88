/* The `virt` device tree.  Node names, compatibles and properties follow
 * QEMU's virt machine (hw/riscv/virt.c) so that OpenSBI's generic platform
 * and Linux find the same devices they find there; only devices this board
 * really has are described. */
#include "board/virt_fdt.h"

#include "dev/plic.h"
#include "core/hart.h"

#include <libfdt.h>
#include <peerless/virt.h>
#include <stdio.h>
#include <sys/random.h>

/* What the hart implements.  Extend with what machine/core adds (sstc,
 * svadu, ...): Linux trusts this string and uses what it lists. */
#define VIRT_FDT_ISA       "rv64imafdc_zicsr_zifencei_sstc"
#define VIRT_FDT_MMU       "riscv,sv48"   /* Linux probes down to sv39 if satp refuses */

enum { PH_CPU_INTC = 1, PH_PLIC, PH_TEST };

/* libfdt calls, stopping at the first error. */
#define TRY(call) do { int _e = (call); if (_e < 0) return _e; } while (0)

static int prop_reg(void *fdt, uint64_t base, uint64_t size)
{
    fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };
    return fdt_property(fdt, "reg", reg, sizeof reg);
}

static int prop_strings(void *fdt, const char *name, const char *list, int len)
{
    return fdt_property(fdt, name, list, len);   /* len counts every NUL */
}

static int begin_node(void *fdt, const char *name, uint64_t addr)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s@%llx", name, (unsigned long long)addr);
    return fdt_begin_node(fdt, buf);
}

static int cpus(void *fdt)
{
    TRY(fdt_begin_node(fdt, "cpus"));
    TRY(fdt_property_u32(fdt, "#address-cells", 1));
    TRY(fdt_property_u32(fdt, "#size-cells", 0));
    TRY(fdt_property_u32(fdt, "timebase-frequency", VIRT_TIMEBASE_HZ));
    TRY(fdt_begin_node(fdt, "cpu@0"));
    TRY(fdt_property_string(fdt, "device_type", "cpu"));
    TRY(fdt_property_u32(fdt, "reg", 0));
    TRY(fdt_property_string(fdt, "status", "okay"));
    TRY(fdt_property_string(fdt, "compatible", "riscv"));
    TRY(fdt_property_string(fdt, "riscv,isa", VIRT_FDT_ISA));
    TRY(fdt_property_string(fdt, "mmu-type", VIRT_FDT_MMU));
    TRY(fdt_begin_node(fdt, "interrupt-controller"));
    TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
    TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
    TRY(fdt_property_string(fdt, "compatible", "riscv,cpu-intc"));
    TRY(fdt_property_u32(fdt, "phandle", PH_CPU_INTC));
    TRY(fdt_end_node(fdt));   /* interrupt-controller */
    TRY(fdt_end_node(fdt));   /* cpu@0 */
    TRY(fdt_end_node(fdt));   /* cpus */
    return 0;
}

static int interrupts_extended(void *fdt, uint32_t a, uint32_t b)
{
    fdt32_t v[4] = { cpu_to_fdt32(PH_CPU_INTC), cpu_to_fdt32(a), cpu_to_fdt32(PH_CPU_INTC), cpu_to_fdt32(b) };
    return fdt_property(fdt, "interrupts-extended", v, sizeof v);
}

static int device_irq(void *fdt, uint32_t irq)
{
    TRY(fdt_property_u32(fdt, "interrupt-parent", PH_PLIC));
    return fdt_property_u32(fdt, "interrupts", irq);
}

static int soc(void *fdt, const struct virt_fdt_info *info)
{
    static const char test_compat[] = "sifive,test1\0sifive,test0\0syscon";
    static const char clint_compat[] = "sifive,clint0\0riscv,clint0";
    static const char plic_compat[] = "sifive,plic-1.0.0\0riscv,plic0";

    TRY(fdt_begin_node(fdt, "soc"));
    TRY(fdt_property_u32(fdt, "#address-cells", 2));
    TRY(fdt_property_u32(fdt, "#size-cells", 2));
    TRY(fdt_property_string(fdt, "compatible", "simple-bus"));
    TRY(fdt_property(fdt, "ranges", NULL, 0));

    TRY(begin_node(fdt, "test", VIRT_TEST_BASE));
    TRY(prop_strings(fdt, "compatible", test_compat, sizeof test_compat));
    TRY(prop_reg(fdt, VIRT_TEST_BASE, VIRT_TEST_SIZE));
    TRY(fdt_property_u32(fdt, "phandle", PH_TEST));
    TRY(fdt_end_node(fdt));

    TRY(begin_node(fdt, "clint", VIRT_CLINT_BASE));
    TRY(prop_strings(fdt, "compatible", clint_compat, sizeof clint_compat));
    TRY(prop_reg(fdt, VIRT_CLINT_BASE, VIRT_CLINT_SIZE));
    TRY(interrupts_extended(fdt, IRQ_MSI, IRQ_MTI));
    TRY(fdt_end_node(fdt));

    TRY(begin_node(fdt, "plic", VIRT_PLIC_BASE));
    TRY(prop_strings(fdt, "compatible", plic_compat, sizeof plic_compat));
    TRY(prop_reg(fdt, VIRT_PLIC_BASE, VIRT_PLIC_SIZE));
    TRY(fdt_property_u32(fdt, "#address-cells", 0));
    TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
    TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
    TRY(fdt_property_u32(fdt, "riscv,ndev", VIRT_PLIC_NSOURCES - 1));
    TRY(interrupts_extended(fdt, IRQ_MEI, IRQ_SEI));   /* contexts 0 (M) and 1 (S) */
    TRY(fdt_property_u32(fdt, "phandle", PH_PLIC));
    TRY(fdt_end_node(fdt));

    TRY(begin_node(fdt, "serial", VIRT_UART0_BASE));
    TRY(fdt_property_string(fdt, "compatible", "ns16550a"));
    TRY(prop_reg(fdt, VIRT_UART0_BASE, VIRT_UART0_SIZE));
    TRY(fdt_property_u32(fdt, "clock-frequency", VIRT_UART_CLOCK_HZ));
    TRY(device_irq(fdt, VIRT_UART0_IRQ));
    TRY(fdt_end_node(fdt));

    for (int n = 0; n < info->nvirtio; n++) {
        uint64_t base = VIRT_VIRTIO_BASE + VIRT_VIRTIO_STRIDE * (uint64_t)n;
        TRY(begin_node(fdt, "virtio_mmio", base));
        TRY(fdt_property_string(fdt, "compatible", "virtio,mmio"));
        TRY(prop_reg(fdt, base, VIRT_VIRTIO_STRIDE));
        TRY(device_irq(fdt, VIRT_VIRTIO_IRQ(n)));
        TRY(fdt_end_node(fdt));
    }
    TRY(fdt_end_node(fdt));   /* soc */
    return 0;
}

/* syscon-poweroff / syscon-reboot on the test finisher, so that Linux
 * `poweroff` ends the run and `reboot` resets. */
static int power_nodes(void *fdt)
{
    TRY(fdt_begin_node(fdt, "poweroff"));
    TRY(fdt_property_string(fdt, "compatible", "syscon-poweroff"));
    TRY(fdt_property_u32(fdt, "regmap", PH_TEST));
    TRY(fdt_property_u32(fdt, "offset", 0));
    TRY(fdt_property_u32(fdt, "value", VIRT_TEST_PASS));
    TRY(fdt_end_node(fdt));
    TRY(fdt_begin_node(fdt, "reboot"));
    TRY(fdt_property_string(fdt, "compatible", "syscon-reboot"));
    TRY(fdt_property_u32(fdt, "regmap", PH_TEST));
    TRY(fdt_property_u32(fdt, "offset", 0));
    TRY(fdt_property_u32(fdt, "value", VIRT_TEST_RESET));
    TRY(fdt_end_node(fdt));
    return 0;
}

static int build(void *fdt, size_t size, const struct virt_fdt_info *info)
{
    static const char model_compat[] = "riscv-virtio";
    char name[64];
    TRY(fdt_create(fdt, (int)size));
    TRY(fdt_finish_reservemap(fdt));
    TRY(fdt_begin_node(fdt, ""));
    TRY(fdt_property_u32(fdt, "#address-cells", 2));
    TRY(fdt_property_u32(fdt, "#size-cells", 2));
    TRY(prop_strings(fdt, "compatible", model_compat, sizeof model_compat));
    TRY(fdt_property_string(fdt, "model", "riscv-virtio,peerless"));

    TRY(fdt_begin_node(fdt, "chosen"));
    snprintf(name, sizeof name, "/soc/serial@%lx", VIRT_UART0_BASE);
    TRY(fdt_property_string(fdt, "stdout-path", name));
    if (info->bootargs)
        TRY(fdt_property_string(fdt, "bootargs", info->bootargs));
    if (info->initrd_end > info->initrd_start) {
        TRY(fdt_property_u64(fdt, "linux,initrd-start", info->initrd_start));
        TRY(fdt_property_u64(fdt, "linux,initrd-end", info->initrd_end));
    }
    /* The board has no entropy device: seed the guest's random numbers, as
     * QEMU does (without it Linux's generator takes a slow path on every
     * system call, for its randomized stack offset). */
    uint8_t seed[32];
    if (getrandom(seed, sizeof seed, 0) == (ssize_t)sizeof seed)
        TRY(fdt_property(fdt, "rng-seed", seed, sizeof seed));
    TRY(fdt_end_node(fdt));

    TRY(begin_node(fdt, "memory", info->ram_base));
    TRY(fdt_property_string(fdt, "device_type", "memory"));
    TRY(prop_reg(fdt, info->ram_base, info->ram_size));
    TRY(fdt_end_node(fdt));

    TRY(cpus(fdt));
    TRY(soc(fdt, info));
    TRY(power_nodes(fdt));
    TRY(fdt_end_node(fdt));   /* root */
    TRY(fdt_finish(fdt));
    TRY(fdt_pack(fdt));
    return 0;
}

int virt_fdt_build(void *buf, size_t size, const struct virt_fdt_info *info)
{
    if (size > INT32_MAX || build(buf, size, info) < 0)
        return -1;
    return (int)fdt_totalsize(buf);
}
