# How guest (RISC-V) programs are built: Debian's riscv64-unknown-elf GCC and picolibc.
# Included by the top-level Makefile; scripts read the same values through
# `make -s print-guest-flags`.

GUEST_PREFIX  ?= riscv64-unknown-elf-
GUEST_CC      := $(GUEST_PREFIX)gcc
GUEST_OBJDUMP := $(GUEST_PREFIX)objdump

# rv64gc by default; rv64imac for soft-float builds (tests do both).
GUEST_MARCH_GC   := rv64gc
GUEST_MABI_GC    := lp64d
GUEST_MARCH_IMAC := rv64imac
GUEST_MABI_IMAC  := lp64

# Memory layout of a bare-metal program on `virt`: code ("flash") in the
# first 2 MiB of DRAM, data, heap and stack above it, within the default
# 128 MiB of RAM.
GUEST_LAYOUT := -Wl,--defsym=__flash=0x80000000 -Wl,--defsym=__flash_size=0x200000 \
                -Wl,--defsym=__ram=0x80200000 -Wl,--defsym=__ram_size=0x7e00000

# Architecture flags alone (for programs with their own _start and no libc)…
# (GCC picks picolibc's multilib from a plain -march; ISA spec 2.2 makes
# Zicsr and Zifencei part of I, as they were.)
GUEST_ARCH_GC   := -misa-spec=2.2 -march=$(GUEST_MARCH_GC) -mabi=$(GUEST_MABI_GC) -mcmodel=medany -g -Iinclude
GUEST_ARCH_IMAC := -misa-spec=2.2 -march=$(GUEST_MARCH_IMAC) -mabi=$(GUEST_MABI_IMAC) -mcmodel=medany -g -Iinclude
# …and with picolibc (its specs bring picolibc's linker script).
# A hosted C program (printf, malloc, exit code) through semihosting.
GUEST_SEMIHOST := --oslib=semihost --crt0=semihost $(GUEST_LAYOUT)
# A program with its own _start (assembly tests): no C runtime; use with GUEST_ARCH_*.
GUEST_BARE := -nostartfiles -nostdlib -Wl,-Ttext=0x80000000 -Wl,-e,_start

GUEST_CFLAGS_GC   := --specs=picolibc.specs $(GUEST_ARCH_GC)
GUEST_CFLAGS_IMAC := --specs=picolibc.specs $(GUEST_ARCH_IMAC)

print-guest-flags:
	@echo "GUEST_CC='$(GUEST_CC)'"
	@echo "GUEST_OBJDUMP='$(GUEST_OBJDUMP)'"
	@echo "GUEST_ARCH_GC='$(GUEST_ARCH_GC)'"
	@echo "GUEST_ARCH_IMAC='$(GUEST_ARCH_IMAC)'"
	@echo "GUEST_CFLAGS_GC='$(GUEST_CFLAGS_GC)'"
	@echo "GUEST_CFLAGS_IMAC='$(GUEST_CFLAGS_IMAC)'"
	@echo "GUEST_SEMIHOST='$(GUEST_SEMIHOST)'"
	@echo "GUEST_BARE='$(GUEST_BARE)'"
