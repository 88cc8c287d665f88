# Peerless: build, run, test, bench.  `make help` lists the targets.

CC       ?= cc
HOST_OPT ?= -O2
CFLAGS   := $(HOST_OPT) -g -std=gnu11 -fno-strict-aliasing -Wall -Wextra -Wno-unused-parameter -Iinclude -Imachine $(EXTRA_CFLAGS)
LDLIBS   := -lmpfr -lgmp -lm -lfdt
SAN      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

MACHINE_SRC := $(wildcard machine/core/*.c machine/dev/*.c machine/peer/*.c machine/trace/*.c machine/board/*.c machine/loader/*.c machine/debug/*.c)
CLI_SRC     := $(wildcard machine/cli/*.c)
HEADERS     := $(wildcard include/peerless/*.h machine/*/*.h machine/*/*.inc)
UNIT_SRC    := $(wildcard tests/unit/test_*.c)

include mk/guest.mk
include kernel/kernel.mk
include mk/linux.mk

.PHONY: all setup run test test-fast check-unit check-guest check-diff bench clean help

all: build/peerless

help:
	@echo "make            build the emulator (build/peerless)"
	@echo "make run        build the emulator and the peer kernel, boot into its shell"
	@echo "make run-demo   run a bare-metal demo program on the virt machine"
	@echo "make test       the whole suite (setup, unit, guest, differential, sanitizers)"
	@echo "make bench      benchmarks against QEMU, written to build/bench/"

setup:
	@scripts/setup.sh

# The machine, compiled once per flavour (plain and sanitized) into a library
# that the emulator and every unit test link.
OBJ      := $(patsubst %.c,build/obj/%.o,$(MACHINE_SRC))
OBJ_ASAN := $(patsubst %.c,build/asan/obj/%.o,$(MACHINE_SRC))

build/obj/%.o: %.c $(HEADERS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<
build/asan/obj/%.o: %.c $(HEADERS) Makefile
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -O1 $(SAN) -c -o $@ $<

build/libmachine.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^
build/asan/libmachine.a: $(OBJ_ASAN)
	@rm -f $@
	ar rcs $@ $^

build/peerless: $(CLI_SRC) build/libmachine.a
	$(CC) $(CFLAGS) -o $@ $(CLI_SRC) build/libmachine.a $(LDLIBS)
build/asan/peerless: $(CLI_SRC) build/asan/libmachine.a
	$(CC) $(CFLAGS) -O1 $(SAN) -o $@ $(CLI_SRC) build/asan/libmachine.a $(LDLIBS)

# Host unit tests: each tests/unit/test_X.c is a program linked with the machine.
build/unit/%: tests/unit/%.c build/libmachine.a tests/unit/unit.h
	@mkdir -p build/unit
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< build/libmachine.a $(LDLIBS)
build/asan/unit/%: tests/unit/%.c build/asan/libmachine.a tests/unit/unit.h
	@mkdir -p build/asan/unit
	$(CC) $(CFLAGS) -O1 $(SAN) -Itests/unit -o $@ $< build/asan/libmachine.a $(LDLIBS)

UNIT_BINS      := $(patsubst tests/unit/%.c,build/unit/%,$(UNIT_SRC))
UNIT_BINS_ASAN := $(patsubst tests/unit/%.c,build/asan/unit/%,$(UNIT_SRC))

# A bare-metal demo program for the virt machine (`make run-demo`).
build/apps/demo.elf: apps/demo/demo.c mk/guest.mk
	@mkdir -p build/apps
	$(GUEST_CC) $(GUEST_CFLAGS_GC) -O2 $(GUEST_SEMIHOST) -o $@ $<

# `make run` boots the peer kernel into its shell, with build/disk.img as
# its disk (made once: a FAT32 volume and the security service's partition;
# delete it to start afresh).
run: setup
	@$(MAKE) --no-print-directory build/peerless build/kernel/peerless-kernel.elf build/disk.img
	build/peerless run --machine peer --drive build/disk.img $$(scripts/run-netdev.sh) build/kernel/peerless-kernel.elf

build/disk.img: | scripts/disk/mkfatdisk.sh scripts/disk/mbr.py
	@mkdir -p build
	scripts/disk/mkfatdisk.sh $@

run-demo: setup build/peerless build/apps/demo.elf
	build/peerless run build/apps/demo.elf

check-unit: $(UNIT_BINS)
	@tests/run-unit.sh $(UNIT_BINS)

check-unit-asan: $(UNIT_BINS_ASAN)
	@tests/run-unit.sh $(UNIT_BINS_ASAN)

# Guest programs of our own: self-checking, and compared with QEMU.
check-guest: build/peerless
	@tests/guest/run.sh build/peerless

check-diff: build/peerless
	@tests/diff/run.sh build/peerless

check-asan: build/asan/peerless check-unit-asan
	@tests/guest/run.sh build/asan/peerless
	@tests/diff/run.sh build/asan/peerless

test: setup
	@$(MAKE) --no-print-directory -j2 build/peerless build/asan/peerless $(UNIT_BINS) $(UNIT_BINS_ASAN) \
	    build/kernel/peerless-kernel.elf
	@tests/run-all.sh

bench: setup build/peerless
	@bench/run.sh build/peerless

clean:
	rm -rf build
