# SPDX-License-Identifier: GPL-2.0
#
# AF_TOY: top-level build and test entry points.
#
#   make deps        install the Debian packages needed (scripts/deps.sh)
#   make module      build toy.ko against KDIR: module/toy.ko for the primary
#                    kernel (6.1), build/KVER/module/toy.ko for any other
#   make userspace   build userspace/build/* (userspace/Makefile)
#   make all         module + userspace (default)
#   make initramfs   build/initramfs-$(KVER).cpio.gz for the test VM
#   make check       deps, all, then every test tier (scripts/check.sh)
#   make check-fast  deps, all, then only the stock-kernel tier
#   make demo-two    the demo across two VMs, each booting its own kernel,
#                    joined by virtio-net NICs (scripts/twovm.sh)
#   make lesson      list the lessons; make lesson L=NAME runs one in the
#                    VM (scripts/lesson.sh; LANG=zh* for Chinese)
#   make vm-shell    interactive VM: toy.ko loaded, netns toyA/toyB on veth
#   make install     libtoy, headers, libtoy.pc, programs, toy(7), toysocket
#                    (userspace/Makefile; PREFIX=/usr/local, DESTDIR=), and
#                    the Wireshark dissector (install-dissector)
#   make install-dissector  userspace/wireshark/toy.lua where Wireshark loads
#                    Lua plugins (WS_LUA_DIR=, DESTDIR=)
#   make bench       AF_TOY vs TCP vs UDP figures from one VM run (README)
#   make profile     perf's top kernel symbols, AF_TOY and TCP bulk (README)
#   make dissector-test  the dissector against synthetic captures, on this
#                    host (scripts/host/dissector-test.sh; needs tshark)
#   make toytrace-test  toytrace --file and toyplot on a saved trace, on this
#                    host (scripts/host/toytrace-test.sh; installs gnuplot-nox)
#   make clean
#
# Variables: KVER (Debian kernel version, default: scripts/kver.sh, the 6.1
# kernel; `scripts/kver.sh 6.12` names the 6.12 one), KDIR (kernel build
# dir, default /lib/modules/$(KVER)/build; KDIR alone sets KVER from it),
# TOY_TESTS (which in-guest test files to run, e.g. TOY_TESTS=00-module).
# Never uses `uname -r`: the host kernel is not the one we build for.

PRIMARY_KVER := $(shell scripts/kver.sh 2>/dev/null)
ifdef KDIR
KVER ?= $(shell cat $(KDIR)/include/config/kernel.release 2>/dev/null)
endif
KVER ?= $(PRIMARY_KVER)
KDIR ?= /lib/modules/$(KVER)/build
BUILD := build
# The tiers on the primary kernel load module/toy.ko, built in the tree; for
# any other kernel (or tree) toy.ko is built in a copy, build/KVER/module/,
# so that the two builds never overwrite each other.
ifeq ($(KDIR),/lib/modules/$(PRIMARY_KVER)/build)
TOY_KO := module/toy.ko
else
TOY_KO := $(BUILD)/$(KVER)/module/toy.ko
endif
INITRD = $(BUILD)/initramfs-$(KVER).cpio.gz

.PHONY: all deps module userspace initramfs check check-fast vm-shell clean

all: module userspace

deps:
	scripts/deps.sh

module:
	$(if $(wildcard $(KDIR)/Makefile),,$(error no kernel build dir '$(KDIR)': \
		run 'make deps' or pass KDIR=))
ifeq ($(TOY_KO),module/toy.ko)
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules
else
	scripts/build-module.sh $(KDIR) $(BUILD)/$(KVER)
endif

userspace:
	@if [ -f userspace/Makefile ]; then \
		$(MAKE) -C userspace; \
	else \
		echo "userspace/Makefile does not exist yet: no userspace programs"; \
	fi

initramfs: all
	scripts/mkinitramfs.sh -k $(KVER) -t $(TOY_KO) -o $(INITRD)

# Sequential on purpose: packages first, then the build, then the tests.
check: deps
	$(MAKE) all
	scripts/check.sh

check-fast: deps
	$(MAKE) all
	scripts/check.sh stock

vm-shell: initramfs
	scripts/vm.sh -i -n shell -V $(KVER) -r $(INITRD) -- sh /usr/lib/toy/shell-setup.sh

# Targets for scripts other engineers add; they appear with the script.
.PHONY: demo demo-two
# one line per preparation step; the tools' output in build/demo-prepare.log
demo:
	@scripts/demo.sh
# The demo across two VMs, each its own kernel (scripts/demo-two.sh)
demo-two:
	@scripts/demo-two.sh
# make lesson: the list; make lesson L=NAME: one lesson in the VM
.PHONY: lesson
lesson:
	@scripts/lesson.sh $(L)
ifneq ($(wildcard scripts/bench.sh),)
.PHONY: bench
# the guest prints the tables; scripts/bench/plot.sh keeps them in
# build/bench/ (results.csv, ratios.png) whatever the VM's exit status
bench: deps
	scripts/deps.sh gnuplot-nox
	$(MAKE) initramfs
	rc=0; TOY_VM_TIMEOUT=$${TOY_VM_TIMEOUT:-900} scripts/bench.sh || rc=$$?; \
		scripts/bench/plot.sh || true; exit $$rc
endif
ifneq ($(wildcard scripts/profile.sh),)
.PHONY: profile
# perf in the VM during AF_TOY and TCP bulk transfers (own initramfs)
profile: deps
	scripts/deps.sh linux-perf
	$(MAKE) all
	KVER=$(KVER) scripts/profile.sh
endif

.PHONY: install uninstall
install: install-dissector
uninstall: uninstall-dissector
install uninstall:
	$(MAKE) -C userspace $@

# Where Wireshark loads Lua plugins, as `tshark -G folders` names them: the
# global directory as root or into DESTDIR (packaging), else the user's own
# (~/.local/lib/wireshark/plugins). Without tshark, Debian's paths.
WS_LUA_DIR ?= $(shell \
	if [ -n "$(DESTDIR)" ] || [ "$$(id -u)" = 0 ]; then k=Global; \
		d=/usr/lib/$$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)/wireshark/plugins; \
	else k=Personal; d=$$HOME/.local/lib/wireshark/plugins; fi; \
	w=$$(tshark -G folders 2>/dev/null | sed -n "s/^$$k Lua Plugins:[[:space:]]*//p"); \
	echo "$${w:-$$d}")

.PHONY: install-dissector uninstall-dissector dissector-test
install-dissector:
	install -D -m 644 userspace/wireshark/toy.lua $(DESTDIR)$(WS_LUA_DIR)/toy.lua
	@echo "installed $(DESTDIR)$(WS_LUA_DIR)/toy.lua: restart Wireshark (or Analyze > Reload Lua Plugins)"

uninstall-dissector:
	rm -f $(DESTDIR)$(WS_LUA_DIR)/toy.lua

# Host only, no VM; not part of `make check` (yet).
dissector-test:
	scripts/host/dissector-test.sh

# Host only, no VM; also in `make check` as the tier "host".
.PHONY: toytrace-test
toytrace-test:
	scripts/deps.sh gnuplot-nox
	scripts/host/toytrace-test.sh

clean:
	if [ -f $(KDIR)/Makefile ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	if [ -f userspace/Makefile ]; then $(MAKE) -C userspace clean; fi
	rm -rf $(BUILD)
