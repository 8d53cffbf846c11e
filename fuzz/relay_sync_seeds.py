#!/usr/bin/env python3
# Seeds for fuzz_relay_sync: scripts of sync requests, encoded as the target
# decodes them with libFuzzer's FuzzedDataProvider (whole numbers are taken
# from the end of the input, most significant byte first; strings and bytes
# from the front). Each seed is a scenario a device really plays — write,
# read, conflict, history, turn off, another vault's key, bad signatures and
# bad copies — so the fuzzer starts past the signature checks.
#
#   python3 fuzz/relay_sync_seeds.py OUT_DIR
#
# Keep in step with fuzz/fuzz_relay_sync.cpp: the order of the choices below
# is the order the target makes them.
import os
import sys

OWNER, STRANGER_ID = 0, 3          # the id choice (0..5)
PUT, GET, DELETE = 0, 1, 2
CURRENT, NEXT, PREVIOUS, ANY, ODD_QUERY, ZERO = 0, 3, 4, 5, 6, 7  # version_query's cases
SIGNED_OWNER, SIGNED_STRANGER, FUZZED_AUTH, NO_AUTH = 0, 5, 7, 9


class Script:
    def __init__(self):
        self.front = bytearray()
        self.tail = []  # bytes in the order the target takes them
        self.nonce = 0

    def int_in_range(self, lo, hi, value):
        span, width = hi - lo, 0
        while width < 8 and (span >> (8 * width)) > 0:
            width += 1
        self.tail += list((value - lo).to_bytes(width, 'big')) if width else []

    def boolean(self, value):
        self.tail.append(1 if value else 0)

    def string(self, text):
        # ConsumeRandomLengthString: a backslash then anything but a backslash ends it.
        self.front += text.encode().replace(b'\\', b'\\\\') + b'\\n'

    def version(self, case, any_version):
        self.int_in_range(0, 7, case)
        if case == ANY:
            self.int_in_range(0, 2**64 - 1, any_version)
        elif case == ODD_QUERY:
            self.string('v=1&version=2')

    def request(self, op, ident=OWNER, version=CURRENT, any_version=0, body='copy', plaintext=b'{"providers":[]}',
                damage=None, signer=SIGNED_OWNER, nonce=None, skew=0, get_version=None, delete_query=False):
        self.boolean(True)                     # a short step: seconds
        self.int_in_range(0, 400, 30)
        self.int_in_range(0, 2, op)
        self.int_in_range(0, 5, ident)
        if op == PUT:
            self.version(version, any_version)
            if body == 'raw':
                self.int_in_range(0, 4, 0)
                self.int_in_range(0, 300, len(plaintext))
                self.front += plaintext
            else:
                self.int_in_range(0, 4, 1)
                self.int_in_range(0, 200, len(plaintext))
                self.front += plaintext
                size = len(plaintext) + 49 + 4 + 21  # one frame (docs/vault-format.md §11.3)
                if damage == 'cut':
                    self.int_in_range(0, 7, 0)
                    self.int_in_range(0, size, size // 2)
                elif damage == 'flip':  # copy[i] ^= x: C++17 takes x before i
                    self.int_in_range(0, 7, 1)
                    self.int_in_range(1, 255, 0x40)
                    self.int_in_range(0, size - 1, size - 3)
                else:
                    self.int_in_range(0, 7, 2)
        elif op == GET:
            self.boolean(get_version is not None)
            if get_version is not None:
                self.version(get_version, any_version)
        else:
            self.int_in_range(0, 7, 0 if delete_query else 1)
        self.int_in_range(0, 9, signer)
        if signer <= 6:
            self.boolean(False)                 # a whole nonce
            self.nonce += 1
            self.front += (nonce if nonce is not None else self.nonce).to_bytes(16, 'big')
            self.int_in_range(-400, 400, skew)
        elif signer <= 8:
            self.string('Chartlock-Ed25519 key="AAAA", ts="1", nonce="AAAA", sig="AAAA"')

    def bytes(self):
        return bytes(self.front) + bytes(reversed(self.tail))


def seeds():
    s = Script()  # a device writes, reads (latest and a kept version), writes again, turns sync off
    s.request(PUT)
    s.request(GET)
    s.request(GET, get_version=CURRENT)
    s.request(PUT, plaintext=b'{"providers":[{"id":"a"}]}')
    s.request(GET)
    s.request(DELETE)
    s.request(GET)
    s.request(PUT)
    yield 'write-read-off', s

    s = Script()  # two devices: a write naming an old version loses (409), then merges and wins
    s.request(PUT)
    s.request(PUT, version=ZERO)
    s.request(PUT)
    s.request(PUT, version=PREVIOUS)
    s.request(PUT, version=NEXT)
    s.request(GET, get_version=PREVIOUS)
    yield 'conflict', s

    s = Script()  # seven writes: the oldest versions are dropped
    for _ in range(7):
        s.request(PUT)
    s.request(GET, get_version=PREVIOUS)
    s.request(GET, get_version=ANY, any_version=1)   # dropped: version-gone
    s.request(GET, get_version=ZERO)
    yield 'history', s

    s = Script()  # another vault's key: pinned out of this one, pins its own
    s.request(PUT)
    s.request(GET, signer=SIGNED_STRANGER)
    s.request(PUT, signer=SIGNED_STRANGER)
    s.request(DELETE, signer=SIGNED_STRANGER)
    s.request(PUT, ident=STRANGER_ID, signer=SIGNED_STRANGER)
    s.request(GET, ident=STRANGER_ID, signer=SIGNED_STRANGER)
    s.request(GET, ident=STRANGER_ID)
    yield 'another-key', s

    s = Script()  # signatures: a replayed nonce, stale and future times, a made-up header, none
    s.request(PUT, nonce=7)
    s.request(GET, nonce=7)
    s.request(GET, skew=-400)
    s.request(GET, skew=400)
    s.request(GET, signer=FUZZED_AUTH)
    s.request(DELETE, signer=NO_AUTH)
    s.request(DELETE, delete_query=True)
    yield 'signatures', s

    s = Script()  # copies: not a copy, cut, a flipped byte, versions out of range, an odd query
    s.request(PUT, body='raw', plaintext=b'\x89CLV\r\n\x1a\n\x01not a sync copy')
    s.request(PUT, damage='cut')
    s.request(PUT, damage='flip')
    s.request(PUT, version=ANY, any_version=2**63)
    s.request(PUT, version=ANY, any_version=2**63 - 1)
    s.request(PUT, version=ODD_QUERY)
    s.request(GET, get_version=ANY, any_version=1)
    yield 'copies-and-versions', s


if __name__ == '__main__':
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, script in seeds():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(script.bytes())
