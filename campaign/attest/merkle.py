"""A Merkle tree as in RFC 9162 (Certificate Transparency 2.0), section 2.1, with SHA-256.

Leaves and interior nodes are hashed with different one-byte prefixes, so no leaf can be
passed off as a node (second-preimage attacks). Proofs are the audit paths of RFC 9162
2.1.3.1 and are checked with the algorithm of 2.1.3.2, which a verifier can copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

ALGORITHM = "rfc9162-sha256"


def leaf_hash(leaf: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(size: int) -> int:
    """The largest power of two smaller than `size` (size >= 2)."""
    k = 1
    while k * 2 < size:
        k *= 2
    return k


def root_of(hashes: Sequence[bytes]) -> bytes:
    """MTH over already-hashed leaves; the empty tree is the hash of nothing."""
    if not hashes:
        return hashlib.sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = _split(len(hashes))
    return node_hash(root_of(hashes[:k]), root_of(hashes[k:]))


def tree_root(leaves: Sequence[bytes]) -> bytes:
    return root_of([leaf_hash(leaf) for leaf in leaves])


def inclusion_proof(index: int, hashes: Sequence[bytes]) -> list[bytes]:
    """PATH(index, D[n]) of RFC 9162 2.1.3.1, from the leaf's sibling up to the root's child."""
    if not 0 <= index < len(hashes):
        raise IndexError("leaf index outside the tree")
    if len(hashes) == 1:
        return []
    k = _split(len(hashes))
    if index < k:
        return [*inclusion_proof(index, hashes[:k]), root_of(hashes[k:])]
    return [*inclusion_proof(index - k, hashes[k:]), root_of(hashes[:k])]


def root_from_proof(leaf: bytes, index: int, size: int, proof: Sequence[bytes]) -> bytes | None:
    """The root a proof leads to (RFC 9162 2.1.3.2), or None if the proof cannot be valid."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf_hash(leaf)
    for p in proof:
        if sn == 0:
            return None
        if fn % 2 == 1 or fn == sn:
            r = node_hash(p, r)
            while fn % 2 == 0 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return r if sn == 0 else None
