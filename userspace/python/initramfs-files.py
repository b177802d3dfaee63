# SPDX-License-Identifier: GPL-2.0
"""List the files a VM needs to run toysocket and its examples with this
Python, for scripts/mkinitramfs.sh. Run it with the interpreter that goes
into the VM (/usr/bin/python3.11), under `env -i` like the guest:

    env -i /usr/bin/python3.11 userspace/python/initramfs-files.py

Prints one line per file:
    bin  PATH            the interpreter (copy it and its libraries)
    so   PATH            an extension module (copy it and its libraries)
    file SRC DEST        a plain file (stdlib .py, its cached .pyc, ours)

Only the standard library modules that are actually imported - at start-up
and by toysocket and the examples - are listed, not the whole 50 MB stdlib.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

# What toysocket and the examples import. (Not hashlib: its OpenSSL
# module alone would bring 5 MB of libcrypto.)
import toysocket  # noqa: E402,F401 pylint: disable=unused-import,wrong-import-position
# toytrace (userspace/python/toytrace.py) and toyplot's terminal chart
for extra in ("select", "struct", "time", "errno", "argparse", "csv", "json",
              "re", "signal"):
    __import__(extra)
# argparse imports gettext, and gettext imports locale only when asked
__import__("argparse").ArgumentParser().parse_args([])
MODULES = list(sys.modules.values())

# Where the guest finds toysocket: on Debian's default sys.path.
SITE = "/usr/lib/python3/dist-packages"
EXAMPLES = "/usr/share/af_toy/python"

prefix = os.path.realpath(os.path.join(sys.base_prefix, "lib",
                                       "python%d.%d" % sys.version_info[:2]))
print("bin", os.path.realpath(sys.executable))
seen = set()
for mod in MODULES:
    path = getattr(mod, "__file__", None)
    if not path:
        continue
    path = os.path.abspath(path)
    if path in seen or not path.startswith(prefix + os.sep):
        continue
    seen.add(path)
    if path.endswith(".so"):
        print("so", path)
        continue
    print("file", path, path)
    if path.endswith(".py"):
        d, f = os.path.split(path)
        pyc = os.path.join(d, "__pycache__", "%s.%s.pyc" % (
            f[:-3], sys.implementation.cache_tag))
        if os.path.exists(pyc):
            print("file", pyc, pyc)

print("file", os.path.join(HERE, "toysocket.py"),
      os.path.join(SITE, "toysocket.py"))
for name in sorted(os.listdir(os.path.join(HERE, "examples"))):
    if name.endswith(".py"):
        print("file", os.path.join(HERE, "examples", name),
              os.path.join(EXAMPLES, name))
