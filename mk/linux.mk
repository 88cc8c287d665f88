# Booting Debian's riscv64 Linux: `make linux` fetches OpenSBI, the kernel
# and busybox as Debian packages (scripts/linux/fetch.sh) and builds our
# initramfs; `make run-linux` boots it on peerless, `make check-linux`
# tests it (tests/linux/run.sh), `make check-linux-qemu` on QEMU.

LINUX_DIR    := build/linux
LINUX_FW     := $(LINUX_DIR)/fw_jump.bin
LINUX_IMAGE  := $(LINUX_DIR)/Image
LINUX_INITRD := $(LINUX_DIR)/initrd.cpio.gz
LINUX_APPEND ?= console=ttyS0 earlycon=sbi
LINUX_MEM    ?= 512M

.PHONY: linux run-linux check-linux check-linux-qemu

linux: $(LINUX_FW) $(LINUX_IMAGE) $(LINUX_INITRD)

$(LINUX_DIR)/kernel-release: scripts/linux/fetch.sh
	@scripts/linux/fetch.sh $(LINUX_DIR)

# Debian's riscv64 kernel (/boot/vmlinux-*) is already the raw Image that
# QEMU and peerless load at 0x80200000 (an uncompressed Image with the EFI
# stub's PE header and the "RSC\x05" magic), so it is only copied.
$(LINUX_IMAGE): $(LINUX_DIR)/kernel-release
	cp $(LINUX_DIR)/root/boot/vmlinux-$$(cat $<) $@

$(LINUX_FW): $(LINUX_DIR)/kernel-release
	cp $(LINUX_DIR)/root/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin $@

$(LINUX_INITRD): $(LINUX_DIR)/kernel-release scripts/linux/initramfs.py $(shell find scripts/linux/rootfs -type f)
	python3 scripts/linux/initramfs.py $(LINUX_DIR)/root $$(cat $<) $@

run-linux: setup build/peerless linux
	build/peerless run --machine virt -m $(LINUX_MEM) --bios $(LINUX_FW) --kernel $(LINUX_IMAGE) \
		--initrd $(LINUX_INITRD) --append "$(LINUX_APPEND)"

check-linux: build/peerless linux
	@tests/linux/run.sh build/peerless

check-linux-qemu: linux
	@tests/linux/run.sh qemu
