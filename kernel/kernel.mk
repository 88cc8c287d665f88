# The peer kernel: build/kernel/peerless-kernel.elf, one boot ELF holding
# every kernel space (kernel/<space>/) and, in its image, the programs of
# apps/ (each linked at its own slot by lib/os/app.ld) and kernel/files/.
# Included by the top-level Makefile (after mk/guest.mk).

KERNEL_SPACES := boot klib mem sched console dir proc shell blk fs net ip sec
KERNEL_APPS   := hello crash spin cat badcall plib paranoid shlib shared shared2 relay relay2 relay3 grants drv crashdrv many debuggee debug kbench kblib kpong blkread fileio fsbench echod udpecho httpd tcpsink secprobe
KERNEL_FILES  := $(wildcard kernel/files/*)
# Each program has its own slot (kern.h: KPROG_SLOTS of them).
ifneq ($(word 33,$(KERNEL_APPS)),)
$(error kernel/kernel.mk: $(words $(KERNEL_APPS)) programs in KERNEL_APPS, but the kernel has 32 program slots (kern.h KPROG_SLOTS))
endif
KERNEL_HDRS   := $(wildcard kernel/include/*.h kernel/*/*.h) lib/peer/peer_rt.h include/peerless/peer.h
KERNEL_CFLAGS := $(GUEST_ARCH_GC) -O2 -ffreestanding -fno-tree-loop-distribute-patterns -mno-relax \
                 -fno-common -Wall -Wextra -Wno-unused-parameter -Ikernel/include -Ilib/peer
