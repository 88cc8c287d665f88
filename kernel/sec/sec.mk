# The security space's build: its own files (the generic kernel rule) and
# Argon2's reference implementation, fetched as Debian's `argon2` source
# package (scripts/fetch-source.sh) and built for the guest into sec's
# space: ref.c (portable C, not opt.c's SSE), no threads.  Argon2 is built
# with picolibc's headers but links none of picolibc: the few libc
# functions it calls are sec's own (kernel/sec/alloc.c), renamed so they
# stay sec's.  Included by kernel/kernel.mk.

ARGON2_DIR     := build/src/argon2
ARGON2_SRC     := argon2 core ref encoding blake2/blake2b
SEC_ARGON2_OBJ := $(patsubst %,build/kernel/obj/sec/argon2/%.o,$(ARGON2_SRC))
SEC_ARGON2_CFLAGS := --specs=picolibc.specs $(GUEST_ARCH_GC) -O2 -ffreestanding -mno-relax -fno-common \
                 -DARGON2_NO_THREADS -Dmalloc=sec_malloc -Dfree=sec_free -Dsprintf=sec_sprintf \
                 -I$(ARGON2_DIR)/include -I$(ARGON2_DIR)/src
KERNEL_OBJ     += $(SEC_ARGON2_OBJ)

$(ARGON2_DIR).version:
	scripts/fetch-source.sh argon2 build/src

# A source file appears with the fetch.
$(addprefix $(ARGON2_DIR)/src/,$(addsuffix .c,$(ARGON2_SRC))) $(ARGON2_DIR)/src/test.c \
$(ARGON2_DIR)/kats/argon2id $(ARGON2_DIR)/kats/argon2i: $(ARGON2_DIR).version
	@test -f $@ || { echo "sec.mk: $@ is missing from the fetched Argon2 source" >&2; exit 1; }

build/kernel/obj/sec/argon2/%.o: $(ARGON2_DIR)/src/%.c kernel/sec/sec.mk
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(SEC_ARGON2_CFLAGS) -c -o $@ $<

# Argon2's own test vectors, for sec's check at boot (hash.c).
build/kernel/argon2_kat.h: scripts/argon2_kat.py $(ARGON2_DIR)/src/test.c $(ARGON2_DIR)/kats/argon2id \
                           $(ARGON2_DIR)/kats/argon2i
	@mkdir -p build/kernel
	python3 scripts/argon2_kat.py $@ $(ARGON2_DIR)/src/test.c $(ARGON2_DIR)/kats/argon2id $(ARGON2_DIR)/kats/argon2i

# sec's own files see Argon2's header (and the vectors).
build/kernel/obj/sec/%.o: KERNEL_CFLAGS += -I$(ARGON2_DIR)/include -I$(ARGON2_DIR)/src -Ibuild/kernel
build/kernel/obj/sec/hash.o build/kernel/obj/sec/store.o: $(ARGON2_DIR).version
build/kernel/obj/sec/hash.o: build/kernel/argon2_kat.h
