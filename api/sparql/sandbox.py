"""Keep the query workers off the network, whatever a query asks for.

Oxigraph evaluates ``SERVICE <url>`` and ``LOAD <url>`` with its own HTTP
client, and pyoxigraph has no switch to turn that client off. The endpoint
refuses both by grammar (api/sparql/guard.py), but a refusal that is missed
must still not reach a URL. So each worker process, before it reads any job,
installs a seccomp filter that makes ``socket(AF_INET|AF_INET6, ...)`` (and
``io_uring_setup``, which can open sockets too) fail with EACCES for every
thread of the process, now and later. The pipe to the server is a Unix
socket opened before the filter, so the worker keeps talking to the server.

The filter is ten BPF instructions written here rather than pulled in with
libseccomp (pyseccomp): it needs no system library, and the whole rule fits
on a screen. It exists for Linux on x86-64 and AArch64; elsewhere
``deny_network`` returns False and the server says so at start.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import socket
import sys

_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000

# BPF opcodes: BPF_LD|BPF_W|BPF_ABS, BPF_JMP|BPF_JEQ|BPF_K, BPF_JMP|BPF_JGE|BPF_K, BPF_RET|BPF_K
_LD_ABS, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06
# offsets in struct seccomp_data: nr, arch, args[0] (low 32 bits on little-endian machines)
_NR, _ARCH, _ARG0 = 0, 4, 16
_X32_SYSCALL_BIT = 0x40000000
_IO_URING_SETUP = 425  # the same number on every architecture since Linux 5.1

#: machine -> (AUDIT_ARCH_*, socket, seccomp) syscall numbers
_ARCHES = {
    "x86_64": (0xC000003E, 41, 317),
    "aarch64": (0xC00000B7, 198, 277),
}


class _Filter(ctypes.Structure):
    _fields_ = [("code", ctypes.c_ushort), ("jt", ctypes.c_ubyte), ("jf", ctypes.c_ubyte), ("k", ctypes.c_uint)]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Filter))]


def _program(audit_arch: int, sys_socket: int) -> list[tuple[int, int, int, int]]:
    """The filter: deny internet sockets and io_uring, allow everything else."""
    deny = _SECCOMP_RET_ERRNO | errno.EACCES
    return [
        (_LD_ABS, 0, 0, _ARCH),
        (_JEQ, 1, 0, audit_arch),            # another ABI (32-bit compat): deny outright
        (_RET, 0, 0, deny),
        (_LD_ABS, 0, 0, _NR),
        (_JGE, 6, 0, _X32_SYSCALL_BIT),      # x32 syscalls: deny
        (_JEQ, 5, 0, _IO_URING_SETUP),       # io_uring can open sockets behind our back: deny
        (_JEQ, 0, 3, sys_socket),            # not socket(): allow
        (_LD_ABS, 0, 0, _ARG0),
        (_JEQ, 2, 0, socket.AF_INET),
        (_JEQ, 1, 0, socket.AF_INET6),
        (_RET, 0, 0, _SECCOMP_RET_ALLOW),
        (_RET, 0, 0, deny),
    ]


def supported() -> bool:
    """Whether this machine can run the filter (Linux on x86-64 or AArch64)."""
    return sys.platform == "linux" and platform.machine() in _ARCHES and sys.byteorder == "little"


def deny_network() -> bool:
    """Install the filter in this process (all threads); True when it is in place.

    Irreversible by design: a process that called this can never open an
    internet socket again. Call it only in a worker process.
    """
    if not supported():
        return False
    audit_arch, sys_socket, sys_seccomp = _ARCHES[platform.machine()]
    rules = _program(audit_arch, sys_socket)
    filters = (_Filter * len(rules))(*(_Filter(*r) for r in rules))
    program = _Program(len(rules), filters)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    result = libc.syscall(sys_seccomp, _SECCOMP_SET_MODE_FILTER, _SECCOMP_FILTER_FLAG_TSYNC,
                          ctypes.byref(program))
    return bool(result == 0)


def network_denied() -> bool:
    """Whether this process is cut off from the network (tries to open a socket)."""
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except PermissionError:
        return True
    s.close()
    return False


__all__ = ["deny_network", "network_denied", "supported"]