KERNEL_SRC    := $(foreach s,$(KERNEL_SPACES),$(wildcard kernel/$(s)/*.c kernel/$(s)/*.S))
KERNEL_OBJ    := $(patsubst kernel/%,build/kernel/obj/%.o,$(basename $(KERNEL_SRC)))
include kernel/sec/sec.mk
KERNEL_APP_ELFS := $(foreach a,$(KERNEL_APPS),build/kernel/apps/$(a).elf)
OS_LIB_SRC    := lib/os/crt0.S lib/os/os.c lib/os/calls.c lib/os/files.c lib/os/net.c
OS_LIB_DEPS   := $(OS_LIB_SRC) lib/os/os.h lib/os/app.ld $(KERNEL_HDRS) mk/guest.mk

build/kernel/obj/%.o: kernel/%.c $(KERNEL_HDRS) kernel/kernel.mk
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(KERNEL_CFLAGS) -c -o $@ $<
build/kernel/obj/%.o: kernel/%.S $(KERNEL_HDRS) kernel/kernel.mk
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(KERNEL_CFLAGS) -c -o $@ $<

# Program i of KERNEL_APPS lives at slot i: 0x84000000 + i * 2 MiB.
kernel_slot = $(shell printf '0x%x' $$((0x84000000 + $(1) * 0x200000)))
kernel_index = $(words $(wordlist 1,$(1),x $(KERNEL_APPS)))
define kernel_app_rule
build/kernel/apps/$(1).elf: apps/$(1)/$(1).c $(OS_LIB_DEPS) kernel/kernel.mk
	@mkdir -p build/kernel/apps
	$$(GUEST_CC) $$(GUEST_CFLAGS_GC) -O2 -Wall -Wextra -nostartfiles -T lib/os/app.ld \
	    -Wl,--defsym=APP_BASE=$$(call kernel_slot,$(2)) -Wl,--no-warn-rwx-segments \
	    -Ilib/os -Ilib/peer -Ikernel/include -o $$@ $(OS_LIB_SRC) $$<
endef
$(foreach a,$(KERNEL_APPS),$(eval $(call kernel_app_rule,$(a),$(shell n=0; for x in $(KERNEL_APPS); do [ $$x = $(a) ] && echo $$n; n=$$((n+1)); done))))

# The boot image: a table of (name, data, size, kind) and the bytes.
build/kernel/image.S: $(KERNEL_APP_ELFS) $(KERNEL_FILES) kernel/kernel.mk
	@mkdir -p build/kernel
	@{ echo '    .section .rodata.image, "a"'; echo '    .balign 8'; \
	   echo '    .globl kimage_count, kimage_table'; \
	   n=0; for f in $(KERNEL_APP_ELFS) $(KERNEL_FILES); do n=$$((n+1)); done; \
	   echo "kimage_count: .quad $$n"; echo 'kimage_table:'; \
	   i=0; for f in $(KERNEL_APP_ELFS); do echo "    .quad name$$i, data$$i, end$$i - data$$i, 1"; i=$$((i+1)); done; \
	   for f in $(KERNEL_FILES); do echo "    .quad name$$i, data$$i, end$$i - data$$i, 0"; i=$$((i+1)); done; \
	   i=0; for f in $(KERNEL_APP_ELFS) $(KERNEL_FILES); do b=$$(basename $$f .elf); \
	     echo "name$$i: .asciz \"$$b\""; echo '    .balign 8'; \
	     echo "data$$i: .incbin \"$$f\""; echo "end$$i:"; echo '    .balign 8'; i=$$((i+1)); done; \
	 } > $@
build/kernel/obj/image/image.o: build/kernel/image.S
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(KERNEL_CFLAGS) -c -o $@ $<

# lwIP for the ip space, from Debian's source package (fetched on first
# use, never committed), compiled into build/kernel/obj/ip/lwip/ so that
# kernel.ld puts it in ip's pages.  ip's code sees picolibc's headers for
# the declarations lwIP includes; the functions are klib's (and port.c's):
# the link stays -nostdlib.  lwIP's mem_init is renamed: mem_init is the mem space's.
LWIP_DIR      := build/src/lwip
LWIP_FILES    := core/init core/def core/inet_chksum core/ip core/mem core/memp core/netif core/pbuf \
                 core/stats core/tcp core/tcp_in core/tcp_out core/timeouts core/udp \
                 core/ipv4/etharp core/ipv4/icmp core/ipv4/ip4 core/ipv4/ip4_addr core/ipv4/ip4_frag \
                 core/ipv4/dhcp core/ipv4/acd netif/ethernet
LWIP_OBJ      := $(foreach f,$(LWIP_FILES),build/kernel/obj/ip/lwip/$(f).o)
IP_CFLAGS     := -Dmem_init=lwip_mem_init --specs=picolibc.specs -Ikernel/ip -I$(LWIP_DIR)/src/include
IP_HDRS       := $(wildcard kernel/ip/*.h kernel/ip/arch/*.h)

$(LWIP_DIR).version:
	scripts/fetch-source.sh lwip build/src
$(LWIP_DIR)/src/%.c: | $(LWIP_DIR).version
	@test -f $@ || { echo "lwip: $@ is not in the fetched source"; exit 1; }
build/kernel/obj/ip/lwip/%.o: $(LWIP_DIR)/src/%.c $(IP_HDRS) kernel/kernel.mk | $(LWIP_DIR).version
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(KERNEL_CFLAGS) $(IP_CFLAGS) -Wno-address -c -o $@ $<
build/kernel/obj/ip/%.o: kernel/ip/%.c $(KERNEL_HDRS) $(IP_HDRS) kernel/kernel.mk | $(LWIP_DIR).version
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(KERNEL_CFLAGS) $(IP_CFLAGS) -c -o $@ $<

build/kernel/peerless-kernel.elf: $(KERNEL_OBJ) $(LWIP_OBJ) build/kernel/obj/image/image.o kernel/kernel.ld
	$(GUEST_CC) $(GUEST_ARCH_GC) -nostdlib -nostartfiles -T kernel/kernel.ld -Wl,--no-relax \
	    -Wl,--no-warn-rwx-segments -o $@ $(KERNEL_OBJ) $(LWIP_OBJ) build/kernel/obj/image/image.o -lgcc

.PHONY: kernel check-kernel
kernel: build/kernel/peerless-kernel.elf
check-kernel: build/peerless build/kernel/peerless-kernel.elf
	@tests/kernel/run.sh build/peerless
