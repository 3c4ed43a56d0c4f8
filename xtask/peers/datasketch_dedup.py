"""datasketch's MinHash and MinHashLSH on the task of common.py."""
from datasketch import MinHash, MinHashLSH

import common


def signature(shingles):
    m = MinHash(num_perm=common.PERMUTATIONS, seed=1)
    for s in shingles:
        m.update(s.encode("utf-8"))
    return m


if __name__ == "__main__":
    common.main(signature, MinHashLSH(threshold=common.THRESHOLD, num_perm=common.PERMUTATIONS))
