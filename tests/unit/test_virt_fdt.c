/* The virt board's device tree: valid, and saying what the board has. */
#include "board/virt_fdt.h"
#include "unit.h"

#include <libfdt.h>
#include <string.h>

static uint8_t fdt[65536];

static const void *prop(const char *path, const char *name, int *len)
{
    int node = fdt_path_offset(fdt, path);
    return node < 0 ? NULL : fdt_getprop(fdt, node, name, len);
}

static uint32_t cell(const char *path, const char *name, int i)
{
    int len = 0;
    const fdt32_t *p = prop(path, name, &len);
    return p && len >= 4 * (i + 1) ? fdt32_to_cpu(p[i]) : 0xdeadbeef;
}

static bool has_string(const char *path, const char *name, const char *s)
{
    int node = fdt_path_offset(fdt, path);
    return node >= 0 && fdt_stringlist_search(fdt, node, name, s) >= 0;
}

int main(void)
{
    struct virt_fdt_info info = {
        .ram_base = 0x80000000, .ram_size = 512ull << 20, .nvirtio = 8,
        .bootargs = "console=ttyS0", .initrd_start = 0x88200000, .initrd_end = 0x88300000,
    };
    int size = virt_fdt_build(fdt, sizeof fdt, &info);
    CHECK(size > 0 && size < 8192);
    CHECK_EQ(fdt_check_header(fdt), 0);

    CHECK(!strcmp(prop("/chosen", "bootargs", NULL), "console=ttyS0"));
    CHECK(!strcmp(prop("/chosen", "stdout-path", NULL), "/soc/serial@10000000"));
    int node = fdt_path_offset(fdt, "/chosen"), len;
    const fdt64_t *start = fdt_getprop(fdt, node, "linux,initrd-start", &len);
    CHECK(start && len == 8 && fdt64_to_cpu(*start) == 0x88200000);
    CHECK_EQ(cell("/memory@80000000", "reg", 1), 0x80000000);
    CHECK_EQ(cell("/memory@80000000", "reg", 3), 512u << 20);
    CHECK_EQ(cell("/cpus", "timebase-frequency", 0), 10000000);
    CHECK(!strncmp(prop("/cpus/cpu@0", "riscv,isa", NULL), "rv64imafdc", 10));
    CHECK(has_string("/soc/plic@c000000", "compatible", "riscv,plic0"));
    CHECK(has_string("/soc/clint@2000000", "compatible", "riscv,clint0"));
    CHECK(has_string("/soc/test@100000", "compatible", "syscon"));
    CHECK(has_string("/soc/serial@10000000", "compatible", "ns16550a"));
    CHECK_EQ(cell("/soc/serial@10000000", "clock-frequency", 0), 3686400);
    CHECK_EQ(cell("/soc/serial@10000000", "interrupts", 0), 10);
    /* The PLIC's contexts: M-mode external (11), then S-mode (9), of the cpu's intc. */
    uint32_t intc = fdt_get_phandle(fdt, fdt_path_offset(fdt, "/cpus/cpu@0/interrupt-controller"));
    CHECK(intc != 0);
    CHECK_EQ(cell("/soc/plic@c000000", "interrupts-extended", 0), intc);
    CHECK_EQ(cell("/soc/plic@c000000", "interrupts-extended", 1), 11);
    CHECK_EQ(cell("/soc/plic@c000000", "interrupts-extended", 3), 9);
    CHECK_EQ(cell("/soc/clint@2000000", "interrupts-extended", 1), 3);
    CHECK_EQ(cell("/soc/clint@2000000", "interrupts-extended", 3), 7);
    uint32_t plic = fdt_get_phandle(fdt, fdt_path_offset(fdt, "/soc/plic@c000000"));
    for (int n = 0; n < 8; n++) {
        char path[64];
        snprintf(path, sizeof path, "/soc/virtio_mmio@%x", 0x10001000 + 0x1000 * n);
        CHECK_EQ(cell(path, "interrupts", 0), 1 + n);
        CHECK_EQ(cell(path, "interrupt-parent", 0), plic);
    }
    CHECK(fdt_path_offset(fdt, "/soc/virtio_mmio@10009000") < 0);
    uint32_t test = fdt_get_phandle(fdt, fdt_path_offset(fdt, "/soc/test@100000"));
    CHECK_EQ(cell("/poweroff", "regmap", 0), test);
    CHECK_EQ(cell("/poweroff", "value", 0), 0x5555);
    CHECK_EQ(cell("/reboot", "value", 0), 0x7777);

    /* No initrd, no bootargs: no such properties.  Too small a buffer fails. */
    info.bootargs = NULL;
    info.initrd_start = info.initrd_end = 0;
    CHECK(virt_fdt_build(fdt, sizeof fdt, &info) > 0);
    CHECK(prop("/chosen", "bootargs", NULL) == NULL);
    CHECK(prop("/chosen", "linux,initrd-start", NULL) == NULL);
    CHECK_EQ(virt_fdt_build(fdt, 256, &info), -1);
    return unit_report("virt_fdt");
}
