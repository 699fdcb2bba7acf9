"""The Merkle tree, proofs and signatures of verifiable letters, without the web app."""

from __future__ import annotations

import copy

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from campaign.attest.canonical import canonical
from campaign.attest.heads import head_digest, sign_head, signature_holds
from campaign.attest.keys import PublicKey, key_id_of, raw_public
from campaign.attest.merkle import inclusion_proof, leaf_hash, root_from_proof, tree_root

# RFC 6962 test leaves and the roots of their prefixes, as used by Certificate Transparency's
# own test suites: a verifier that matches these matches every CT implementation.
CT_LEAVES = [bytes.fromhex(h) for h in ("", "00", "10", "2021", "3031", "40414243",
             "5051525354555657", "606162636465666768696a6b6c6d6e6f")]  # fmt: skip
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_roots_match_the_certificate_transparency_test_vectors():
    for size, expected in enumerate(CT_ROOTS, start=1):
        assert tree_root(CT_LEAVES[:size]).hex() == expected


@pytest.mark.parametrize("size", range(1, 12))
def test_every_leaf_proves_its_place_and_no_other(size):
    leaves = [f"leaf {i}".encode() for i in range(size)]
    hashes = [leaf_hash(leaf) for leaf in leaves]
    root = tree_root(leaves)
    for index, leaf in enumerate(leaves):
        proof = inclusion_proof(index, hashes)
        assert root_from_proof(leaf, index, size, proof) == root
        assert root_from_proof(b"other", index, size, proof) != root
        if size > 1:
            assert root_from_proof(leaf, (index + 1) % size, size, proof) != root
        assert root_from_proof(leaf, size, size, proof) is None


def test_a_leaf_cannot_pose_as_an_interior_node():
    left, right = b"a", b"b"
    node = leaf_hash(left) + leaf_hash(right)
    assert tree_root([node]) != tree_root([left, right])


def test_canonical_json_is_sorted_compact_utf8_and_refuses_floats():
    assert canonical({"b": 1, "a": "é\n"}) == '{"a":"é\\n","b":1}'.encode()
    with pytest.raises(TypeError):
        canonical({"a": 1.5})


def test_a_signature_covers_every_field_of_the_head():
    key = Ed25519PrivateKey.generate()
    raw = raw_public(key.public_key())
    public = PublicKey(key_id_of(raw), raw)
    head = {"type": "campaign-desk/root", "tree_size": 3, "root_hash": "ab" * 32}
    signature = sign_head(head, key)
    assert signature_holds(head, signature, public)
    changed = copy.deepcopy(head) | {"tree_size": 4}
    assert not signature_holds(changed, signature, public)
    assert head_digest(changed) != head_digest(head)
    other = Ed25519PrivateKey.generate().public_key()
    impostor = PublicKey(key_id_of(raw_public(other)), raw_public(other))
    assert not signature_holds(head, signature, impostor)
    assert not signature_holds(head, "not base64!", public)
